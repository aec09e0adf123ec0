#include "tool/analysis/Parents.h"

#include "tool/core/Environment.h"

#include "clang/AST/DeclCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

#include "llvm/Support/raw_ostream.h"

#include <algorithm>
#include <cstdlib>

using namespace clang;

namespace ftlint {

// Walks one unit the way clang's parent map walks the whole translation
// unit (template instantiations and implicit code included) and records, for
// every node kind clang records, the node it was reached from.
class ParentRecorder : public RecursiveASTVisitor<ParentRecorder> {
  using Base = RecursiveASTVisitor<ParentRecorder>;

public:
  ParentRecorder(ParentIndex &index, const DynTypedNode &parent) : index_(index) { path_.push_back(parent); }

  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }

  // A different signature from the base's (no queue): children are then
  // traversed through this override, one call deep per level, so the path
  // of ancestors is always known.
  bool TraverseStmt(Stmt *s) {
    return !s || within(DynTypedNode::create(*s), [&] { return Base::TraverseStmt(s); });
  }
  bool TraverseDecl(Decl *d) {
    return !d || within(DynTypedNode::create(*d), [&] { return Base::TraverseDecl(d); });
  }
  bool TraverseTypeLoc(TypeLoc tl) {
    return tl.isNull() || within(DynTypedNode::create(tl), [&] { return Base::TraverseTypeLoc(tl); });
  }
  bool TraverseNestedNameSpecifierLoc(NestedNameSpecifierLoc nns) {
    return !nns || within(DynTypedNode::create(nns), [&] { return Base::TraverseNestedNameSpecifierLoc(nns); });
  }
  bool TraverseAttr(Attr *a) {
    return !a || within(DynTypedNode::create(*a), [&] { return Base::TraverseAttr(a); });
  }
  bool TraverseConceptReference(ConceptReference *c) {
    return !c || within(DynTypedNode::create(*c), [&] { return Base::TraverseConceptReference(c); });
  }
  bool TraverseObjCProtocolLoc(ObjCProtocolLoc loc) {
    return within(DynTypedNode::create(loc), [&] { return Base::TraverseObjCProtocolLoc(loc); });
  }

private:
  template <typename Traverse>
  bool within(const DynTypedNode &node, Traverse &&traverse) {
    index_.addParent(node, path_.back());
    path_.push_back(node);
    bool more = traverse();
    path_.pop_back();
    return more;
  }

  ParentIndex &index_;
  std::vector<DynTypedNode> path_;
};

namespace {

// Declarations a traversal of their DeclContext passes over (clang reaches
// them through the expression that owns them).
bool reachedThroughItsOwner(const Decl *d) {
  if (isa<BlockDecl, CapturedDecl>(d)) return true;
  const auto *record = dyn_cast<CXXRecordDecl>(d);
  return record && record->isLambda();
}

}  // namespace

ParentIndex::ParentIndex(ASTContext &ctx) : ctx_(ctx), sm_(ctx.getSourceManager()) {
  // The declarations clang's walk starts from: the traversal scope, or the
  // unit's own declarations when the scope is the whole unit.
  TranslationUnitDecl *tu = ctx.getTranslationUnitDecl();
  std::vector<Decl *> scope = ctx.getTraversalScope();
  if (scope.size() == 1 && scope.front() == tu) scope.assign(tu->decls_begin(), tu->decls_end());
  DynTypedNode top = DynTypedNode::create(*tu);
  for (Decl *d : scope)
    if (!reachedThroughItsOwner(d)) collectUnits(d, top);
  std::stable_sort(units_.begin(), units_.end(), [&](const Unit &a, const Unit &b) { return before(a.begin, b.begin); });
  SourceLocation furthest;
  for (const Unit &u : units_) {
    if (furthest.isInvalid() || before(furthest, u.end)) furthest = u.end;
    furthestEnd_.push_back(furthest);
  }
}

// Namespaces and `extern "C"` blocks are opened up: their declarations are
// units of their own, so one namespace around a whole file does not make the
// whole file one unit.
void ParentIndex::collectUnits(Decl *decl, const DynTypedNode &parent) {
  addParent(DynTypedNode::create(*decl), parent);
  if (isa<NamespaceDecl, LinkageSpecDecl, ExportDecl>(decl) && !decl->hasAttrs()) {
    DynTypedNode self = DynTypedNode::create(*decl);
    for (Decl *child : cast<DeclContext>(decl)->decls())
      if (!reachedThroughItsOwner(child)) collectUnits(child, self);
    return;
  }
  CharSourceRange range = sm_.getExpansionRange(decl->getSourceRange());
  Unit unit{decl, range.getBegin(), range.getEnd()};
  if (unit.begin.isInvalid() || unit.end.isInvalid()) {
    // Nowhere to place its nodes: map it now.
    map(unit);
    return;
  }
  units_.push_back(unit);
}

void ParentIndex::map(Unit &unit) {
  if (unit.mapped) return;
  unit.mapped = true;
  const ParentList *own = find(DynTypedNode::create(*unit.decl));
  // The unit's own parent was recorded when it was collected; the recorder
  // records it again as the first step, which changes nothing.
  ParentRecorder recorder(*this, own && !own->empty() ? own->front() : DynTypedNode::create(*ctx_.getTranslationUnitDecl()));
  recorder.TraverseDecl(unit.decl);
}

namespace {
const void *addressOf(const DynTypedNode &node) {
  if (const auto *s = node.get<Stmt>()) return s;
  if (const auto *d = node.get<Decl>()) return d;
  return nullptr;
}
}  // namespace

std::pair<unsigned *, bool> ParentIndex::slotFor(const DynTypedNode &node) {
  unsigned next = unsigned(lists_.size());
  if (const void *address = addressOf(node)) {
    auto [it, added] = byAddress_.try_emplace(address, next);
    return {&it->second, added};
  }
  auto [it, added] = byValue_.try_emplace(node, next);
  return {&it->second, added};
}

void ParentIndex::addParent(const DynTypedNode &node, const DynTypedNode &parent) {
  auto [slot, added] = slotFor(node);
  if (added) {
    lists_.emplace_back().push_back(parent);
    return;
  }
  const ParentList &current = lists_[*slot];
  if (std::find(current.begin(), current.end(), parent) != current.end()) return;
  ParentList grown = current;
  grown.push_back(parent);
  *slot = unsigned(lists_.size());
  lists_.push_back(std::move(grown));
}

const ParentIndex::ParentList *ParentIndex::find(const DynTypedNode &node) const {
  if (const void *address = addressOf(node)) {
    auto it = byAddress_.find(address);
    return it == byAddress_.end() ? nullptr : &lists_[it->second];
  }
  auto it = byValue_.find(node);
  return it == byValue_.end() ? nullptr : &lists_[it->second];
}

void ParentIndex::mapEverything() {
  if (mappedEverything_) return;
  mappedEverything_ = true;
  for (Unit &unit : units_) map(unit);
}

bool ParentIndex::before(SourceLocation a, SourceLocation b) const {
  return a != b && sm_.isBeforeInTranslationUnit(a, b);
}

bool ParentIndex::covers(const Unit &unit, SourceLocation loc) const {
  return !before(loc, unit.begin) && !before(unit.end, loc);
}

SourceLocation ParentIndex::locationOf(const DynTypedNode &node) const {
  SourceLocation loc;
  if (const auto *s = node.get<Stmt>()) loc = s->getBeginLoc().isValid() ? s->getBeginLoc() : s->getEndLoc();
  else if (const auto *d = node.get<Decl>()) loc = d->getBeginLoc().isValid() ? d->getBeginLoc() : d->getLocation();
  else if (const auto *tl = node.get<TypeLoc>()) loc = tl->getBeginLoc();
  return loc.isValid() ? sm_.getExpansionLoc(loc) : loc;
}

DynTypedNodeList ParentIndex::parents(const DynTypedNode &node) {
  auto answer = [](const ParentList &list) {
    return list.size() == 1 ? DynTypedNodeList(list.front()) : DynTypedNodeList(llvm::ArrayRef(list));
  };
  // In C++ a default argument or member initializer is also a child of
  // every call or constructor that uses it, wherever that is: one unit does
  // not hold all of its parents, so the whole map is made at once.
  if (ctx_.getLangOpts().CPlusPlus) mapEverything();
  if (const ParentList *known = find(node)) return answer(*known);
  if (node.get<TranslationUnitDecl>()) return DynTypedNodeList(llvm::ArrayRef<DynTypedNode>());

  SourceLocation loc = locationOf(node);
  if (loc.isValid() && !units_.empty()) {
    // Units whose range holds `loc`: from the last one that begins at or
    // before it, back while an earlier unit may still reach that far.
    size_t last = std::upper_bound(units_.begin(), units_.end(), loc,
                                   [&](SourceLocation l, const Unit &u) { return before(l, u.begin); }) -
                  units_.begin();
    bool mappedAny = false;
    for (size_t i = last; i-- > 0;) {
      if (before(furthestEnd_[i], loc)) break;
      if (!units_[i].mapped && covers(units_[i], loc)) {
        map(units_[i]);
        mappedAny = true;
      }
    }
    if (mappedAny)
      if (const ParentList *known = find(node)) return answer(*known);
  }
  ++answeredByClang_;
  return ctx_.getParentMapContext().getParents(node);
}

namespace {
thread_local ParentIndex *currentIndex = nullptr;

bool checkingParents() {
  static const bool checking = environmentSwitch("FTLINT_CHECK_PARENTS");
  return checking;
}

// For the tests: the index must answer exactly as clang does.
void compareWithClang(const DynTypedNode &node, const DynTypedNodeList &ours, ASTContext &ctx) {
  DynTypedNodeList theirs = ctx.getParentMapContext().getParents(node);
  bool same = ours.size() == theirs.size();
  for (size_t i = 0; same && i < ours.size(); ++i) same = ours[i] == theirs[i];
  if (same) return;
  llvm::errs() << "ftlint: parent index differs from clang's for a " << node.getNodeKind().asStringRef() << " at "
               << node.getSourceRange().getBegin().printToString(ctx.getSourceManager()) << ": " << ours.size()
               << " parents against " << theirs.size() << "\n";
  std::abort();
}
}  // namespace

ScopedParentIndex::ScopedParentIndex(ASTContext &ctx) : index_(ctx), previous_(currentIndex) {
  currentIndex = &index_;
}

ScopedParentIndex::~ScopedParentIndex() { currentIndex = previous_; }

DynTypedNodeList parentsOf(const DynTypedNode &node, ASTContext &ctx) {
  if (!currentIndex || &currentIndex->context() != &ctx) return ctx.getParentMapContext().getParents(node);
  DynTypedNodeList found = currentIndex->parents(node);
  if (checkingParents()) compareWithClang(node, found, ctx);
  return found;
}

}  // namespace ftlint
