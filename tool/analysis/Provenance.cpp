#include "tool/analysis/Provenance.h"

#include "tool/analysis/ApiTables.h"
#include "tool/analysis/AstHelpers.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"

#include <fmt/format.h>

using namespace clang;

namespace ftlint {
namespace {

Provenance classify(const Expr *container, const Stmt *site, ASTContext &ctx, int depth);

// `args` in `f(PyObject *self, PyObject *args[, PyObject *kwargs])`: the tuple
// CPython passes to METH_VARARGS functions.
bool isPositionalArgumentsTuple(const ParmVarDecl *param) {
  const auto *fd = dyn_cast<FunctionDecl>(param->getDeclContext());
  return fd && param->getName() == "args" && param->getFunctionScopeIndex() == 1 &&
         (fd->getNumParams() == 2 || fd->getNumParams() == 3);
}

struct Definition {
  unsigned position = 0;
  const Expr *value = nullptr;  // the assigned value
};

// Every (re)definition of a local variable in its function, and every other
// reference to it.
class VariableUses : public RecursiveASTVisitor<VariableUses> {
public:
  VariableUses(const VarDecl *var, const SourceManager &sm) : var_(var), sm_(sm) {}

  bool VisitBinaryOperator(BinaryOperator *bo) {
    if (bo->getOpcode() != BO_Assign) return true;
    if (const auto *ref = dyn_cast<DeclRefExpr>(bo->getLHS()->IgnoreParenImpCasts());
        ref && ref->getDecl() == var_) {
      definitions.push_back({fileOffset(sm_, bo->getBeginLoc()), bo->getRHS()});
      assignedRefs.push_back(ref);
    }
    return true;
  }
  bool VisitDeclRefExpr(DeclRefExpr *ref) {
    if (ref->getDecl() == var_) refs.push_back(ref);
    return true;
  }

  std::vector<Definition> definitions;
  std::vector<const DeclRefExpr *> refs;
  std::vector<const DeclRefExpr *> assignedRefs;

private:
  const VarDecl *var_;
  const SourceManager &sm_;
};

// What a local variable holds at one point of its function.
struct LocalHistory {
  VariableUses uses;
  const Definition *reaching = nullptr;   // last definition before the site
  const CallExpr *filledBy = nullptr;     // `&var` passed to this call after it
  bool filledThroughPointer = false;
  unsigned sitePosition = 0;

  LocalHistory(const VarDecl *var, const Stmt *site, ASTContext &ctx) : uses(var, ctx.getSourceManager()) {
    const SourceManager &sm = ctx.getSourceManager();
    const FunctionDecl *fn = enclosingFunction(site, ctx);
    if (!fn || !fn->hasBody()) return;
    uses.TraverseStmt(fn->getBody());
    if (var->getInit()) uses.definitions.push_back({fileOffset(sm, var->getLocation()), var->getInit()});
    sitePosition = fileOffset(sm, site->getBeginLoc());
    for (const auto &d : uses.definitions)
      if (d.position < sitePosition && (!reaching || d.position > reaching->position)) reaching = &d;
    // Set through `&var` (PyArg_ParseTuple, out-parameters) after that.
    for (const DeclRefExpr *ref : uses.refs) {
      const auto *uo = dyn_cast_or_null<UnaryOperator>(meaningfulParent(ref, ctx).parent);
      unsigned pos = fileOffset(sm, ref->getLocation());
      if (!uo || uo->getOpcode() != UO_AddrOf || pos >= sitePosition || (reaching && pos <= reaching->position))
        continue;
      filledThroughPointer = true;
      filledBy = dyn_cast_or_null<CallExpr>(meaningfulParent(uo, ctx).parent);
    }
  }

  const Expr *value() const { return filledThroughPointer || !reaching ? nullptr : reaching->value; }
};

std::string buildValueFormat(const CallExpr *call) {
  if (call->getNumArgs() == 0) return {};
  if (const auto *lit = dyn_cast<StringLiteral>(stripCasts(call->getArg(0)))) return lit->getString().str();
  return {};
}

const CallExpr *asCall(const Expr *e) { return e ? dyn_cast<CallExpr>(stripCasts(e)) : nullptr; }

bool isFreshCreation(const Expr *value, std::string &creator) {
  const CallExpr *call = asCall(value);
  if (!call) return false;
  creator = calleeName(call);
  return createsFreshContainer(creator, buildValueFormat(call));
}

// Does this reference let the object escape? Returns a phrase saying how.
std::string publication(const DeclRefExpr *ref, ASTContext &ctx) {
  const SourceManager &sm = ctx.getSourceManager();
  // Inside a macro that only reads its arguments (Py_DECREF, PyList_GET_SIZE...).
  if (ref->getLocation().isMacroID())
    for (const auto &m : macroChain(ref->getLocation(), sm, ctx.getLangOpts()))
      if (isReadOnlyMacro(m)) return {};
  ParentLink link = meaningfulParent(ref, ctx);
  unsigned line = fileLine(sm, ref->getLocation());
  if (link.parentDecl) {
    if (const auto *vd = dyn_cast<VarDecl>(link.parentDecl))
      return fmt::format("it was copied to '{}' on line {}", vd->getName().str(), line);
    return {};
  }
  const Stmt *p = link.parent;
  if (!p) return {};
  if (const auto *call = dyn_cast<CallExpr>(p)) {
    for (unsigned i = 0; i < call->getNumArgs(); ++i) {
      if (call->getArg(i) != link.child) continue;
      std::string callee = calleeName(call);
      if (callee.empty()) return fmt::format("it was passed to a function pointer on line {}", line);
      if (argumentUse(callee, i) == ArgumentUse::Keeps)
        return fmt::format("it was passed to '{}' on line {}", callee, line);
      return {};
    }
    return {};
  }
  if (isa<CXXConstructExpr>(p) || isa<InitListExpr>(p))
    return fmt::format("it was stored in an aggregate on line {}", line);
  if (isa<ReturnStmt>(p)) return fmt::format("it was returned on line {}", line);
  if (const auto *bo = dyn_cast<BinaryOperator>(p); bo && bo->isAssignmentOp() && bo->getRHS() == link.child)
    return fmt::format("it was stored in '{}' on line {}", sourceText(bo->getLHS(), ctx), line);
  if (const auto *uo = dyn_cast<UnaryOperator>(p); uo && uo->getOpcode() == UO_AddrOf)
    return fmt::format("its address was taken on line {}", line);
  return {};
}

// A use after the site still matters when a loop takes it back to the site
// without passing the definition again.
bool loopsBackWithoutRedefining(const Stmt *use, const Stmt *site, unsigned defPosition, ASTContext &ctx) {
  const SourceManager &sm = ctx.getSourceManager();
  auto siteLoops = enclosingLoops(site, ctx);
  for (const Stmt *loop : enclosingLoops(use, ctx)) {
    if (std::find(siteLoops.begin(), siteLoops.end(), loop) == siteLoops.end()) continue;
    unsigned begin = fileOffset(sm, loop->getBeginLoc()), end = fileOffset(sm, loop->getEndLoc());
    if (!(begin <= defPosition && defPosition <= end)) return true;
  }
  return false;
}

Provenance classifyLocal(const VarDecl *var, const Stmt *site, ASTContext &ctx, int depth) {
  const SourceManager &sm = ctx.getSourceManager();
  std::string name = fmt::format("'{}'", var->getName().str());
  LocalHistory history(var, site, ctx);

  if (history.filledThroughPointer) {
    std::string callee = history.filledBy ? calleeName(history.filledBy) : "";
    if (llvm::StringRef(callee).starts_with("PyArg_"))
      return {false, name, fmt::format("it is an argument parsed by {}()", callee)};
    return {false, name, callee.empty() ? "it is set through a pointer" : fmt::format("it is filled in by {}()", callee)};
  }
  const Expr *value = history.value();
  if (!value) return {false, name, "its origin is unknown"};

  // A copy of another variable is what that variable is.
  if (const auto *other = dyn_cast<DeclRefExpr>(stripCasts(value)); other && other->getDecl() != var && depth < 4) {
    Provenance inner = classify(other, site, ctx, depth + 1);
    inner.what = fmt::format("{} (a copy of {})", name, inner.what);
    return inner;
  }
  std::string creator;
  if (!isFreshCreation(value, creator)) {
    const CallExpr *call = asCall(value);
    if (call && !calleeName(call).empty())
      return {false, name, fmt::format("it is the result of {}(), which may return a shared object", calleeName(call))};
    return {false, name, "it comes from code that may share it"};
  }

  // Created here: private until published.
  unsigned defPosition = history.reaching->position;
  for (const DeclRefExpr *ref : history.uses.refs) {
    const auto &assigned = history.uses.assignedRefs;
    if (std::find(assigned.begin(), assigned.end(), ref) != assigned.end()) continue;
    unsigned pos = fileOffset(sm, ref->getLocation());
    if (pos <= defPosition) continue;
    if (pos >= history.sitePosition && !loopsBackWithoutRedefining(ref, site, defPosition, ctx)) continue;
    std::string how = publication(ref, ctx);
    if (!how.empty()) return {false, name, how};
  }
  return {true, name, fmt::format("it was created here by {}()", creator)};
}

Provenance classify(const Expr *container, const Stmt *site, ASTContext &ctx, int depth) {
  const Expr *e = stripCasts(container);
  std::string text = fmt::format("'{}'", sourceText(e, ctx));
  if (const auto *ref = dyn_cast<DeclRefExpr>(e)) {
    const auto *var = dyn_cast<VarDecl>(ref->getDecl());
    if (!var) return {false, text, "its origin is unknown"};
    std::string name = fmt::format("'{}'", var->getName().str());
    if (const auto *param = dyn_cast<ParmVarDecl>(var)) {
      if (isKeywordArgumentsName(var->getName()))
        return {true, name, "keyword-argument dicts are built fresh for each call"};
      if (isPositionalArgumentsTuple(param))
        return {true, name, "the positional-argument tuple of a call is immutable"};
      const auto *fd = dyn_cast<FunctionDecl>(param->getDeclContext());
      return {false, name,
              fd ? fmt::format("it is an argument of '{}'", fd->getNameAsString()) : "it is a function argument"};
    }
    if (var->hasGlobalStorage())
      return {false, name, var->isStaticLocal() ? "it is a static variable" : "it is a global variable"};
    return classifyLocal(var, site, ctx, depth);
  }
  if (const auto *member = dyn_cast<MemberExpr>(e))
    return {false, text,
            fmt::format("it is the field '{}' of an object other threads may reach",
                        member->getMemberDecl()->getNameAsString())};
  if (const auto *call = dyn_cast<CallExpr>(e)) {
    std::string creator;
    if (isFreshCreation(call, creator)) return {true, text, fmt::format("it was created here by {}()", creator)};
    std::string callee = calleeName(call);
    return {false, text,
            callee.empty() ? "it comes from a call that may return a shared object"
                           : fmt::format("it is the result of {}(), which may return a shared object", callee)};
  }
  return {false, text, "other threads may reach it"};
}

}  // namespace

Provenance classifyContainer(const Expr *container, const Stmt *site, ASTContext &ctx) {
  return classify(container, site, ctx, 0);
}

const Expr *valueAt(const Expr *e, const Stmt *site, ASTContext &ctx) {
  const auto *ref = dyn_cast<DeclRefExpr>(stripCasts(e));
  const auto *var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
  if (!var || isa<ParmVarDecl>(var) || var->hasGlobalStorage()) return nullptr;
  LocalHistory history(var, site, ctx);
  return history.value();
}

}  // namespace ftlint
