// FT502 unsynchronized-global-write: writes to mutable statics outside
// module init with no lock held.
#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/Locks.h"
#include "tool/analysis/SharedState.h"
#include "tool/analysis/TuIndex.h"
#include "tool/core/Rule.h"

#include <fmt/format.h>

namespace ftlint {
namespace {

using namespace clang;
using namespace clang::ast_matchers;

const RuleInfo kInfo{
    .code = "FT502",
    .name = "unsynchronized-global-write",
    .summary = "a write to a mutable static or global outside module init, not atomic, no lock held",
    .enabledByDefault = true,
    .fix = FixAvailability::None,
    .whatItDoes = R"(Flags assignments, compound assignments and `++`/`--` on a global or static variable
(function-local statics and elements or fields of static arrays and structs included) outside module
initialisation, unless the variable is `const`, `_Atomic`/`std::atomic`, thread-local (`_Thread_local`,
`thread_local`), or a lock is visibly held (`PyMutex_Lock`, `pthread_mutex_lock`, a C++ lock guard, a critical
section). A variable declared in a branch free-threaded builds do not compile (`#ifndef Py_GIL_DISABLED`) is
left alone: that build declares it another way, atomic or thread-local. Lazy initialisation is reported by FT501
instead.)",
    .whyItMatters = R"(Extensions used to rely on the GIL to serialise every access to their globals: counters,
flags, scratch buffers, "last error" slots. On a free-threaded build these are data races: lost updates, torn
reads, and buffers reused by two threads at once.)",
    .example = R"(```c
static char *scratch;
static Py_ssize_t scratch_size;

static PyObject *
copy_bytes(PyObject *self, PyObject *data)
{
    ...
    scratch = PyMem_Realloc(scratch, len);   /* FT502 */
    scratch_size = len;                       /* FT502 */
```

Use instead: allocate the buffer per call, keep it in per-object state under a critical section, or make the
variable `_Thread_local`.)",
    .fixDescription = R"(No automatic fix: the right one depends on what the variable is for. Counters become
atomics (`_Py_atomic_*`, `std::atomic`), per-call scratch space becomes local or thread-local, shared caches get a
`PyMutex`.)",
    .references = R"(- [HOWTO: protecting internal extension state](https://docs.python.org/3.13/howto/free-threading-extensions.html#protecting-internal-extension-state))",
};

class UnsynchronizedGlobalWrite : public Rule {
public:
  using Rule::Rule;

  void subscribe() override {
    context().nodes().onNodes<BinaryOperator>(
        "write",
        [this](const BinaryOperator &b) {
          return b.isAssignmentOp() && writtenSharedVariable(context(), b.getLHS()) != nullptr;
        },
        this);
    context().nodes().onNodes<UnaryOperator>(
        "write",
        [this](const UnaryOperator &u) {
          return u.isIncrementDecrementOp() && writtenSharedVariable(context(), u.getSubExpr()) != nullptr;
        },
        this);
  }

  void check(const MatchFinder::MatchResult &result) override {
    const Expr *write = result.Nodes.getNodeAs<Expr>("write");
    const Expr *target = nullptr;
    if (const auto *bo = dyn_cast<BinaryOperator>(write)) target = bo->getLHS();
    else if (const auto *uo = dyn_cast<UnaryOperator>(write)) target = uo->getSubExpr();
    const VarDecl *var = writtenSharedVariable(context(), target);
    if (!var) return;
    ASTContext &ast = *result.Context;
    const FunctionDecl *fn = enclosingFunction(write, ast);
    if (!fn || context().index().isModuleInit(fn)) return;
    if (lazyInitOf(write, ast) || lockHeldAt(context(), write)) return;
    Finding *f = context().report(info(), write->getSourceRange(),
                     fmt::format("write to the {} '{}' with no lock held: on a free-threaded build other threads "
                                 "read and write it at the same time; make it atomic or thread-local, or guard it "
                                 "with a PyMutex",
                                 var->isStaticLocal() ? "static" : "global", var->getName().str()));
    if (f) f->initOnlyUnlessUsr = usrOf(fn);
  }
};

}  // namespace
FTLINT_REGISTER_RULE(UnsynchronizedGlobalWrite, kInfo);
}  // namespace ftlint
