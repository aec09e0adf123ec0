// One walk of the unit for every rule: rules subscribe to the nodes they look
// at, and the walk calls them back with the node bound as a matcher would
// have bound it, so a rule's check() reads result.Nodes as before.
//
// clang's MatchFinder costs more than the rules it serves on a large C file:
// its walk alone was ~43 M instructions on msgspec's 20,000 lines (a plain
// walk: ~30 M), and each matcher it tries on a node costs a kind test, a
// traversal-mode switch and a bindings builder. Here a node costs one lookup
// of the subscriptions for its kind; a call or field use, one lookup of its
// name.
//
// The walk offers what the matchers saw: the traversal scope, template
// instantiations and implicit code, each node when its parent reaches it
// (siblings before their children). In C the order is the matchers' node by
// node (a unit test compares them); in C++ a lambda's capture fields come
// after its body instead of before. For one node, subscriptions by kind are
// called in the order they were made, then those by name. Rules are called
// back once the walk is over, in that order, so that what the walk records
// on the way (the unit index, in C) is whole when they ask.
#pragma once

#include "clang/AST/ASTTypeTraits.h"
#include "clang/ASTMatchers/ASTMatchFinder.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Timer.h"

#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace ftlint {

class IndexRecorder;

class NodeSubscriptions {
public:
  using Callback = clang::ast_matchers::MatchFinder::MatchCallback;

  // `rule` is called for each call of a function named one of `functions`
  // (unqualified, in any namespace), bound as "call".
  void onCallsTo(llvm::ArrayRef<llvm::StringRef> functions, Callback *rule);
  // `rule` is called for each member expression naming a field (or method)
  // called one of `fields`, bound as "member".
  void onMembersNamed(llvm::ArrayRef<llvm::StringRef> fields, Callback *rule);
  // `rule` is called for each node of type `T` (a subclass included: a
  // BinaryOperator subscription sees `+=`) that `wanted` accepts, bound as
  // `id`. `wanted` is the cheap test that rules out nearly every node.
  template <typename T>
  void onNodes(llvm::StringRef id, std::function<bool(const T &)> wanted, Callback *rule) {
    subscribeToKind(clang::ASTNodeKind::getFromNodeKind<T>(), id,
                    [wanted = std::move(wanted)](const clang::DynTypedNode &node) { return wanted(*node.get<T>()); },
                    rule);
  }

  // Callbacks are timed per rule into `records` (FTLINT_PROFILE).
  void timeCallbacksInto(llvm::StringMap<llvm::TimeRecord> *records) { timings_ = records; }

  // Walks the unit's traversal scope and calls the rules back. With
  // `index`, the walk also records the unit index, and `recorded` is called
  // once the walk is over, before any rule is called back: the rules can then
  // ask the index about the whole unit. The index is recorded as its own walk
  // would (no implicit code, initialiser lists as written); C units only.
  void dispatch(clang::ASTContext &ast, IndexRecorder *index = nullptr,
                llvm::function_ref<void()> recorded = nullptr);

private:
  using Subscribers = llvm::StringMap<llvm::SmallVector<Callback *, 2>>;
  struct KindSubscription {
    clang::ASTNodeKind kind;
    std::string id;
    std::function<bool(const clang::DynTypedNode &)> wanted;
    Callback *rule;
  };
  static void subscribe(Subscribers &to, llvm::ArrayRef<llvm::StringRef> names, Callback *rule);
  void subscribeToKind(clang::ASTNodeKind kind, llvm::StringRef id,
                       std::function<bool(const clang::DynTypedNode &)> wanted, Callback *rule);
  // The subscriptions a node of `kind` is offered to, in the order they were made.
  const llvm::SmallVector<unsigned, 2> &subscriptionsFor(clang::ASTNodeKind kind);
  // The same for a statement, by its class: asked of every statement.
  const llvm::SmallVector<unsigned, 2> &subscriptionsFor(const clang::Stmt &s);
  llvm::SmallVector<unsigned, 2> offeredTo(clang::ASTNodeKind kind) const;
  friend class NodeWalker;

  Subscribers calls_, members_;
  std::vector<KindSubscription> kinds_;
  llvm::DenseMap<clang::ASTNodeKind, llvm::SmallVector<unsigned, 2>> byKind_;
  std::vector<std::optional<llvm::SmallVector<unsigned, 2>>> byStmtClass_;
  llvm::StringMap<llvm::TimeRecord> *timings_ = nullptr;
};

}  // namespace ftlint
