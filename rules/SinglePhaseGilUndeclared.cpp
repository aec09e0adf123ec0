// FT302 single-phase-gil-undeclared: PyModule_Create without
// PyUnstable_Module_SetGIL.
#include "tool/analysis/ModuleDefinitions.h"
#include "tool/core/Rule.h"
#include "tool/fix/ModuleDeclarations.h"

#include <fmt/format.h>

namespace ftlint {
namespace {

const RuleInfo kInfo{
    .code = "FT302",
    .name = "single-phase-gil-undeclared",
    .summary = "single-phase module created without `PyUnstable_Module_SetGIL`: the GIL comes back on import",
    .enabledByDefault = true,
    .fix = FixAvailability::Sometimes,
    .whatItDoes = R"(Flags `PyModule_Create()` / `PyModule_Create2()` calls that create a module
(single-phase initialisation) when neither the init function nor any function it calls in the same file calls
`PyUnstable_Module_SetGIL()`.

The call normally sits under `#ifdef Py_GIL_DISABLED`, because the function only exists in free-threaded
builds; ftlint reads such branches even when the headers in use skip them. A call with `Py_MOD_GIL_USED` is a
deliberate opt-out and is not flagged.)",
    .whyItMatters = R"(Without the declaration a free-threaded interpreter assumes the module needs the GIL:
importing it re-enables the GIL for the whole process and prints a `RuntimeWarning`. Declaring
`Py_MOD_GIL_NOT_USED` is a promise that the module is thread-safe, so resolve the other ftlint findings first.)",
    .example = R"(```c
PyMODINIT_FUNC
PyInit__speedups(void)
{
    PyObject *m = PyModule_Create(&speedups_module);   /* FT302 */
    if (m == NULL) {
        return NULL;
    }
    return m;
}
```

Use instead:

```c
    PyObject *m = PyModule_Create(&speedups_module);
    if (m == NULL) {
        return NULL;
    }
#ifdef Py_GIL_DISABLED
    PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED);
#endif
    return m;
```)",
    .fixDescription = R"(Adds, right after the `if (m == NULL) return ...;` check that
follows `PyModule_Create()`:

```c
#ifdef Py_GIL_DISABLED
    PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED);
#endif
```

The fix is **unsafe**: it is a claim about the whole module, so it is applied only with `--unsafe-fixes`.
There is no fix when the module object is not stored in a variable or no NULL check follows the creation.)",
    .references = R"(- [Free-threading extensions HOWTO: single-phase initialization](https://docs.python.org/3.13/howto/free-threading-extensions.html#single-phase-initialization)
- [`PyUnstable_Module_SetGIL`](https://docs.python.org/3.13/c-api/module.html#c.PyUnstable_Module_SetGIL))",
};

class SinglePhaseGilUndeclared : public Rule {
public:
  using Rule::Rule;
  void finishTranslationUnit(clang::ASTContext &) override {
    for (const ModuleDefinition &m : findModuleDefinitions(context())) {
      if (m.multiPhase || !m.create || m.gil != GilDeclaration::Missing) continue;
      Finding *f = context().report(info(), m.create->getSourceRange(),
                                    fmt::format("module '{}' is created with single-phase init and never calls "
                                                "PyUnstable_Module_SetGIL(), so a free-threaded interpreter "
                                                "re-enables the GIL when it is imported",
                                                m.name));
      if (!f) continue;
      DeclarationFix fix = addSetGilCall(context().ast(), m.create);
      attachFix(*f, std::move(fix));
    }
  }
};

}  // namespace
FTLINT_REGISTER_RULE(SinglePhaseGilUndeclared, kInfo);
}  // namespace ftlint
