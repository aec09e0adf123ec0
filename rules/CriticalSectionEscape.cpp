// FT205 critical-section-escape: return/goto/break/continue that leaves a
// Py_BEGIN_CRITICAL_SECTION block before its Py_END_CRITICAL_SECTION.
#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/TuContext.h"
#include "tool/core/Rule.h"


#include <fmt/format.h>

namespace ftlint {
namespace {

using namespace clang;
using namespace clang::ast_matchers;

const RuleInfo kInfo{
    .code = "FT205",
    .name = "critical-section-escape",
    .summary = "`return`/`goto`/`break`/`continue` leaves a critical section without ending it",
    .enabledByDefault = true,
    .fix = FixAvailability::None,
    .whatItDoes = R"(Flags a `return`, a `goto` to a label outside the section, or a `break`/`continue` whose loop
or `switch` encloses the section, between `Py_BEGIN_CRITICAL_SECTION(...)` and its
`Py_END_CRITICAL_SECTION()` (and the `...2` forms).)",
    .whyItMatters = R"(On a free-threaded build `Py_BEGIN_CRITICAL_SECTION` opens a block and locks the object;
only `Py_END_CRITICAL_SECTION` unlocks it. Jumping out skips the unlock: the object stays locked, and the next
thread that touches it waits forever. On a default build the macros are plain braces, so the bug is invisible
until the code runs without the GIL.)",
    .example = R"(```c
Py_BEGIN_CRITICAL_SECTION(dict);
while (PyDict_Next(dict, &pos, &key, &value)) {
    if (check(value) < 0) {
        return -1;                              /* FT205: dict stays locked */
    }
}
Py_END_CRITICAL_SECTION();
```

Use instead:

```c
int rc = 0;
Py_BEGIN_CRITICAL_SECTION(dict);
while (PyDict_Next(dict, &pos, &key, &value)) {
    if (check(value) < 0) {
        rc = -1;
        break;                                  /* leaves the loop, not the section */
    }
}
Py_END_CRITICAL_SECTION();
return rc;
```)",
    .fixDescription = R"(No automatic fix: restructure so that control always reaches
`Py_END_CRITICAL_SECTION()`, by setting a result variable and breaking out of the loop, or by moving the locked
part into a helper function whose result is checked after the section.)",
    .references = R"(- [Critical sections](https://docs.python.org/3.13/c-api/init.html#critical-sections))",
};

class CriticalSectionEscape : public Rule {
public:
  using Rule::Rule;

  void subscribe() override {
    // One subscription per statement kind: the walk then offers only those
    // nodes, where a subscription to Stmt would be offered every statement.
    auto inSection = [this](const Stmt &jump) {
      return !context().preprocessor().criticalSectionsAround(context().sourceManager(), jump.getBeginLoc()).empty();
    };
    context().nodes().onNodes<ReturnStmt>("jump", inSection, this);
    context().nodes().onNodes<GotoStmt>("jump", inSection, this);
    context().nodes().onNodes<BreakStmt>("jump", inSection, this);
    context().nodes().onNodes<ContinueStmt>("jump", inSection, this);
  }

  void check(const MatchFinder::MatchResult &result) override {
    const auto *jump = result.Nodes.getNodeAs<Stmt>("jump");
    const SourceManager &sm = *result.SourceManager;
    auto sections = context().preprocessor().criticalSectionsAround(sm, jump->getBeginLoc());
    if (sections.empty()) return;
    const CriticalSection *left = nullptr;
    if (isa<ReturnStmt>(jump)) {
      left = sections.front();  // the outermost one: every section is left
    } else if (const auto *go = dyn_cast<GotoStmt>(jump)) {
      unsigned target = fileOffset(sm, go->getLabel()->getLocation());
      for (const CriticalSection *cs : sections)
        if (target < cs->begin || target > cs->end) { left = cs; break; }
    } else if (const Stmt *target = jumpTarget(*result.Context, jump)) {
      unsigned begin = fileOffset(sm, target->getBeginLoc());
      for (const CriticalSection *cs : sections)
        if (begin < cs->begin) { left = cs; break; }
    }
    if (!left) return;
    std::string object = left->objects.empty() ? "its mutex" : "'" + left->objects.front() + "'";
    std::string what = isa<ReturnStmt>(jump) ? "return" : isa<GotoStmt>(jump) ? "goto" : isa<BreakStmt>(jump) ? "break" : "continue";
    context().report(info(), jump->getSourceRange(),
                     fmt::format("{} leaves the {}() section started on line {} without {}(): on a free-threaded "
                                 "build {} stays locked and the next thread to lock it waits forever",
                                 what, left->macro, sm.getExpansionLineNumber(left->beginLoc),
                                 left->macro.find('2') != std::string::npos ? "Py_END_CRITICAL_SECTION2"
                                                                            : "Py_END_CRITICAL_SECTION",
                                 object));
  }
};

}  // namespace
FTLINT_REGISTER_RULE(CriticalSectionEscape, kInfo);
}  // namespace ftlint
