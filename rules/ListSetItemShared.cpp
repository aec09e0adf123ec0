// FT203 list-set-item-shared: PyList_SET_ITEM on a list that is not freshly
// created and unpublished.
#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/BorrowedAccess.h"
#include "tool/analysis/SharedAccess.h"
#include "tool/core/Rule.h"

#include <fmt/format.h>

namespace ftlint {
namespace {

using namespace clang;
using namespace clang::ast_matchers;

const RuleInfo kInfo{
    .code = "FT203",
    .name = "list-set-item-shared",
    .summary = "`PyList_SET_ITEM` on a list other threads may reach",
    .enabledByDefault = true,
    .fix = FixAvailability::None,
    .whatItDoes = R"(Flags `PyList_SET_ITEM()` when the list is not one the function just created with
`PyList_New()` (or similar) and has not shared yet, and no critical section on the list is held.)",
    .whyItMatters = R"(`PyList_SET_ITEM` writes the item array directly, without the list's lock and without
releasing the item it overwrites. It is meant for filling a brand-new list. On a list other threads can reach,
a concurrent append can reallocate the array, so the write lands in freed memory or is lost.)",
    .example = R"(```c
static int
replace_first(PyObject *list, PyObject *value)
{
    PyList_SET_ITEM(list, 0, Py_NewRef(value));   /* FT203: `list` is an argument */
    return 0;
}
```

Use instead:

```c
    return PyList_SetItem(list, 0, Py_NewRef(value));   /* locks the list, releases the old item */
```)",
    .fixDescription = R"(No automatic fix yet. `PyList_SetItem()` locks the list, checks the index and releases the
old item, so it is not a drop-in replacement where the old slot held a reference the code relied on leaking.)",
    .references = R"(- [`PyList_SET_ITEM`](https://docs.python.org/3.13/c-api/list.html#c.PyList_SET_ITEM))",
    .judgesSharing = true,
};

class ListSetItemShared : public Rule {
public:
  using Rule::Rule;

  void subscribe() override {
    // 3.11+: a macro around a same-name inline function; 3.9/3.10: a plain macro.
    context().nodes().onCallsTo({"PyList_SET_ITEM"}, this);
    context().nodes().onMembersNamed({"ob_item"}, this);
  }

  void check(const MatchFinder::MatchResult &result) override {
    const Expr *site = nullptr, *list = nullptr;
    if (const auto *call = result.Nodes.getNodeAs<CallExpr>("call")) {
      if (call->getNumArgs() < 3) return;
      site = call;
      list = call->getArg(0);
    } else if (const auto *member = result.Nodes.getNodeAs<MemberExpr>("member")) {
      if (outermostAccessMacro(member->getMemberLoc(), *result.SourceManager, result.Context->getLangOpts()) !=
          "PyList_SET_ITEM")
        return;
      site = member;
      list = member->getBase();
    }
    auto shared = sharedAccess(context(), site, list);
    if (!shared) return;
    reportSharedAccess(context(), info(), site->getSourceRange(),
                     fmt::format("PyList_SET_ITEM() writes into the list {} without its lock, and {}: a concurrent "
                                 "resize can free the array under the write; use PyList_SetItem(), which locks "
                                 "the list",
                                 shared->provenance.what, shared->provenance.why),
                     *shared);
  }
};

}  // namespace
FTLINT_REGISTER_RULE(ListSetItemShared, kInfo);
}  // namespace ftlint
