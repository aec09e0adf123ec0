// FT505 blocking-lock-while-attached: waiting on a lock or condition while
// attached to the interpreter.
#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/Locks.h"
#include "tool/core/Rule.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"

#include <fmt/format.h>

namespace ftlint {
namespace {

using namespace clang;
using namespace clang::ast_matchers;

const RuleInfo kInfo{
    .code = "FT505",
    .name = "blocking-lock-while-attached",
    .summary = "a blocking lock or wait (`pthread_mutex_lock`, `std::mutex`, `sem_wait`, ...) while attached",
    .enabledByDefault = true,
    .fix = FixAvailability::None,
    .whatItDoes = R"(Flags blocking lock acquisitions and waits (`pthread_mutex_lock`, `pthread_cond_wait`,
`sem_wait`, `std::mutex::lock`, `std::lock_guard`/`unique_lock`/`scoped_lock` on a mutex,
`std::condition_variable::wait`, `WaitForSingleObject`, `EnterCriticalSection`, ...) in functions that use the
Python C API, unless the thread is detached at that point (`Py_BEGIN_ALLOW_THREADS` ... `Py_END_ALLOW_THREADS`,
`PyEval_SaveThread()` ... `PyEval_RestoreThread()`, a `py::gil_scoped_release` in scope).)",
    .whyItMatters = R"(A thread that waits while attached to the interpreter blocks the stop-the-world pauses the
free-threaded garbage collector needs. If the thread holding the lock is itself waiting for that pause (it
called into Python and the collector started), both wait forever. With the GIL the same code deadlocked only
when the lock holder needed the GIL; without it any allocation can trigger the pause.)",
    .example = R"(```c
static PyObject *
next_job(PyObject *self, PyObject *unused)
{
    pthread_mutex_lock(&queue_lock);          /* FT505 */
    PyObject *job = pop_job();
    pthread_mutex_unlock(&queue_lock);
    return job;
}
```

Use instead: a `PyMutex` (it detaches while it waits), or detach around the wait:

```c
    Py_BEGIN_ALLOW_THREADS
    pthread_mutex_lock(&queue_lock);
    Py_END_ALLOW_THREADS
```)",
    .fixDescription = R"(No automatic fix. Use `PyMutex` (3.13+), which detaches the thread while it blocks, or
release the thread state around the wait (`Py_BEGIN_ALLOW_THREADS`, `py::gil_scoped_release`) and touch no
Python object while detached.)",
    .references = R"(- [HOWTO: thread state and GIL APIs](https://docs.python.org/3.13/howto/free-threading-extensions.html#thread-state-and-gil-apis)
- [`PyMutex`](https://docs.python.org/3.13/c-api/init.html#c.PyMutex))",
};

// A function that uses the C API directly runs attached to the interpreter
// (it takes Python objects, or calls Py* functions).
bool usesPythonApi(const FunctionDecl *fn) {
  for (const ParmVarDecl *p : fn->parameters())
    if (isPythonObjectPointer(p->getType())) return true;
  struct Calls : RecursiveASTVisitor<Calls> {
    bool found = false;
    bool VisitCallExpr(CallExpr *c) {
      std::string name = calleeName(c);
      if ((llvm::StringRef(name).starts_with("Py") || llvm::StringRef(name).starts_with("_Py")) &&
          name != "PyEval_SaveThread" && name != "PyEval_RestoreThread")
        found = true;
      return !found;
    }
  } calls;
  if (fn->getBody()) calls.TraverseStmt(fn->getBody());
  return calls.found;
}

class BlockingLockWhileAttached : public Rule {
public:
  using Rule::Rule;

  void subscribe() override {
    context().nodes().onNodes<CallExpr>("call", [](const CallExpr &c) { return isBlockingLockCall(&c); }, this);
    context().nodes().onNodes<CXXConstructExpr>(
        "guard", [](const CXXConstructExpr &e) { return isLockGuardType(e.getType()); }, this);
  }

  void check(const MatchFinder::MatchResult &result) override {
    const Expr *site = nullptr;
    std::string what;
    if (const auto *call = result.Nodes.getNodeAs<CallExpr>("call"); call && isBlockingLockCall(call)) {
      site = call;
      what = calleeName(call).empty() ? "a blocking wait" : calleeName(call) + "()";
      if (calleeName(call).empty())
        if (const auto *mc = dyn_cast<CXXMemberCallExpr>(call))
          what = fmt::format("{}()", mc->getMethodDecl()->getNameAsString());
    } else if (const auto *guard = result.Nodes.getNodeAs<CXXConstructExpr>("guard");
               guard && isLockGuardType(guard->getType())) {
      site = guard;
      what = "a " + guard->getType().getUnqualifiedType().getAsString();
    }
    if (!site) return;
    const FunctionDecl *fn = enclosingFunction(site, *result.Context);
    if (!fn || !usesPythonApi(fn) || detachedAt(context(), site)) return;
    context().report(info(), site->getSourceRange(),
                     fmt::format("{} blocks while the thread is attached to the interpreter: on a free-threaded "
                                 "build this stalls the stop-the-world pauses of the garbage collector and can "
                                 "deadlock; use a PyMutex or release the thread state around the wait",
                                 what));
  }
};

}  // namespace
FTLINT_REGISTER_RULE(BlockingLockWhileAttached, kInfo);
}  // namespace ftlint
