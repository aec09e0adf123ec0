// FT501 racy-lazy-init: `if (cache == NULL) cache = ...` on a static outside
// module initialisation.
#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/Locks.h"
#include "tool/analysis/SharedState.h"
#include "tool/analysis/TuIndex.h"
#include "tool/core/Rule.h"

#include <fmt/format.h>

namespace ftlint {
namespace {

using namespace clang;
using namespace clang::ast_matchers;

const RuleInfo kInfo{
    .code = "FT501",
    .name = "racy-lazy-init",
    .summary = "a static or global created lazily (`if (cache == NULL) cache = ...`) outside module init",
    .enabledByDefault = true,
    .fix = FixAvailability::None,
    .whatItDoes = R"(Flags assignments to a static or global variable made under a NULL test of a static (the
classic `static PyObject *str_cache = NULL; if (!str_cache) str_cache = PyUnicode_InternFromString(...)`),
every pointer assigned in that block included, outside module initialisation (`PyInit_*`, `Py_mod_exec`
functions and the functions only they call, in any file of the project) and not under a lock ftlint can see.

Plain values cached the same way (`if (!loaded) { nan = ...; loaded = true; }`) are not reported, here or by
FT502: every thread computes the same value, so the race is benign.)",
    .whyItMatters = R"(The GIL used to make the test and the store one step. Without it two threads can both see
NULL and both create the object: one reference leaks, and a third thread may read a half-published pointer. For
caches that several variables share, a thread can see the first one set and use the others while they are
still NULL.)",
    .example = R"(```c
static PyObject *
get_name(PyObject *obj)
{
    static PyObject *name_str = NULL;
    if (name_str == NULL) {
        name_str = PyUnicode_InternFromString("__name__");   /* FT501 */
    }
    return PyObject_GetAttr(obj, name_str);
}
```

Use instead: create it once in the module's exec function and keep it in module state, or guard the
initialisation with a `PyMutex` (3.13+).)",
    .fixDescription = R"(No automatic fix yet. Move the initialisation into `Py_mod_exec` (module state is the
durable home), or protect test-and-store with a `static PyMutex` (3.13+). An interned string that is created
twice is harmless only if the extra reference is released.)",
    .references = R"(- [HOWTO: protecting internal extension state](https://docs.python.org/3.13/howto/free-threading-extensions.html#protecting-internal-extension-state))",
};

class RacyLazyInit : public Rule {
public:
  using Rule::Rule;

  void subscribe() override {
    context().nodes().onNodes<BinaryOperator>(
        "store",
        [this](const BinaryOperator &store) {
          return store.getOpcode() == BO_Assign && storedPointerVariable(store) != nullptr;
        },
        this);
  }

  void check(const MatchFinder::MatchResult &result) override {
    const auto *store = result.Nodes.getNodeAs<BinaryOperator>("store");
    const VarDecl *var = storedPointerVariable(*store);
    auto lazy = var ? lazyInitOf(store, *result.Context) : std::nullopt;
    if (!lazy) return;
    const FunctionDecl *fn = enclosingFunction(store, *result.Context);
    if (!fn || context().index().isModuleInit(fn) || lockHeldAt(context(), store)) return;
    unsigned line = fileLine(*result.SourceManager, lazy->check->getBeginLoc());
    std::string under = lazy->checked == var ? fmt::format("under its NULL check on line {}", line)
                                             : fmt::format("under the NULL check of '{}' on line {}",
                                                           lazy->checked->getName().str(), line);
    Finding *f = context().report(info(), store->getSourceRange(),
                     fmt::format("'{}' is created lazily {}: two threads can both see NULL and both create it, "
                                 "leaking one and racing on the store; create it in module init or guard it with "
                                 "a PyMutex",
                                 var->getName().str(), under));
    if (f) f->initOnlyUnlessUsr = usrOf(fn);
  }

private:
  // The shared variable `store` assigns, when it is a pointer: a plain value
  // every thread computes the same way (a flag, a cached number) is a benign
  // race; a pointer is not: the loser's object leaks, and readers may see the
  // pointer before what it points to.
  const VarDecl *storedPointerVariable(const BinaryOperator &store) {
    const auto *ref = dyn_cast<DeclRefExpr>(store.getLHS()->IgnoreParenImpCasts());
    const VarDecl *var = ref ? writtenSharedVariable(context(), ref) : nullptr;
    return var && var->getType()->isPointerType() ? var : nullptr;
  }
};

}  // namespace
FTLINT_REGISTER_RULE(RacyLazyInit, kInfo);
}  // namespace ftlint
