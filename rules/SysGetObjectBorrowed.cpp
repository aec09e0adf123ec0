// FT108 sys-getobject-borrowed: PySys_GetObject.
#include "tool/analysis/BorrowedAccess.h"

namespace ftlint {
namespace {

const RuleInfo kInfo{
    .code = "FT108",
    .name = "sys-getobject-borrowed",
    .summary = "`PySys_GetObject` returns a `sys` attribute as a borrowed reference",
    .enabledByDefault = true,
    .fix = FixAvailability::None,
    .whatItDoes = R"(Flags `PySys_GetObject()`.)",
    .whyItMatters = R"(The object is borrowed from the `sys` module's dict. Another thread that rebinds the
attribute (`sys.stdout = io.StringIO()`, as test runners and loggers do) frees the old object while the caller
still writes to it.)",
    .example = R"(```c
PyObject *out = PySys_GetObject("stdout");   /* FT108 */
if (out == NULL || out == Py_None) {
    return 0;
}
return PyFile_WriteString(text, out);
```

Use instead:

```c
PyObject *out;
if (PySys_GetOptionalAttrString("stdout", &out) < 0) {
    return -1;
}
if (out == NULL) {
    return 0;
}
int rc = out == Py_None ? 0 : PyFile_WriteString(text, out);
Py_DECREF(out);
return rc;
```)",
    .fixDescription = R"(No automatic fix yet. `PySys_GetOptionalAttrString()` (3.15, or `pythoncapi_compat.h`
for older versions) returns 1 with a new reference, 0 when the attribute is missing, -1 on error.
`PySys_GetAttrString()` raises `RuntimeError` for a missing attribute, where `PySys_GetObject()` returned NULL
without an exception.)",
    .references = R"(- [`PySys_GetOptionalAttrString`](https://docs.python.org/3.15/c-api/sys.html)
- [pythoncapi-compat](https://pythoncapi-compat.readthedocs.io/))",
};

class SysGetObjectBorrowed : public BorrowedApiRule {
  using BorrowedApiRule::BorrowedApiRule;
};

}  // namespace
FTLINT_REGISTER_RULE(SysGetObjectBorrowed, kInfo);
}  // namespace ftlint
