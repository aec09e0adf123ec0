// AST matchers the rules share.
#pragma once

#include "tool/analysis/AstHelpers.h"

#include "clang/ASTMatchers/ASTMatchers.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringSet.h"

#include <functional>
#include <memory>

namespace ftlint {

namespace matcher_detail {
using NameSet = std::shared_ptr<const llvm::StringSet<>>;

AST_MATCHER_P(clang::CallExpr, calleeNameIn, NameSet, names) {
  llvm::StringRef callee = calleeIdentifier(&Node);
  return !callee.empty() && names->contains(callee);
}

template <typename NodeT>
class PredicateMatcher : public clang::ast_matchers::internal::MatcherInterface<NodeT> {
public:
  explicit PredicateMatcher(std::function<bool(const NodeT &)> test) : test_(std::move(test)) {}
  bool matches(const NodeT &node, clang::ast_matchers::internal::ASTMatchFinder *,
               clang::ast_matchers::internal::BoundNodesTreeBuilder *) const override {
    return test_(node);
  }

private:
  std::function<bool(const NodeT &)> test_;
};
}  // namespace matcher_detail

// A call to a function with one of `names` (unqualified, in any namespace):
// what callee(functionDecl(hasAnyName(...))) says, tested with one set lookup
// rather than a chain of matchers, because the finder tries it on every call
// of the translation unit.
inline clang::ast_matchers::internal::Matcher<clang::CallExpr> calleeNamed(llvm::ArrayRef<llvm::StringRef> names) {
  auto set = std::make_shared<llvm::StringSet<>>();
  for (llvm::StringRef name : names) set->insert(name);
  return matcher_detail::calleeNameIn(std::move(set));
}

// A node for which `test` holds. A rule whose matcher would otherwise take
// every call, assignment or return of the unit puts here the cheap test that
// rules out nearly all of them: each match costs the finder a binding and the
// rule a callback, tens of thousands of times on a large file.
template <typename NodeT>
clang::ast_matchers::internal::Matcher<NodeT> satisfies(std::function<bool(const NodeT &)> test) {
  return clang::ast_matchers::internal::makeMatcher(new matcher_detail::PredicateMatcher<NodeT>(std::move(test)));
}

}  // namespace ftlint
