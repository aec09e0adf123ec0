// FT104 weakref-get-object: PyWeakref_GetObject / PyWeakref_GET_OBJECT.
#include "tool/analysis/BorrowedAccess.h"
#include "tool/fix/Ownership.h"

namespace ftlint {
namespace {

const RuleInfo kInfo{
    .code = "FT104",
    .name = "weakref-get-object",
    .summary = "`PyWeakref_GetObject`/`PyWeakref_GET_OBJECT` return a borrowed referent that can die at any time",
    .enabledByDefault = true,
    .fix = FixAvailability::Sometimes,
    .whatItDoes = R"(Flags every `PyWeakref_GetObject()` and `PyWeakref_GET_OBJECT()`, as calls or through the
project's macros. Both are deprecated since Python 3.13 and removed in 3.15.)",
    .whyItMatters = R"(The referent of a weak reference is, by design, owned by someone else. With the GIL, the
borrowed pointer stayed valid until the code released the GIL or ran Python code. On a free-threaded build the
last strong reference can be dropped by another thread at any instant, so the pointer may already be dangling
when it is used. Since Python 3.15 the code no longer compiles at all.)",
    .example = R"(```c
PyObject *obj = PyWeakref_GetObject(self->ref);   /* FT104 */
if (obj == Py_None) {
    Py_RETURN_NONE;
}
return PyObject_Repr(obj);
```

Use instead:

```c
PyObject *obj;
int alive = PyWeakref_GetRef(self->ref, &obj);   /* 1 alive, 0 dead, -1 error */
if (alive <= 0) {
    if (alive < 0) {
        return NULL;
    }
    Py_RETURN_NONE;
}
PyObject *repr = PyObject_Repr(obj);
Py_DECREF(obj);
return repr;
```)",
    .fixDescription = R"(`PyObject *obj = PyWeakref_GetObject(ref);` becomes
`PyObject *obj; if (PyWeakref_GetRef(ref, &obj) == 0) { obj = Py_NewRef(Py_None); }`.
`PyWeakref_GetRef()` (3.13, or `pythoncapi_compat.h`) returns 1 with a new reference, 0 with NULL when the
referent is dead, and -1 with NULL on error. Taking a strong reference to `Py_None` for a dead referent keeps
every `obj == Py_None` test in the code meaning what it meant, and NULL still means an error; the variable then
owns its reference and is released on every path. The fix is **safe**: the fixed code sees the same objects and
the same errors, except that a non-weakref argument, a bug in the caller, now raises `TypeError` instead of
`SystemError`. Once the fix is in, you may prefer to test the int result directly (`1` alive, `0` dead) and
drop the `Py_None` reference. The macro `PyWeakref_GET_OBJECT()` has no fix: it cannot fail and the function
can, so the code needs an error path.)",
    .fixMechanics = kOwnershipFixMechanics,
    .references = R"(- [`PyWeakref_GetRef`](https://docs.python.org/3.13/c-api/weakref.html#c.PyWeakref_GetRef)
- [Free-threading extensions HOWTO](https://docs.python.org/3.13/howto/free-threading-extensions.html#borrowed-references))",
};

class WeakrefGetObject : public BorrowedApiRule {
  using BorrowedApiRule::BorrowedApiRule;
};

}  // namespace
FTLINT_REGISTER_RULE(WeakrefGetObject, kInfo);
}  // namespace ftlint
