// FT401 object-domain-buffer: PyObject_Malloc & co. used for plain buffers.
#include "tool/analysis/ApiTables.h"
#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/TuContext.h"
#include "tool/core/Rule.h"
#include "tool/fix/SourceEdits.h"

#include "clang/AST/RecursiveASTVisitor.h"

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
    .fix = FixAvailability::Sometimes,
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
    .fixDescription = R"(Moves the buffer to the PyMem domain:
`PyObject_Malloc`/`Calloc`/`Realloc` become `PyMem_Malloc`/`Calloc`/`Realloc`, and every `PyObject_Free` or
`PyObject_Realloc` of the same local variable follows. The fix is **safe**: the PyMem domain gives the same
guarantees for plain buffers on every build. It is offered only when the buffer lives in a local variable and
no use hands the pointer on (returned, stored, passed to a function other than the `mem*`/`str*` family and
the `Py*_FromStringAndSize` constructors), because a free ftlint cannot see would then mix domains.)",
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

  void subscribe() override {
    context().nodes().onCallsTo({"PyObject_Malloc", "PyObject_Calloc", "PyObject_Realloc"}, this);
  }

  void check(const MatchFinder::MatchResult &result) override {
    const auto *call = result.Nodes.getNodeAs<CallExpr>("call");
    QualType type = destinationType(call, *result.Context);
    if (type.isNull() || !type->isPointerType()) return;
    QualType pointee = type->getPointeeType();
    if (pointee->isVoidType()) return;  // not known yet: judged where it is used
    if (const RecordDecl *record = pointee->getAsRecordDecl(); record && isPythonObjectRecord(record)) return;
    Finding *f = context().report(
        info(), call->getSourceRange(),
        fmt::format("{}() allocates a '{}' buffer, but free-threaded builds reserve the object domain for Python "
                    "objects; use PyMem_{}() and free it with PyMem_Free()",
                    calleeName(call), pointee.getAsString(), calleeName(call).substr(std::string("PyObject_").size())));
    if (f) offerFix(*f, call, *result.Context);
  }

private:
  // Moves the buffer to the PyMem domain: the allocation and every call
  // that frees or reallocates it. Only for a local variable whose every use
  // is visible and none hands the pointer on.
  void offerFix(Finding &f, const CallExpr *alloc, ASTContext &ast) {
    ParentLink link = meaningfulParent(alloc, ast);
    const VarDecl *buffer = dyn_cast_or_null<VarDecl>(link.parentDecl);
    if (const auto *assign = dyn_cast_or_null<BinaryOperator>(link.parent); assign && assign->isAssignmentOp())
      if (const auto *ref = dyn_cast<DeclRefExpr>(assign->getLHS()->IgnoreParenImpCasts()))
        buffer = dyn_cast<VarDecl>(ref->getDecl());
    const FunctionDecl *function = enclosingFunction(alloc, ast);
    if (!buffer || !buffer->hasLocalStorage() || isa<ParmVarDecl>(buffer) || !function || !function->hasBody()) {
      f.noFixReason = "no automatic fix: the buffer is not held in a local variable, so ftlint cannot see every "
                      "free";
      return;
    }
    struct Uses : RecursiveASTVisitor<Uses> {
      ASTContext *ast;
      const VarDecl *buffer;
      std::vector<const CallExpr *> domainCalls;  // PyObject_Free(buf), PyObject_Realloc(buf, n)
      std::string escape;
      bool VisitDeclRefExpr(DeclRefExpr *ref) {
        if (ref->getDecl() != buffer) return true;
        ParentLink use = meaningfulParent(ref, *ast);
        if (const auto *call = dyn_cast_or_null<CallExpr>(use.parent)) {
          std::string callee = calleeName(call);
          if (callee == "PyObject_Free" || callee == "PyObject_Realloc") domainCalls.push_back(call);
          else if (!isOneOf(callee, {"memcpy", "memmove", "memset", "memcmp", "strlen", "strcpy", "strncpy",
                                     "strcmp", "strncmp", "snprintf", "sprintf", "PyBytes_FromStringAndSize",
                                     "PyUnicode_FromStringAndSize", "PyUnicode_FromString", "PyLong_FromString",
                                     "PyUnicode_DecodeUTF8", "PyByteArray_FromStringAndSize"}))
            escape = callee.empty() ? "a call through a pointer" : callee + "()";
        } else if (isa_and_nonnull<ReturnStmt>(use.parent)) {
          escape = "the return statement";
        } else if (const auto *assign = dyn_cast_or_null<BinaryOperator>(use.parent);
                   assign && assign->isAssignmentOp() && use.child == assign->getRHS()) {
          escape = "an assignment";
        } else if (isa_and_nonnull<VarDecl>(use.parentDecl) || isa_and_nonnull<InitListExpr>(use.parent)) {
          escape = "another variable";
        }
        return escape.empty();
      }
    } uses;
    uses.ast = &ast;
    uses.buffer = buffer;
    uses.TraverseStmt(const_cast<Stmt *>(function->getBody()));
    if (!uses.escape.empty()) {
      f.noFixReason = fmt::format("no automatic fix: the pointer leaves through {}, so ftlint cannot see every "
                                  "free",
                                  uses.escape);
      return;
    }
    SourceEdits edits(ast);
    auto pymem = [](std::string name) { return "PyMem_" + name.substr(std::string("PyObject_").size()); };
    edits.renameCallee(alloc, pymem(calleeName(alloc)));
    for (const CallExpr *c : uses.domainCalls)
      if (c != alloc) edits.renameCallee(c, pymem(calleeName(c)));
    if (edits.failed()) {
      f.noFixReason = "no automatic fix: a call is written inside a macro";
      return;
    }
    f.fix = Fix{Applicability::Safe, "allocate and free the buffer in the PyMem domain", edits.take()};
  }
};

}  // namespace
FTLINT_REGISTER_RULE(ObjectDomainBuffer, kInfo);
}  // namespace ftlint
