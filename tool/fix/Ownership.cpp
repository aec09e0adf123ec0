#include "tool/fix/Ownership.h"

#include "tool/analysis/AstHelpers.h"
#include "tool/fix/SourceEdits.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Analysis/CFG.h"
#include "clang/Lex/Lexer.h"

#include <fmt/format.h>

#include <map>
#include <set>

using namespace clang;

namespace ftlint {
namespace {

bool isTakeCall(std::string_view f) {
  return isOneOf(f, {"Py_INCREF", "_Py_INCREF", "Py_XINCREF", "_Py_XINCREF", "Py_NewRef", "_Py_NewRef", "Py_XNewRef",
                     "_Py_XNewRef"});
}
bool isNewRefCall(std::string_view f) { return isOneOf(f, {"Py_NewRef", "_Py_NewRef", "Py_XNewRef", "_Py_XNewRef"}); }
bool isReleaseCall(std::string_view f) {
  return isOneOf(f, {"Py_DECREF", "_Py_DECREF", "Py_XDECREF", "_Py_XDECREF", "Py_DecRef", "_Py_DecRef"});
}
// Calls that take over the reference passed to them (the caller must own it).
bool stealsArgument(std::string_view f, unsigned index) {
  if (isOneOf(f, {"PyTuple_SetItem", "PyTuple_SET_ITEM", "PyList_SetItem", "PyList_SET_ITEM",
                  "PyStructSequence_SetItem", "PyStructSequence_SET_ITEM"}))
    return index == 2;
  if (isOneOf(f, {"PyModule_AddObject", "PyModule_Add"})) return index == 2;
  if (isOneOf(f, {"PyException_SetCause", "PyException_SetContext", "PyException_SetTraceback"})) return index == 1;
  if (isOneOf(f, {"PyErr_Restore"})) return true;
  return false;
}
bool isJumpOutOfSight(std::string_view f) {
  return isOneOf(f, {"setjmp", "_setjmp", "sigsetjmp", "__sigsetjmp", "__builtin_setjmp", "longjmp", "siglongjmp",
                     "_longjmp", "__builtin_longjmp"});
}

// Calls `visit(ref, variable)` for each reference to a variable inside `s`,
// in source order, until it returns false.
template <typename Visit>
void forEachVariableRef(const Stmt *s, Visit visit) {
  struct Refs : RecursiveASTVisitor<Refs> {
    Visit *visit;
    bool VisitDeclRefExpr(DeclRefExpr *r) {
      const auto *v = dyn_cast<VarDecl>(r->getDecl());
      return !v || (*visit)(static_cast<const DeclRefExpr *>(r), v);
    }
  } refs;
  refs.visit = &visit;
  refs.TraverseStmt(const_cast<Stmt *>(s));
}

enum class Nullness { Unknown, Null, NonNull };

// What the code has done with the value on one path since the call.
struct State {
  Nullness null = Nullness::Unknown;
  bool taken = false;       // a Py_INCREF / Py_NewRef gave the value an owner
  bool reassigned = false;  // the variable holds another value, not ours
  auto key() const { return std::make_tuple(static_cast<int>(null), taken, reassigned); }
  bool operator<(const State &o) const { return key() < o.key(); }
  bool operator==(const State &o) const { return key() == o.key(); }
};

enum class UseKind { Plain, Take, Release, Clear, Assign, AddressOf, NeedsOwner };

struct Use {
  UseKind kind = UseKind::Plain;
  const Stmt *site = nullptr;  // the Py_INCREF/Py_NewRef call for takes
  std::string what;            // for NeedsOwner: "stored in 'self->x'"
  SourceLocation macro;        // expansion of Py_CLEAR, to count it once
  bool writtenAsCall = true;   // a take the user wrote (not inside their own macro)
};

class NoFix : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

class OwnershipAnalysis {
public:
  OwnershipAnalysis(ASTContext &ast, const CallExpr *call, const BorrowedApi &api)
      : ast_(ast), sm_(ast.getSourceManager()), call_(call), api_(api), edits_(ast) {}

  Fix run();

private:
  // The shape of the code around the call.
  void findAnchor();
  void checkFunction();
  void classifyUses();
  Use classify(const DeclRefExpr *ref);
  void findDependents();
  bool isLocalPointer(const Expr *e) const;
  void findRegion();
  // Walking the CFG from the call.
  void walk();
  void step(const CFGBlock *block, unsigned index, State state);
  bool inRegion(const Stmt *s, bool &known) const;
  bool inAnchor(const Stmt *s) const;
  bool isInside(const Stmt *s, const Stmt *outer) const;
  std::optional<bool> nullTestOutcome(const Expr *cond) const;  // true: the test is "var != NULL"
  // Edits.
  Fix build();
  void rewriteCall();
  std::string release(const std::set<State> &states, bool convertTakes) const;
  const LabelDecl *cleanupLabel(bool convertTakes) const;
  void releaseAtLabel(const LabelDecl *label);
  bool needsRelease(const State &s, bool convertTakes) const {
    return !s.reassigned && s.null != Nullness::Null && (!convertTakes || !s.taken);
  }
  const Stmt *parentOf(const Stmt *s) const;
  bool mentionsVariable(const Stmt *s) const;
  bool hasJumpTargets() const;
  bool mentionsDependent(const Stmt *s) const;
  std::string freshName() const;
  unsigned offsetOf(SourceLocation loc) const { return sm_.getFileOffset(sm_.getExpansionLoc(loc)); }

  ASTContext &ast_;
  const SourceManager &sm_;
  const CallExpr *call_;
  const BorrowedApi &api_;
  SourceEdits edits_;

  const FunctionDecl *function_ = nullptr;
  const VarDecl *var_ = nullptr;
  const Stmt *anchor_ = nullptr;      // the declaration or assignment statement
  const DeclRefExpr *anchorLhs_ = nullptr;
  const CompoundStmt *block_ = nullptr;
  const Stmt *last_ = nullptr;        // last statement of the block that uses the variable
  const Expr *newRefWrapper_ = nullptr;  // Py_NewRef(call) written around the call
  unsigned regionBegin_ = 0, regionEnd_ = 0, anchorEnd_ = 0;
  std::string step_;

  std::map<const DeclRefExpr *, Use> uses_;
  // Locals whose value comes from the variable (`dict = PyModule_GetDict(m)`,
  // `name = Py_TYPE(item)->tp_name`): the value must outlive their uses.
  std::set<const VarDecl *> dependents_;
  std::unique_ptr<CFG> cfg_;
  std::set<std::tuple<unsigned, unsigned, State>> visited_;
  std::map<const Stmt *, std::set<State>> exits_;  // return/goto/break/continue leaving the region
  std::set<State> ends_;                           // falling past the last use
  std::set<State> kills_;                          // another assignment to the variable
  std::map<const Stmt *, std::set<State>> takes_;
  std::set<const Stmt *> fixedTakes_;  // takes that cannot be removed
  bool clearedWhileTaken_ = false;
  // A read the release at the end of the region would come before, if
  // that release is needed: the reason there is then no fix.
  std::string readAfterEnd_;
  std::set<SourceLocation> clearsSeen_;
};

Fix OwnershipAnalysis::run() {
  checkFunction();
  findAnchor();
  if (newRefWrapper_) return build();
  classifyUses();
  findDependents();
  findRegion();
  walk();
  return build();
}

void OwnershipAnalysis::checkFunction() {
  function_ = enclosingFunction(call_, ast_);
  if (!function_ || !function_->hasBody()) throw NoFix("the call is not inside a function body");
  if (edits_.writtenAt(call_->getBeginLoc()).isInvalid() || edits_.writtenAt(call_->getEndLoc()).isInvalid())
    throw NoFix("the call is written inside a macro");
  struct Scan : RecursiveASTVisitor<Scan> {
    std::string problem;
    bool VisitIndirectGotoStmt(IndirectGotoStmt *) {
      problem = "the function uses a computed goto";
      return false;
    }
    bool VisitCallExpr(CallExpr *c) {
      if (isJumpOutOfSight(calleeName(c))) {
        problem = "the function uses setjmp/longjmp";
        return false;
      }
      return true;
    }
    bool VisitCXXTryStmt(CXXTryStmt *) {
      problem = "the function catches C++ exceptions";
      return false;
    }
  } scan;
  scan.TraverseStmt(function_->getBody());
  if (!scan.problem.empty()) throw NoFix(scan.problem);
  step_ = edits_.indentStep(function_->getBody());
}

const Stmt *OwnershipAnalysis::parentOf(const Stmt *s) const { return parentStatement(ast_, s); }

void OwnershipAnalysis::findAnchor() {
  ParentLink link = meaningfulParent(call_, ast_);
  // Py_NewRef(PyList_GetItem(...)): the strong form already is what is wanted.
  if (const auto *outer = dyn_cast_or_null<CallExpr>(link.parent); outer && isNewRefCall(calleeName(outer))) {
    if (api_.rule == "FT101" || api_.rule == "FT105") {
      newRefWrapper_ = outer;
      return;
    }
    throw NoFix(fmt::format("{}'s strong form reports the result through an argument; assign the result to a "
                            "variable first",
                            api_.name));
  }
  if (const auto *decl = dyn_cast_or_null<VarDecl>(link.parentDecl)) {
    var_ = decl;
    const DeclStmt *declStmt = declarationStatement(decl, ast_);
    if (!declStmt || !declStmt->isSingleDecl())
      throw NoFix("the declaration declares more than one variable");
    anchor_ = declStmt;
  } else if (const auto *assign = dyn_cast_or_null<BinaryOperator>(link.parent);
             assign && assign->getOpcode() == BO_Assign && link.child == assign->getRHS()) {
    anchorLhs_ = dyn_cast<DeclRefExpr>(assign->getLHS()->IgnoreParens());
    var_ = anchorLhs_ ? dyn_cast<VarDecl>(anchorLhs_->getDecl()) : nullptr;
    if (!var_) throw NoFix("the result is stored somewhere other than a local variable");
    anchor_ = assign;
  } else {
    throw NoFix("the result is used inside a larger expression; assign it to a local variable first");
  }
  if (!var_->hasLocalStorage() || isa<ParmVarDecl>(var_))
    throw NoFix("the result is stored in a variable that lives beyond this call");
  if (!var_->getType()->isPointerType()) throw NoFix("the result is converted to a non-pointer type");
  block_ = dyn_cast_or_null<CompoundStmt>(parentOf(anchor_));
  if (!block_) throw NoFix("the call is not a statement of its own block");
  if (const Stmt *owner = parentOf(block_); owner && isa<SwitchStmt>(owner))
    throw NoFix("the call sits directly in a switch body");
  if (anchor_->getBeginLoc().isMacroID()) throw NoFix("the statement is written inside a macro");
}

void OwnershipAnalysis::classifyUses() {
  std::vector<const DeclRefExpr *> found;
  forEachVariableRef(function_->getBody(), [&](const DeclRefExpr *r, const VarDecl *v) {
    if (v == var_) found.push_back(r);
    return true;
  });
  for (const DeclRefExpr *ref : found) {
    if (ref == anchorLhs_) continue;
    Use use = classify(ref);
    if (use.kind == UseKind::AddressOf) throw NoFix(fmt::format("the address of '{}' is taken", var_->getName()));
    uses_[ref] = use;
  }
}

Use OwnershipAnalysis::classify(const DeclRefExpr *ref) {
  Use use;
  const LangOptions &lo = ast_.getLangOpts();
  auto chain = macroChain(ref->getLocation(), sm_, lo);
  if (!chain.empty()) {
    llvm::StringRef outer = chain.back();
    if (outer == "Py_CLEAR") {
      use.kind = UseKind::Clear;
      use.macro = sm_.getExpansionLoc(ref->getLocation());
      return use;
    }
    if (outer == "Py_SETREF" || outer == "Py_XSETREF")
      throw NoFix(fmt::format("'{}' is replaced with {}", var_->getName(), outer));
  }
  ParentLink link = meaningfulParent(ref, ast_);
  if (const auto *unary = dyn_cast_or_null<UnaryOperator>(link.parent); unary && unary->getOpcode() == UO_AddrOf) {
    use.kind = UseKind::AddressOf;
    return use;
  }
  if (const auto *assign = dyn_cast_or_null<BinaryOperator>(link.parent); assign && assign->isAssignmentOp()) {
    if (link.child == assign->getLHS()) {
      use.kind = UseKind::Assign;
      return use;
    }
    if (isLocalPointer(assign->getLHS())) return use;  // a dependent: see findDependents
    use.kind = UseKind::NeedsOwner;
    use.what = fmt::format("is stored in '{}'", sourceText(assign->getLHS(), ast_));
    return use;
  }
  if (const auto *decl = dyn_cast_or_null<VarDecl>(link.parentDecl)) {
    if (decl->hasLocalStorage()) return use;
    use.kind = UseKind::NeedsOwner;
    use.what = fmt::format("is copied into '{}'", decl->getName());
    return use;
  }
  if (const auto *call = dyn_cast_or_null<CallExpr>(link.parent)) {
    std::string callee = calleeName(call);
    if (isTakeCall(callee)) {
      use.kind = UseKind::Take;
      use.site = call;
      auto takeChain = macroChain(call->getBeginLoc(), sm_, lo);
      use.writtenAsCall = takeChain.empty() || isTakeCall(takeChain.back());
      return use;
    }
    if (isReleaseCall(callee)) {
      use.kind = UseKind::Release;
      return use;
    }
    for (unsigned i = 0; i < call->getNumArgs(); ++i)
      if (stripCasts(call->getArg(i)) == ref && stealsArgument(callee, i)) {
        use.kind = UseKind::NeedsOwner;
        use.what = fmt::format("is handed to {}(), which steals the reference", callee);
      }
    return use;
  }
  if (isa_and_nonnull<ReturnStmt>(link.parent)) {
    use.kind = UseKind::NeedsOwner;
    use.what = "is returned to the caller as a borrowed reference";
    return use;
  }
  if (const auto *init = dyn_cast_or_null<InitListExpr>(link.parent)) {
    (void)init;
    use.kind = UseKind::NeedsOwner;
    use.what = "is stored in an initialiser";
  }
  return use;
}

// A call that returns a Python object the caller owns: its result does not
// point into its arguments. By convention every function returning an
// object does, except the CPython calls that return borrowed references.
bool returnsNewReference(const Expr *e) {
  const auto *call = dyn_cast<CallExpr>(stripCasts(e));
  if (!call || !isPythonObjectPointer(call->getType())) return false;
  std::string callee = calleeName(call);
  if (callee.empty() || findBorrowedApi(callee)) return false;
  return !isOneOf(callee, {"PyModule_GetDict", "PyTuple_GetItem", "PyTuple_GET_ITEM", "PySequence_Fast_GET_ITEM",
                           "PyStructSequence_GetItem", "PyStructSequence_GET_ITEM", "PyFunction_GetCode",
                           "PyFunction_GetGlobals", "PyFunction_GetModule", "PyFunction_GetDefaults",
                           "PyFunction_GetKwDefaults", "PyFunction_GetClosure", "PyFunction_GetAnnotations",
                           "PyMethod_Function", "PyMethod_Self", "PyMethod_GET_FUNCTION", "PyMethod_GET_SELF",
                           "PyCFunction_GetSelf", "PyException_GetTraceback", "PyEval_GetBuiltins",
                           "PyErr_Occurred", "PyModule_GetNameObject"});
}

bool OwnershipAnalysis::isLocalPointer(const Expr *e) const {
  const auto *ref = dyn_cast<DeclRefExpr>(e->IgnoreParenImpCasts());
  const auto *v = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
  return v && v != var_ && v->hasLocalStorage() && v->getType()->isPointerType();
}

void OwnershipAnalysis::findDependents() {
  // Anything computed from the value after the call may point into it.
  struct Flows : RecursiveASTVisitor<Flows> {
    OwnershipAnalysis *self;
    bool grew = false;
    bool mentionsSource(const Stmt *e) { return self->mentionsVariable(e) || self->mentionsDependent(e); }
    void add(const VarDecl *v, const Expr *source) {
      if (!v || v == self->var_ || !v->hasLocalStorage() || !v->getType()->isPointerType()) return;
      if (returnsNewReference(source)) return;
      if (self->offsetOf(source->getBeginLoc()) <= self->anchorEnd_) return;
      if (!self->dependents_.count(v) && mentionsSource(source)) {
        self->dependents_.insert(v);
        grew = true;
      }
    }
    bool VisitVarDecl(VarDecl *v) {
      if (v->getInit()) add(v, v->getInit());
      return true;
    }
    // `PyBytes_AsStringAndSize(item, &buf, &len)`: locals filled through
    // pointers by a call that reads the value may point into it.
    bool VisitCallExpr(CallExpr *call) {
      if (self->offsetOf(call->getBeginLoc()) <= self->anchorEnd_) return true;
      bool readsValue = false;
      for (const Expr *arg : call->arguments()) readsValue |= mentionsSource(arg);
      if (!readsValue) return true;
      for (const Expr *arg : call->arguments())
        if (const auto *addr = dyn_cast<UnaryOperator>(stripCasts(arg)); addr && addr->getOpcode() == UO_AddrOf)
          if (const auto *ref = dyn_cast<DeclRefExpr>(addr->getSubExpr()->IgnoreParenImpCasts()))
            if (const auto *v = dyn_cast<VarDecl>(ref->getDecl());
                v && v != self->var_ && v->hasLocalStorage() && v->getType()->isPointerType() &&
                !self->dependents_.count(v)) {
              self->dependents_.insert(v);
              grew = true;
            }
      return true;
    }
    bool VisitBinaryOperator(BinaryOperator *b) {
      if (b->getOpcode() != BO_Assign) return true;
      if (const auto *ref = dyn_cast<DeclRefExpr>(b->getLHS()->IgnoreParenImpCasts()))
        add(dyn_cast<VarDecl>(ref->getDecl()), b->getRHS());
      return true;
    }
  } flows;
  flows.self = this;
  anchorEnd_ = offsetOf(anchor_->getEndLoc());
  do {
    flows.grew = false;
    flows.TraverseStmt(const_cast<Stmt *>(function_->getBody()));
  } while (flows.grew);
}

bool OwnershipAnalysis::isInside(const Stmt *s, const Stmt *outer) const {
  unsigned b = offsetOf(outer->getBeginLoc()), e = offsetOf(outer->getEndLoc());
  unsigned o = offsetOf(s->getBeginLoc());
  return o >= b && o <= e;
}

void OwnershipAnalysis::findRegion() {
  // The region runs from the call's statement to the last statement of the
  // same block that mentions the variable; the release goes after it.
  last_ = anchor_;
  bool after = false;
  for (const Stmt *child : block_->body()) {
    if (child == anchor_) {
      after = true;
      continue;
    }
    if (!after) continue;
    for (const auto &[ref, use] : uses_)
      if (isInside(ref, child)) {
        last_ = child;
        break;
      }
    if (last_ != child && mentionsDependent(child)) last_ = child;
  }
  regionBegin_ = offsetOf(anchor_->getBeginLoc());
  anchorEnd_ = offsetOf(anchor_->getEndLoc());
  auto lastRange = edits_.statementRange(last_);
  if (!lastRange) throw NoFix("the code after the call is not plain source text");
  regionEnd_ = sm_.getFileOffset(lastRange->getEnd());
  // Code after a label runs for every jump to it; the region's release must
  // not run on paths that never made the call.
  struct Gotos : RecursiveASTVisitor<Gotos> {
    const OwnershipAnalysis *self;
    std::string label;
    bool VisitGotoStmt(GotoStmt *g) {
      const Stmt *target = g->getLabel()->getStmt();
      if (!target) return true;  // a label that is never defined: the code does not compile
      unsigned t = self->offsetOf(target->getBeginLoc()), from = self->offsetOf(g->getBeginLoc());
      bool targetInside = t > self->anchorEnd_ && t < self->regionEnd_;
      bool fromInside = from >= self->regionBegin_ && from < self->regionEnd_;
      if (targetInside && !fromInside) label = g->getLabel()->getName().str();
      return label.empty();
    }
  } gotos;
  gotos.self = this;
  gotos.TraverseStmt(const_cast<Stmt *>(function_->getBody()));
  if (!gotos.label.empty())
    throw NoFix(fmt::format("the code after label '{}' also runs for jumps from before the call", gotos.label));
  // In a loop, a read before the call in the same block sees the previous
  // iteration's value, which the release at the end of the block freed.
  if (!enclosingLoops(anchor_, ast_).empty())
    for (const auto &[ref, use] : uses_) {
      unsigned at = offsetOf(ref->getBeginLoc());
      if (at >= offsetOf(block_->getBeginLoc()) && at < regionBegin_ && use.kind != UseKind::Assign)
        readAfterEnd_ = fmt::format("'{}' is read before the call in a loop, where it holds the previous "
                                    "iteration's value",
                                    var_->getName());
    }
  // The variable itself read after the block (an if/else that assigns it on
  // each branch, a do-while condition) would read a released value.
  unsigned blockEnd = offsetOf(block_->getEndLoc());
  for (const auto &[ref, use] : uses_)
    if (offsetOf(ref->getBeginLoc()) > blockEnd && use.kind != UseKind::Assign)
      readAfterEnd_ = fmt::format("'{}' is used after the block that makes the call", var_->getName());
  // A dependent used after the block would outlive the release.
  std::string late;
  forEachVariableRef(function_->getBody(), [&](const DeclRefExpr *r, const VarDecl *v) {
    if (dependents_.count(v) && offsetOf(r->getBeginLoc()) > blockEnd) late = v->getName().str();
    return late.empty();
  });
  if (!late.empty())
    throw NoFix(fmt::format("'{}', which points into the value, is used after the block that holds it", late));
  // One declared outside the loop around the call lives on into the next
  // iteration, after the release.
  auto loops = enclosingLoops(anchor_, ast_);
  if (!loops.empty())
    for (const VarDecl *d : dependents_)
      if (unsigned at = offsetOf(d->getLocation());
          at < offsetOf(loops.front()->getBeginLoc()) || at > offsetOf(loops.front()->getEndLoc()))
        throw NoFix(fmt::format("'{}', which points into the value, lives on after the loop iteration that releases "
                                "it",
                                d->getName()));
}

bool OwnershipAnalysis::mentionsDependent(const Stmt *s) const {
  bool found = false;
  forEachVariableRef(s, [&](const DeclRefExpr *, const VarDecl *v) { return !(found = dependents_.count(v) > 0); });
  return found;
}

bool OwnershipAnalysis::inAnchor(const Stmt *s) const {
  unsigned o = offsetOf(s->getBeginLoc());
  return o >= regionBegin_ && o <= anchorEnd_;
}

bool OwnershipAnalysis::inRegion(const Stmt *s, bool &known) const {
  SourceLocation loc = s->getBeginLoc();
  known = loc.isValid() && sm_.getFileID(sm_.getExpansionLoc(loc)) == sm_.getFileID(sm_.getExpansionLoc(anchor_->getBeginLoc()));
  if (!known) return true;
  unsigned o = offsetOf(loc);
  return o >= regionBegin_ && o < regionEnd_;
}

std::optional<bool> OwnershipAnalysis::nullTestOutcome(const Expr *cond) const {
  if (!cond) return std::nullopt;
  const Expr *e = stripCasts(cond);
  auto isVar = [&](const Expr *x) {
    const auto *r = dyn_cast<DeclRefExpr>(stripCasts(x));
    return r && r->getDecl() == var_;
  };
  if (isVar(e)) return true;
  if (const auto *u = dyn_cast<UnaryOperator>(e); u && u->getOpcode() == UO_LNot && isVar(u->getSubExpr()))
    return false;
  if (const auto *b = dyn_cast<BinaryOperator>(e); b && (b->getOpcode() == BO_EQ || b->getOpcode() == BO_NE)) {
    bool varLeft = isVar(b->getLHS()) && isNullPointer(b->getRHS(), ast_);
    bool varRight = isVar(b->getRHS()) && isNullPointer(b->getLHS(), ast_);
    if (varLeft || varRight) return b->getOpcode() == BO_NE;
  }
  return std::nullopt;
}

void OwnershipAnalysis::walk() {
  CFG::BuildOptions options;
  options.setAllAlwaysAdd();
  options.PruneTriviallyFalseEdges = true;
  cfg_ = CFG::buildCFG(function_, const_cast<Stmt *>(function_->getBody()), &ast_, options);
  if (!cfg_) throw NoFix("ftlint could not build the function's control-flow graph");
  const Stmt *anchorElement = anchor_;
  for (const CFGBlock *block : *cfg_) {
    for (unsigned i = 0; i < block->size(); ++i) {
      auto element = (*block)[i].getAs<CFGStmt>();
      if (!element) continue;
      const Stmt *s = element->getStmt();
      bool isAnchor = s == anchorElement;
      if (const auto *ds = dyn_cast<DeclStmt>(s); ds && !isAnchor && isa<DeclStmt>(anchor_))
        isAnchor = ds->isSingleDecl() && ds->getSingleDecl() == var_;
      if (isAnchor) {
        step(block, i + 1, State{});
        return;
      }
    }
  }
  throw NoFix("the call is in code the control-flow graph does not reach");
}

void OwnershipAnalysis::step(const CFGBlock *block, unsigned index, State state) {
  if (!visited_.insert({block->getBlockID(), index, state}).second) return;
  if (block == &cfg_->getExit()) {
    ends_.insert(state);
    return;
  }
  for (unsigned i = index; i < block->size(); ++i) {
    auto element = (*block)[i].getAs<CFGStmt>();
    if (!element) continue;
    const Stmt *s = element->getStmt();
    bool known;
    // Leaving the region, or back at the call through a loop: the value's
    // life in this region ends here.
    if (!inRegion(s, known) || (known && inAnchor(s))) {
      ends_.insert(state);
      return;
    }
    if (isa<CXXThrowExpr>(s)) throw NoFix("a C++ exception can leave the function");
    if (const auto *ret = dyn_cast<ReturnStmt>(s)) {
      exits_[ret].insert(state);
      return;
    }
    const auto *ref = dyn_cast<DeclRefExpr>(s);
    if (!ref || ref->getDecl() != var_ || ref == anchorLhs_) continue;
    auto it = uses_.find(ref);
    if (it == uses_.end()) continue;
    const Use &use = it->second;
    if (state.reassigned) {
      // About another value; but a take there must not be removed for ours.
      if (use.kind == UseKind::Take) fixedTakes_.insert(use.site);
      if (use.kind != UseKind::Assign) continue;
    }
    switch (use.kind) {
    case UseKind::Plain:
    case UseKind::AddressOf:
      break;
    case UseKind::Take:
      if (state.null == Nullness::Null) break;
      if (state.taken) throw NoFix("the code takes a second reference to the value on one path");
      state.taken = true;
      takes_[use.site].insert(state);
      if (!use.writtenAsCall) fixedTakes_.insert(use.site);  // inside the project's own macro
      break;
    case UseKind::Clear:
      if (!clearsSeen_.insert(use.macro).second && state.null == Nullness::Null) break;
      [[fallthrough]];
    case UseKind::Release:
      if (!state.taken && state.null != Nullness::Null)
        throw NoFix("the code releases a reference it never took");
      // Cleared while a reference the code took is alive: if that take
      // stays, ours is still owed by a variable that no longer holds it.
      if (use.kind == UseKind::Clear && state.taken) clearedWhileTaken_ = true;
      if (use.kind == UseKind::Clear) state.null = Nullness::Null;
      break;
    case UseKind::Assign:
      kills_.insert(state);
      if (state.null != Nullness::Null && !state.taken && !state.reassigned)
        throw NoFix(fmt::format("'{}' is assigned again while it holds the reference", var_->getName()));
      // The path goes on with a value that is not ours: no release may
      // reach it (checked where releases go).
      state.reassigned = true;
      state.null = Nullness::Unknown;
      break;
    case UseKind::NeedsOwner:
      if (!state.taken && state.null != Nullness::Null)
        throw NoFix(fmt::format("the value {} without a reference of its own", use.what));
      break;
    }
  }

  const Stmt *terminator = block->getTerminatorStmt();
  if (terminator && isa<IndirectGotoStmt>(terminator)) throw NoFix("the function uses a computed goto");
  if (const auto *go = dyn_cast_or_null<GotoStmt>(terminator)) {
    const Stmt *label = go->getLabel()->getStmt();
    // Error recovery keeps gotos whose label was lost in broken code.
    if (!label) throw NoFix(fmt::format("the label '{}' is not defined", go->getLabel()->getName().str()));
    bool known;
    if (!inRegion(label, known) || inAnchor(label)) {
      exits_[go].insert(state);
      return;
    }
  }
  if (terminator && isa<BreakStmt, ContinueStmt>(terminator)) {
    const Stmt *target = jumpTarget(ast_, terminator);
    bool known;
    if (!target || !inRegion(target, known)) {
      exits_[terminator].insert(state);
      return;
    }
  }
  std::optional<bool> test = nullTestOutcome(dyn_cast_or_null<Expr>(block->getTerminatorCondition()));
  unsigned n = 0;
  for (const auto &succ : block->succs()) {
    unsigned which = n++;
    const CFGBlock *next = succ.getReachableBlock();
    if (!next) continue;
    State s = state;
    if (test && block->succ_size() == 2) {
      bool nonNullOnThisEdge = (which == 0) == *test;
      if (nonNullOnThisEdge) s.null = Nullness::NonNull;
      else {
        s.null = Nullness::Null;
        s.taken = false;  // nothing to own on this path
      }
      if (state.reassigned) s = state;
    }
    step(next, 0, s);
  }
}

// The function's own pattern: several jumps to one cleanup label after the
// code that uses the value, where the other owned locals are released. The
// release then goes to the label (Py_XDECREF) with the variable initialised
// to NULL, instead of before every jump. Only when every jump that needs a
// release goes there, none carries a reference the code handed on, the
// variable lives for the whole function, and the label's code does not use it.
const LabelDecl *OwnershipAnalysis::cleanupLabel(bool convertTakes) const {
  const LabelDecl *label = nullptr;
  size_t jumps = 0;
  for (const auto &[jump, states] : exits_) {
    bool needs = false, taken = false;
    for (const State &st : states) {
      needs |= needsRelease(st, convertTakes);
      taken |= st.taken;
    }
    if (!needs) continue;
    const auto *go = dyn_cast<GotoStmt>(jump);
    if (!go || taken || (label && go->getLabel() != label)) return nullptr;
    label = go->getLabel();
    ++jumps;
  }
  if (!label || jumps < 2 || !label->getStmt() || ast_.getLangOpts().CPlusPlus) return nullptr;
  const LabelStmt *target = label->getStmt();
  if (offsetOf(target->getBeginLoc()) <= regionEnd_ || target->getBeginLoc().isMacroID()) return nullptr;
  // Declared at the top of the function, NULL (or nothing) until the call.
  const auto *body = dyn_cast<CompoundStmt>(function_->getBody());
  const DeclStmt *declStmt = declarationStatement(var_, ast_);
  if (!body || !declStmt || parentOf(declStmt) != body) return nullptr;
  if (var_->hasInit() && !isNullPointer(var_->getInit(), ast_)) return nullptr;
  // A jump to the label from before the declaration would skip the NULL.
  struct EarlyJumps : RecursiveASTVisitor<EarlyJumps> {
    const LabelDecl *label;
    unsigned declared;
    const OwnershipAnalysis *self;
    bool found = false;
    bool VisitGotoStmt(GotoStmt *g) {
      found |= g->getLabel() == label && self->offsetOf(g->getBeginLoc()) < declared;
      return !found;
    }
  } early;
  early.label = label;
  early.declared = offsetOf(declStmt->getBeginLoc());
  early.self = this;
  early.TraverseStmt(const_cast<Stmt *>(function_->getBody()));
  if (early.found) return nullptr;
  for (const auto &[ref, use] : uses_) {
    unsigned at = offsetOf(ref->getBeginLoc());
    if (at < regionBegin_ || at >= offsetOf(target->getBeginLoc())) return nullptr;
  }
  // The label's code must only be reached with the variable NULL or owned:
  // another assignment to it anywhere would break that.
  for (const auto &[ref, use] : uses_)
    if (use.kind == UseKind::Assign) return nullptr;
  return label;
}

void OwnershipAnalysis::releaseAtLabel(const LabelDecl *label) {
  if (!var_->hasInit()) {
    SourceLocation nameEnd = Lexer::getLocForEndOfToken(var_->getLocation(), 0, sm_, ast_.getLangOpts());
    edits_.insert(nameEnd, " = NULL");
  }
  const Stmt *first = label->getStmt()->getSubStmt();
  auto range = edits_.statementRange(first);
  if (!range) throw NoFix("the cleanup label's code is written inside a macro");
  std::string text = fmt::format("Py_XDECREF({});", var_->getName().str());
  auto [fid, offset] = sm_.getDecomposedLoc(range->getBegin());
  StringRef buffer = sm_.getBufferData(fid);
  bool startsLine = buffer.slice(startOfLine(buffer, offset), offset).trim(" \t").empty();
  edits_.insert(range->getBegin(), startsLine ? text + "\n" + edits_.indentOf(range->getBegin()) : text + " ");
}

// Labels or case labels in the function: a C++ jump to them may not cross
// the initialisation of a new local.
bool OwnershipAnalysis::hasJumpTargets() const {
  struct Targets : RecursiveASTVisitor<Targets> {
    bool found = false;
    bool VisitLabelStmt(LabelStmt *) { return !(found = true); }
    bool VisitSwitchStmt(SwitchStmt *) { return !(found = true); }
  } targets;
  targets.TraverseStmt(const_cast<Stmt *>(function_->getBody()));
  return targets.found;
}

bool OwnershipAnalysis::mentionsVariable(const Stmt *s) const {
  bool found = false;
  forEachVariableRef(s, [&](const DeclRefExpr *, const VarDecl *v) { return !(found = v == var_); });
  return found;
}

// A name for a new local that no declaration in the function uses.
std::string OwnershipAnalysis::freshName() const {
  struct Names : RecursiveASTVisitor<Names> {
    std::set<std::string> used;
    bool VisitNamedDecl(NamedDecl *d) {
      used.insert(d->getNameAsString());
      return true;
    }
    // Globals and functions it refers to must not be shadowed either.
    bool VisitDeclRefExpr(DeclRefExpr *r) {
      used.insert(r->getNameInfo().getAsString());
      return true;
    }
  } names;
  names.TraverseDecl(const_cast<FunctionDecl *>(function_));
  for (const char *candidate : {"result", "res", "retval", "ret"})
    if (!names.used.count(candidate)) return candidate;
  for (int i = 2;; ++i)
    if (std::string name = fmt::format("result{}", i); !names.used.count(name)) return name;
}

std::string OwnershipAnalysis::release(const std::set<State> &states, bool convertTakes) const {
  bool any = false, maybeNull = false;
  bool reassigned = false;
  for (const State &s : states) {
    // Paths that reach this point with NULL need the X form too.
    maybeNull |= s.null != Nullness::NonNull;
    any |= needsRelease(s, convertTakes);
    reassigned |= s.reassigned;
  }
  if (!any) return "";
  if (reassigned)
    throw NoFix(fmt::format("'{}' is given another value on some paths, where the release would be wrong",
                            var_->getName()));
  return fmt::format("{}({});", maybeNull ? "Py_XDECREF" : "Py_DECREF", var_->getName().str());
}

void OwnershipAnalysis::rewriteCall() {
  const SourceManager &sm = sm_;
  auto argText = [&](unsigned i) {
    auto r = edits_.expressionRange(call_->getArg(i));
    if (!r) throw NoFix("an argument of the call is written inside a macro");
    return edits_.text(*r);
  };
  std::string name = var_ ? var_->getName().str() : "";
  if (api_.rule == "FT101" || api_.rule == "FT105") {
    if (newRefWrapper_) {
      auto whole = edits_.expressionRange(newRefWrapper_);
      auto inner = edits_.expressionRange(call_);
      if (!whole || !inner) throw NoFix("the call is written inside a macro");
      std::string text = edits_.text(*inner);
      text.replace(0, api_.name.size(), std::string(api_.replacement));
      edits_.replace(*whole, text);
      return;
    }
    if (!edits_.renameCallee(call_, std::string(api_.replacement)))
      throw NoFix("the function name is produced by a macro");
    return;
  }
  // The dict functions report the value through an out-parameter.
  if (var_ && var_->getType()->getContainedAutoType())
    throw NoFix("the variable is declared with auto; declare it as PyObject * first");
  if (!var_ || !isPythonObjectPointer(var_->getType()) || var_->getType()->getPointeeType().getAsString() != "PyObject")
    throw NoFix("the variable is not a PyObject *, which the out-parameter needs");
  std::vector<std::string> args;
  for (unsigned i = 0; i < call_->getNumArgs(); ++i) args.push_back(argText(i));
  std::string args_joined;
  for (const auto &a : args) args_joined += a + ", ";
  std::string replacementCall = fmt::format("{}({}&{})", api_.replacement, args_joined, name);
  bool swallowsErrors = api_.name == "PyDict_GetItem" || api_.name == "PyDict_GetItemString";
  std::string indent = edits_.indentOf(anchor_->getBeginLoc());
  std::string statement = replacementCall + ";";
  if (swallowsErrors)
    statement = fmt::format("if ({} < 0) {{\n{}{}PyErr_Clear();\n{}}}", replacementCall, indent, step_, indent);
  // PyWeakref_GetObject() gave a borrowed Py_None for a dead referent; a
  // strong one keeps every `== Py_None` test in the code working.
  if (api_.rule == "FT104")
    statement = fmt::format("if ({} == 0) {{\n{}{}{} = Py_NewRef(Py_None);\n{}}}", replacementCall, indent, step_,
                            name, indent);
  auto range = edits_.statementRange(anchor_);
  if (!range) throw NoFix("the statement is written inside a macro");
  if (const auto *ds = dyn_cast<DeclStmt>(anchor_)) {
    // `PyObject *value = PyDict_GetItem(d, k);` keeps its declaration.
    SourceLocation nameEnd = Lexer::getLocForEndOfToken(var_->getLocation(), 0, sm, ast_.getLangOpts());
    auto declPart = CharSourceRange::getCharRange(ds->getBeginLoc(), nameEnd);
    if (declPart.getBegin().isMacroID() || nameEnd.isInvalid()) throw NoFix("the declaration is written inside a macro");
    statement = edits_.text(declPart) + ";\n" + indent + statement;
  }
  edits_.replace(*range, statement);
}

Fix OwnershipAnalysis::build() {
  Fix fix;
  fix.applicability = Applicability::Safe;
  rewriteCall();
  if (newRefWrapper_) {
    fix.description = fmt::format("use {}(), which returns the strong reference Py_NewRef() took", api_.replacement);
  } else {
    auto mixed = [&](const std::set<State> &states) {
      bool taken = false, needs = false;
      for (const State &s : states) {
        taken |= s.taken;
        needs |= needsRelease(s, true);
      }
      return taken && needs;
    };
    bool convert = !mixed(ends_);
    for (const auto &[site, states] : takes_) convert &= !fixedTakes_.count(site);
    for (const auto &[stmt, states] : exits_) convert &= !mixed(states);
    for (const State &s : kills_) convert &= !(s.null != Nullness::Null && !s.taken && !s.reassigned);
    if (!convert && clearedWhileTaken_)
      throw NoFix(fmt::format("'{}' is cleared while a reference the code took is still alive", var_->getName()));
    if (!convert)
      for (const State &s : kills_)
        if (s.null != Nullness::Null && !s.reassigned)
          throw NoFix(fmt::format("'{}' is assigned again after the code took its own reference", var_->getName()));

    if (convert) {
      for (const auto &[site, states] : takes_) {
        (void)states;
        const auto *takeCall = cast<CallExpr>(site);
        if (isNewRefCall(calleeName(takeCall))) {
          auto r = edits_.expressionRange(takeCall);
          if (!r) throw NoFix("Py_NewRef() is written inside a macro");
          edits_.replace(*r, var_->getName().str());
        } else {
          if (!isa_and_nonnull<CompoundStmt>(parentOf(takeCall)))
            throw NoFix("Py_INCREF() is not a statement of its own");
          edits_.removeStatement(takeCall);
        }
      }
    }
    const LabelDecl *cleanup = cleanupLabel(convert);
    if (cleanup) releaseAtLabel(cleanup);
    for (const auto &[jump, states] : exits_) {
      std::string text = release(states, convert);
      if (text.empty()) continue;
      // A jump from the project's own macro (`FAIL("...")`, `REQUIRE(x)`)
      // cannot get a statement in front of it; Py_RETURN_NONE can.
      if (jump->getBeginLoc().isMacroID()) {
        const Stmt *holder = parentOf(jump);
        if (!holder || holder->getBeginLoc().isMacroID())
          throw NoFix("a jump that needs the release is written inside a macro");
      }
      if (const auto *go = dyn_cast<GotoStmt>(jump); cleanup && go && go->getLabel() == cleanup) continue;
      if (const auto *ret = dyn_cast<ReturnStmt>(jump); ret && ret->getRetValue() && (mentionsVariable(ret) || mentionsDependent(ret))) {
        // `return PyObject_Repr(item);`: the result is computed before the
        // release, into a variable of the function's return type.
        auto value = edits_.expressionRange(ret->getRetValue());
        if (!value || ret->getBeginLoc().isMacroID()) throw NoFix("the return statement is written inside a macro");
        std::string type = function_->getReturnType().getAsString(ast_.getPrintingPolicy());
        std::string name = freshName();
        std::string declaration = type.back() == '*' ? type + name : type + " " + name;
        // In a switch body, or in C++ where a jump may not cross an
        // initialisation, the new local gets a block of its own.
        const Stmt *holder = parentOf(ret);
        bool ownBlock = (ast_.getLangOpts().CPlusPlus && hasJumpTargets()) || isa_and_nonnull<SwitchCase>(holder) ||
                        (holder && isa_and_nonnull<SwitchStmt>(parentOf(holder)));
        if (!edits_.replaceStatement(ret, holder,
                                     {declaration + " = " + edits_.text(*value) + ";", text, "return " + name + ";"},
                                     step_, ownBlock))
          throw NoFix("a return statement is not plain source text");
        continue;
      }
      if (!edits_.insertStatementBefore(jump, parentOf(jump), text, step_))
        throw NoFix("a jump out of the region is not plain source text");
    }
    if (std::string text = release(ends_, convert); !text.empty()) {
      if (!readAfterEnd_.empty()) throw NoFix(readAfterEnd_);
      // With the release at the cleanup label, the value must be NULL for
      // every later jump there.
      if (cleanup) text = fmt::format("Py_CLEAR({});", var_->getName().str());
      edits_.insertStatementAfter(last_, text);
    }
    fix.description = fmt::format("use {}() and release the strong reference on every path", api_.replacement);
  }
  if (edits_.failed()) throw NoFix("part of the rewrite falls inside a macro");
  fix.edits = edits_.take();
  return fix;
}

}  // namespace

OwnershipRewrite rewriteBorrowedCall(ASTContext &ast, const CallExpr *site, const BorrowedApi &api) {
  OwnershipRewrite result;
  if (api.name == "PyImport_AddModuleObject") {
    result.whyNot = "PyImport_AddModuleObject() has no strong-reference form that takes a str object";
    return result;
  }
  try {
    OwnershipAnalysis analysis(ast, site, api);
    result.fix = analysis.run();
  } catch (const NoFix &e) {
    result.whyNot = e.what();
  }
  return result;
}

}  // namespace ftlint
