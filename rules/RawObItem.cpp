// FT204 raw-ob-item: the project's own code reads a list's ob_item array.
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
    .code = "FT204",
    .name = "raw-ob-item",
    .summary = "direct `->ob_item` access on a list other threads may modify",
    .enabledByDefault = true,
    .fix = FixAvailability::Sometimes,
    .whatItDoes = R"(Flags `((PyListObject *)op)->ob_item` written in the project's code (directly or in its own
macros) when the list may be shared and no critical section on it is held. Uses through CPython's macros are
left to FT101, FT202 and FT203.)",
    .whyItMatters = R"(`ob_item` is the list's item array. Any other thread's append, insert or clear can
reallocate it and free the old one, and nothing stops that while the code holds the pointer: a use-after-free.)",
    .example = R"(```c
PyObject **items = ((PyListObject *)list)->ob_item;   /* FT204 */
Py_ssize_t n = PyList_GET_SIZE(list);
return encode_items(items, n);
```

Use instead:

```c
int rc;
Py_BEGIN_CRITICAL_SECTION(list);
rc = encode_items(((PyListObject *)list)->ob_item, PyList_GET_SIZE(list));
Py_END_CRITICAL_SECTION();
return rc;
```)",
    .fixDescription = R"(Wraps the loop (or statement) in `Py_BEGIN_CRITICAL_SECTION(list);` ... `Py_END_CRITICAL_SECTION();` on lines
of their own, at the loop (or statement)'s indentation. The fix is **safe**: with the GIL the section costs nothing, and
without it the list cannot change during the loop (or statement). It is offered only when no `return`, `goto`,
`break` or `continue` leaves the wrapped code (the section would never end), the list is a plain
variable or field, and no other critical section encloses the access (nesting needs
`Py_BEGIN_CRITICAL_SECTION2`). With `--target-python` older than 3.13 the file also gets the compatibility
header, which defines the macros as plain braces.)",
    .references = R"(- [Free-threading extensions HOWTO: struct fields](https://docs.python.org/3.13/howto/free-threading-extensions.html#general-api-guidelines))",
    .judgesSharing = true,
};

bool isListObject(const FieldDecl *field) {
  const RecordDecl *record = field->getParent();
  if (record->getName() == "PyListObject") return true;
  if (const TypedefNameDecl *td = record->getTypedefNameForAnonDecl()) return td->getName() == "PyListObject";
  return false;
}

class RawObItem : public Rule {
public:
  using Rule::Rule;

  void subscribe() override {
    context().nodes().onMembersNamed({"ob_item"}, this);
  }

  void check(const MatchFinder::MatchResult &result) override {
    const auto *member = result.Nodes.getNodeAs<MemberExpr>("member");
    const auto *field = dyn_cast<FieldDecl>(member->getMemberDecl());
    if (!field || !isListObject(field)) return;
    if (!outermostAccessMacro(member->getMemberLoc(), *result.SourceManager, result.Context->getLangOpts()).empty())
      return;
    auto shared = sharedAccess(context(), member, member->getBase());
    if (!shared) return;
    Finding *f = reportSharedAccess(context(), info(), member->getSourceRange(),
                                  fmt::format("direct access to the item array of the list {}, and {}: another "
                                              "thread can resize the list and free the array while it is in use; "
                                              "hold Py_BEGIN_CRITICAL_SECTION({}) while using it",
                                              shared->provenance.what, shared->provenance.why,
                                              shared->objectText),
                                  *shared);
    if (!f) return;
    WrapFix wrap = wrapInCriticalSection(context(), member, member->getBase());
    attachFix(*f, std::move(wrap));
  }
};

}  // namespace
FTLINT_REGISTER_RULE(RawObItem, kInfo);
}  // namespace ftlint
