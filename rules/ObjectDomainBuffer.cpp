// FT401 object-domain-buffer: PyObject_Malloc & co. used for plain buffers.
#include "tool/analysis/ApiTables.h"
#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/TuContext.h"
#include "tool/core/Rule.h"

#include <fmt/format.h>

namespace ftlint {
namespace {

using namespace clang;
using namespace clang::ast_matchers;

const RuleInfo kInfo{
    .code = "FT401",
    .name = "object-domain-buffer",
    .summary = "`PyObject_Malloc`/`Calloc`/`Realloc` used for memory that is not a Python object",
    .enabledByDefault = true,
    .fix = FixAvailability::None,
    .whatItDoes = R"(Flags `PyObject_Malloc()`, `PyObject_Calloc()` and `PyObject_Realloc()` (and their
`PyObject_MALLOC`-style macros) whose result is used as a plain buffer: stored in or cast to a pointer to
`char`, a number, or a struct that is not a Python object.)",
    .whyItMatters = R"(Free-threaded CPython requires the object domain to hold Python objects only: its
allocator (mimalloc) keeps objects in dedicated heaps that the garbage collector walks, and it may delay freeing
them. A byte buffer in that heap confuses both. The documentation says to use `PyMem_Malloc()`,
`PyMem_RawMalloc()` or `malloc()` for buffers.)",
    .example = R"(```c
char *buf = PyObject_Malloc(size);      /* FT401 */
...
PyObject_Free(buf);
```

Use instead:

```c
char *buf = PyMem_Malloc(size);
...
PyMem_Free(buf);
```)",
    .fixDescription = R"(No automatic fix yet. Switch the allocation and every free of that memory to the
`PyMem_*` domain together (`PyMem_Malloc`/`PyMem_Realloc`/`PyMem_Free`); FT402 reports frees left in the old
domain.)",
    .references = R"(- [Memory management: allocator domains](https://docs.python.org/3.13/c-api/memory.html#allocator-domains)
- [HOWTO: memory allocation APIs](https://docs.python.org/3.13/howto/free-threading-extensions.html#memory-allocation-apis))",
};

// The pointer type the allocation ends up as: a cast, a variable, an assignment.
QualType destinationType(const CallExpr *call, ASTContext &ast) {
  ParentLink link = meaningfulParent(call, ast);
  if (const auto *vd = dyn_cast_or_null<VarDecl>(link.parentDecl)) return vd->getType();
  if (const auto *bo = dyn_cast_or_null<BinaryOperator>(link.parent); bo && bo->isAssignmentOp())
    return bo->getLHS()->getType();
  if (const auto *cast = dyn_cast<ExplicitCastExpr>(link.child)) return cast->getType();
  return {};
}

class ObjectDomainBuffer : public Rule {
public:
  using Rule::Rule;

  void registerMatchers(MatchFinder &finder) override {
    finder.addMatcher(callExpr(callee(functionDecl(hasAnyName("PyObject_Malloc", "PyObject_Calloc", "PyObject_Realloc"))))
                          .bind("alloc"),
                      this);
  }

  void check(const MatchFinder::MatchResult &result) override {
    const auto *call = result.Nodes.getNodeAs<CallExpr>("alloc");
    QualType type = destinationType(call, *result.Context);
    if (type.isNull() || !type->isPointerType()) return;
    QualType pointee = type->getPointeeType();
    if (pointee->isVoidType()) return;  // not known yet: judged where it is used
    if (const RecordDecl *record = pointee->getAsRecordDecl(); record && isPythonObjectRecord(record)) return;
    context().report(info(), call->getSourceRange(),
                     fmt::format("{}() allocates a '{}' buffer, but free-threaded builds reserve the object domain "
                                 "for Python objects; use PyMem_{}() and free it with PyMem_Free()",
                                 calleeName(call), pointee.getAsString(),
                                 calleeName(call).substr(std::string("PyObject_").size())));
  }
};

}  // namespace
FTLINT_REGISTER_RULE(ObjectDomainBuffer, kInfo);
}  // namespace ftlint
