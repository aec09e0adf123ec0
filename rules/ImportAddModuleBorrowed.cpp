// FT105 import-add-module-borrowed: PyImport_AddModule / PyImport_AddModuleObject.
#include "tool/analysis/BorrowedAccess.h"
#include "tool/fix/Ownership.h"

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
    .fixDescription = R"(`PyImport_AddModule(name)` becomes `PyImport_AddModuleRef(name)`, which
behaves the same and returns a new reference that the variable then owns; `Py_NewRef(PyImport_AddModule(name))`
becomes just the new call. The fix is **safe**. `PyImport_AddModuleObject` has no fix: no strong-reference
variant takes a `str` object; convert the name with `PyUnicode_AsUTF8()` and call `PyImport_AddModuleRef()`.)",
    .fixMechanics = kOwnershipFixMechanics,
    .references = R"(- [`PyImport_AddModuleRef`](https://docs.python.org/3.13/c-api/import.html#c.PyImport_AddModuleRef))",
};

class ImportAddModuleBorrowed : public BorrowedApiRule {
  using BorrowedApiRule::BorrowedApiRule;
};

}  // namespace
FTLINT_REGISTER_RULE(ImportAddModuleBorrowed, kInfo);
}  // namespace ftlint
