#include "tool/fix/CriticalSectionWrap.h"

#include "tool/analysis/AstHelpers.h"
#include "tool/fix/SourceEdits.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

#include <fmt/format.h>

using namespace clang;

namespace ftlint {
namespace {

WrapFix refuse(std::string why) {
  WrapFix w;
  w.whyNot = std::move(why);
  return w;
}

// The statement around `s`, looking through a declaration.
const Stmt *parentOf(ASTContext &ast, const Stmt *s) { return parentStatement(ast, s, true); }

// A variable or a chain of fields of one (`d`, `self->cache`, `st->map.d`):
// naming it twice reads the same object.
bool isPlainObject(const Expr *e) {
  e = stripCasts(e);
  while (const auto *m = dyn_cast<MemberExpr>(e)) e = stripCasts(m->getBase());
  return isa<DeclRefExpr>(e);
}

// The statement to wrap: the innermost loop around the site, else the
// statement of the enclosing block that holds it.
const Stmt *statementToWrap(ASTContext &ast, const Stmt *site) {
  auto loops = enclosingLoops(site, ast);
  if (!loops.empty()) return loops.front();
  const Stmt *s = site;
  for (const Stmt *p = parentOf(ast, s); p; s = p, p = parentOf(ast, p))
    if (isa<CompoundStmt>(p)) return s;
  return nullptr;
}

// A jump from inside `region` to outside it, described, or "".
std::string jumpLeaving(ASTContext &ast, const Stmt *region) {
  struct Jumps : RecursiveASTVisitor<Jumps> {
    ASTContext *ast;
    const Stmt *region;
    std::string found;
    bool inside(const Stmt *s) { return isWithin(*ast, s, region); }
    bool VisitReturnStmt(ReturnStmt *) {
      found = "a return";
      return false;
    }
    bool VisitGotoStmt(GotoStmt *g) {
      if (!inside(g->getLabel()->getStmt())) found = fmt::format("a goto to '{}'", g->getLabel()->getName().str());
      return found.empty();
    }
    bool VisitIndirectGotoStmt(IndirectGotoStmt *) {
      found = "a computed goto";
      return false;
    }
    bool VisitBreakStmt(BreakStmt *b) {
      const Stmt *t = jumpTarget(*ast, b);
      if (!t || !inside(t)) found = "a break";
      return found.empty();
    }
    bool VisitContinueStmt(ContinueStmt *c) {
      const Stmt *t = jumpTarget(*ast, c);
      if (!t || !inside(t)) found = "a continue";
      return found.empty();
    }
    bool VisitCXXThrowExpr(CXXThrowExpr *) {
      found = "a throw";
      return false;
    }
  } jumps;
  // A label inside that a jump from outside enters would skip the BEGIN.
  struct Entries : RecursiveASTVisitor<Entries> {
    ASTContext *ast;
    const Stmt *region;
    std::string found;
    bool VisitGotoStmt(GotoStmt *g) {
      if (isWithin(*ast, g->getLabel()->getStmt(), region) && !isWithin(*ast, g, region))
        found = fmt::format("a goto into the loop (label '{}')", g->getLabel()->getName().str());
      return found.empty();
    }
  } entries;
  entries.ast = &ast;
  entries.region = region;
  if (const FunctionDecl *f = enclosingFunction(region, ast); f && f->hasBody())
    entries.TraverseStmt(const_cast<Stmt *>(f->getBody()));
  if (!entries.found.empty()) return entries.found;
  jumps.ast = &ast;
  jumps.region = region;
  jumps.TraverseStmt(const_cast<Stmt *>(region));
  return jumps.found;
}

}  // namespace

WrapFix wrapInCriticalSection(TuContext &tu, const Stmt *site, const Expr *object) {
  ASTContext &ast = tu.ast();
  const SourceManager &sm = ast.getSourceManager();
  if (!object || !isPlainObject(object))
    return refuse("the container is not a plain variable or field, so ftlint cannot name it in a lock");
  const Expr *named = stripCasts(object);
  SourceEdits edits(ast);
  auto objectRange = edits.expressionRange(named);
  if (!objectRange) return refuse("the container is named inside a macro");
  std::string objectText = edits.text(*objectRange);

  const Stmt *target = statementToWrap(ast, site);
  if (!target || !isa_and_nonnull<CompoundStmt>(parentOf(ast, target)))
    return refuse("the loop is not a statement of its own block");
  if (isa<DeclStmt>(target)) return refuse("the access is in a declaration, whose variable the lock would hide");
  if (std::string jump = jumpLeaving(ast, target); jump.rfind("a goto into", 0) == 0)
    return refuse(jump + " would skip Py_BEGIN_CRITICAL_SECTION");
  else if (!jump.empty())
    return refuse(fmt::format("{} leaves the {} the lock would wrap, so the critical section would never end", jump,
                              enclosingLoops(site, ast).empty() ? "statement" : "loop"));
  if (!tu.preprocessor().criticalSectionsAround(sm, sm.getExpansionLoc(site->getBeginLoc())).empty())
    return refuse("another critical section already encloses the access; lock both with "
                  "Py_BEGIN_CRITICAL_SECTION2");

  auto range = edits.statementRange(target);
  if (!range) return refuse("the loop is written inside a macro");
  std::string indent = edits.indentOf(range->getBegin());
  edits.insert(range->getBegin(), fmt::format("Py_BEGIN_CRITICAL_SECTION({});\n{}", objectText, indent));
  edits.insert(range->getEnd(), fmt::format("\n{}Py_END_CRITICAL_SECTION();", indent));
  if (edits.failed()) return refuse("the loop is written inside a macro");
  WrapFix w;
  w.fix = Fix{Applicability::Safe,
              fmt::format("hold Py_BEGIN_CRITICAL_SECTION({}) around the {}", objectText,
                          enclosingLoops(site, ast).empty() ? "statement" : "loop"),
              edits.take()};
  return w;
}

}  // namespace ftlint
