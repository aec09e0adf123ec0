// FT103 dict-setdefault-borrowed: PyDict_SetDefault returns a borrowed value.
#include "tool/analysis/BorrowedAccess.h"
#include "tool/fix/Ownership.h"

namespace ftlint {
namespace {

const RuleInfo kInfo{
    .code = "FT103",
    .name = "dict-setdefault-borrowed",
    .summary = "`PyDict_SetDefault` returns a borrowed value of a dict other threads may modify",
    .enabledByDefault = true,
    .fix = FixAvailability::Sometimes,
    .whatItDoes = R"(Flags `PyDict_SetDefault()` on a dict other threads may reach (quiet on dicts private to the
function and inside a critical section on the dict, like FT102).)",
    .whyItMatters = R"(The value it returns is borrowed from the dict. Another thread can replace or delete the key
right after the call, and the value is freed while the caller still uses it.)",
    .example = R"(```c
PyObject *bucket = PyDict_SetDefault(index, key, empty);   /* FT103 */
if (bucket == NULL) {
    return -1;
}
return PyList_Append(bucket, item);
```

Use instead:

```c
PyObject *bucket;
if (PyDict_SetDefaultRef(index, key, empty, &bucket) < 0) {
    return -1;
}
int rc = PyList_Append(bucket, item);
Py_DECREF(bucket);
return rc;
```)",
    .fixDescription = R"(`value = PyDict_SetDefault(d, k, def);` becomes
`PyDict_SetDefaultRef(d, k, def, &value);`, which leaves `value` NULL with the exception set on error, as
before; the variable then owns the reference. The fix is **safe**. Remember that `PyDict_SetDefaultRef`'s
own return value is -1 on error, **1 when the key was already present and 0 when the default was
inserted**.)",
    .fixMechanics = kOwnershipFixMechanics,
    .references = R"(- [`PyDict_SetDefaultRef`](https://docs.python.org/3.13/c-api/dict.html#c.PyDict_SetDefaultRef)
- [Free-threading extensions HOWTO](https://docs.python.org/3.13/howto/free-threading-extensions.html#borrowed-references))",
    .judgesSharing = true,
};

class DictSetDefaultBorrowed : public BorrowedApiRule {
  using BorrowedApiRule::BorrowedApiRule;
};

}  // namespace
FTLINT_REGISTER_RULE(DictSetDefaultBorrowed, kInfo);
}  // namespace ftlint
