#include "tool/analysis/Locks.h"

#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/Parents.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/ExprCXX.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

#include <algorithm>
#include <initializer_list>

using namespace clang;

namespace ftlint {
namespace {

bool listed(std::initializer_list<llvm::StringRef> names, llvm::StringRef name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

bool isLockFunction(llvm::StringRef f) {
  return listed({"PyMutex_Lock", "_PyMutex_Lock", "pthread_mutex_lock", "pthread_spin_lock", "pthread_rwlock_wrlock",
                 "pthread_rwlock_rdlock", "EnterCriticalSection", "AcquireSRWLockExclusive", "AcquireSRWLockShared",
                 "PyThread_acquire_lock", "mtx_lock"},
                f);
}

bool isUnlockFunction(llvm::StringRef f) {
  return listed({"PyMutex_Unlock", "_PyMutex_Unlock", "pthread_mutex_unlock", "pthread_spin_unlock",
                 "pthread_rwlock_unlock", "LeaveCriticalSection", "ReleaseSRWLockExclusive", "ReleaseSRWLockShared",
                 "PyThread_release_lock", "mtx_unlock"},
                f);
}

// The name of the class template a type instantiates (lock_guard for
// std::lock_guard<std::mutex>), or the class name.
std::string className(QualType type) {
  const auto *record = type.getNonReferenceType()->getAsCXXRecordDecl();
  if (!record) return {};
  if (const auto *spec = dyn_cast<ClassTemplateSpecializationDecl>(record))
    return spec->getSpecializedTemplate()->getNameAsString();
  return record->getNameAsString();
}


// Variables whose type matches `pred`, declared in a block that is still
// open at `site` and before it.
template <typename Pred>
bool guardInScope(const Stmt *site, ASTContext &ast, Pred pred) {
  const SourceManager &sm = ast.getSourceManager();
  unsigned pos = fileOffset(sm, site->getBeginLoc());
  DynTypedNode node = DynTypedNode::create(*site);
  for (int depth = 0; depth < 256; ++depth) {
    auto parents = parentsOf(node, ast);
    if (parents.empty()) return false;
    node = parents[0];
    if (node.get<FunctionDecl>() || node.get<LambdaExpr>()) return false;
    const auto *block = node.get<CompoundStmt>();
    if (!block) continue;
    for (const Stmt *child : block->body()) {
      if (fileOffset(sm, child->getBeginLoc()) >= pos) break;
      if (const auto *decls = dyn_cast<DeclStmt>(child))
        for (const Decl *d : decls->decls())
          if (const auto *vd = dyn_cast<VarDecl>(d); vd && pred(vd->getType())) return true;
    }
  }
  return false;
}

// Calls in the function before `site` that take (+1) or release (-1).
int pairedCallsBefore(const Stmt *site, ASTContext &ast, llvm::function_ref<int(const CallExpr *)> weigh) {
  const FunctionDecl *fn = enclosingFunction(site, ast);
  if (!fn || !fn->getBody()) return 0;
  const SourceManager &sm = ast.getSourceManager();
  unsigned pos = fileOffset(sm, site->getBeginLoc());
  struct Calls : RecursiveASTVisitor<Calls> {
    std::vector<const CallExpr *> all;
    bool VisitCallExpr(CallExpr *c) { all.push_back(c); return true; }
  } calls;
  calls.TraverseStmt(fn->getBody());
  int balance = 0;
  for (const CallExpr *c : calls.all)
    if (fileOffset(sm, c->getBeginLoc()) < pos) balance += weigh(c);
  return balance;
}

std::string memberCallName(const CallExpr *call) {
  if (const auto *mc = dyn_cast<CXXMemberCallExpr>(call))
    if (const CXXMethodDecl *m = mc->getMethodDecl()) return m->getNameAsString();
  return {};
}

bool onStdMutex(const CallExpr *call) {
  const auto *mc = dyn_cast<CXXMemberCallExpr>(call);
  if (!mc || !mc->getImplicitObjectArgument()) return false;
  std::string cls = className(mc->getImplicitObjectArgument()->getType());
  return cls == "mutex" || cls == "recursive_mutex" || cls == "timed_mutex" || cls == "shared_mutex";
}

}  // namespace

bool isLockGuardType(QualType type) {
  std::string cls = className(type);
  return cls == "lock_guard" || cls == "unique_lock" || cls == "scoped_lock" || cls == "shared_lock";
}

bool isBlockingLockCall(const CallExpr *call) {
  // Asked of every call of the unit: no copies of names.
  llvm::StringRef name = calleeIdentifier(call);
  if (listed({"pthread_mutex_lock", "pthread_rwlock_wrlock", "pthread_rwlock_rdlock", "pthread_cond_wait",
              "pthread_cond_timedwait", "pthread_join", "sem_wait", "sem_timedwait", "WaitForSingleObject",
              "WaitForMultipleObjects", "EnterCriticalSection", "AcquireSRWLockExclusive", "AcquireSRWLockShared",
              "SleepConditionVariableCS", "SleepConditionVariableSRW", "mtx_lock", "cnd_wait", "thrd_join"},
             name))
    return true;
  if (!isa<CXXMemberCallExpr>(call)) return false;
  std::string method = memberCallName(call);
  return (method == "lock" && onStdMutex(call)) ||
         ((method == "wait" || method == "wait_for" || method == "wait_until") && [&] {
           const auto *mc = dyn_cast<CXXMemberCallExpr>(call);
           std::string cls = mc && mc->getImplicitObjectArgument()
                                 ? className(mc->getImplicitObjectArgument()->getType())
                                 : "";
           return cls == "condition_variable" || cls == "condition_variable_any";
         }());
}

bool lockHeldAt(TuContext &tu, const Stmt *site) {
  ASTContext &ast = tu.ast();
  const SourceManager &sm = ast.getSourceManager();
  if (!tu.preprocessor().criticalSectionsAround(sm, site->getBeginLoc()).empty()) return true;
  int held = pairedCallsBefore(site, ast, [](const CallExpr *c) {
    std::string name = calleeName(c);
    if (isLockFunction(name)) return 1;
    if (isUnlockFunction(name)) return -1;
    std::string method = memberCallName(c);
    if (onStdMutex(c)) return method == "lock" ? 1 : method == "unlock" ? -1 : 0;
    return 0;
  });
  if (held > 0) return true;
  return guardInScope(site, ast, [](QualType t) { return isLockGuardType(t); });
}

bool detachedAt(TuContext &tu, const Stmt *site) {
  ASTContext &ast = tu.ast();
  const SourceManager &sm = ast.getSourceManager();
  // Py_BEGIN_ALLOW_THREADS ... Py_END_ALLOW_THREADS, paired in file order.
  auto [fid, pos] = sm.getDecomposedLoc(sm.getExpansionLoc(site->getBeginLoc()));
  int open = 0;
  for (const MacroUse &use : tu.preprocessor().macroUses) {
    auto [useFid, usePos] = sm.getDecomposedLoc(use.loc);
    if (useFid != fid || usePos >= pos) continue;
    if (use.name == "Py_BEGIN_ALLOW_THREADS") ++open;
    else if (use.name == "Py_END_ALLOW_THREADS" && open > 0) --open;
  }
  if (open > 0) return true;
  int saved = pairedCallsBefore(site, ast, [](const CallExpr *c) {
    std::string name = calleeName(c);
    return name == "PyEval_SaveThread" ? 1 : name == "PyEval_RestoreThread" ? -1 : 0;
  });
  if (saved > 0) return true;
  return guardInScope(site, ast, [](QualType t) { return className(t) == "gil_scoped_release"; });
}

}  // namespace ftlint
