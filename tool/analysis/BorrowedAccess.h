// Finding the uses of borrowed-reference APIs, in both spellings: the
// function call (PyList_GetItem) and the macro that leaves no call in the AST
// (PyList_GET_ITEM expands to `op->ob_item[i]`), also inside the project's
// own macros. Shared by the FT1 rules.
#pragma once

#include "tool/analysis/ApiTables.h"
#include "tool/analysis/TuContext.h"

#include "clang/ASTMatchers/ASTMatchFinder.h"

#include <optional>

namespace ftlint {

// The outermost access macro (PyList_GET_ITEM, PySequence_Fast_ITEMS, ...) the
// user wrote at `loc`, or "" when `loc` is not inside one.
std::string outermostAccessMacro(clang::SourceLocation loc, const clang::SourceManager &sm,
                                 const clang::LangOptions &lo);

struct BorrowedSite {
  const BorrowedApi *api = nullptr;
  const clang::Expr *site = nullptr;       // the call or member expression
  const clang::Expr *container = nullptr;  // the list/dict argument, if any
};

// Asks for the calls (and field uses of macros) of every API of `rule`
// (e.g. "FT101").
void subscribeToBorrowedApis(NodeSubscriptions &named, clang::ast_matchers::MatchFinder::MatchCallback *callback,
                             std::string_view rule);

// Turns a match from those matchers into a site, or nullopt when the match is
// another API's (PyList_GET_ITEM inside PySequence_Fast_GET_ITEM, say).
std::optional<BorrowedSite> borrowedSiteFromMatch(const clang::ast_matchers::MatchFinder::MatchResult &result,
                                                  std::string_view rule);

// Reports the site unless its container is private or locked. The message
// names the container and why it may be shared.
void reportIfShared(TuContext &tu, const RuleInfo &rule, const BorrowedSite &site);

// Attaches the ownership rewrite to an FT101/FT102/FT103/FT105 finding, or
// says why there is none.
void offerOwnershipFix(TuContext &tu, const BorrowedSite &site, Finding &finding);

// The whole check of an FT1 rule: find the rule's API uses, report those on
// possibly shared containers. Each FT1 rule file derives from it and adds its
// documentation.
class BorrowedApiRule : public Rule {
public:
  using Rule::Rule;
  void subscribe() override {
    subscribeToBorrowedApis(context().nodes(), this, info().code);
  }
  void check(const clang::ast_matchers::MatchFinder::MatchResult &result) override {
    if (auto site = borrowedSiteFromMatch(result, info().code)) reportIfShared(context(), info(), *site);
  }
};

}  // namespace ftlint
