// FT403 gc-free-mismatch: a GC type freed with PyObject_Free, or a non-GC
// type freed with PyObject_GC_Del.
#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/TuContext.h"
#include "tool/analysis/TuIndex.h"
#include "tool/core/Rule.h"


#include <fmt/format.h>

namespace ftlint {
namespace {

using namespace clang;

const RuleInfo kInfo{
    .code = "FT403",
    .name = "gc-free-mismatch",
    .summary = "a `Py_TPFLAGS_HAVE_GC` type whose `tp_free` is `PyObject_Free`, or `PyObject_GC_Del` on a non-GC type",
    .enabledByDefault = true,
    .fix = FixAvailability::None,
    .whatItDoes = R"(Checks static `PyTypeObject` definitions and `PyType_Spec` slot arrays: a type with
`Py_TPFLAGS_HAVE_GC` must free its instances with `PyObject_GC_Del`, and a type without it must not.)",
    .whyItMatters = R"(GC objects are allocated with a GC header (and, on free-threaded builds, from the
collector's own heap); `PyObject_Free` on them frees the wrong address or the wrong heap, and `PyObject_GC_Del`
on a plain object does the reverse. The mismatch corrupts memory only when instances are freed, often on
another thread.)",
    .example = R"(```c
static PyTypeObject Node_Type = {
    ...
    .tp_flags = Py_TPFLAGS_DEFAULT | Py_TPFLAGS_HAVE_GC,
    .tp_free = PyObject_Free,                /* FT403 */
};
```

Use instead: `.tp_free = PyObject_GC_Del` (or leave `tp_free` unset: it is inherited correctly).)",
    .fixDescription = R"(No automatic fix yet. Set `tp_free` to `PyObject_GC_Del` for GC types and to
`PyObject_Free` for others, or remove it and let `PyType_Ready` pick the right one.)",
    .references = R"(- [`tp_free`](https://docs.python.org/3.13/c-api/typeobj.html#c.PyTypeObject.tp_free)
- [Supporting cyclic garbage collection](https://docs.python.org/3.13/c-api/gcsupport.html))",
};

constexpr uint64_t kHaveGc = 1ULL << 14;  // Py_TPFLAGS_HAVE_GC in every supported version

// The name of a struct, or of the typedef of an anonymous one (PyType_Spec).
llvm::StringRef recordName(const RecordDecl *r) {
  if (!r->getName().empty()) return r->getName();
  if (const TypedefNameDecl *td = r->getTypedefNameForAnonDecl()) return td->getName();
  return {};
}

std::string functionNamed(const Expr *e) {
  if (!e) return {};
  if (const auto *ref = dyn_cast<DeclRefExpr>(stripCasts(e)))
    if (const auto *fd = dyn_cast<FunctionDecl>(ref->getDecl())) return fd->getNameAsString();
  return {};
}

std::optional<uint64_t> flagsValue(const Expr *e, ASTContext &ast) {
  Expr::EvalResult r;
  if (e && e->EvaluateAsInt(r, ast)) return r.Val.getInt().getZExtValue();
  return std::nullopt;
}

class GcFreeMismatch : public Rule {
public:
  using Rule::Rule;

  void finishTranslationUnit(ASTContext &ast) override {
    auto typeDefinitions = [](const RecordDecl *r) {
      return recordName(r) == "_typeobject" || recordName(r) == "PyType_Spec";
    };
    for (const VarDecl *vd : context().index().initializedStructs(typeDefinitions)) {
      const auto *init = dyn_cast<InitListExpr>(vd->getInit()->IgnoreImplicit());
      const RecordDecl *record = vd->getType().getCanonicalType()->getAsRecordDecl();
      if (!init || !tu().inProject(vd->getLocation())) continue;
      if (recordName(record) == "_typeobject")
        check(vd, flagsValue(fieldInitializer(init, record, "tp_flags"), ast), fieldInitializer(init, record, "tp_free"));
      else
        checkSpec(vd, init, record, ast);
    }
  }

private:
  TuContext &tu() { return context(); }

  void check(const VarDecl *type, std::optional<uint64_t> flags, const Expr *freeInit) {
    std::string freeFn = functionNamed(freeInit);
    if (!flags || freeFn.empty()) return;
    bool gc = (*flags & kHaveGc) != 0;
    if (gc && freeFn == "PyObject_Free")
      tu().report(info(), freeInit->getSourceRange(),
                  fmt::format("'{}' has Py_TPFLAGS_HAVE_GC but frees its instances with PyObject_Free(), which "
                              "does not release the GC header; use PyObject_GC_Del()",
                              type->getName().str()));
    else if (!gc && freeFn == "PyObject_GC_Del")
      tu().report(info(), freeInit->getSourceRange(),
                  fmt::format("'{}' is not a GC type (no Py_TPFLAGS_HAVE_GC) but frees its instances with "
                              "PyObject_GC_Del(); use PyObject_Free()",
                              type->getName().str()));
  }

  // PyType_Spec: .flags, and {Py_tp_free, fn} in its slots array.
  void checkSpec(const VarDecl *spec, const InitListExpr *init, const RecordDecl *record, ASTContext &ast) {
    const auto *slotsRef = dyn_cast_or_null<DeclRefExpr>(
        fieldInitializer(init, record, "slots") ? stripCasts(fieldInitializer(init, record, "slots")) : nullptr);
    const auto *slots = slotsRef ? dyn_cast<VarDecl>(slotsRef->getDecl()) : nullptr;
    if (!slots || !slots->hasInit()) return;
    const auto *array = dyn_cast<InitListExpr>(slots->getInit()->IgnoreImplicit());
    if (!array) return;
    for (const Expr *element : array->inits()) {
      const auto *slot = dyn_cast<InitListExpr>(element->IgnoreImplicit());
      if (!slot || slot->getNumInits() < 2) continue;
      if (!expandedFromMacro(slot->getInit(0)->getBeginLoc(), "Py_tp_free", ast)) continue;
      check(spec, flagsValue(fieldInitializer(init, record, "flags"), ast), slot->getInit(1));
    }
  }
};

}  // namespace
FTLINT_REGISTER_RULE(GcFreeMismatch, kInfo);
}  // namespace ftlint
