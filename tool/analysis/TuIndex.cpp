#include "tool/analysis/TuIndex.h"

#include "tool/analysis/ApiTables.h"
#include "tool/analysis/AstHelpers.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Index/USRGeneration.h"
#include "clang/Lex/Lexer.h"

#include <fmt/format.h>

#include <algorithm>

using namespace clang;

namespace ftlint {

ObjectUse describeUse(const Expr *e, ASTContext &ast) {
  const SourceManager &sm = ast.getSourceManager();
  SourceLocation loc = e->getBeginLoc();
  // Inside a macro that only reads its arguments (Py_DECREF, PyList_GET_SIZE...).
  if (loc.isMacroID())
    for (const auto &m : macroChain(loc, sm, ast.getLangOpts()))
      if (isReadOnlyMacro(m)) return {};
  ParentLink link = meaningfulParent(e, ast);
  unsigned line = fileLine(sm, loc);
  if (link.parentDecl) {
    if (const auto *vd = dyn_cast<VarDecl>(link.parentDecl))
      return {UseKind::Escapes, fmt::format("it was copied to '{}' on line {}", vd->getName().str(), line),
              vd->hasLocalStorage() ? vd : nullptr};
    return {};
  }
  const Stmt *p = link.parent;
  if (!p) return {};
  if (const auto *call = dyn_cast<CallExpr>(p)) {
    for (unsigned i = 0; i < call->getNumArgs(); ++i) {
      if (call->getArg(i) != link.child) continue;
      std::string callee = calleeName(call);
      if (callee.empty()) return {UseKind::Escapes, fmt::format("it was passed to a function pointer on line {}", line)};
      switch (argumentUse(callee, i)) {
      case ArgumentUse::Reads: return {};
      case ArgumentUse::Mutates: return {UseKind::Mutates, fmt::format("it is changed by '{}' on line {}", callee, line)};
      case ArgumentUse::Keeps: return {UseKind::Escapes, fmt::format("it was passed to '{}' on line {}", callee, line)};
      }
    }
    return {};  // the callee expression itself
  }
  if (isa<CXXConstructExpr>(p) || isa<InitListExpr>(p))
    return {UseKind::Escapes, fmt::format("it was stored in an aggregate on line {}", line)};
  if (isa<ReturnStmt>(p)) return {UseKind::Escapes, fmt::format("it was returned on line {}", line)};
  if (const auto *bo = dyn_cast<BinaryOperator>(p); bo && bo->isAssignmentOp() && bo->getRHS() == link.child) {
    const auto *target = dyn_cast<DeclRefExpr>(stripCasts(bo->getLHS()));
    const auto *var = target ? dyn_cast<VarDecl>(target->getDecl()) : nullptr;
    return {UseKind::Escapes, fmt::format("it was stored in '{}' on line {}", sourceText(bo->getLHS(), ast), line),
            var && var->hasLocalStorage() ? var : nullptr};
  }
  if (const auto *uo = dyn_cast<UnaryOperator>(p); uo && uo->getOpcode() == UO_AddrOf)
    return {UseKind::Escapes, fmt::format("its address was taken on line {}", line)};
  return {};
}

namespace {

// The initialiser list as the compiler completed it (every field, in order,
// with conversions). The visitors see each list once, in its written form.
const InitListExpr *completed(const InitListExpr *init) {
  return init->getSemanticForm() ? init->getSemanticForm() : init;
}

bool isPyInit(const FunctionDecl *fd) {
  return fd->getIdentifier() && fd->getName().starts_with("PyInit_");
}

class Indexer : public RecursiveASTVisitor<Indexer> {
public:
  explicit Indexer(ASTContext &ast) : ast_(ast) {}
  bool shouldVisitTemplateInstantiations() const { return true; }

  bool TraverseFunctionDecl(FunctionDecl *fd) {
    const FunctionDecl *saved = current_;
    if (fd->doesThisDeclarationHaveABody()) current_ = fd;
    if (isPyInit(fd)) pyInits.insert(fd->getCanonicalDecl());
    bool ok = RecursiveASTVisitor::TraverseFunctionDecl(fd);
    current_ = saved;
    return ok;
  }
  bool TraverseCXXMethodDecl(CXXMethodDecl *md) {
    const FunctionDecl *saved = current_;
    if (md->doesThisDeclarationHaveABody()) current_ = md;
    bool ok = RecursiveASTVisitor::TraverseCXXMethodDecl(md);
    current_ = saved;
    return ok;
  }

  bool VisitCallExpr(CallExpr *call) {
    if (const FunctionDecl *callee = call->getDirectCallee()) {
      calls[callee->getCanonicalDecl()].push_back(call);
      if (inInstantiation()) instantiatedCalls.insert(call);
      if (current_) callers[callee->getCanonicalDecl()].insert(current_->getCanonicalDecl());
      directCallees.insert(call->getCallee()->IgnoreParenImpCasts());
    }
    return true;
  }

  bool VisitDeclRefExpr(DeclRefExpr *ref) {
    if (const auto *fd = dyn_cast<FunctionDecl>(ref->getDecl())) functionRefs.push_back({ref, fd->getCanonicalDecl()});
    return true;
  }

  bool VisitBinaryOperator(BinaryOperator *bo) {
    if (bo->getOpcode() != BO_Assign) return true;
    if (const auto *me = dyn_cast<MemberExpr>(bo->getLHS()->IgnoreParenImpCasts()))
      if (const auto *field = dyn_cast<FieldDecl>(me->getMemberDecl())) {
        stores[field].push_back({bo->getRHS(), current_});
        assignedMembers.insert(me);
      }
    return true;
  }

  bool VisitInitListExpr(InitListExpr *written) {
    const InitListExpr *init = completed(written);
    const RecordDecl *record = init->getType()->getAsRecordDecl();
    if (!record || record->isUnion()) return true;
    if (record->getName() == "PyModuleDef_Slot" && !inInstantiation()) noteExecSlot(init);
    unsigned i = 0;
    for (const FieldDecl *field : record->fields()) {
      // Error recovery can leave an initializer out (null).
      const Expr *value = i < init->getNumInits() ? init->getInit(i) : nullptr;
      if (value && !isa<ImplicitValueInitExpr>(value)) stores[field].push_back({value, current_});
      ++i;
    }
    return true;
  }

  bool VisitMemberExpr(MemberExpr *me) {
    members.push_back({me, current_});
    return true;
  }

  // offsetof(T, field) in a PyMemberDef table hands the field to Python code.
  bool VisitOffsetOfExpr(OffsetOfExpr *e) {
    for (unsigned i = 0; i < e->getNumComponents(); ++i)
      if (e->getComponent(i).getKind() == OffsetOfNode::Field) exposedFields.insert(e->getComponent(i).getField());
    return true;
  }

  bool VisitVarDecl(VarDecl *vd) {
    if (const RecordDecl *record = vd->getType().getCanonicalType()->getAsRecordDecl()) {
      if (!vd->hasLocalStorage()) heapOrStatic.insert(record);
      if (vd->hasInit() && !inInstantiation() && !isa<ParmVarDecl>(vd)) initializedStructs.push_back(vd);
    }
    return true;
  }

  bool VisitUnaryExprOrTypeTraitExpr(UnaryExprOrTypeTraitExpr *e) {
    // sizeof(T) usually means T is allocated on the heap.
    QualType t = e->isArgumentType() ? e->getArgumentType() : e->getArgumentExpr()->getType();
    if (const RecordDecl *record = t.getCanonicalType()->getAsRecordDecl()) heapOrStatic.insert(record);
    return true;
  }


  std::map<const FunctionDecl *, std::vector<const CallExpr *>> calls;
  std::map<const FunctionDecl *, std::set<const FunctionDecl *>> callers;
  NodeSet<const Expr> directCallees;
  std::vector<std::pair<const DeclRefExpr *, const FunctionDecl *>> functionRefs;
  NodeMap<const FieldDecl, std::vector<TuIndex::FieldStore>> stores;
  NodeSet<const MemberExpr> assignedMembers;
  std::vector<std::pair<const MemberExpr *, const FunctionDecl *>> members;
  NodeSet<const RecordDecl> heapOrStatic;
  NodeSet<const FieldDecl> exposedFields;
  std::set<const FunctionDecl *> pyInits;
  NodeSet<const CallExpr> instantiatedCalls;
  std::vector<const VarDecl *> initializedStructs;
  std::set<const FunctionDecl *> execSlotFunctions;  // named in `{Py_mod_exec, f}` slots

private:
  // Code the compiler made from a template: what it holds was seen once
  // already, as written.
  bool inInstantiation() const { return current_ && current_->isTemplateInstantiation(); }

  void noteExecSlot(const InitListExpr *init) {
    if (init->getNumInits() < 2 || !init->getInit(0) || !init->getInit(1)) return;  // error recovery
    if (!expandedFromMacro(init->getInit(0)->getBeginLoc(), "Py_mod_exec", ast_)) return;
    if (const auto *ref = dyn_cast<DeclRefExpr>(stripCasts(init->getInit(1))))
      if (const auto *fd = dyn_cast<FunctionDecl>(ref->getDecl())) execSlotFunctions.insert(fd->getCanonicalDecl());
  }

  ASTContext &ast_;
  const FunctionDecl *current_ = nullptr;
};

}  // namespace

TuIndex::TuIndex(ASTContext &ast) : ast_(ast) {
  Indexer ix(ast);
  ix.TraverseDecl(ast.getTranslationUnitDecl());
  calls_ = std::move(ix.calls);
  instantiatedCalls_ = std::move(ix.instantiatedCalls);
  initializedStructs_ = std::move(ix.initializedStructs);
  stores_ = std::move(ix.stores);
  heapOrStatic_ = std::move(ix.heapOrStatic);
  for (const auto &[ref, fd] : ix.functionRefs)
    if (!ix.directCallees.count(ref)) indirect_.insert(fd);

  for (const auto &[me, fn] : ix.members) {
    const auto *field = dyn_cast<FieldDecl>(me->getMemberDecl());
    if (field && !ix.assignedMembers.count(me)) reads_[field].push_back({me, fn});
  }
  exposedFields_ = std::move(ix.exposedFields);

  // Module init: PyInit_*, exec slots, then static functions only they call.
  init_ = ix.pyInits;
  init_.insert(ix.execSlotFunctions.begin(), ix.execSlotFunctions.end());
  roots_ = init_;
  callers_ = std::move(ix.callers);
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto &[callee, from] : callers_) {
      if (init_.count(callee) || indirect_.count(callee) || callee->isExternallyVisible()) continue;
      bool onlyInit = !from.empty();
      for (const FunctionDecl *caller : from) onlyInit &= init_.count(caller) > 0;
      if (onlyInit) {
        init_.insert(callee);
        grew = true;
      }
    }
  }
}

std::vector<const CallExpr *> TuIndex::callsNamed(std::initializer_list<llvm::StringRef> names) const {
  std::vector<const CallExpr *> out;
  for (const auto &[callee, calls] : calls_) {
    const IdentifierInfo *id = callee->getIdentifier();
    if (!id || std::find(names.begin(), names.end(), id->getName()) == names.end()) continue;
    for (const CallExpr *call : calls)
      if (!instantiatedCalls_.count(call)) out.push_back(call);
  }
  const SourceManager &sm = ast_.getSourceManager();
  std::stable_sort(out.begin(), out.end(), [&](const CallExpr *a, const CallExpr *b) {
    SourceLocation la = sm.getExpansionLoc(a->getBeginLoc()), lb = sm.getExpansionLoc(b->getBeginLoc());
    return la != lb && sm.isBeforeInTranslationUnit(la, lb);
  });
  return out;
}

std::vector<const VarDecl *>
TuIndex::initializedStructs(llvm::function_ref<bool(const RecordDecl *)> wanted) const {
  std::vector<const VarDecl *> out;
  for (const VarDecl *vd : initializedStructs_)
    if (wanted(vd->getType().getCanonicalType()->getAsRecordDecl())) out.push_back(vd);
  return out;
}

std::string usrOf(const Decl *decl) {
  llvm::SmallString<128> usr;
  if (!decl || index::generateUSRForDecl(decl, usr)) return {};
  return std::string(usr);
}

CallGraphPart TuIndex::callGraph(llvm::function_ref<bool(const FunctionDecl *)> matters) const {
  CallGraphPart part;
  for (const auto &[callee, from] : callers_) {
    if (!matters(callee)) continue;
    std::string calleeUsr = usrOf(callee);
    for (const FunctionDecl *caller : from) part.edges.emplace_back(usrOf(caller), calleeUsr);
  }
  for (const FunctionDecl *fd : roots_) part.initRoots.push_back(usrOf(fd));
  for (const FunctionDecl *fd : indirect_)
    if (matters(fd)) part.indirect.push_back(usrOf(fd));
  return part;
}

const std::vector<const CallExpr *> &TuIndex::callsTo(const FunctionDecl *fn) const {
  static const std::vector<const CallExpr *> none;
  auto it = calls_.find(fn->getCanonicalDecl());
  return it == calls_.end() ? none : it->second;
}

bool TuIndex::hasIndirectUses(const FunctionDecl *fn) const { return indirect_.count(fn->getCanonicalDecl()) > 0; }

const std::vector<TuIndex::FieldStore> &TuIndex::storesTo(const FieldDecl *field) const {
  static const std::vector<FieldStore> none;
  auto it = stores_.find(field);
  return it == stores_.end() ? none : it->second;
}

const std::vector<TuIndex::FieldUse> &TuIndex::usesOf(const FieldDecl *field) const {
  auto [it, added] = uses_.try_emplace(field);
  if (!added) return it->second;
  if (auto reads = reads_.find(field); reads != reads_.end())
    for (const auto &[me, fn] : reads->second) it->second.push_back({me, describeUse(me, ast_).kind, fn});
  if (exposedFields_.count(field)) it->second.push_back({nullptr, UseKind::Escapes, nullptr});
  return it->second;
}

bool TuIndex::onlyOnStack(const RecordDecl *record) const {
  return !heapOrStatic_.count(cast<RecordDecl>(record->getCanonicalDecl())) && !heapOrStatic_.count(record);
}

bool TuIndex::isModuleInit(const FunctionDecl *fn) const {
  return fn && (init_.count(fn->getCanonicalDecl()) > 0 || isPyInit(fn));
}

}  // namespace ftlint
