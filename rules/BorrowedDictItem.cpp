// FT102 borrowed-dict-item: PyDict_GetItem and friends on a dict other
// threads may reach.
#include "tool/analysis/BorrowedAccess.h"
#include "tool/fix/Ownership.h"

namespace ftlint {
namespace {

const RuleInfo kInfo{
    .code = "FT102",
    .name = "borrowed-dict-item",
    .summary = "`PyDict_GetItem*` borrow a value of a dict other threads may modify",
    .enabledByDefault = true,
    .fix = FixAvailability::Sometimes,
    .whatItDoes = R"(Flags `PyDict_GetItem()`, `PyDict_GetItemWithError()`, `PyDict_GetItemString()`,
`_PyDict_GetItemStringWithError()` and `_PyDict_GetItemWithError()` on a dict that another thread may be able
to reach: a function argument, a global or static, a module's or object's dict, or the result of a call that
may return a shared dict.

It stays quiet for dicts private to the function (created here by `PyDict_New`, `PyDict_Copy`,
`Py_BuildValue("{...}")`, ... and not yet stored, passed on or returned), for keyword-argument dicts
(`kwargs`, `kwds`), which CPython builds fresh for each call, and inside
`Py_BEGIN_CRITICAL_SECTION(dict)` on the same dict.)",
    .whyItMatters = R"(These functions return a *borrowed* reference to the value: the dict owns it. On a
free-threaded build another thread can replace or delete the key at the same moment; the dict drops its
reference, the value is freed, and the pointer the caller holds dangles. The free-threading HOWTO lists all of
them as unsafe and names `PyDict_GetItemRef()` and `PyDict_GetItemStringRef()` as the replacements.
`PyDict_GetItem()` and `PyDict_GetItemString()` also swallow errors raised by `__hash__`/`__eq__`; the `Ref`
forms report them.)",
    .example = R"(```c
static PyObject *
lookup(PyObject *self, PyObject *args)
{
    PyObject *registry, *key;
    if (!PyArg_ParseTuple(args, "OO", &registry, &key)) {
        return NULL;
    }
    PyObject *value = PyDict_GetItem(registry, key);   /* FT102 */
    return Py_XNewRef(value);
}
```

Use instead:

```c
    PyObject *value;
    if (PyDict_GetItemRef(registry, key, &value) < 0) {
        return NULL;
    }
    return value;                                       /* new reference or NULL */
```)",
    .fixDescription = R"(`PyDict_GetItem(d, k)` (and `PyDict_GetItemString`) becomes
`if (PyDict_GetItemRef(d, k, &value) < 0) { PyErr_Clear(); }`: clearing the error keeps the old behaviour of
swallowing errors from `__hash__`/`__eq__`; replace it with your error path when you want them raised.
`PyDict_GetItemWithError` becomes a plain `PyDict_GetItemRef(d, k, &value);`, which leaves `value` NULL with
the exception set on error, as before, so the existing `PyErr_Occurred()` checks keep working. The variable
then owns the reference. The fix is **safe**: the fixed code returns the same results and reports (or
swallows) the same errors. The variable must be a `PyObject *` (the out-parameter's type);
`Py_XNewRef(PyDict_GetItem(...))` inside an expression has no fix.)",
    .fixMechanics = kOwnershipFixMechanics,
    .references = R"(- [Free-threading extensions HOWTO: borrowed references](https://docs.python.org/3.13/howto/free-threading-extensions.html#borrowed-references)
- [`PyDict_GetItemRef`](https://docs.python.org/3.13/c-api/dict.html#c.PyDict_GetItemRef))",
    .judgesSharing = true,
};

class BorrowedDictItem : public BorrowedApiRule {
  using BorrowedApiRule::BorrowedApiRule;
};

}  // namespace
FTLINT_REGISTER_RULE(BorrowedDictItem, kInfo);
}  // namespace ftlint
