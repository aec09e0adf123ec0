// FT106 cell-get-borrowed: PyCell_GET.
#include "tool/analysis/BorrowedAccess.h"

namespace ftlint {
namespace {

const RuleInfo kInfo{
    .code = "FT106",
    .name = "cell-get-borrowed",
    .summary = "`PyCell_GET` reads a cell's contents as a borrowed reference without checks",
    .enabledByDefault = true,
    .fix = FixAvailability::None,
    .whatItDoes = R"(Flags `PyCell_GET()` on a cell that other threads may reach (a cell created in the function
with `PyCell_New` and not yet shared is quiet).)",
    .whyItMatters = R"(Closure cells are shared by every function that closes over them. `PyCell_GET` returns the
contents as a borrowed reference; another thread running `nonlocal x; x = ...` replaces and frees the old value
while the caller uses it. Since 3.14 the macro locks the cell while reading, but the result is still borrowed.)",
    .example = R"(```c
PyObject *value = PyCell_GET(cell);   /* FT106 */
return Py_XNewRef(value);
```

Use instead:

```c
return PyCell_Get(cell);              /* a new reference, or NULL for an empty cell */
```)",
    .fixDescription = R"(No automatic fix yet. `PyCell_Get()` (every supported version) checks its argument and
returns a new reference.)",
    .references = R"(- [`PyCell_Get`](https://docs.python.org/3.13/c-api/cell.html#c.PyCell_Get))",
    .judgesSharing = true,
};

class CellGetBorrowed : public BorrowedApiRule {
  using BorrowedApiRule::BorrowedApiRule;
};

}  // namespace
FTLINT_REGISTER_RULE(CellGetBorrowed, kInfo);
}  // namespace ftlint
