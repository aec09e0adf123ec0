// FT201 dict-next-unlocked: PyDict_Next over a dict other threads may modify,
// outside a critical section on it.
#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/SharedAccess.h"
#include "tool/core/Rule.h"
#include "tool/fix/CriticalSectionWrap.h"

#include <fmt/format.h>

namespace ftlint {
namespace {

using namespace clang::ast_matchers;

const RuleInfo kInfo{
    .code = "FT201",
    .name = "dict-next-unlocked",
    .summary = "`PyDict_Next` iterates a dict other threads may modify without a critical section on it",
    .enabledByDefault = true,
    .fix = FixAvailability::Sometimes,
    .whatItDoes = R"(Flags `PyDict_Next()` calls on a dict that other threads may reach (an argument, a global, an
object's field or `__dict__`, the result of a call) unless the call is inside
`Py_BEGIN_CRITICAL_SECTION(dict)` ... `Py_END_CRITICAL_SECTION()` on the same dict. Dicts built in the function
and not yet shared, and keyword-argument dicts, are quiet.

When every caller in the same file calls the function inside a critical section, the finding says so: the lock
may be the one that protects this dict.)",
    .whyItMatters = R"(Dict operations lock the dict internally on a free-threaded build; `PyDict_Next` is the
exception, because the iteration spans many calls. Another thread that inserts or deletes a key during the loop
can resize the dict under it, and the key and value pointers it returns are borrowed, so they can be freed while
the loop uses them.)",
    .example = R"(```c
PyObject *key, *value;
Py_ssize_t pos = 0;
while (PyDict_Next(self->fields, &pos, &key, &value)) {   /* FT201 */
    if (visit(key, value) < 0) {
        return -1;
    }
}
```

Use instead:

```c
int rc = 0;
PyObject *key, *value;
Py_ssize_t pos = 0;
Py_BEGIN_CRITICAL_SECTION(self->fields);
while (PyDict_Next(self->fields, &pos, &key, &value)) {
    if (visit(key, value) < 0) {
        rc = -1;
        break;                      /* never return out of a critical section */
    }
}
Py_END_CRITICAL_SECTION();
return rc;
```)",
    .fixDescription = R"(Wraps the loop in `Py_BEGIN_CRITICAL_SECTION(dict);` ... `Py_END_CRITICAL_SECTION();` on lines
of their own, at the loop's indentation. The fix is **safe**: with the GIL the section costs nothing, and
without it the dict cannot change during the loop. It is offered only when no `return`, `goto`,
`break` or `continue` leaves the wrapped code (the section would never end), the dict is a plain
variable or field, and no other critical section encloses the access (nesting needs
`Py_BEGIN_CRITICAL_SECTION2`). With `--target-python` older than 3.13 the file also gets the compatibility
header, which defines the macros as plain braces.)",
    .references = R"(- [Free-threading extensions HOWTO: PyDict_Next](https://docs.python.org/3.13/howto/free-threading-extensions.html#container-thread-safety)
- [`Py_BEGIN_CRITICAL_SECTION`](https://docs.python.org/3.13/c-api/init.html#c.Py_BEGIN_CRITICAL_SECTION))",
    .judgesSharing = true,
};

class DictNextUnlocked : public Rule {
public:
  using Rule::Rule;

  void subscribe() override {
    context().nodes().onCallsTo({"PyDict_Next"}, this);
  }

  void check(const MatchFinder::MatchResult &result) override {
    const auto *call = result.Nodes.getNodeAs<clang::CallExpr>("call");
    if (call->getNumArgs() < 1) return;
    auto shared = sharedAccess(context(), call, call->getArg(0));
    if (!shared) return;
    std::string message =
        fmt::format("PyDict_Next() iterates the dict {} without a critical section on it, and {}: another thread "
                    "can resize the dict during the loop or free the borrowed key and value; wrap the loop in "
                    "Py_BEGIN_CRITICAL_SECTION({})",
                    shared->provenance.what, shared->provenance.why, shared->objectText);
    Finding *f = reportSharedAccess(context(), info(), call->getSourceRange(), std::move(message), *shared);
    if (!f) return;
    std::string note = callersHoldLockNote(context(), call);
    if (!note.empty()) f->notes.push_back(note);
    WrapFix wrap = wrapInCriticalSection(context(), call, call->getArg(0));
    attachFix(*f, std::move(wrap));
  }
};

}  // namespace
FTLINT_REGISTER_RULE(DictNextUnlocked, kInfo);
}  // namespace ftlint
