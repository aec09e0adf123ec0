// FT303 pybind11-gil-undeclared: PYBIND11_MODULE without py::mod_gil_not_used().
#include "tool/analysis/ModuleDefinitions.h"
#include "tool/core/Rule.h"

#include <fmt/format.h>

namespace ftlint {
namespace {

const RuleInfo kInfo{
    .code = "FT303",
    .name = "pybind11-gil-undeclared",
    .summary = "`PYBIND11_MODULE` without `py::mod_gil_not_used()`: the GIL comes back on import",
    .enabledByDefault = true,
    .fix = FixAvailability::None,
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
    .fixDescription = R"(No automatic fix yet. Add `py::mod_gil_not_used()` as the third argument (pybind11 2.13
or newer).)",
    .references = R"(- [pybind11: free-threading support](https://pybind11.readthedocs.io/en/stable/advanced/misc.html#free-threading-support))",
};

class Pybind11GilUndeclared : public Rule {
public:
  using Rule::Rule;
  void onEndOfTranslationUnit(clang::ASTContext &) override {
    for (const BindingModule &m : findBindingModules(context())) {
      if (m.library != BindingModule::Pybind11 || m.gil != GilDeclaration::Missing) continue;
      context().report(info(), m.loc,
                       fmt::format("pybind11 module '{}' does not pass py::mod_gil_not_used() to PYBIND11_MODULE, so "
                                   "a free-threaded interpreter re-enables the GIL when it is imported",
                                   m.name));
    }
  }
};

}  // namespace
FTLINT_REGISTER_RULE(Pybind11GilUndeclared, kInfo);
}  // namespace ftlint
