// FT506 object-field-race (off by default): writes to fields of `self` in
// methods without a critical section on self.
#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/TuContext.h"
#include "tool/analysis/TuIndex.h"
#include "tool/core/Rule.h"

#include <fmt/format.h>

namespace ftlint {
namespace {

using namespace clang;
using namespace clang::ast_matchers;

const RuleInfo kInfo{
    .code = "FT506",
    .name = "object-field-race",
    .summary = "a method writes a field of `self` without a critical section on `self` (off by default)",
    .enabledByDefault = false,
    .fix = FixAvailability::None,
    .whatItDoes = R"(Flags assignments to `self->field` in functions whose first parameter is a Python object
named `self`, outside `Py_BEGIN_CRITICAL_SECTION(self)`. Object construction and destruction (`*_new`,
`*_init`, `*_dealloc`, `*_clear`, `*_traverse`, `*_finalize`) are skipped, since no other thread sees the
object then. Off by default: many such writes are benign or already protected by a lock ftlint cannot see;
enable it with `--extend-select FT506` when auditing a type.)",
    .whyItMatters = R"(Two threads calling methods on the same object now really run at the same time. A method
that updates several fields (a size and a buffer, a counter and a cache) can interleave with another and leave
the object inconsistent, or free a field's old value while the other thread still reads it.)",
    .example = R"(```c
static PyObject *
Counter_add(CounterObject *self, PyObject *arg)
{
    self->total += PyLong_AsLong(arg);      /* FT506 */
    Py_RETURN_NONE;
}
```

Use instead:

```c
    Py_BEGIN_CRITICAL_SECTION(self);
    self->total += PyLong_AsLong(arg);
    Py_END_CRITICAL_SECTION();
```)",
    .fixDescription = R"(No automatic fix yet. Wrap the method body's reads and writes of the shared fields in
`Py_BEGIN_CRITICAL_SECTION(self)`, or make single counters atomic.)",
    .references = R"(- [HOWTO: critical sections](https://docs.python.org/3.14/howto/free-threading-extensions.html#critical-sections))",
};

bool isLifecycleFunction(llvm::StringRef name) {
  for (llvm::StringRef suffix : {"_new", "_init", "_dealloc", "_clear", "_traverse", "_finalize", "_del"})
    if (name.ends_with(suffix)) return true;
  return name.starts_with("PyInit_");
}

// `self->field = ...` (or `+=`...), `self` being the method's parameter.
bool writesFieldOfSelf(const BinaryOperator &write) {
  if (!write.isAssignmentOp()) return false;
  const auto *member = dyn_cast<MemberExpr>(write.getLHS()->IgnoreParenImpCasts());
  if (!member || !member->isArrow()) return false;
  const auto *ref = dyn_cast<DeclRefExpr>(member->getBase()->IgnoreParenImpCasts());
  const auto *param = ref ? dyn_cast<ParmVarDecl>(ref->getDecl()) : nullptr;
  return param && param->getIdentifier() && param->getName() == "self";
}

class ObjectFieldRace : public Rule {
public:
  using Rule::Rule;

  void subscribe() override { context().nodes().onNodes<BinaryOperator>("write", writesFieldOfSelf, this); }

  void check(const MatchFinder::MatchResult &result) override {
    const auto *write = result.Nodes.getNodeAs<BinaryOperator>("write");
    const FunctionDecl *fn = enclosingFunction(write, *result.Context);
    if (!fn || fn->getNumParams() == 0 || fn->getParamDecl(0)->getName() != "self") return;
    if (isLifecycleFunction(fn->getName()) || context().index().isModuleInit(fn)) return;
    if (context().preprocessor().criticalSectionOn(*result.SourceManager, write->getBeginLoc(), "self")) return;
    const auto *member = cast<MemberExpr>(write->getLHS()->IgnoreParenImpCasts());
    Finding *f = context().report(info(), write->getSourceRange(),
                     fmt::format("'{}' writes self->{} without a critical section on self: another thread running "
                                 "a method of the same object can interleave with it",
                                 fn->getNameAsString(), member->getMemberDecl()->getNameAsString()));
    if (f) f->initOnlyUnlessUsr = usrOf(fn);
  }
};

}  // namespace
FTLINT_REGISTER_RULE(ObjectFieldRace, kInfo);
}  // namespace ftlint
