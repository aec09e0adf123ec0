#include "tool/analysis/SharedAccess.h"

#include "tool/analysis/AstHelpers.h"

#include <fmt/format.h>

using namespace clang;

namespace ftlint {

std::optional<SharedAccess> sharedAccess(TuContext &tu, const Expr *site, const Expr *object) {
  ASTContext &ast = tu.ast();
  Provenance p = classifyContainer(tu, object, site);
  if (p.isPrivate) return std::nullopt;
  std::string text = sourceText(stripCasts(object), ast);
  if (tu.preprocessor().criticalSectionOn(ast.getSourceManager(), site->getBeginLoc(), text)) return std::nullopt;
  return SharedAccess{std::move(p), std::move(text)};
}

Finding *reportSharedAccess(TuContext &tu, const RuleInfo &rule, SourceRange range, std::string message,
                            const SharedAccess &access) {
  Finding *f = tu.report(rule, range, std::move(message));
  if (f) f->confidence = access.provenance.confidence;
  return f;
}

std::string callersHoldLockNote(TuContext &tu, const Stmt *site) {
  ASTContext &ast = tu.ast();
  const FunctionDecl *fn = enclosingFunction(site, ast);
  if (!fn) return {};
  const auto &callers = tu.index().callsTo(fn);
  if (callers.empty()) return {};
  const SourceManager &sm = ast.getSourceManager();
  std::vector<std::string> where;
  for (const CallExpr *call : callers) {
    auto sections = tu.preprocessor().criticalSectionsAround(sm, call->getBeginLoc());
    if (sections.empty()) return {};
    const CriticalSection *cs = sections.back();
    where.push_back(fmt::format("line {} (locking {})", fileLine(sm, call->getBeginLoc()),
                                cs->objects.empty() ? std::string("a mutex") : "'" + cs->objects.front() + "'"));
  }
  std::string list;
  for (const auto &w : where) list += (list.empty() ? "" : ", ") + w;
  return fmt::format("every caller of '{}' in this file calls it inside a critical section: {}; if that lock "
                     "covers this object, the access is protected",
                     fn->getNameAsString(), list);
}

}  // namespace ftlint
