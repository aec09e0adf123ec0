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
// with conversions). The walks see each list once, in its written form.
const InitListExpr *completed(const InitListExpr *init) {
  return init->getSemanticForm() ? init->getSemanticForm() : init;
}

bool isPyInit(const FunctionDecl *fd) {
  return fd->getIdentifier() && fd->getName().starts_with("PyInit_");
}

// The index's own walk, for units the rules' walk does not record (C++).
class Indexer : public RecursiveASTVisitor<Indexer> {
public:
  explicit Indexer(IndexRecorder &recorder) : recorder_(recorder) {}
  bool shouldVisitTemplateInstantiations() const { return true; }

  bool TraverseFunctionDecl(FunctionDecl *fd) {
    const FunctionDecl *saved = recorder_.enterFunction(fd);
    bool ok = RecursiveASTVisitor::TraverseFunctionDecl(fd);
    recorder_.leaveFunction(saved);
    return ok;
  }
  bool TraverseCXXMethodDecl(CXXMethodDecl *md) {
    const FunctionDecl *saved = recorder_.enterFunction(md);
    bool ok = RecursiveASTVisitor::TraverseCXXMethodDecl(md);
    recorder_.leaveFunction(saved);
    return ok;
  }

  bool VisitCallExpr(CallExpr *call) { return recorder_.call(call), true; }
  bool VisitDeclRefExpr(DeclRefExpr *ref) { return recorder_.declRef(ref), true; }
  bool VisitBinaryOperator(BinaryOperator *bo) { return recorder_.binaryOperator(bo), true; }
  bool VisitInitListExpr(InitListExpr *written) { return recorder_.initList(written), true; }
  bool VisitMemberExpr(MemberExpr *me) { return recorder_.member(me), true; }
  bool VisitOffsetOfExpr(OffsetOfExpr *e) { return recorder_.offsetOf(e), true; }
  bool VisitVarDecl(VarDecl *vd) { return recorder_.varDecl(vd), true; }
  bool VisitUnaryExprOrTypeTraitExpr(UnaryExprOrTypeTraitExpr *e) { return recorder_.sizeOf(e), true; }

private:
  IndexRecorder &recorder_;
};

}  // namespace

const FunctionDecl *IndexRecorder::enterFunction(const FunctionDecl *fd) {
  const FunctionDecl *saved = current_;
  if (fd->doesThisDeclarationHaveABody()) current_ = fd;
  // Methods are never PyInit_ functions (the index's walk asked only of
  // free functions).
  if (!isa<CXXMethodDecl>(fd) && isPyInit(fd)) pyInits_.insert(fd->getCanonicalDecl());
  return saved;
}

void IndexRecorder::call(const CallExpr *call) {
  const FunctionDecl *callee = call->getDirectCallee();
  if (!callee) return;
  calls_[callee->getCanonicalDecl()].push_back(call);
  if (inInstantiation()) instantiatedCalls_.insert(call);
  if (current_) callers_[callee->getCanonicalDecl()].insert(current_->getCanonicalDecl());
  directCallees_.insert(call->getCallee()->IgnoreParenImpCasts());
}

void IndexRecorder::declRef(const DeclRefExpr *ref) {
  if (const auto *fd = dyn_cast<FunctionDecl>(ref->getDecl())) functionRefs_.push_back({ref, fd->getCanonicalDecl()});
}

void IndexRecorder::binaryOperator(const BinaryOperator *bo) {
  if (bo->getOpcode() != BO_Assign) return;
  if (const auto *me = dyn_cast<MemberExpr>(bo->getLHS()->IgnoreParenImpCasts()))
    if (const auto *field = dyn_cast<FieldDecl>(me->getMemberDecl())) {
      stores_[field].push_back({bo->getRHS(), current_});
      assignedMembers_.insert(me);
    }
}

void IndexRecorder::initList(const InitListExpr *written) {
  const InitListExpr *init = completed(written);
  const RecordDecl *record = init->getType()->getAsRecordDecl();
  if (!record || record->isUnion()) return;
  if (record->getName() == "PyModuleDef_Slot" && !inInstantiation()) noteExecSlot(init);
  unsigned i = 0;
  for (const FieldDecl *field : record->fields()) {
    // Error recovery can leave an initializer out (null).
    const Expr *value = i < init->getNumInits() ? init->getInit(i) : nullptr;
    if (value && !isa<ImplicitValueInitExpr>(value)) stores_[field].push_back({value, current_});
    ++i;
  }
}

void IndexRecorder::member(const MemberExpr *me) { members_.push_back({me, current_}); }

// offsetof(T, field) in a PyMemberDef table hands the field to Python code.
void IndexRecorder::offsetOf(const OffsetOfExpr *e) {
  for (unsigned i = 0; i < e->getNumComponents(); ++i)
    if (e->getComponent(i).getKind() == OffsetOfNode::Field) exposedFields_.insert(e->getComponent(i).getField());
}

void IndexRecorder::varDecl(const VarDecl *vd) {
  if (const RecordDecl *record = vd->getType().getCanonicalType()->getAsRecordDecl()) {
    if (!vd->hasLocalStorage()) heapOrStatic_.insert(record);
    if (vd->hasInit() && !inInstantiation() && !isa<ParmVarDecl>(vd)) initializedStructs_.push_back(vd);
  }
}

void IndexRecorder::sizeOf(const UnaryExprOrTypeTraitExpr *e) {
  // sizeof(T) usually means T is allocated on the heap.
  QualType t = e->isArgumentType() ? e->getArgumentType() : e->getArgumentExpr()->getType();
  if (const RecordDecl *record = t.getCanonicalType()->getAsRecordDecl()) heapOrStatic_.insert(record);
}

void IndexRecorder::noteExecSlot(const InitListExpr *init) {
  if (init->getNumInits() < 2 || !init->getInit(0) || !init->getInit(1)) return;  // error recovery
  if (!expandedFromMacro(init->getInit(0)->getBeginLoc(), "Py_mod_exec", ast_)) return;
  if (const auto *ref = dyn_cast<DeclRefExpr>(stripCasts(init->getInit(1))))
    if (const auto *fd = dyn_cast<FunctionDecl>(ref->getDecl())) execSlotFunctions_.insert(fd->getCanonicalDecl());
}

TuIndex::TuIndex(ASTContext &ast) : ast_(ast) {
  IndexRecorder recorder(ast);
  Indexer(recorder).TraverseDecl(ast.getTranslationUnitDecl());
  build(recorder);
}

TuIndex::TuIndex(ASTContext &ast, IndexRecorder &&recorded) : ast_(ast) { build(recorded); }

void TuIndex::build(IndexRecorder &ix) {
  calls_ = std::move(ix.calls_);
  instantiatedCalls_ = std::move(ix.instantiatedCalls_);
  initializedStructs_ = std::move(ix.initializedStructs_);
  stores_ = std::move(ix.stores_);
  heapOrStatic_ = std::move(ix.heapOrStatic_);
  for (const auto &[ref, fd] : ix.functionRefs_)
    if (!ix.directCallees_.count(ref)) indirect_.insert(fd);

  for (const auto &[me, fn] : ix.members_) {
    const auto *field = dyn_cast<FieldDecl>(me->getMemberDecl());
    if (field && !ix.assignedMembers_.count(me)) reads_[field].push_back({me, fn});
  }
  exposedFields_ = std::move(ix.exposedFields_);

  // Module init: PyInit_*, exec slots, then static functions only they call.
  init_ = ix.pyInits_;
  init_.insert(ix.execSlotFunctions_.begin(), ix.execSlotFunctions_.end());
  roots_ = init_;
  callers_ = std::move(ix.callers_);
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

bool TuIndex::sameAs(const TuIndex &o) const {
  return calls_ == o.calls_ && instantiatedCalls_ == o.instantiatedCalls_ &&
         initializedStructs_ == o.initializedStructs_ && indirect_ == o.indirect_ && stores_ == o.stores_ &&
         reads_ == o.reads_ && exposedFields_ == o.exposedFields_ && heapOrStatic_ == o.heapOrStatic_ &&
         init_ == o.init_ && roots_ == o.roots_ && callers_ == o.callers_;
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
