#include "tool/analysis/BorrowedAccess.h"

#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/Provenance.h"

#include <fmt/format.h>

using namespace clang;
using namespace clang::ast_matchers;

namespace ftlint {
namespace {

// Macros over CPython internals: the outermost one the user wrote names the
// API. PySequence_Fast_GET_ITEM expands to PyList_GET_ITEM, so order matters.
const char *const kAccessMacros[] = {"PyList_GET_ITEM", "PyTuple_GET_ITEM", "PySequence_Fast_GET_ITEM",
                                     "PySequence_Fast_ITEMS", "PyCell_GET", "PyWeakref_GET_OBJECT"};

std::string outermostAccessMacro(SourceLocation loc, const SourceManager &sm, const LangOptions &lo) {
  std::string found;
  for (const auto &name : macroChain(loc, sm, lo))
    for (const char *m : kAccessMacros)
      if (name == m) found = name;
  return found;
}

}  // namespace

void registerBorrowedApiMatchers(MatchFinder &finder, MatchFinder::MatchCallback *callback, std::string_view rule) {
  std::vector<std::string> functions;
  bool anyMacro = false;
  for (const char *name : {"PyList_GetItem", "PyList_GET_ITEM", "PyDict_GetItem", "PyDict_GetItemWithError",
                           "_PyDict_GetItemWithError", "PyDict_GetItemString", "_PyDict_GetItemStringWithError",
                           "PyDict_SetDefault", "PyWeakref_GetObject", "PyWeakref_GET_OBJECT", "PyImport_AddModule",
                           "PyImport_AddModuleObject", "PyCell_GET", "PyEval_GetGlobals", "PyEval_GetLocals",
                           "PyEval_GetBuiltins", "PySys_GetObject"}) {
    const BorrowedApi *api = findBorrowedApi(name);
    if (!api || api->rule != rule) continue;
    // M->SI names (PyWeakref_GET_OBJECT, PyCell_GET on 3.12+) are calls too.
    functions.push_back(name);
    anyMacro |= api->isMacro;
  }
  if (!functions.empty())
    finder.addMatcher(
        callExpr(callee(functionDecl(hasAnyName(std::vector<llvm::StringRef>(functions.begin(), functions.end())))))
            .bind("borrowed-call"),
        callback);
  if (anyMacro)
    finder.addMatcher(memberExpr(member(hasAnyName("ob_item", "ob_ref", "wr_object"))).bind("borrowed-member"),
                      callback);
}

std::optional<BorrowedSite> borrowedSiteFromMatch(const MatchFinder::MatchResult &result, std::string_view rule) {
  const SourceManager &sm = *result.SourceManager;
  const LangOptions &lo = result.Context->getLangOpts();
  BorrowedSite site;
  if (const auto *call = result.Nodes.getNodeAs<CallExpr>("borrowed-call")) {
    site.api = findBorrowedApi(calleeName(call));
    // A function-like macro around an inline function: judge by the macro.
    std::string macro = outermostAccessMacro(call->getBeginLoc(), sm, lo);
    if (!macro.empty() && macro != calleeName(call)) return std::nullopt;
    site.site = call;
    if (site.api && site.api->containerArg >= 0 && static_cast<unsigned>(site.api->containerArg) < call->getNumArgs())
      site.container = call->getArg(site.api->containerArg);
  } else if (const auto *member = result.Nodes.getNodeAs<MemberExpr>("borrowed-member")) {
    std::string macro = outermostAccessMacro(member->getMemberLoc(), sm, lo);
    if (macro.empty()) return std::nullopt;
    site.api = findBorrowedApi(macro);
    site.site = member;
    site.container = stripCasts(member->getBase());
  }
  if (!site.api || site.api->rule != rule) return std::nullopt;
  return site;
}

void reportIfShared(TuContext &tu, const RuleInfo &rule, const BorrowedSite &site) {
  ASTContext &ast = tu.ast();
  std::string risk;
  if (site.container) {
    Provenance p = classifyContainer(site.container, site.site, ast);
    if (p.isPrivate) return;
    std::string object = sourceText(stripCasts(site.container), ast);
    if (tu.preprocessor().criticalSectionOn(ast.getSourceManager(), site.site->getBeginLoc(), object)) return;
    risk = fmt::format("{} into the {} {}, and {}: another thread can remove the item and free it while this "
                       "pointer is in use",
                       std::string(site.api->isMacro ? " is a borrowed reference" : "() returns a borrowed reference"),
                       site.api->container, p.what, p.why);
  } else {
    risk = fmt::format("() returns a borrowed reference into {}, which other threads may change", site.api->container);
  }
  std::string message = fmt::format("{}{}; use {}() (Python {}+) for a strong reference", site.api->name, risk,
                                    site.api->replacement, site.api->addedIn);
  tu.report(rule, site.site->getSourceRange(), std::move(message));
}

}  // namespace ftlint
