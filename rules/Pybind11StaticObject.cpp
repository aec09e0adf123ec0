// FT507 pybind11-static-object: function-local `static py::object` caches.
#include "tool/analysis/TuContext.h"
#include "tool/core/Rule.h"

#include "clang/AST/DeclCXX.h"

#include <fmt/format.h>

namespace ftlint {
namespace {

using namespace clang;
using namespace clang::ast_matchers;

const RuleInfo kInfo{
    .code = "FT507",
    .name = "pybind11-static-object",
    .summary = "function-local `static py::object` (or another pybind11 handle) initialised lazily",
    .enabledByDefault = true,
    .fix = FixAvailability::None,
    .whatItDoes = R"(Flags function-local static variables whose type is a pybind11 handle (`py::object`,
`py::module_`, `py::str`, `py::handle`, ...), the usual way of caching an imported module or attribute.)",
    .whyItMatters = R"(C++ makes the initialisation of a function-local static thread-safe by taking a lock and
letting other threads wait. The initialiser here calls into Python; with free threading (and already with the
GIL, when the initialiser releases it) a thread waiting on that lock while attached can deadlock with the thread
running the initialiser. The object is also never released at interpreter shutdown.)",
    .example = R"(```cpp
py::object decimal()
{
    static py::object cls = py::module_::import("decimal").attr("Decimal");   // FT507
    return cls;
}
```

Use instead:

```cpp
py::object decimal()
{
    PYBIND11_CONSTINIT static py::gil_safe_call_once_and_store<py::object> storage;
    return storage.call_once_and_store_result(
        [] { return py::module_::import("decimal").attr("Decimal"); }).get_stored();
}
```)",
    .fixDescription = R"(No automatic fix yet. Use `py::gil_safe_call_once_and_store` (pybind11 2.12+), or create
the object in the module's initialisation and keep it in module state.)",
    .references = R"(- [pybind11: gil_safe_call_once_and_store](https://pybind11.readthedocs.io/en/stable/advanced/misc.html#call-once-and-store))",
};

class Pybind11StaticObject : public Rule {
public:
  using Rule::Rule;

  void subscribe() override {
    // clang's matcher decides the type, for the few static locals there are.
    auto holdsHandle = varDecl(hasType(cxxRecordDecl(isSameOrDerivedFrom("::pybind11::handle"))));
    context().nodes().onNodes<VarDecl>(
        "static",
        [this, holdsHandle](const VarDecl &var) {
          return var.isStaticLocal() && !match(holdsHandle, var, context().ast()).empty();
        },
        this);
  }

  void check(const MatchFinder::MatchResult &result) override {
    const auto *var = result.Nodes.getNodeAs<VarDecl>("static");
    context().report(info(), var->getLocation(),
                     fmt::format("the function-local static '{}' holds a Python object created on first use: its "
                                 "initialisation can deadlock between threads and it is never released; use "
                                 "py::gil_safe_call_once_and_store",
                                 var->getName().str()));
  }
};

}  // namespace
FTLINT_REGISTER_RULE(Pybind11StaticObject, kInfo);
}  // namespace ftlint
