// FT103 dict-setdefault-borrowed: PyDict_SetDefault returns a borrowed value.
#include "tool/analysis/BorrowedAccess.h"

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
`PyDict_SetDefaultRef(d, k, def, &value);`, which leaves `value` NULL on error as before, and the reference is
then released as for the other lookups:

The call becomes its strong-reference form and the variable that holds the result owns it. ftlint works
out, on the function's control-flow graph, every path from the call to where the variable's value is last
needed (including pointers computed from it, such as `PyModule_GetDict(m)` or `Py_TYPE(x)->tp_name`) and
releases the reference exactly once on each: a `Py_INCREF`/`Py_NewRef` that took ownership on every path is
removed instead; otherwise `Py_DECREF` (or `Py_XDECREF` where the value may be NULL) goes after the last use
and before each `return`, `goto`, `break` or `continue` that leaves. When several `goto`s lead to the
function's cleanup label, the release goes there instead, as `Py_XDECREF`, with the variable initialised to
NULL and cleared (`Py_CLEAR`) after its last use. `return f(item);` becomes
`PyObject *result = f(item); Py_DECREF(item); return result;`.

There is no fix, and the message says why, when the rewrite cannot be proven: the result is used inside a
larger expression, the value is stored in a struct or handed to a stealing call without a reference of its
own, a pointer derived from it is used after the enclosing block, the variable is reassigned while it holds
the reference, the code is inside a macro, or the function uses `setjmp` or computed gotos.

The fix is **safe**: on every input the fixed code returns the same results and raises the same errors,
including errors. With `--target-python`
older than 3.13 the file also gets `#include "pythoncapi_compat.h"` (see `--compat-header`).

Remember that `PyDict_SetDefaultRef`'s own return value is -1 on error, **1 when the key was already present
and 0 when the default was inserted**.)",
    .references = R"(- [`PyDict_SetDefaultRef`](https://docs.python.org/3.13/c-api/dict.html#c.PyDict_SetDefaultRef)
- [Free-threading extensions HOWTO](https://docs.python.org/3.13/howto/free-threading-extensions.html#borrowed-references))",
};

class DictSetDefaultBorrowed : public BorrowedApiRule {
  using BorrowedApiRule::BorrowedApiRule;
};

}  // namespace
FTLINT_REGISTER_RULE(DictSetDefaultBorrowed, kInfo);
}  // namespace ftlint
