// FT504 ob-refcnt-direct: the project's code reads or writes ob_refcnt.
#include "tool/analysis/TuContext.h"
#include "tool/core/Rule.h"

#include "clang/Basic/SourceManager.h"

namespace ftlint {
namespace {

using namespace clang;
using namespace clang::ast_matchers;

const RuleInfo kInfo{
    .code = "FT504",
    .name = "ob-refcnt-direct",
    .summary = "direct `ob_refcnt` access, which does not compile on free-threaded builds",
    .enabledByDefault = true,
    .fix = FixAvailability::None,
    .whatItDoes = R"(Flags `op->ob_refcnt` written in the project's own code or macros (CPython's own macros
such as `Py_REFCNT` are not reported here).)",
    .whyItMatters = R"(Free-threaded builds have no `ob_refcnt` field: the count is split into `ob_ref_local`
and `ob_ref_shared`. Code that touches the field does not compile there, and on other builds it bypasses the
immortality and debugging logic of the accessors.)",
    .example = R"(```c
if (self->ob_base.ob_refcnt > 1) {   /* FT504 */
```

Use instead:

```c
if (Py_REFCNT(self) > 1) {
```)",
    .fixDescription = R"(No automatic fix yet. Read with `Py_REFCNT(op)` and write with `Py_SET_REFCNT(op, n)`
(3.9+); uniqueness tests need `PyUnstable_Object_IsUniquelyReferenced()` (see FT503).)",
    .references = R"(- [`Py_REFCNT`](https://docs.python.org/3.13/c-api/refcounting.html#c.Py_REFCNT))",
};

class ObRefcntDirect : public Rule {
public:
  using Rule::Rule;

  void registerMatchers(MatchFinder &finder) override {
    finder.addMatcher(memberExpr(member(hasName("ob_refcnt"))).bind("field"), this);
  }

  void check(const MatchFinder::MatchResult &result) override {
    const auto *member = result.Nodes.getNodeAs<MemberExpr>("field");
    // Only where the project itself spelled `ob_refcnt`.
    SourceLocation spelled = result.SourceManager->getSpellingLoc(member->getMemberLoc());
    if (!context().inProject(spelled)) return;
    context().report(info(), member->getSourceRange(),
                     "direct access to ob_refcnt, which free-threaded builds do not have: the code does not "
                     "compile there; use Py_REFCNT() / Py_SET_REFCNT()");
  }
};

}  // namespace
FTLINT_REGISTER_RULE(ObRefcntDirect, kInfo);
}  // namespace ftlint
