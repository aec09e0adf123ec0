#include "tool/analysis/NodeSubscriptions.h"

#include "tool/analysis/AstHelpers.h"

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

// Binds a node as a matcher would and calls its subscribers back.
class NodeWalker : public RecursiveASTVisitor<NodeWalker>, private BoundNodesTreeBuilder::Visitor {
public:
  NodeWalker(NodeSubscriptions &subscriptions, ASTContext &ast) : subs_(subscriptions), ast_(ast) {}

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }

  // A node is offered when its parent reaches it, as clang's matchers do:
  // a node's children are offered before its grandchildren, and a node the
  // walk reaches without TraverseStmt (the semantic form of an initialiser
  // list) is not offered.
  bool TraverseStmt(Stmt *s, DataRecursionQueue *queue = nullptr) {
    if (s) offerStmt(*s);
    return RecursiveASTVisitor::TraverseStmt(s, queue);
  }
  bool TraverseDecl(Decl *d) {
    if (d && !subs_.kinds_.empty()) {
      DynTypedNode node = DynTypedNode::create(*d);
      offer(subs_.subscriptionsFor(node.getNodeKind()), node);
    }
    return RecursiveASTVisitor::TraverseDecl(d);
  }

private:
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
  void callBack(llvm::ArrayRef<NodeSubscriptions::Callback *> rules, StringRef id, const DynTypedNode &node) {
    rules_ = rules;
    BoundNodesTreeBuilder bindings;
    bindings.setBinding(std::string(id), node);
    bindings.visitMatches(this);
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
};

void NodeSubscriptions::dispatch(ASTContext &ast) {
  if (calls_.empty() && members_.empty() && kinds_.empty()) return;
  NodeWalker(*this, ast).TraverseAST(ast);
}

}  // namespace ftlint
