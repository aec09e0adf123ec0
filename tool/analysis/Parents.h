// Parents of AST nodes, built one top-level declaration at a time.
//
// clang's ASTContext::getParents() maps every node of the translation unit on
// its first call; on a large file that costs more than most rules. The rules
// only ask about nodes in the functions they report in, so this index maps a
// top-level declaration (a function, a struct, a global) the first time a
// node inside it is asked about. The answers are clang's: same parents, same
// order. A node the index cannot place is answered by clang's own map. C++
// units are mapped all at once (see parents()).
#pragma once

#include "clang/AST/ASTContext.h"
#include "clang/AST/ParentMapContext.h"

#include "llvm/ADT/DenseMap.h"

#include "tool/core/NodeAddressKeys.h"

#include <deque>
#include <vector>

namespace ftlint {

class ParentIndex {
public:
  explicit ParentIndex(clang::ASTContext &ctx);
  ParentIndex(const ParentIndex &) = delete;
  ParentIndex &operator=(const ParentIndex &) = delete;

  clang::DynTypedNodeList parents(const clang::DynTypedNode &node);
  clang::ASTContext &context() const { return ctx_; }
  // How many questions went to clang's whole-unit map (for the tests).
  size_t answeredByClang() const { return answeredByClang_; }

private:
  // A declaration traversed as a whole: its nodes' parents are recorded
  // together the first time one of them is asked about.
  struct Unit {
    clang::Decl *decl;
    clang::SourceLocation begin, end;  // expansion locations
    bool mapped = false;
  };
  using ParentList = llvm::SmallVector<clang::DynTypedNode, 1>;

  void collectUnits(clang::Decl *decl, const clang::DynTypedNode &parent);
  void map(Unit &unit);
  void mapEverything();
  // Records `parent` as a parent of `node` (once).
  void addParent(const clang::DynTypedNode &node, const clang::DynTypedNode &parent);
  const ParentList *find(const clang::DynTypedNode &node) const;
  // The slot of `node`'s list index, made when missing.
  std::pair<unsigned *, bool> slotFor(const clang::DynTypedNode &node);
  // Whether `unit` may hold the node at `loc`.
  bool covers(const Unit &unit, clang::SourceLocation loc) const;
  clang::SourceLocation locationOf(const clang::DynTypedNode &node) const;
  bool before(clang::SourceLocation a, clang::SourceLocation b) const;

  clang::ASTContext &ctx_;
  const clang::SourceManager &sm_;
  std::vector<Unit> units_;
  bool mappedEverything_ = false;
  size_t answeredByClang_ = 0;            // in source order of their beginnings
  std::vector<clang::SourceLocation> furthestEnd_;  // max end of units_[0..i]
  // Statements and declarations by address (nearly every node); type
  // locations and the other kinds by value.
  NodeMap<const void, unsigned> byAddress_;
  llvm::DenseMap<clang::DynTypedNode, unsigned> byValue_;
  // Lists never move once made, so a DynTypedNodeList a caller holds stays
  // valid while more units are mapped; a list that grows is copied.
  std::deque<ParentList> lists_;
  friend class ParentRecorder;
};

// Makes parentsOf() answer from a ParentIndex for `ctx` on this thread (the
// thread that analyses this translation unit) while it lives.
class ScopedParentIndex {
public:
  explicit ScopedParentIndex(clang::ASTContext &ctx);
  ~ScopedParentIndex();
  ScopedParentIndex(const ScopedParentIndex &) = delete;
  ScopedParentIndex &operator=(const ScopedParentIndex &) = delete;

private:
  ParentIndex index_;
  ParentIndex *previous_;
};

// The parents of `node`: from this thread's ParentIndex for `ctx` when there
// is one, else from clang's whole-unit map. FTLINT_CHECK_PARENTS=1 compares
// every answer with clang's and stops on a difference (for the tests).
clang::DynTypedNodeList parentsOf(const clang::DynTypedNode &node, clang::ASTContext &ctx);
template <typename T>
clang::DynTypedNodeList parentsOf(const T &node, clang::ASTContext &ctx) {
  return parentsOf(clang::DynTypedNode::create(node), ctx);
}

}  // namespace ftlint
