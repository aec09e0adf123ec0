// FT901 unused-suppression: a NOLINT/noqa marker that suppressed nothing.
// The engine reports it after all other rules ran (tool/engine/Suppressions.cpp).
#include "tool/core/Rule.h"

namespace ftlint {
namespace {

const RuleInfo kInfo{
    .code = "FT901",
    .name = "unused-suppression",
    .summary = "a `NOLINT`/`noqa` marker that suppressed nothing",
    .enabledByDefault = true,
    .fix = FixAvailability::Sometimes,
    .whatItDoes = R"(Reports suppression markers (`// NOLINT`, `// NOLINT(FT101)`, `// NOLINTNEXTLINE(...)`,
`NOLINTBEGIN(...)`/`NOLINTEND(...)`, `// noqa: FT101`) on lines where no finding of the named rules was
reported in this run. Only markers that name ftlint codes are checked: a bare `// NOLINT` may be meant for
clang-tidy, and `NOLINT(bugprone-...)` belongs to it entirely.)",
    .whyItMatters = R"(A marker that no longer hides anything is stale: the code was fixed or moved, and the
marker would silently hide a new problem on that line later. Removing it keeps suppressions meaningful.)",
    .example = R"(```c
PyObject *item = PyList_GetItemRef(list, 0);   // NOLINT(FT101)   <- FT901: nothing to suppress
```

Use instead: delete the marker.)",
    .fixDescription = R"(Deletes the comment that holds the marker: the whole line when the
comment is alone on it, otherwise the comment and the blanks before it. The fix is **safe**: the marker
suppresses nothing. `NOLINTBEGIN`/`NOLINTEND` come in pairs and are left to you.)",
    .references = R"(- [clang-tidy: suppressing diagnostics](https://clang.llvm.org/extra/clang-tidy/#suppressing-undesired-diagnostics))",
};

// Markers are matched after every rule has run, so this rule has no matchers.
class UnusedSuppression : public Rule {
public:
  using Rule::Rule;
};

}  // namespace
FTLINT_REGISTER_RULE(UnusedSuppression, kInfo);
}  // namespace ftlint
