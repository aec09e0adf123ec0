#include "tool/analysis/NamedNodes.h"

#include "tool/analysis/Matchers.h"

#include <algorithm>

using namespace clang;
using namespace clang::ast_matchers;

namespace ftlint {
namespace {

StringRef calleeIdentifier(const CallExpr &call) {
  const FunctionDecl *fn = call.getDirectCallee();
  return fn && fn->getIdentifier() ? fn->getName() : StringRef();
}

StringRef memberIdentifier(const MemberExpr &member) {
  const ValueDecl *decl = member.getMemberDecl();
  return decl->getIdentifier() ? decl->getName() : StringRef();
}

}  // namespace

void NamedNodes::subscribe(Subscribers &to, llvm::ArrayRef<llvm::StringRef> names, Callback *rule) {
  for (StringRef name : names) {
    auto &rules = to[name];
    // A rule asking twice for a name is still called once per node.
    if (std::find(rules.begin(), rules.end(), rule) == rules.end()) rules.push_back(rule);
  }
}

void NamedNodes::onCallsTo(llvm::ArrayRef<llvm::StringRef> functions, Callback *rule) {
  subscribe(calls_, functions, rule);
}

void NamedNodes::onMembersNamed(llvm::ArrayRef<llvm::StringRef> fields, Callback *rule) {
  subscribe(members_, fields, rule);
}

void NamedNodes::addMatchersTo(MatchFinder &finder) {
  if (!calls_.empty())
    finder.addMatcher(callExpr(satisfies<CallExpr>([this](const CallExpr &call) {
                        StringRef name = calleeIdentifier(call);
                        return !name.empty() && calls_.contains(name);
                      })).bind("call"),
                      this);
  if (!members_.empty())
    finder.addMatcher(memberExpr(satisfies<MemberExpr>([this](const MemberExpr &member) {
                        StringRef name = memberIdentifier(member);
                        return !name.empty() && members_.contains(name);
                      })).bind("member"),
                      this);
}

void NamedNodes::run(const MatchFinder::MatchResult &result) {
  const Subscribers *subscribers = nullptr;
  StringRef name;
  if (const auto *call = result.Nodes.getNodeAs<CallExpr>("call")) {
    subscribers = &calls_;
    name = calleeIdentifier(*call);
  } else if (const auto *member = result.Nodes.getNodeAs<MemberExpr>("member")) {
    subscribers = &members_;
    name = memberIdentifier(*member);
  }
  if (!subscribers) return;
  auto found = subscribers->find(name);
  if (found == subscribers->end()) return;
  for (Callback *rule : found->second) rule->run(result);
}

}  // namespace ftlint
