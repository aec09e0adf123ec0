// One matcher for every rule that looks for calls to named functions, and one
// for every rule that looks for uses of named struct fields.
//
// With a matcher per rule, the finder tried a dozen matchers on each call of
// the unit: every try a set lookup, a traversal-mode switch and, for a match,
// a binding and a callback. On a 20,000-line file that cost more than all the
// rules' own work. Here a call costs one lookup of its callee's name, and only
// the rules that asked for that name are called back, in the order they
// asked, with the call bound as "call" (a field use as "member").
#pragma once

#include "clang/ASTMatchers/ASTMatchFinder.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

namespace ftlint {

class NamedNodes : public clang::ast_matchers::MatchFinder::MatchCallback {
public:
  using Callback = clang::ast_matchers::MatchFinder::MatchCallback;

  // `rule` is called for each call of a function named one of `functions`
  // (unqualified, in any namespace).
  void onCallsTo(llvm::ArrayRef<llvm::StringRef> functions, Callback *rule);
  // `rule` is called for each member expression naming a field (or method)
  // called one of `fields`.
  void onMembersNamed(llvm::ArrayRef<llvm::StringRef> fields, Callback *rule);

  // Adds the two matchers; after every rule has asked.
  void addMatchersTo(clang::ast_matchers::MatchFinder &finder);

  void run(const clang::ast_matchers::MatchFinder::MatchResult &result) override;
  llvm::StringRef getID() const override { return "named calls and fields"; }

private:
  using Subscribers = llvm::StringMap<llvm::SmallVector<Callback *, 2>>;
  static void subscribe(Subscribers &to, llvm::ArrayRef<llvm::StringRef> names, Callback *rule);

  Subscribers calls_, members_;
};

}  // namespace ftlint
