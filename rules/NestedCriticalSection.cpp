// FT206 nested-critical-section: a second object locked by nesting
// single-object sections instead of Py_BEGIN_CRITICAL_SECTION2.
#include "tool/analysis/TuContext.h"
#include "tool/core/Rule.h"

#include <fmt/format.h>

namespace ftlint {
namespace {

using namespace clang;

const RuleInfo kInfo{
    .code = "FT206",
    .name = "nested-critical-section",
    .summary = "nested `Py_BEGIN_CRITICAL_SECTION` on a second object instead of `Py_BEGIN_CRITICAL_SECTION2`",
    .enabledByDefault = true,
    .fix = FixAvailability::None,
    .whatItDoes = R"(Flags a `Py_BEGIN_CRITICAL_SECTION(b)` opened inside a `Py_BEGIN_CRITICAL_SECTION(a)` of the
same function on a different object. Nesting on the same object is fine.)",
    .whyItMatters = R"(Critical sections are not ordinary locks: when a thread blocks inside one (on I/O, on
another lock, or while waiting for the inner object), the sections it holds are suspended, and only the
innermost one is resumed first. Code that relies on holding both `a` and `b` at once can therefore run with `a`
unlocked. `Py_BEGIN_CRITICAL_SECTION2(a, b)` locks both together, in a fixed order that avoids deadlocks.)",
    .example = R"(```c
Py_BEGIN_CRITICAL_SECTION(self);
Py_BEGIN_CRITICAL_SECTION(other);          /* FT206 */
merge(self, other);
Py_END_CRITICAL_SECTION();
Py_END_CRITICAL_SECTION();
```

Use instead:

```c
Py_BEGIN_CRITICAL_SECTION2(self, other);
merge(self, other);
Py_END_CRITICAL_SECTION2();
```)",
    .fixDescription = R"(No automatic fix yet. When both objects are needed for the whole inner block, use
`Py_BEGIN_CRITICAL_SECTION2(a, b)` / `Py_END_CRITICAL_SECTION2()`. At most two objects can be locked together.)",
    .references = R"(- [Critical sections](https://docs.python.org/3.13/c-api/init.html#critical-sections)
- [HOWTO: critical sections](https://docs.python.org/3.14/howto/free-threading-extensions.html#critical-sections))",
};

class NestedCriticalSection : public Rule {
public:
  using Rule::Rule;

  void finishTranslationUnit(ASTContext &ast) override {
    const SourceManager &sm = ast.getSourceManager();
    const auto &sections = context().preprocessor().criticalSections;
    for (const CriticalSection &inner : sections) {
      if (inner.macro != "Py_BEGIN_CRITICAL_SECTION" || inner.objects.size() != 1) continue;
      for (const CriticalSection &outer : sections) {
        bool encloses = outer.file == inner.file && outer.begin < inner.begin && inner.end < outer.end;
        if (!encloses || outer.objects.empty() || outer.objects == inner.objects) continue;
        if (std::find(outer.objects.begin(), outer.objects.end(), inner.objects.front()) != outer.objects.end())
          continue;
        context().report(info(), inner.beginLoc,
                         fmt::format("Py_BEGIN_CRITICAL_SECTION({}) is nested inside the section on '{}' started "
                                     "on line {}: if the inner section blocks, '{}' is released; lock both with "
                                     "Py_BEGIN_CRITICAL_SECTION2({}, {})",
                                     inner.objects.front(), outer.objects.front(),
                                     sm.getExpansionLineNumber(outer.beginLoc), outer.objects.front(),
                                     outer.objects.front(), inner.objects.front()));
        break;
      }
    }
  }
};

}  // namespace
FTLINT_REGISTER_RULE(NestedCriticalSection, kInfo);
}  // namespace ftlint
