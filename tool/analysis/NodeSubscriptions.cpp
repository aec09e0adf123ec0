#include "tool/analysis/NodeSubscriptions.h"

#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/TuIndex.h"

#include "clang/AST/RecursiveASTVisitor.h"

#include <algorithm>
#include <optional>

using namespace clang;
using namespace clang::ast_matchers;
using clang::ast_matchers::internal::BoundNodesTreeBuilder;

namespace ftlint {
namespace {

StringRef memberIdentifier(const MemberExpr &member) {
  const ValueDecl *decl = member.getMemberDecl();
  return decl->getIdentifier() ? decl->getName() : StringRef();
}

}  // namespace

void NodeSubscriptions::subscribe(Subscribers &to, llvm::ArrayRef<llvm::StringRef> names, Callback *rule) {
  for (StringRef name : names) {
    // Unnamed callees and members ("") are never asked for.
    if (name.empty()) continue;
    auto &rules = to[name];
    // A rule asking twice for a name is still called once per node.
    if (std::find(rules.begin(), rules.end(), rule) == rules.end()) rules.push_back(rule);
  }
}

void NodeSubscriptions::onCallsTo(llvm::ArrayRef<llvm::StringRef> functions, Callback *rule) {
  subscribe(calls_, functions, rule);
}

void NodeSubscriptions::onMembersNamed(llvm::ArrayRef<llvm::StringRef> fields, Callback *rule) {
  subscribe(members_, fields, rule);
}

void NodeSubscriptions::subscribeToKind(ASTNodeKind kind, StringRef id, std::function<bool(const DynTypedNode &)> wanted,
                                        Callback *rule) {
  kinds_.push_back({kind, id.str(), std::move(wanted), rule});
  byKind_.clear();
  byStmtClass_.clear();
}

llvm::SmallVector<unsigned, 2> NodeSubscriptions::offeredTo(ASTNodeKind kind) const {
  llvm::SmallVector<unsigned, 2> out;
  for (unsigned i = 0; i < kinds_.size(); ++i)
    if (kinds_[i].kind.isBaseOf(kind)) out.push_back(i);
  return out;
}

const llvm::SmallVector<unsigned, 2> &NodeSubscriptions::subscriptionsFor(ASTNodeKind kind) {
  auto [it, added] = byKind_.try_emplace(kind);
  if (added) it->second = offeredTo(kind);
  return it->second;
}

const llvm::SmallVector<unsigned, 2> &NodeSubscriptions::subscriptionsFor(const Stmt &s) {
  // Sized once: the slots never move.
  if (byStmtClass_.empty()) byStmtClass_.resize(Stmt::lastStmtConstant + 1);
  std::optional<llvm::SmallVector<unsigned, 2>> &slot = byStmtClass_[s.getStmtClass()];
  if (!slot) slot = offeredTo(ASTNodeKind::getFromNode(s));
  return *slot;
}

// Offers nodes to their subscribers, and binds them as a matcher would once
// the walk is over. Optionally records the unit index on the way.
class NodeWalker : public RecursiveASTVisitor<NodeWalker>, private BoundNodesTreeBuilder::Visitor {
public:
  NodeWalker(NodeSubscriptions &subscriptions, ASTContext &ast, IndexRecorder *index)
      : subs_(subscriptions), ast_(ast), index_(index) {}

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }

  // A node is offered when its parent reaches it, as clang's matchers do:
  // a node's children are offered before its grandchildren, and a node the
  // walk reaches without TraverseStmt (the semantic form of an initialiser
  // list) is not offered.
  bool TraverseStmt(Stmt *s, DataRecursionQueue *queue = nullptr) {
    if (s) offerStmt(*s);
    if (s && queue && listChildren_ != ListChildren::None) noteListChild(*s);
    return RecursiveASTVisitor::TraverseStmt(s, queue);
  }
  bool TraverseDecl(Decl *d) {
    if (d && !subs_.kinds_.empty()) {
      DynTypedNode node = DynTypedNode::create(*d);
      offer(subs_.subscriptionsFor(node.getNodeKind()), node);
    }
    // The index's own walk leaves implicit declarations out.
    bool implicit = index_ && d && d->isImplicit();
    hidden_ += implicit;
    bool more = RecursiveASTVisitor::TraverseDecl(d);
    hidden_ -= implicit;
    return more;
  }

  // Recording the index: what the index's own walk would see.
  bool TraverseFunctionDecl(FunctionDecl *fd) {
    return inFunction(fd, [&] { return RecursiveASTVisitor::TraverseFunctionDecl(fd); });
  }
  bool TraverseCXXMethodDecl(CXXMethodDecl *md) {
    return inFunction(md, [&] { return RecursiveASTVisitor::TraverseCXXMethodDecl(md); });
  }
  bool VisitCallExpr(CallExpr *call) { return !recording() || (index_->call(call), true); }
  bool VisitDeclRefExpr(DeclRefExpr *ref) { return !recording() || (index_->declRef(ref), true); }
  bool VisitBinaryOperator(BinaryOperator *bo) { return !recording() || (index_->binaryOperator(bo), true); }
  bool VisitMemberExpr(MemberExpr *me) { return !recording() || (index_->member(me), true); }
  bool VisitOffsetOfExpr(OffsetOfExpr *e) { return !recording() || (index_->offsetOf(e), true); }
  bool VisitVarDecl(VarDecl *vd) { return !recording() || (index_->varDecl(vd), true); }
  bool VisitUnaryExprOrTypeTraitExpr(UnaryExprOrTypeTraitExpr *e) { return !recording() || (index_->sizeOf(e), true); }
  bool VisitInitListExpr(InitListExpr *list) {
    if (!index_) return true;
    // The walk visits a list that has two forms as written, then as the
    // compiler completed it, and queues the children of each right after.
    bool twoForms = !(list->isSemanticForm() && list->isSyntacticForm());
    bool completedForm = twoForms && list->isSemanticForm();
    listChildren_ = !twoForms ? ListChildren::None : completedForm ? ListChildren::Completed : ListChildren::Written;
    if (recording() && !completedForm) index_->initList(list);
    return true;
  }
  // What is queued after the list's two forms is no longer theirs.
  bool TraverseInitListExpr(InitListExpr *list, DataRecursionQueue *queue = nullptr) {
    bool more = RecursiveASTVisitor::TraverseInitListExpr(list, queue);
    listChildren_ = ListChildren::None;
    return more;
  }
  // A queued statement is taken up: what it heads is hidden from the index
  // when it was queued as a child of a completed initialiser list only.
  bool dataTraverseStmtPre(Stmt *s) {
    if (queuedListChildren_ != 0 && takeHiddenListChild(*s)) {
      hiddenHeads_.push_back(s);
      ++hidden_;
    }
    return true;
  }
  // A statement's subtree is done. (A statement queued twice is taken up
  // the second time only after the first is done.)
  bool dataTraverseStmtPost(Stmt *s) {
    if (!hiddenHeads_.empty() && hiddenHeads_.back() == s) {
      hiddenHeads_.pop_back();
      --hidden_;
    }
    return true;
  }

  // Calls the rules back for the nodes offered during the walk.
  void callBackInOrder() {
    for (const Pending &p : pending_) {
      rules_ = p.rules;
      BoundNodesTreeBuilder bindings;
      bindings.setBinding(std::string(p.id), p.node);
      bindings.visitMatches(this);
    }
    pending_.clear();
  }

private:
  enum class ListChildren { None, Written, Completed };
  struct Pending {
    llvm::SmallVector<NodeSubscriptions::Callback *, 2> rules;
    StringRef id;
    DynTypedNode node;
  };

  bool recording() const { return index_ && hidden_ == 0; }
  template <typename Traverse>
  bool inFunction(FunctionDecl *fd, Traverse &&traverse) {
    if (!recording()) return traverse();
    const FunctionDecl *saved = index_->enterFunction(fd);
    bool more = traverse();
    index_->leaveFunction(saved);
    return more;
  }
  // A child of both forms of a list is queued twice, as written first: that
  // one is recorded, the other is not.
  void noteListChild(Stmt &child) {
    ++(listChildren_ == ListChildren::Written ? writtenChildren_ : completedChildren_)[&child];
    ++queuedListChildren_;
  }
  bool takeHiddenListChild(Stmt &s) {
    if (takeOne(writtenChildren_, s)) return false;
    return takeOne(completedChildren_, s);
  }
  bool takeOne(NodeMap<Stmt, unsigned> &queued, Stmt &s) {
    auto it = queued.find(&s);
    if (it == queued.end()) return false;
    if (--it->second == 0) queued.erase(it);
    --queuedListChildren_;
    return true;
  }

  void offerStmt(Stmt &s) {
    if (!subs_.kinds_.empty()) offer(subs_.subscriptionsFor(s), DynTypedNode::create(s));
    if (const auto *call = dyn_cast<CallExpr>(&s); call && !subs_.calls_.empty())
      offerByName(subs_.calls_, calleeIdentifier(call), "call", DynTypedNode::create(*call));
    if (const auto *member = dyn_cast<MemberExpr>(&s); member && !subs_.members_.empty())
      offerByName(subs_.members_, memberIdentifier(*member), "member", DynTypedNode::create(*member));
  }
  void offer(llvm::ArrayRef<unsigned> subscriptions, const DynTypedNode &node) {
    for (unsigned i : subscriptions) {
      const NodeSubscriptions::KindSubscription &sub = subs_.kinds_[i];
      if (!sub.wanted(node)) continue;
      llvm::SmallVector<NodeSubscriptions::Callback *, 2> one{sub.rule};
      callBack(one, sub.id, node);
    }
  }
  void offerByName(const NodeSubscriptions::Subscribers &subscribers, StringRef name, StringRef id,
                   const DynTypedNode &node) {
    auto found = subscribers.find(name);
    if (found != subscribers.end()) callBack(found->second, id, node);
  }
  // Rules are called back after the walk, so that whatever the walk records
  // is complete when they ask.
  void callBack(llvm::ArrayRef<NodeSubscriptions::Callback *> rules, StringRef id, const DynTypedNode &node) {
    pending_.push_back({llvm::SmallVector<NodeSubscriptions::Callback *, 2>(rules), id, node});
  }
  void visitMatch(const BoundNodes &bound) override {
    MatchFinder::MatchResult result(bound, &ast_);
    for (NodeSubscriptions::Callback *rule : rules_) {
      if (!subs_.timings_) {
        rule->run(result);
        continue;
      }
      llvm::TimeRecord &record = (*subs_.timings_)[rule->getID()];
      record -= llvm::TimeRecord::getCurrentTime(true);
      rule->run(result);
      record += llvm::TimeRecord::getCurrentTime(false);
    }
  }

  NodeSubscriptions &subs_;
  ASTContext &ast_;
  llvm::ArrayRef<NodeSubscriptions::Callback *> rules_;
  std::vector<Pending> pending_;
  // Recording the index: how deep the walk is in what the index's own walk
  // does not visit (implicit declarations, completed initialiser lists).
  IndexRecorder *index_;
  unsigned hidden_ = 0;
  llvm::SmallVector<Stmt *, 8> hiddenHeads_;  // statements that began a hidden subtree
  ListChildren listChildren_ = ListChildren::None;
  NodeMap<Stmt, unsigned> writtenChildren_, completedChildren_;
  unsigned queuedListChildren_ = 0;  // in both maps
};

void NodeSubscriptions::dispatch(ASTContext &ast, IndexRecorder *index, llvm::function_ref<void()> recorded) {
  if (calls_.empty() && members_.empty() && kinds_.empty() && !index) return;
  NodeWalker walker(*this, ast, index);
  walker.TraverseAST(ast);
  if (recorded) recorded();
  walker.callBackInOrder();
}

}  // namespace ftlint
