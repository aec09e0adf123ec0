// FT402 allocator-mismatch: memory freed by a different domain than the one
// that allocated it.
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
    .code = "FT402",
    .name = "allocator-mismatch",
    .summary = "memory freed by a different allocator domain than allocated it",
    .enabledByDefault = true,
    .fix = FixAvailability::Sometimes,
    .whatItDoes = R"(Follows pointers from their allocation (`PyMem_Malloc`, `PyMem_RawMalloc`, `PyObject_Malloc`,
`malloc`, and the `Calloc`/`Realloc` variants) to their frees (`PyMem_Free`, `PyMem_RawFree`, `PyObject_Free`,
`free`, and reallocations), within a function for local variables and across the file for struct fields (a
buffer allocated in `tp_new` and freed in `tp_dealloc`), and flags a free in another domain.)",
    .whyItMatters = R"(Each domain has its own allocator; freeing memory with another one is undefined behaviour.
With the GIL's default allocators some pairs happened to work. A free-threaded build uses mimalloc heaps per
domain, so the same code corrupts the heap or crashes, and `PYTHONMALLOC=debug` is the only runtime check.)",
    .example = R"(```c
self->buffer = PyMem_Malloc(size);
...
static void
Reader_dealloc(ReaderObject *self)
{
    PyObject_Free(self->buffer);              /* FT402: allocated with PyMem_Malloc */
```

Use instead: free with the matching function, `PyMem_Free(self->buffer)`.)",
    .fixDescription = R"(The free becomes the allocating domain's own
(`PyMem_Free`, `PyMem_RawFree`, `free`) when every allocation that reaches it comes from that domain. The fix is
**safe**: it replaces undefined behaviour with the only correct call. There is no fix when allocations from
different domains reach the call, for `realloc`-style calls, and for object-domain memory, where the right
answer is usually to move the allocation to `PyMem_*` (FT401's fix).)",
    .references = R"(- [Memory management: allocator domains](https://docs.python.org/3.13/c-api/memory.html#allocator-domains))",
};

struct Allocation {
  AllocDomain domain;
  std::string function;
  unsigned line;
};

// Allocations whose result is stored in the same place `freed` names.
std::vector<Allocation> allocationsOf(const Expr *freed, const CallExpr *free, TuContext &tu) {
  ASTContext &ast = tu.ast();
  const SourceManager &sm = ast.getSourceManager();
  std::vector<Allocation> out;
  auto consider = [&](const Expr *value) {
    const auto *call = value ? dyn_cast<CallExpr>(stripCasts(value)) : nullptr;
    if (!call || call == free) return;
    AllocDomain d = allocatorDomain(calleeName(call));
    if (d != AllocDomain::None) out.push_back({d, calleeName(call), fileLine(sm, call->getBeginLoc())});
  };
  const Expr *e = stripCasts(freed);
  if (const auto *member = dyn_cast<MemberExpr>(e)) {
    if (const auto *field = dyn_cast<FieldDecl>(member->getMemberDecl()))
      for (const auto &store : tu.index().storesTo(field)) consider(store.value);
    return out;
  }
  const auto *ref = dyn_cast<DeclRefExpr>(e);
  const auto *var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
  const FunctionDecl *fn = enclosingFunction(free, ast);
  if (!var || !fn || !fn->getBody()) return out;
  if (var->getInit()) consider(var->getInit());
  struct Stores : RecursiveASTVisitor<Stores> {
    const VarDecl *var;
    std::vector<const Expr *> values;
    bool VisitBinaryOperator(BinaryOperator *bo) {
      if (bo->getOpcode() == BO_Assign)
        if (const auto *r = dyn_cast<DeclRefExpr>(bo->getLHS()->IgnoreParenImpCasts()); r && r->getDecl() == var)
          values.push_back(bo->getRHS());
      return true;
    }
  } stores;
  stores.var = var;
  stores.TraverseStmt(fn->getBody());
  for (const Expr *v : stores.values) consider(v);
  return out;
}

// A call that releases memory: a deallocator of one of the domains.
bool freesMemory(const CallExpr &call) {
  return call.getNumArgs() > 0 && deallocatorDomain(calleeIdentifier(&call)) != AllocDomain::None;
}

class AllocatorMismatch : public Rule {
public:
  using Rule::Rule;

  // The free switches to the allocation's domain when every allocation that
  // reaches it agrees. Object-domain buffers are left to FT401, whose fix
  // moves the allocation instead.
  void offerFix(Finding &f, const CallExpr *free, AllocDomain domain, const std::vector<Allocation> &all) {
    if (domain == AllocDomain::Object) {
      f.noFixReason = "no automatic fix: choose the domain first (a buffer that is not a Python object belongs in "
                      "the PyMem domain, see FT401)";
      return;
    }
    for (const Allocation &a : all)
      if (a.domain != domain) {
        f.noFixReason = "no automatic fix: allocations from different domains reach this call";
        return;
      }
    if (deallocatorDomain(calleeName(free)) == AllocDomain::None || allocatorDomain(calleeName(free)) != AllocDomain::None) {
      f.noFixReason = "no automatic fix: a realloc call also allocates; switch its domain by hand";
      return;
    }
    SourceEdits edits(context().ast());
    if (!edits.renameCallee(free, freeFunctionOf(domain))) {
      f.noFixReason = "no automatic fix: the call is written inside a macro";
      return;
    }
    f.fix = Fix{Applicability::Safe, fmt::format("free it with {}()", freeFunctionOf(domain)), edits.take()};
  }

  void subscribe() override { context().nodes().onNodes<CallExpr>("call", freesMemory, this); }

  void check(const MatchFinder::MatchResult &result) override {
    const auto *call = result.Nodes.getNodeAs<CallExpr>("call");
    std::string name = calleeName(call);
    AllocDomain freeing = deallocatorDomain(name);
    if (freeing == AllocDomain::None || call->getNumArgs() == 0) return;
    for (const Allocation &a : allocationsOf(call->getArg(0), call, context())) {
      if (a.domain == freeing) continue;
      Finding *f = context().report(
          info(), call->getSourceRange(),
          fmt::format("{}() releases memory that {}() allocated on line {}: the {} and {} domains must not be "
                      "mixed; free it with {}()",
                      name, a.function, a.line, allocDomainName(a.domain), allocDomainName(freeing),
                      freeFunctionOf(a.domain)));
      if (f) offerFix(*f, call, a.domain, allocationsOf(call->getArg(0), call, context()));
      return;
    }
  }
};

}  // namespace
FTLINT_REGISTER_RULE(AllocatorMismatch, kInfo);
}  // namespace ftlint
