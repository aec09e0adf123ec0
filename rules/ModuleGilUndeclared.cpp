// FT301 module-gil-undeclared: a multi-phase module without a Py_mod_gil slot.
#include "tool/analysis/ModuleDefinitions.h"
#include "tool/core/Rule.h"
#include "tool/fix/ModuleDeclarations.h"

#include <fmt/format.h>

namespace ftlint {
namespace {

const RuleInfo kInfo{
    .code = "FT301",
    .name = "module-gil-undeclared",
    .summary = "multi-phase module without a `Py_mod_gil` slot: free-threaded Python re-enables the GIL on import",
    .enabledByDefault = true,
    .fix = FixAvailability::Sometimes,
    .whatItDoes = R"(Flags a `PyModuleDef` with multi-phase initialisation (its `m_slots` is set, or it is
returned through `PyModuleDef_Init`) whose slots array has no `Py_mod_gil` entry.

A slot inside a preprocessor branch the headers in use skip but a free-threaded 3.13+ build compiles
(`#if PY_VERSION_HEX >= 0x030D0000`, `#ifdef Py_GIL_DISABLED`) counts: lint with Python 3.11 headers and a
guarded slot is still seen. A slot with `Py_MOD_GIL_USED` is a deliberate opt-out and is not flagged.)",
    .whyItMatters = R"(A free-threaded interpreter assumes that a module which does not declare otherwise
needs the GIL. Importing it switches the GIL back on for the whole process, prints a `RuntimeWarning`, and
every other thread loses the parallelism the build exists for. Declaring `Py_MOD_GIL_NOT_USED` is a promise
that the module is thread-safe, so resolve the other ftlint findings first.)",
    .example = R"(```c
static PyModuleDef_Slot speedups_slots[] = {
    {Py_mod_exec, speedups_exec},
    {0, NULL},                                          /* FT301 */
};
```

Use instead:

```c
static PyModuleDef_Slot speedups_slots[] = {
    {Py_mod_exec, speedups_exec},
#if PY_VERSION_HEX >= 0x030D0000
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
};
```)",
    .fixDescription = R"(Adds the slot before the terminating entry, guarded so older Pythons
(and limited-API builds for them) still compile:

```c
#ifdef Py_mod_gil
    {Py_mod_gil, Py_MOD_GIL_NOT_USED},
#endif
    {0, NULL},
```

The fix is **unsafe**: it is a claim about the whole module, so it is applied only with `--unsafe-fixes`.
Resolve the module's other findings first. There is no fix when the terminator is written by a macro or
shares its line with another slot.)",
    .references = R"(- [Free-threading extensions HOWTO: multi-phase initialization](https://docs.python.org/3.13/howto/free-threading-extensions.html#multi-phase-initialization)
- [`Py_mod_gil`](https://docs.python.org/3.13/c-api/module.html#c.Py_mod_gil))",
};

class ModuleGilUndeclared : public Rule {
public:
  using Rule::Rule;
  void finishTranslationUnit(clang::ASTContext &) override {
    for (const ModuleDefinition &m : findModuleDefinitions(context())) {
      if (!m.multiPhase || m.gil != GilDeclaration::Missing) continue;
      const clang::VarDecl *where = m.slots ? m.slots : m.definition;
      std::string slots = m.slots ? fmt::format("its slots '{}' have", m.slots->getName().str()) : "it has";
      Finding *f = context().report(info(), where->getLocation(),
                                    fmt::format("module '{}' uses multi-phase init but {} no Py_mod_gil entry, so "
                                                "a free-threaded interpreter re-enables the GIL when it is imported",
                                                m.name, slots));
      if (!f) continue;
      DeclarationFix fix = m.slots ? addGilSlot(context().ast(), m.slots)
                                   : DeclarationFix{std::nullopt, "the module has no slots array to add to"};
      attachFix(*f, std::move(fix));
    }
  }
};

}  // namespace
FTLINT_REGISTER_RULE(ModuleGilUndeclared, kInfo);
}  // namespace ftlint
