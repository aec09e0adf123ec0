// FT303 pybind11-gil-undeclared: PYBIND11_MODULE without py::mod_gil_not_used().
#include "tool/analysis/ModuleDefinitions.h"
#include "tool/core/Rule.h"
#include "tool/fix/ModuleDeclarations.h"

#include <fmt/format.h>

namespace ftlint {
namespace {

const RuleInfo kInfo{
    .code = "FT303",
    .name = "pybind11-gil-undeclared",
    .summary = "`PYBIND11_MODULE` without `py::mod_gil_not_used()`: the GIL comes back on import",
    .enabledByDefault = true,
    .fix = FixAvailability::Sometimes,
    .whatItDoes = R"(Flags a `PYBIND11_MODULE(name, m)` that does not pass `py::mod_gil_not_used()` (or, with
pybind11 3.1+, `py::mod_gil_used()` as a deliberate opt-out), also when the declaring variant sits in a branch
only free-threaded builds compile.)",
    .whyItMatters = R"(pybind11 declares a module free-threading-safe only when asked to. Without the tag, a
free-threaded interpreter re-enables the GIL for the whole process when the module is imported and prints a
`RuntimeWarning`. The tag is a promise that the bindings and the C++ code behind them are thread-safe: review
shared state first.)",
    .example = R"(```cpp
PYBIND11_MODULE(_contour, m) {              // FT303
    m.def("trace", &trace);
}
```

Use instead:

```cpp
PYBIND11_MODULE(_contour, m, py::mod_gil_not_used()) {
    m.def("trace", &trace);
}
```)",
    .fixDescription = R"(Adds `pybind11::mod_gil_not_used()` as the third argument of
`PYBIND11_MODULE`. pybind11 before 2.13 rejects a third argument, so the fix keeps both spellings, chosen by
version:

```cpp
#if PYBIND11_VERSION_HEX >= 0x020D0000
PYBIND11_MODULE(_contour, m, pybind11::mod_gil_not_used())
#else
PYBIND11_MODULE(_contour, m)
#endif
{
```

If the project already requires pybind11 2.13, keep just the first line. The fix is **unsafe**: it is a
claim about the whole module, so it is applied only with `--unsafe-fixes`.)",
    .references = R"(- [pybind11: free-threading support](https://pybind11.readthedocs.io/en/stable/advanced/misc.html#free-threading-support))",
};

class Pybind11GilUndeclared : public Rule {
public:
  using Rule::Rule;
  void finishTranslationUnit(clang::ASTContext &) override {
    for (const BindingModule &m : findBindingModules(context())) {
      if (m.library != BindingModule::Pybind11 || m.gil != GilDeclaration::Missing) continue;
      Finding *f = context().report(
          info(), m.loc,
          fmt::format("pybind11 module '{}' does not pass py::mod_gil_not_used() to PYBIND11_MODULE, so a "
                      "free-threaded interpreter re-enables the GIL when it is imported",
                      m.name));
      if (!f) continue;
      DeclarationFix fix = addPybind11Tag(context().ast(), m.loc);
      attachFix(*f, std::move(fix));
    }
  }
};

}  // namespace
FTLINT_REGISTER_RULE(Pybind11GilUndeclared, kInfo);
}  // namespace ftlint
