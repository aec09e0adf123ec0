// FT207 ob-mutex-direct: PyMutex_Lock(&op->ob_mutex).
#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/TuContext.h"
#include "tool/core/Rule.h"

#include "clang/Basic/SourceManager.h"

#include <fmt/format.h>

namespace ftlint {
namespace {

using namespace clang;
using namespace clang::ast_matchers;

const RuleInfo kInfo{
    .code = "FT207",
    .name = "ob-mutex-direct",
    .summary = "`PyMutex_Lock(&op->ob_mutex)` takes the lock that belongs to critical sections",
    .enabledByDefault = true,
    .fix = FixAvailability::None,
    .whatItDoes = R"(Flags `PyMutex_Lock()` on an object's own `ob_mutex` field, also in `#ifdef Py_GIL_DISABLED`
code that the headers in use skip.)",
    .whyItMatters = R"(Every object of a free-threaded build has an `ob_mutex`, and it is reserved for the
critical-section API. Locking it directly bypasses the deadlock avoidance of critical sections: a thread that
holds it and blocks keeps it held, and mixing it with `Py_BEGIN_CRITICAL_SECTION` on the same object can
deadlock.)",
    .example = R"(```c
#ifdef Py_GIL_DISABLED
PyMutex_Lock(&self->ob_base.ob_mutex);   /* FT207 */
#endif
```

Use instead:

```c
Py_BEGIN_CRITICAL_SECTION(self);
/* ... */
Py_END_CRITICAL_SECTION();
```

or give the type a `PyMutex` field of its own.)",
    .fixDescription = R"(No automatic fix yet. Use `Py_BEGIN_CRITICAL_SECTION(op)` / `Py_END_CRITICAL_SECTION()`,
or a separate `PyMutex` member in the object's struct.)",
    .references = R"(- [HOWTO: per-object locks](https://docs.python.org/3.15/howto/free-threading-extensions.html)
- [`PyMutex`](https://docs.python.org/3.13/c-api/init.html#c.PyMutex))",
};

const char *const kMessage =
    "PyMutex_Lock() on the object's ob_mutex: that lock belongs to critical sections, and taking it directly "
    "can deadlock with them; use Py_BEGIN_CRITICAL_SECTION() or a PyMutex field of your own";

// `&op->ob_mutex` (any object expression, any parentheses or casts).
bool locksObjectMutex(const Expr *argument) {
  const auto *addressOf = dyn_cast<UnaryOperator>(argument->IgnoreParenImpCasts());
  if (!addressOf || addressOf->getOpcode() != UO_AddrOf) return false;
  const auto *member = dyn_cast<MemberExpr>(addressOf->getSubExpr()->IgnoreParenImpCasts());
  const ValueDecl *field = member ? member->getMemberDecl() : nullptr;
  return field && field->getIdentifier() && field->getName() == "ob_mutex";
}

class ObMutexDirect : public Rule {
public:
  using Rule::Rule;

  // PyMutex_Lock is `#define PyMutex_Lock _PyMutex_Lock` in 3.13+ headers.
  void subscribe() override { context().nodes().onCallsTo({"PyMutex_Lock", "_PyMutex_Lock"}, this); }

  void check(const MatchFinder::MatchResult &result) override {
    const auto *call = result.Nodes.getNodeAs<CallExpr>("call");
    if (call->getNumArgs() > 0 && locksObjectMutex(call->getArg(0)))
      context().report(info(), call->getSourceRange(), kMessage);
  }

  // The usual spelling sits under #ifdef Py_GIL_DISABLED: read it as text
  // when the headers in use skip it.
  void finishTranslationUnit(ASTContext &ast) override {
    const SourceManager &sm = ast.getSourceManager();
    context().preprocessor().forEachLiveSkippedIdentifier(sm, [&](const SkippedIdentifier &id) {
      if (id.name != "PyMutex_Lock") return;
      SourceLocation loc = id.loc;
      auto [fid, offset] = sm.getDecomposedLoc(loc);
      llvm::StringRef rest = sm.getBufferData(fid).substr(offset);
      llvm::StringRef call = rest.take_until([](char c) { return c == ';' || c == '\n'; });
      if (call.contains("ob_mutex")) context().report(info(), SourceRange(loc, loc), kMessage);
    });
  }
};

}  // namespace
FTLINT_REGISTER_RULE(ObMutexDirect, kInfo);
}  // namespace ftlint
