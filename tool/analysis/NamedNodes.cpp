#include "tool/analysis/NamedNodes.h"

#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/Matchers.h"

#include <algorithm>

using namespace clang;
using namespace clang::ast_matchers;

namespace ftlint {
namespace {

StringRef memberIdentifier(const MemberExpr &member) {
  const ValueDecl *decl = member.getMemberDecl();
  return decl->getIdentifier() ? decl->getName() : StringRef();
}

}  // namespace

void NamedNodes::subscribe(Subscribers &to, llvm::ArrayRef<llvm::StringRef> names, Callback *rule) {
  for (StringRef name : names) {
    // Unnamed callees and members ("") are never asked for.
    if (name.empty()) continue;
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
  auto callAskedFor = [this](const CallExpr &call) { return calls_.contains(calleeIdentifier(&call)); };
  auto fieldAskedFor = [this](const MemberExpr &member) { return members_.contains(memberIdentifier(member)); };
  if (!calls_.empty()) finder.addMatcher(callExpr(satisfies<CallExpr>(callAskedFor)).bind("call"), this);
  if (!members_.empty()) finder.addMatcher(memberExpr(satisfies<MemberExpr>(fieldAskedFor)).bind("member"), this);
}

void NamedNodes::run(const MatchFinder::MatchResult &result) {
  const Subscribers *subscribers = nullptr;
  StringRef name;
  if (const auto *call = result.Nodes.getNodeAs<CallExpr>("call")) {
    subscribers = &calls_;
    name = calleeIdentifier(call);
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
