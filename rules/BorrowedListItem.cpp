// FT101 borrowed-list-item: PyList_GetItem / PyList_GET_ITEM on a list other
// threads may reach.
#include "tool/analysis/BorrowedAccess.h"
#include "tool/fix/Ownership.h"

namespace ftlint {
namespace {

const RuleInfo kInfo{
    .code = "FT101",
    .name = "borrowed-list-item",
    .summary = "`PyList_GetItem`/`PyList_GET_ITEM` borrow an item of a list other threads may modify",
    .enabledByDefault = true,
    .fix = FixAvailability::Sometimes,
    .whatItDoes = R"(Flags `PyList_GetItem()` and `PyList_GET_ITEM()` (also when used through the project's own
macros) on a list that another thread may be able to reach: a function argument, a global or static, a field
of an object, or the result of a call that may return a shared list.

It stays quiet when the list is private to the function (created here by `PyList_New`, `PySequence_List`,
`PyList_GetSlice`, `Py_BuildValue("[...]")`, ... and not yet stored, passed on or returned), and inside
`Py_BEGIN_CRITICAL_SECTION(list)` ... `Py_END_CRITICAL_SECTION()` on the same list.
`Py_NewRef(PyList_GetItem(...))` is still flagged: the item can be freed before the new reference is taken.)",
    .whyItMatters = R"(Both calls return a *borrowed* reference: the list owns the item, the caller does not. With
the GIL, nothing could change the list between the call and the use of the item. On a free-threaded build
another thread can run `list[i] = other` or `list.clear()` at the same time; the list drops its reference,
the item is freed, and the borrowed pointer dangles: a use-after-free that shows up as rare crashes or
corrupted data. `PyList_GET_ITEM` additionally reads `ob_item` without any locking, so it can read a freed
array while the list is being resized.)",
    .example = R"(```c
static PyObject *
first(PyObject *self, PyObject *list)
{
    PyObject *item = PyList_GetItem(list, 0);   /* FT101: `list` is an argument */
    if (item == NULL) {
        return NULL;
    }
    return Py_NewRef(item);
}
```

Use instead:

```c
static PyObject *
first(PyObject *self, PyObject *list)
{
    return PyList_GetItemRef(list, 0);          /* a strong reference, 3.13+ */
}
```)",
    .fixDescription = R"(The call becomes `PyList_GetItemRef()` and the variable that holds the result owns the reference.
`Py_NewRef(PyList_GetItem(list, i))` becomes just `PyList_GetItemRef(list, i)`. The fix is **safe**: on every
input the fixed code returns the same results and raises the same errors, except that a non-list argument
raises `TypeError` instead of `SystemError`. `PyList_GET_ITEM` has no fix: it cannot fail and
`PyList_GetItemRef()` can, so the code needs an error path (or a critical section around the loop instead).)",
    .fixMechanics = kOwnershipFixMechanics,
    .references = R"(- [Free-threading extensions HOWTO: borrowed references](https://docs.python.org/3.13/howto/free-threading-extensions.html#borrowed-references)
- [`PyList_GetItemRef`](https://docs.python.org/3.13/c-api/list.html#c.PyList_GetItemRef)
- [pythoncapi-compat](https://pythoncapi-compat.readthedocs.io/))",
    .judgesSharing = true,
};

class BorrowedListItem : public BorrowedApiRule {
  using BorrowedApiRule::BorrowedApiRule;
};

}  // namespace
FTLINT_REGISTER_RULE(BorrowedListItem, kInfo);
}  // namespace ftlint
