// FT105 import-add-module-borrowed: PyImport_AddModule / PyImport_AddModuleObject.
#include "tool/analysis/BorrowedAccess.h"

namespace ftlint {
namespace {

const RuleInfo kInfo{
    .code = "FT105",
    .name = "import-add-module-borrowed",
    .summary = "`PyImport_AddModule*` return a module borrowed from `sys.modules`",
    .enabledByDefault = true,
    .fix = FixAvailability::Sometimes,
    .whatItDoes = R"(Flags `PyImport_AddModule()` and `PyImport_AddModuleObject()`.)",
    .whyItMatters = R"(The module is borrowed from `sys.modules`, a dict every thread can change: another thread
that deletes or replaces the entry frees the module while the caller still uses it.)",
    .example = R"(```c
PyObject *main_module = PyImport_AddModule("__main__");   /* FT105 */
PyObject *globals = PyModule_GetDict(main_module);
```

Use instead:

```c
PyObject *main_module = PyImport_AddModuleRef("__main__");
if (main_module == NULL) {
    return NULL;
}
PyObject *globals = PyModule_GetDict(main_module);
/* ... */
Py_DECREF(main_module);
```)",
    .fixDescription = R"(`PyImport_AddModule(name)` becomes `PyImport_AddModuleRef(name)`,
which behaves the same and returns a new reference; `Py_NewRef(PyImport_AddModule(name))` becomes just the
new call.

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
 With `--target-python`
older than 3.13 the file also gets `#include "pythoncapi_compat.h"` (see `--compat-header`).

`PyImport_AddModuleObject` has no fix: no strong-reference variant takes a `str` object; convert the name
with `PyUnicode_AsUTF8()` and call `PyImport_AddModuleRef()`.)",
    .references = R"(- [`PyImport_AddModuleRef`](https://docs.python.org/3.13/c-api/import.html#c.PyImport_AddModuleRef))",
};

class ImportAddModuleBorrowed : public BorrowedApiRule {
  using BorrowedApiRule::BorrowedApiRule;
};

}  // namespace
FTLINT_REGISTER_RULE(ImportAddModuleBorrowed, kInfo);
}  // namespace ftlint
