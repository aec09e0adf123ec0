// FT304 set-gil-unguarded: PyUnstable_Module_SetGIL outside #ifdef Py_GIL_DISABLED.
#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/TuContext.h"
#include "tool/core/Rule.h"
#include "tool/fix/ModuleDeclarations.h"

namespace ftlint {
namespace {

using namespace clang;
using namespace clang::ast_matchers;

const RuleInfo kInfo{
    .code = "FT304",
    .name = "set-gil-unguarded",
    .summary = "`PyUnstable_Module_SetGIL` outside `#ifdef Py_GIL_DISABLED` breaks builds with the GIL",
    .enabledByDefault = true,
    .fix = FixAvailability::Sometimes,
    .whatItDoes = R"(Flags calls to `PyUnstable_Module_SetGIL()` that a build with the GIL would compile: calls
not inside `#ifdef Py_GIL_DISABLED` (or `#if defined(Py_GIL_DISABLED)`).)",
    .whyItMatters = R"(`PyUnstable_Module_SetGIL()` is declared only by free-threaded builds' headers. Anywhere
else the call is an implicit declaration (an error in C99 and C++), so the extension stops building for every
regular CPython.)",
    .example = R"(```c
PyObject *m = PyModule_Create(&module);
if (m == NULL) {
    return NULL;
}
PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED);   /* FT304 */
```

Use instead:

```c
#ifdef Py_GIL_DISABLED
PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED);
#endif
```)",
    .fixDescription = R"(Puts `#ifdef Py_GIL_DISABLED` and `#endif` on lines of their own
around the statement that holds the call. The fix is **safe**: builds with the GIL no longer compile a call
they cannot declare, and free-threaded builds compile the same code as before. There is no fix when the
statement shares its lines with other code or is the lone body of an `if` or loop.)",
    .references = R"(- [`PyUnstable_Module_SetGIL`](https://docs.python.org/3.13/c-api/module.html#c.PyUnstable_Module_SetGIL)
- [HOWTO: single-phase initialization](https://docs.python.org/3.13/howto/free-threading-extensions.html#single-phase-initialization))",
};

const char *const kMessage =
    "PyUnstable_Module_SetGIL() is only declared by free-threaded builds: outside #ifdef Py_GIL_DISABLED this "
    "call breaks the build for every CPython with the GIL";

class SetGilUnguarded : public Rule {
public:
  using Rule::Rule;

  void subscribe() override {
    context().nodes().onCallsTo({"PyUnstable_Module_SetGIL"}, this);
  }

  void check(const MatchFinder::MatchResult &result) override {
    const auto *call = result.Nodes.getNodeAs<CallExpr>("call");
    if (context().preprocessor().excludedFromDefaultBuild(*result.SourceManager, call->getBeginLoc())) return;
    Finding *f = context().report(info(), call->getSourceRange(), kMessage);
    if (!f) return;
    DeclarationFix fix = guardForFreeThreading(context().ast(), call);
    attachFix(*f, std::move(fix));
  }

  // Under free-threaded headers an unguarded call parses; under default ones
  // a guarded call is skipped text: read that too.
  void finishTranslationUnit(ASTContext &ast) override {
    context().preprocessor().forEachLiveSkippedIdentifier(ast.getSourceManager(), [&](const SkippedIdentifier &id) {
      if (id.name != "PyUnstable_Module_SetGIL" || id.defaultBuild == Tri::False) return;
      Finding *f = context().report(info(), SourceRange(id.loc, id.loc), kMessage);
      if (!f) return;
      DeclarationFix fix = guardLineForFreeThreading(ast, id.loc);
      attachFix(*f, std::move(fix));
    });
  }
};

}  // namespace
FTLINT_REGISTER_RULE(SetGilUnguarded, kInfo);
}  // namespace ftlint
