#include "tool/analysis/BorrowedAccess.h"

#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/SharedAccess.h"
#include "tool/fix/Ownership.h"

#include <fmt/format.h>

using namespace clang;
using namespace clang::ast_matchers;

namespace ftlint {
namespace {

}  // namespace

// The outermost access macro the user wrote at `loc`: PySequence_Fast_GET_ITEM
// expands to PyList_GET_ITEM, and the user wrote the former.
std::string outermostAccessMacro(SourceLocation loc, const SourceManager &sm, const LangOptions &lo) {
  std::string found;
  for (const auto &name : macroChain(loc, sm, lo))
    if (isAccessMacro(name)) found = name;
  return found;
}

void subscribeToBorrowedApis(NodeSubscriptions &named, MatchFinder::MatchCallback *callback, std::string_view rule) {
  std::vector<llvm::StringRef> functions;
  bool anyMacro = false;
  for (const BorrowedApi &api : borrowedApis()) {
    if (api.rule != rule) continue;
    // Macros that wrap a same-name inline function (PyWeakref_GET_OBJECT,
    // PyCell_GET on 3.12+) are calls too.
    functions.push_back(llvm::StringRef(api.name.data(), api.name.size()));
    anyMacro |= api.isMacro;
  }
  named.onCallsTo(functions, callback);
  if (anyMacro) named.onMembersNamed({"ob_item", "ob_ref", "wr_object"}, callback);
}

std::optional<BorrowedSite> borrowedSiteFromMatch(const MatchFinder::MatchResult &result, std::string_view rule) {
  const SourceManager &sm = *result.SourceManager;
  const LangOptions &lo = result.Context->getLangOpts();
  BorrowedSite site;
  if (const auto *call = result.Nodes.getNodeAs<CallExpr>("call")) {
    site.api = findBorrowedApi(calleeName(call));
    // A function-like macro around an inline function: judge by the macro.
    std::string macro = outermostAccessMacro(call->getBeginLoc(), sm, lo);
    if (!macro.empty() && macro != calleeName(call)) return std::nullopt;
    site.site = call;
    if (site.api && site.api->containerArg >= 0 && static_cast<unsigned>(site.api->containerArg) < call->getNumArgs())
      site.container = call->getArg(site.api->containerArg);
  } else if (const auto *member = result.Nodes.getNodeAs<MemberExpr>("member")) {
    std::string macro = outermostAccessMacro(member->getMemberLoc(), sm, lo);
    if (macro.empty()) return std::nullopt;
    site.api = findBorrowedApi(macro);
    site.site = member;
    if (site.api && site.api->containerArg >= 0) site.container = stripCasts(member->getBase());
  }
  if (!site.api || site.api->rule != rule) return std::nullopt;
  return site;
}

void reportIfShared(TuContext &tu, const RuleInfo &rule, const BorrowedSite &site) {
  const BorrowedApi &api = *site.api;
  std::string borrowed = fmt::format("{}{}", api.name, api.isMacro ? " yields a borrowed reference" : "() returns a borrowed reference");
  std::string risk;
  std::string note;
  std::optional<SharedAccess> shared;
  if (site.container) {
    shared = sharedAccess(tu, site.site, site.container);
    if (!shared) return;
    risk = fmt::format("{} into the {} {}, and {}: another thread can remove the item and free it while this "
                       "pointer is in use",
                       borrowed, api.container, shared->provenance.what, shared->provenance.why);
    note = callersHoldLockNote(tu, site.site);
  } else {
    risk = fmt::format("{}, and {}", borrowed, api.risk);
  }
  std::string message = fmt::format("{}; use {}() (Python {}+) for a strong reference", risk, api.replacement,
                                    api.addedIn);
  if (!api.note.empty()) message += fmt::format(" ({})", api.note);
  SourceRange range = site.site->getSourceRange();
  Finding *f = shared ? reportSharedAccess(tu, rule, range, std::move(message), *shared)
                      : tu.report(rule, range, std::move(message));
  if (!f) return;
  if (!note.empty()) f->notes.push_back(note);
  offerOwnershipFix(tu, site, *f);
}

void offerOwnershipFix(TuContext &tu, const BorrowedSite &site, Finding &finding) {
  const BorrowedApi &api = *site.api;
  if (!isOneOf(api.rule, {"FT101", "FT102", "FT103", "FT104", "FT105"})) return;
  const auto *call = dyn_cast<CallExpr>(site.site);
  if (api.isMacro || !call) {
    finding.noFixReason = fmt::format("no automatic fix: {} cannot fail and {}() can, so the code needs an error "
                                      "path",
                                      api.name, api.replacement);
    // A weak reference has no lock that would keep its referent alive.
    if (api.containerArg >= 0)
      finding.noFixReason += fmt::format("; or hold a critical section on the {} instead", api.container);
    return;
  }
  OwnershipRewrite rewrite = rewriteBorrowedCall(tu.ast(), call, api);
  attachFix(finding, std::move(rewrite));
}

}  // namespace ftlint
