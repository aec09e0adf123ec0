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

Provenance classifyContainer(const Expr *container, const Stmt *site, ASTContext &ctx, int depth);

struct Definition {
  unsigned position = 0;
  const Expr *value = nullptr;  // null: set through a pointer or unknown
  const Stmt *stmt = nullptr;
};

// Every place `var` is (re)defined in `body`, and every other reference.
class VariableUses : public RecursiveASTVisitor<VariableUses> {
public:
  VariableUses(const VarDecl *var, const SourceManager &sm) : var_(var), sm_(sm) {}

  bool VisitBinaryOperator(BinaryOperator *bo) {
    if (bo->getOpcode() != BO_Assign) return true;
    if (const auto *ref = dyn_cast<DeclRefExpr>(bo->getLHS()->IgnoreParenImpCasts());
        ref && ref->getDecl() == var_) {
      definitions.push_back({fileOffset(sm_, bo->getBeginLoc()), bo->getRHS(), bo});
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

std::string buildValueFormat(const CallExpr *call) {
  if (call->getNumArgs() == 0) return {};
  if (const auto *lit = dyn_cast<StringLiteral>(stripCasts(call->getArg(0))))
    return lit->getString().str();
  return {};
}

bool isFreshCreation(const Expr *value, std::string &creator) {
  const auto *call = dyn_cast_or_null<CallExpr>(value ? stripCasts(value) : nullptr);
  if (!call) return false;
  creator = calleeName(call);
  return createsFreshContainer(creator, buildValueFormat(call));
}

// Does this reference let the object escape? Returns a phrase saying how.
std::string publication(const DeclRefExpr *ref, ASTContext &ctx) {
  const SourceManager &sm = ctx.getSourceManager();
  // Inside a macro that only reads its arguments (Py_DECREF, PyList_GET_SIZE...).
  if (ref->getLocation().isMacroID()) {
    for (const auto &m : macroChain(ref->getLocation(), sm, ctx.getLangOpts()))
      if (isReadOnlyMacro(m)) return {};
  }
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
  if (const auto *bo = dyn_cast<BinaryOperator>(p)) {
    if (bo->isAssignmentOp() && bo->getRHS() == link.child)
      return fmt::format("it was stored in '{}' on line {}", sourceText(bo->getLHS(), ctx), line);
    return {};
  }
  if (const auto *uo = dyn_cast<UnaryOperator>(p); uo && uo->getOpcode() == UO_AddrOf)
    return fmt::format("its address was taken on line {}", line);
  if (const auto *co = dyn_cast<ConditionalOperator>(p)) {
    // `x ? d : e` passes the value on: judge the conditional's own use.
    (void)co;
    return {};
  }
  return {};
}

bool sharesLoopWithout(const Stmt *a, const Stmt *b, unsigned defPosition, ASTContext &ctx) {
  const SourceManager &sm = ctx.getSourceManager();
  auto loopsA = enclosingLoops(a, ctx);
  auto loopsB = enclosingLoops(b, ctx);
  for (const Stmt *la : loopsA) {
    if (std::find(loopsB.begin(), loopsB.end(), la) == loopsB.end()) continue;
    unsigned begin = fileOffset(sm, la->getBeginLoc()), end = fileOffset(sm, la->getEndLoc());
    if (!(begin <= defPosition && defPosition <= end)) return true;
  }
  return false;
}

Provenance classifyLocal(const VarDecl *var, const Stmt *site, ASTContext &ctx, int depth) {
  const SourceManager &sm = ctx.getSourceManager();
  std::string name = var->getName().str();
  const FunctionDecl *fn = enclosingFunction(site, ctx);
  if (!fn || !fn->hasBody()) return {false, fmt::format("'{}'", name), "its origin is unknown"};

  VariableUses uses(var, sm);
  uses.TraverseStmt(fn->getBody());
  if (var->getInit())
    uses.definitions.push_back({fileOffset(sm, var->getLocation()), var->getInit(), nullptr});

  unsigned sitePos = fileOffset(sm, site->getBeginLoc());
  const Definition *reaching = nullptr;
  for (const auto &d : uses.definitions)
    if (d.position < sitePos && (!reaching || d.position > reaching->position)) reaching = &d;

  // Set through `&var` (PyArg_ParseTuple, out-parameters): origin unknown.
  for (const DeclRefExpr *ref : uses.refs) {
    ParentLink link = meaningfulParent(ref, ctx);
    const auto *uo = dyn_cast_or_null<UnaryOperator>(link.parent);
    unsigned pos = fileOffset(sm, ref->getLocation());
    if (uo && uo->getOpcode() == UO_AddrOf && pos < sitePos && (!reaching || pos > reaching->position)) {
      const auto *call = dyn_cast_or_null<CallExpr>(meaningfulParent(uo, ctx).parent);
      std::string callee = call ? calleeName(call) : "";
      if (llvm::StringRef(callee).starts_with("PyArg_"))
        return {false, fmt::format("'{}'", name), fmt::format("it is an argument parsed by {}()", callee)};
      return {false, fmt::format("'{}'", name),
              callee.empty() ? "it is set through a pointer" : fmt::format("it is filled in by {}()", callee)};
    }
  }

  std::string creator;
  if (!reaching) return {false, fmt::format("'{}'", name), "its origin is unknown"};
  // A copy of another variable is what that variable is.
  if (const auto *other = dyn_cast_or_null<DeclRefExpr>(reaching->value ? stripCasts(reaching->value) : nullptr);
      other && other->getDecl() != var && depth < 4) {
    Provenance inner = classifyContainer(other, site, ctx, depth + 1);
    inner.what = fmt::format("'{}' (a copy of {})", name, inner.what);
    return inner;
  }
  if (!isFreshCreation(reaching->value, creator)) {
    std::string origin = "it comes from code that may share it";
    if (const auto *call = dyn_cast_or_null<CallExpr>(reaching->value ? stripCasts(reaching->value) : nullptr))
      if (!calleeName(call).empty())
        origin = fmt::format("it is the result of {}(), which may return a shared object", calleeName(call));
    return {false, fmt::format("'{}'", name), origin};
  }

  // Created here: private until published.
  for (const DeclRefExpr *ref : uses.refs) {
    if (std::find(uses.assignedRefs.begin(), uses.assignedRefs.end(), ref) != uses.assignedRefs.end()) continue;
    unsigned pos = fileOffset(sm, ref->getLocation());
    if (pos >= sitePos && !sharesLoopWithout(ref, site, reaching->position, ctx)) continue;
    if (pos <= reaching->position) continue;
    std::string how = publication(ref, ctx);
    if (!how.empty()) return {false, fmt::format("'{}'", name), how};
  }
  return {true, fmt::format("'{}'", name), fmt::format("it was created here by {}()", creator)};
}

Provenance classifyContainer(const Expr *container, const Stmt *site, ASTContext &ctx, int depth) {
  const Expr *e = stripCasts(container);
  std::string text = sourceText(container, ctx);
  if (const auto *ref = dyn_cast<DeclRefExpr>(e)) {
    const auto *var = dyn_cast<VarDecl>(ref->getDecl());
    if (!var) return {false, fmt::format("'{}'", text), "its origin is unknown"};
    std::string name = var->getName().str();
    if (const auto *param = dyn_cast<ParmVarDecl>(var)) {
      if (isKeywordArgumentsName(name))
        return {true, fmt::format("'{}'", name), "keyword-argument dicts are built fresh for each call"};
      std::string fn;
      if (const auto *fd = dyn_cast<FunctionDecl>(param->getDeclContext())) fn = fd->getNameAsString();
      return {false, fmt::format("'{}'", name),
              fn.empty() ? "it is a function argument" : fmt::format("it is an argument of '{}'", fn)};
    }
    if (var->hasGlobalStorage())
      return {false, fmt::format("'{}'", name),
              var->isStaticLocal() ? "it is a static variable" : "it is a global variable"};
    return classifyLocal(var, site, ctx, depth);
  }
  if (const auto *member = dyn_cast<MemberExpr>(e))
    return {false, fmt::format("'{}'", text),
            fmt::format("it is the field '{}' of an object other threads may reach",
                        member->getMemberDecl()->getNameAsString())};
  if (const auto *call = dyn_cast<CallExpr>(e)) {
    std::string creator;
    if (isFreshCreation(call, creator))
      return {true, fmt::format("'{}'", text), fmt::format("it was created here by {}()", creator)};
    std::string callee = calleeName(call);
    return {false, fmt::format("'{}'", text),
            callee.empty() ? "it comes from a call that may return a shared object"
                           : fmt::format("it is the result of {}(), which may return a shared object", callee)};
  }
  return {false, fmt::format("'{}'", text), "other threads may reach it"};
}

}  // namespace

Provenance classifyContainer(const Expr *container, const Stmt *site, ASTContext &ctx) {
  return classifyContainer(container, site, ctx, 0);
}

}  // namespace ftlint
