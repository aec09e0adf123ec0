// FT202 sequence-fast-unlocked: PySequence_Fast_ITEMS / _GET_ITEM on the
// result of PySequence_Fast when that result may be a shared list.
#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/BorrowedAccess.h"
#include "tool/analysis/SharedAccess.h"
#include "tool/core/Rule.h"
#include "tool/fix/CriticalSectionWrap.h"

#include <fmt/format.h>

namespace ftlint {
namespace {

using namespace clang;
using namespace clang::ast_matchers;

const RuleInfo kInfo{
    .code = "FT202",
    .name = "sequence-fast-unlocked",
    .summary = "`PySequence_Fast_ITEMS`/`_GET_ITEM` on a sequence that may be a list other threads modify",
    .enabledByDefault = true,
    .fix = FixAvailability::Sometimes,
    .whatItDoes = R"(Flags `PySequence_Fast_ITEMS()` and `PySequence_Fast_GET_ITEM()` (as macros, or through the
project's macros) when the sequence may be a list another thread can reach. `PySequence_Fast(obj)` returns
`obj` itself when it is a list, so ftlint looks at `obj`: a list or tuple built in the function, or the
positional-argument tuple, is quiet, and so is an access inside a critical section on `obj` or on the result.)",
    .whyItMatters = R"(The macros read the list's item array directly, with no locking. When the sequence is a
list that another thread appends to, the array can be reallocated and freed in the middle of the loop, and the
items it yields are borrowed. The documentation allows the pointer only "in contexts where the sequence cannot
change".)",
    .example = R"(```c
PyObject *fast = PySequence_Fast(arg, "expected a sequence");
if (fast == NULL) {
    return NULL;
}
PyObject **items = PySequence_Fast_ITEMS(fast);   /* FT202: `arg` may be a shared list */
```

Use instead:

```c
PyObject *result = NULL;
Py_BEGIN_CRITICAL_SECTION(arg);
PyObject *fast = PySequence_Fast(arg, "expected a sequence");
if (fast != NULL) {
    result = sum_items(PySequence_Fast_ITEMS(fast), PySequence_Fast_GET_SIZE(fast));
    Py_DECREF(fast);
}
Py_END_CRITICAL_SECTION();
```)",
    .fixDescription = R"(Wraps the loop in `Py_BEGIN_CRITICAL_SECTION(obj);` ... `Py_END_CRITICAL_SECTION();` on lines
of their own, at the loop's indentation. The fix is **safe**: with the GIL the section costs nothing, and
without it the list cannot change during the loop. It is offered only when no `return`, `goto`,
`break` or `continue` leaves the wrapped code (the section would never end), the list is a plain
variable or field, and no other critical section encloses the access (nesting needs
`Py_BEGIN_CRITICAL_SECTION2`). With `--target-python` older than 3.13 the file also gets the compatibility
header, which defines the macros as plain braces.

The lock is taken on the argument of `PySequence_Fast()`: when that is a list, the fast sequence *is* that
list. When
the item array pointer is computed outside the loop that uses it (`PyObject **items = PySequence_Fast_ITEMS(fast);`)
there is no fix: the lock must cover the pointer's whole life.)",
    .references = R"(- [`PySequence_Fast_ITEMS`](https://docs.python.org/3.13/c-api/sequence.html#c.PySequence_Fast_ITEMS)
- [Free-threading extensions HOWTO](https://docs.python.org/3.14/howto/free-threading-extensions.html))",
    .judgesSharing = true,
};

class SequenceFastUnlocked : public Rule {
public:
  using Rule::Rule;

  void subscribe() override {
    context().nodes().onMembersNamed({"ob_item"}, this);
  }

  void check(const MatchFinder::MatchResult &result) override {
    const auto *member = result.Nodes.getNodeAs<MemberExpr>("member");
    std::string macro = outermostAccessMacro(member->getMemberLoc(), *result.SourceManager,
                                             result.Context->getLangOpts());
    if (macro != "PySequence_Fast_ITEMS" && macro != "PySequence_Fast_GET_ITEM") return;
    const Expr *fast = stripCasts(member->getBase());
    // PySequence_Fast(obj) is obj itself when obj is a list: judge obj.
    const Expr *original = fast;
    if (const auto *call = dyn_cast_or_null<CallExpr>(valueAt(fast, member, *result.Context)))
      if (calleeName(call) == "PySequence_Fast" && call->getNumArgs() > 0) original = call->getArg(0);
    // Quiet when the sequence itself is private or locked, then judge what it came from.
    auto shared = sharedAccess(context(), member, fast);
    if (!shared) return;
    if (original != fast && !(shared = sharedAccess(context(), member, original))) return;
    std::string fastText = sourceText(fast, *result.Context);
    std::string message =
        original == fast
            ? fmt::format("{} reads the item array of '{}' without a lock, and {}: if it is a list another thread "
                          "resizes, the array and its borrowed items can be freed during the loop",
                          macro, fastText, shared->provenance.why)
            : fmt::format("{} reads the item array of '{}', which is {} itself when that is a list, and {}: "
                          "another thread can resize that list and free the array and its borrowed items; hold "
                          "Py_BEGIN_CRITICAL_SECTION({}) around PySequence_Fast() and the loop",
                          macro, fastText, shared->provenance.what, shared->provenance.why, shared->objectText);
    Finding *f = reportSharedAccess(context(), info(), member->getSourceRange(), std::move(message), *shared);
    // Locking the argument of PySequence_Fast locks the list the items come
    // from whenever it is one (PySequence_Fast then returns its argument).
    if (!f) return;
    WrapFix wrap = wrapInCriticalSection(context(), member, original);
    attachFix(*f, std::move(wrap));
  }
};

}  // namespace
FTLINT_REGISTER_RULE(SequenceFastUnlocked, kInfo);
}  // namespace ftlint
