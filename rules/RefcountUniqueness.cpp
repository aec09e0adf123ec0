// FT503 refcount-uniqueness: Py_REFCNT(x) == 1 as a uniqueness test.
#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/TuContext.h"
#include "tool/core/Rule.h"
#include "tool/fix/SourceEdits.h"

#include <fmt/format.h>

namespace ftlint {
namespace {

using namespace clang;
using namespace clang::ast_matchers;

const RuleInfo kInfo{
    .code = "FT503",
    .name = "refcount-uniqueness",
    .summary = "`Py_REFCNT(x) == 1` used to decide that an object is not shared",
    .enabledByDefault = true,
    .fix = FixAvailability::Sometimes,
    .whatItDoes = R"(Flags comparisons of `Py_REFCNT(x)` with 1 (`== 1`, `!= 1`, `<= 1`, `> 1`, `< 2`, `>= 2`),
the usual test before mutating an object in place because "nobody else can see it".)",
    .whyItMatters = R"(On a free-threaded build an object's reference count is split between the owning thread
and a shared counter, and other threads' increments may be in flight: `Py_REFCNT` can read 1 while another
thread holds a reference. Mutating the object in place then corrupts a value another thread is using.)",
    .example = R"(```c
if (Py_REFCNT(result) == 1) {          /* FT503 */
    append_in_place(result, item);
}
```

Use instead:

```c
if (PyUnstable_Object_IsUniquelyReferenced(result)) {   /* 3.14+, or pythoncapi_compat.h */
    append_in_place(result, item);
}
```)",
    .fixDescription = R"(Replaces the comparison with
`PyUnstable_Object_IsUniquelyReferenced(obj)` (or its negation for `!= 1`, `> 1`, `>= 2`). The fix is
**safe**: on builds with the GIL the function is exactly `Py_REFCNT(obj) == 1`, and on free-threaded builds
it is the test the code meant. It is new in Python 3.14: with `--target-python` older than that (the
default is 3.13), the file also gets `#include "pythoncapi_compat.h"`, which provides it. There is no fix
when the comparison is written inside a macro.)",
    .references = R"(- [`PyUnstable_Object_IsUniquelyReferenced`](https://docs.python.org/3.14/c-api/object.html#c.PyUnstable_Object_IsUniquelyReferenced))",
};

bool readsRefcount(const Expr *e, ASTContext &ast) {
  e = e->IgnoreParenImpCasts();
  if (const auto *call = dyn_cast<CallExpr>(e)) {
    std::string name = calleeName(call);
    if (name == "Py_REFCNT" || name == "_Py_REFCNT" || name == "Py_REFCNT_") return true;
  }
  if (expandedFromMacro(e->getBeginLoc(), "Py_REFCNT", ast)) return true;
  if (const auto *me = dyn_cast<MemberExpr>(e)) return me->getMemberDecl()->getName() == "ob_refcnt";
  return false;
}

std::optional<int64_t> literal(const Expr *e, ASTContext &ast) {
  Expr::EvalResult r;
  if (e->IgnoreParenImpCasts()->isIntegerConstantExpr(ast) && e->EvaluateAsInt(r, ast)) return r.Val.getInt().getExtValue();
  return std::nullopt;
}

// `count OP n` (count on the left) tests "exactly one reference".
bool isUniquenessTest(BinaryOperatorKind op, int64_t n) {
  switch (op) {
  case BO_EQ: case BO_NE: case BO_LE: case BO_GT: return n == 1;
  case BO_LT: case BO_GE: return n == 2;
  default: return false;
  }
}

class RefcountUniqueness : public Rule {
public:
  using Rule::Rule;

  void subscribe() override {
    context().nodes().onNodes<BinaryOperator>(
        "cmp",
        [this](const BinaryOperator &cmp) {
          return cmp.isComparisonOp() &&
                 (readsRefcount(cmp.getLHS(), context().ast()) || readsRefcount(cmp.getRHS(), context().ast()));
        },
        this);
  }

  void check(const MatchFinder::MatchResult &result) override {
    const auto *cmp = result.Nodes.getNodeAs<BinaryOperator>("cmp");
    ASTContext &ast = *result.Context;
    BinaryOperatorKind op = cmp->getOpcode();
    std::optional<int64_t> n;
    const Expr *count = nullptr;
    if (readsRefcount(cmp->getLHS(), ast) && (n = literal(cmp->getRHS(), ast))) {
      count = cmp->getLHS();
    } else if (readsRefcount(cmp->getRHS(), ast) && (n = literal(cmp->getLHS(), ast))) {
      count = cmp->getRHS();
      op = BinaryOperator::reverseComparisonOp(op);
    }
    if (!count || !isUniquenessTest(op, *n)) return;
    Finding *f = context().report(info(), cmp->getSourceRange(),
                     fmt::format("'{}' tests for a single reference, which does not prove the object is unshared "
                                 "on a free-threaded build (other threads' references are counted separately); use "
                                 "PyUnstable_Object_IsUniquelyReferenced() (Python 3.14+, or pythoncapi_compat.h)",
                                 sourceText(cmp, ast)));
    if (f) offerFix(*f, cmp, count, op == BO_EQ || op == BO_LE || op == BO_LT, ast);
  }

private:
  // `Py_REFCNT(x) == 1` -> `PyUnstable_Object_IsUniquelyReferenced(x)`, and
  // its negation for `!= 1`, `> 1`, `>= 2`.
  void offerFix(Finding &f, const BinaryOperator *cmp, const Expr *count, bool unique, ASTContext &ast) {
    SourceEdits edits(ast);
    auto whole = edits.expressionRange(cmp);
    auto counted = edits.expressionRange(count->IgnoreParenImpCasts());
    std::string object;
    if (counted) {
      std::string text = edits.text(*counted);
      // Py_REFCNT is a macro over `->ob_refcnt` on old Pythons: read its
      // argument as written.
      bool viaMacro = expandedFromMacro(count->getBeginLoc(), "Py_REFCNT", ast);
      const auto *member = viaMacro ? nullptr : dyn_cast<MemberExpr>(count->IgnoreParenImpCasts());
      if (member) {
        if (auto base = edits.expressionRange(member->getBase())) object = edits.text(*base);
        if (!member->isArrow() && !object.empty()) object = "&" + object;
      } else if (size_t open = text.find('('); open != std::string::npos && text.back() == ')') {
        object = text.substr(open + 1, text.size() - open - 2);
      }
    }
    if (!whole || object.empty()) {
      f.noFixReason = "no automatic fix: the test is written inside a macro";
      return;
    }
    edits.replace(*whole, fmt::format("{}PyUnstable_Object_IsUniquelyReferenced({})", unique ? "" : "!", object));
    if (edits.failed()) {
      f.noFixReason = "no automatic fix: the test is written inside a macro";
      return;
    }
    f.fix = Fix{Applicability::Safe, "use PyUnstable_Object_IsUniquelyReferenced()", edits.take()};
  }
};

}  // namespace
FTLINT_REGISTER_RULE(RefcountUniqueness, kInfo);
}  // namespace ftlint
