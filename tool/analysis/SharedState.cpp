#include "tool/analysis/SharedState.h"

#include "tool/analysis/TuContext.h"

#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/Parents.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ParentMapContext.h"

using namespace clang;

namespace ftlint {
namespace {

bool isAtomicType(QualType type) {
  if (type->isAtomicType()) return true;
  if (const auto *record = type->getAsCXXRecordDecl()) {
    llvm::StringRef name = record->getName();
    return name == "atomic" || name == "atomic_flag" || name.starts_with("atomic_");
  }
  return false;
}

const VarDecl *nullTestedVariable(const Expr *cond, ASTContext &ast) {
  cond = cond->IgnoreParenImpCasts();
  auto sharedRef = [](const Expr *e) -> const VarDecl * {
    const auto *ref = dyn_cast<DeclRefExpr>(stripCasts(e));
    const auto *var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
    return var && isMutableSharedVariable(var) ? var : nullptr;
  };
  auto isNull = [&](const Expr *e) { return isNullPointer(e, ast); };
  if (const auto *uo = dyn_cast<UnaryOperator>(cond); uo && uo->getOpcode() == UO_LNot) return sharedRef(uo->getSubExpr());
  if (const auto *bo = dyn_cast<BinaryOperator>(cond)) {
    if (bo->getOpcode() == BO_EQ) {
      if (isNull(bo->getRHS())) return sharedRef(bo->getLHS());
      if (isNull(bo->getLHS())) return sharedRef(bo->getRHS());
    }
    if (bo->getOpcode() == BO_LAnd || bo->getOpcode() == BO_LOr) {
      if (const VarDecl *v = nullTestedVariable(bo->getLHS(), ast)) return v;
      return nullTestedVariable(bo->getRHS(), ast);
    }
  }
  return nullptr;
}

}  // namespace

bool isMutableSharedVariable(const VarDecl *var) {
  if (!var || !var->hasGlobalStorage() || var->getTLSKind() != VarDecl::TLS_None) return false;
  QualType type = var->getType();
  if (type.isConstQualified() || isAtomicType(type)) return false;
  if (const auto *array = dyn_cast<ArrayType>(type.getTypePtr())) {
    if (array->getElementType().isConstQualified() || isAtomicType(array->getElementType())) return false;
  }
  return true;
}

const VarDecl *writtenSharedVariable(TuContext &tu, const Expr *target) {
  const Expr *e = target->IgnoreParenImpCasts();
  while (true) {
    if (const auto *sub = dyn_cast<ArraySubscriptExpr>(e)) e = sub->getBase()->IgnoreParenImpCasts();
    else if (const auto *me = dyn_cast<MemberExpr>(e); me && !me->isArrow()) e = me->getBase()->IgnoreParenImpCasts();
    else break;
  }
  const auto *ref = dyn_cast<DeclRefExpr>(e);
  const auto *var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
  if (!isMutableSharedVariable(var)) return nullptr;
  if (tu.preprocessor().deadInFreeThreadedBuild(tu.sourceManager(), var->getLocation())) return nullptr;
  return var;
}

std::optional<LazyInit> lazyInitOf(const Stmt *write, ASTContext &ast) {
  DynTypedNode node = DynTypedNode::create(*write);
  const Stmt *child = write;
  for (int depth = 0; depth < 64; ++depth) {
    auto parents = parentsOf(node, ast);
    if (parents.empty()) return std::nullopt;
    node = parents[0];
    if (node.get<FunctionDecl>()) return std::nullopt;
    const auto *ifs = node.get<IfStmt>();
    if (ifs && ifs->getThen() == child)
      if (const VarDecl *v = nullTestedVariable(ifs->getCond(), ast)) return LazyInit{ifs, v};
    if (const Stmt *s = node.get<Stmt>()) child = s;
  }
  return std::nullopt;
}

}  // namespace ftlint
