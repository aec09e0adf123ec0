// FT504 ob-refcnt-direct: the project's code reads or writes ob_refcnt.
#include "tool/analysis/TuContext.h"
#include "tool/core/Rule.h"
#include "tool/fix/SourceEdits.h"
#include "tool/analysis/Parents.h"

#include "clang/AST/ParentMapContext.h"
#include <fmt/format.h>

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
    .fix = FixAvailability::Sometimes,
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
    .fixDescription = R"(A read `obj->ob_refcnt` becomes `Py_REFCNT(obj)`
(**safe**: the same value on every build with the GIL, and it compiles without it). A plain store
`obj->ob_refcnt = n` becomes `Py_SET_REFCNT(obj, n)` (Python 3.9+), an **unsafe** fix because on 3.12+ it
leaves immortal objects alone where the store changed them. Increments, decrements and `+=` have no fix: use
`Py_INCREF()`/`Py_DECREF()`, or `Py_SET_REFCNT()` where the count really must be set. Accesses written inside
the project's own macros have no fix either.)",
    .references = R"(- [`Py_REFCNT`](https://docs.python.org/3.13/c-api/refcounting.html#c.Py_REFCNT))",
};

class ObRefcntDirect : public Rule {
public:
  using Rule::Rule;

  void subscribe() override {
    context().nodes().onMembersNamed({"ob_refcnt"}, this);
  }

  void check(const MatchFinder::MatchResult &result) override {
    const auto *member = result.Nodes.getNodeAs<MemberExpr>("member");
    // Only where the project itself spelled `ob_refcnt`.
    SourceLocation spelled = result.SourceManager->getSpellingLoc(member->getMemberLoc());
    if (!context().inProject(spelled)) return;
    Finding *f = context().report(info(), member->getSourceRange(),
                                  "direct access to ob_refcnt, which free-threaded builds do not have: the code does "
                                  "not compile there; use Py_REFCNT() / Py_SET_REFCNT()");
    if (f) offerFix(*f, member, *result.Context);
  }

private:
  // Reads become Py_REFCNT(obj); a plain store becomes Py_SET_REFCNT(obj, n).
  void offerFix(Finding &f, const MemberExpr *member, ASTContext &ast) {
    SourceEdits edits(ast);
    // 3.12+ puts ob_refcnt in an anonymous union: `obj->ob_refcnt` is
    // `obj-><union>.ob_refcnt` in the AST. The object is `obj`.
    const Expr *baseExpr = member->getBase();
    bool arrow = member->isArrow();
    while (const auto *inner = dyn_cast<MemberExpr>(baseExpr->IgnoreParenImpCasts())) {
      const auto *field = dyn_cast<FieldDecl>(inner->getMemberDecl());
      if (!field || !field->isAnonymousStructOrUnion()) break;
      arrow = inner->isArrow();
      baseExpr = inner->getBase();
    }
    auto base = edits.expressionRange(baseExpr);
    auto whole = edits.expressionRange(member);
    if (!base || !whole || member->getMemberLoc().isMacroID()) {
      f.noFixReason = "no automatic fix: the access is written inside a macro";
      return;
    }
    std::string object = (arrow ? "" : "&") + edits.text(*base);
    auto parents = parentsOf(*member, ast);
    const Stmt *parent = parents.empty() ? nullptr : parents[0].get<Stmt>();
    while (parent && isa<ParenExpr>(parent)) {
      auto up = parentsOf(*parent, ast);
      parent = up.empty() ? nullptr : up[0].get<Stmt>();
    }
    if (const auto *assign = dyn_cast_or_null<BinaryOperator>(parent);
        assign && assign->isAssignmentOp() && assign->getLHS()->IgnoreParens() == member) {
      auto value = edits.expressionRange(assign->getRHS());
      auto statement = edits.expressionRange(assign);
      if (assign->getOpcode() != BO_Assign || !value || !statement) {
        f.noFixReason = "no automatic fix: use Py_INCREF()/Py_DECREF() or Py_SET_REFCNT() by hand";
        return;
      }
      edits.replace(*statement, fmt::format("Py_SET_REFCNT({}, {})", object, edits.text(*value)));
      f.fix = Fix{Applicability::Unsafe,
                  "use Py_SET_REFCNT() (which leaves immortal objects alone on 3.12+)", edits.take()};
      return;
    }
    if (const auto *unary = dyn_cast_or_null<UnaryOperator>(parent); unary && unary->isIncrementDecrementOp()) {
      f.noFixReason = "no automatic fix: use Py_INCREF()/Py_DECREF() or Py_SET_REFCNT() by hand";
      return;
    }
    if (const auto *compound = dyn_cast_or_null<CompoundAssignOperator>(parent); compound) {
      f.noFixReason = "no automatic fix: use Py_INCREF()/Py_DECREF() or Py_SET_REFCNT() by hand";
      return;
    }
    edits.replace(*whole, fmt::format("Py_REFCNT({})", object));
    if (edits.failed()) {
      f.noFixReason = "no automatic fix: the access is written inside a macro";
      return;
    }
    f.fix = Fix{Applicability::Safe, "use Py_REFCNT()", edits.take()};
  }
};

}  // namespace
FTLINT_REGISTER_RULE(ObRefcntDirect, kInfo);
}  // namespace ftlint
