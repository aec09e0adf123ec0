// AST matchers the rules share.
#pragma once

#include "clang/ASTMatchers/ASTMatchers.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringSet.h"

#include <memory>

namespace ftlint {

namespace matcher_detail {
using NameSet = std::shared_ptr<const llvm::StringSet<>>;

AST_MATCHER_P(clang::CallExpr, calleeNameIn, NameSet, names) {
  const clang::FunctionDecl *callee = Node.getDirectCallee();
  return callee && callee->getIdentifier() && names->contains(callee->getName());
}
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

}  // namespace ftlint
