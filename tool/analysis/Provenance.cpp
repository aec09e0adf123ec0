#include "tool/analysis/Provenance.h"

#include "tool/analysis/ApiTables.h"
#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/TuContext.h"
#include "tool/analysis/TuIndex.h"

#include "clang/AST/ExprCXX.h"
#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/AST/StmtCXX.h"

#include <fmt/format.h>

#include <optional>

using namespace clang;

namespace ftlint {
namespace {

Provenance classify(TuContext &tu, const Expr *container, const Stmt *site, int depth);
bool returnsFreshContainer(TuContext &tu, const FunctionDecl *fn, int depth);
std::string describedAsNoun(const std::string &why);

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
    // A NULL assignment (Py_CLEAR on an error path) leaves no container to
    // race on: the container is the one assigned before it.
    for (const auto &d : uses.definitions)
      if (d.position < sitePosition && (!reaching || d.position > reaching->position) && !isNullPointer(d.value, ctx))
        reaching = &d;
    // Set through `&var` (PyArg_ParseTuple, out-parameters) after that.
    // Py_CLEAR takes the address too (3.12+), but only ever stores NULL.
    for (const DeclRefExpr *ref : uses.refs) {
      if (expandedFromMacro(ref->getLocation(), "Py_CLEAR", ctx)) continue;
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

// The function that created the container `value` holds, when it is one this
// file just made: a creating API (PyList_New, ...) or a function of this file
// that returns only containers it created.
std::optional<std::string> creatorOfFresh(TuContext &tu, const Expr *value, int depth) {
  std::string creator;
  if (const CallExpr *call = asCall(value); call && returnsFreshContainer(tu, call->getDirectCallee(), depth))
    return calleeName(call);
  if (isFreshCreation(value, creator)) return creator;
  return std::nullopt;
}

// Why the result of a call that creates nothing fresh may be shared. A call
// into Python code returns whatever that code returns: usually an object it
// built for the caller, so the finding is of low confidence.
Provenance resultOfCall(const CallExpr *call, const std::string &what) {
  std::string callee(apiBaseName(calleeName(call)));
  if (callee.empty()) return {false, what, "it comes from a call that may return a shared object"};
  if (callsPythonCode(callee))
    return {false, what,
            fmt::format("it is the result of {}(), and the Python code it runs may keep and share what it returns",
                        callee),
            Confidence::Low};
  return {false, what, fmt::format("it is the result of {}(), which may return a shared object", callee)};
}

// The tuple whose item `value` reads (PyTuple_GET_ITEM(t, i), which is
// `t->ob_item[i]` after expansion, or PyTuple_GetItem(t, i)); null otherwise.
const Expr *tupleOfItem(const Expr *value) {
  const Expr *e = stripCasts(value);
  if (const auto *call = dyn_cast<CallExpr>(e))
    return isOneOf(calleeName(call), {"PyTuple_GetItem", "PyTuple_GET_ITEM"}) && call->getNumArgs() == 2
               ? call->getArg(0)
               : nullptr;
  const auto *subscript = dyn_cast<ArraySubscriptExpr>(e);
  const auto *member = subscript ? dyn_cast<MemberExpr>(stripCasts(subscript->getBase())) : nullptr;
  const auto *field = member ? dyn_cast<FieldDecl>(member->getMemberDecl()) : nullptr;
  if (!field || field->getName() != "ob_item") return nullptr;
  const RecordDecl *record = field->getParent();
  const TypedefNameDecl *alias = record->getTypedefNameForAnonDecl();
  bool isTuple = record->getName() == "PyTupleObject" || (alias && alias->getName() == "PyTupleObject");
  return isTuple ? member->getBase() : nullptr;
}

// An item of a tuple that Python code returned is part of what that code
// returned: as uncertain as the tuple. Nullopt for anything else.
std::optional<Provenance> itemOfPythonResult(TuContext &tu, const Expr *value, const Stmt *site,
                                             const std::string &name, int depth) {
  const Expr *tuple = tupleOfItem(value);
  if (!tuple || depth >= 4) return std::nullopt;
  Provenance whole = classify(tu, tuple, site, depth + 1);
  if (whole.isPrivate || whole.confidence != Confidence::Low) return std::nullopt;
  return Provenance{false, name,
                    fmt::format("it is an item of the tuple {}, {}", whole.what, describedAsNoun(whole.why)),
                    Confidence::Low};
}

// `e` is an argument of a call to a function of this file that keeps none of
// its references to that argument (only reads or changes it, or hands it to
// helpers that do the same): passing it there publishes nothing.
namespace {

// The call `e` is an argument of, with the function it calls and the
// argument's position; null when `e` is not a direct call's argument.
struct ArgumentOf {
  const CallExpr *call = nullptr;
  const FunctionDecl *definition = nullptr;
  unsigned index = 0;
};

ArgumentOf argumentOf(const Expr *e, ASTContext &ctx) {
  ParentLink link = meaningfulParent(e, ctx);
  const auto *call = dyn_cast_or_null<CallExpr>(link.parent);
  const FunctionDecl *callee = call ? call->getDirectCallee() : nullptr;
  const FunctionDecl *def = callee ? callee->getDefinition() : nullptr;
  if (!def || !def->getBody()) return {};
  unsigned index = 0;
  while (index < call->getNumArgs() && call->getArg(index) != link.child) ++index;
  if (index >= call->getNumArgs() || index >= def->getNumParams()) return {};
  return {call, def, index};
}

}  // namespace

bool passedToHelperKeepingNothing(const Expr *e, ASTContext &ctx, int depth) {
  if (depth >= 3) return false;
  ArgumentOf helper = argumentOf(e, ctx);
  if (!helper.call) return false;
  VariableUses uses(helper.definition->getParamDecl(helper.index), ctx.getSourceManager());
  uses.TraverseStmt(helper.definition->getBody());
  for (const DeclRefExpr *ref : uses.refs) {
    if (std::find(uses.assignedRefs.begin(), uses.assignedRefs.end(), ref) != uses.assignedRefs.end()) continue;
    if (describeUse(ref, ctx).kind != UseKind::Escapes) continue;
    // A recursive helper handing the parameter on to itself, in the same
    // place, keeps it only if its other uses do.
    ArgumentOf onward = argumentOf(ref, ctx);
    if (onward.definition == helper.definition && onward.index == helper.index) continue;
    if (!passedToHelperKeepingNothing(ref, ctx, depth + 1)) return false;
  }
  return true;
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

std::optional<ObjectUse> publishedBeforeSite(const LocalHistory &history, const Stmt *site, ASTContext &ctx,
                                             int depth, bool onlyBeyondLocals = false);

// How the container `ref` names, copied into the local `copy.intoLocal`, is
// published through that local before the site, if it is. A local that no
// longer holds the copy at the site (assigned again, or set through a
// pointer) counts as published: ftlint does not follow where it went.
std::optional<ObjectUse> publishedThroughCopy(const ObjectUse &copy, const DeclRefExpr *ref, const Stmt *site,
                                              ASTContext &ctx, int depth) {
  if (depth >= 4) return copy;
  LocalHistory alias(copy.intoLocal, site, ctx);
  if (alias.filledThroughPointer || !alias.reaching || stripCasts(alias.reaching->value) != ref) return copy;
  return publishedBeforeSite(alias, site, ctx, depth + 1);
}

// The first use between the local's definition and the site (or after the
// site, in a loop that comes back to it) that hands its container to code
// that may keep it: storing it in an object, passing it on, ... A copy into
// another local is followed: the container stays unpublished while that
// local is. With `onlyBeyondLocals`, copies into locals are not looked at.
std::optional<ObjectUse> publishedBeforeSite(const LocalHistory &history, const Stmt *site, ASTContext &ctx,
                                             int depth, bool onlyBeyondLocals) {
  const SourceManager &sm = ctx.getSourceManager();
  unsigned defPosition = history.reaching->position;
  for (const DeclRefExpr *ref : history.uses.refs) {
    const auto &assigned = history.uses.assignedRefs;
    if (std::find(assigned.begin(), assigned.end(), ref) != assigned.end()) continue;
    unsigned pos = fileOffset(sm, ref->getLocation());
    if (pos <= defPosition) continue;
    if (pos >= history.sitePosition && !loopsBackWithoutRedefining(ref, site, defPosition, ctx)) continue;
    // Returning it ends the call: an access later in the function is on
    // another path and never sees it published.
    if (isa_and_nonnull<ReturnStmt>(meaningfulParent(ref, ctx).parent)) continue;
    ObjectUse use = describeUse(ref, ctx);
    if (use.intoLocal) {
      if (onlyBeyondLocals) continue;
      if (auto published = publishedThroughCopy(use, ref, site, ctx, depth)) return published;
      continue;
    }
    if (use.kind == UseKind::Escapes && !passedToHelperKeepingNothing(ref, ctx, depth)) return use;
  }
  return std::nullopt;
}

Provenance classifyLocal(TuContext &tu, const VarDecl *var, const Stmt *site, int depth) {
  ASTContext &ctx = tu.ast();
  std::string name = fmt::format("'{}'", var->getName().str());
  LocalHistory history(var, site, ctx);

  if (history.filledThroughPointer) {
    std::string callee(history.filledBy ? apiBaseName(calleeName(history.filledBy)) : "");
    if (llvm::StringRef(callee).starts_with("PyArg_"))
      return {false, name, fmt::format("it is an argument parsed by {}()", callee)};
    return {false, name, callee.empty() ? "it is set through a pointer" : fmt::format("it is filled in by {}()", callee)};
  }
  const Expr *value = history.value();
  if (!value) return {false, name, "its origin is unknown"};

  // A copy of another variable is what that variable is.
  if (const auto *other = dyn_cast<DeclRefExpr>(stripCasts(value)); other && other->getDecl() != var && depth < 4) {
    Provenance inner = classify(tu, other, site, depth + 1);
    inner.what = fmt::format("{} (a copy of {})", name, inner.what);
    return inner;
  }
  std::optional<std::string> creator = creatorOfFresh(tu, value, depth);
  if (!creator) {
    std::optional<Provenance> guess = itemOfPythonResult(tu, value, site, name, depth);
    if (!guess && asCall(value)) guess = resultOfCall(asCall(value), name);
    if (!guess) return {false, name, "it comes from code that may share it"};
    // Guessing that Python code built it for this caller is overruled when
    // this function shares it itself.
    if (guess->confidence == Confidence::Low)
      if (auto use = publishedBeforeSite(history, site, ctx, depth, true)) return {false, name, use->how};
    return *guess;
  }
  // Created here: private until published.
  if (auto use = publishedBeforeSite(history, site, ctx, depth)) return {false, name, use->how};
  return {true, name, fmt::format("it was created here by {}()", *creator)};
}


// A function of this file whose every `return` hands back NULL or a
// container it created and had not shared: its results are fresh too.
bool returnsFreshContainer(TuContext &tu, const FunctionDecl *fn, int depth) {
  if (!fn || depth >= 3) return false;
  const FunctionDecl *def = fn->getDefinition();
  if (!def || !def->getBody() || !def->getReturnType()->isPointerType()) return false;
  struct Returns : RecursiveASTVisitor<Returns> {
    std::vector<const ReturnStmt *> found;
    bool VisitReturnStmt(ReturnStmt *r) { found.push_back(r); return true; }
    bool TraverseLambdaExpr(LambdaExpr *) { return true; }
  } returns;
  returns.TraverseStmt(def->getBody());
  bool anyFresh = false;
  for (const ReturnStmt *r : returns.found) {
    const Expr *value = r->getRetValue();
    if (!value) return false;
    if (isNullPointer(value, tu.ast())) continue;
    if (!classify(tu, value, r, depth + 1).isPrivate) return false;
    anyFresh = true;
  }
  return anyFresh;
}

// A field whose container the file only creates, changes or hands out during
// module initialisation is effectively read-only afterwards.
bool onlyChangedDuringInit(TuContext &tu, const FieldDecl *field) {
  const TuIndex &ix = tu.index();
  const auto &stores = ix.storesTo(field);
  if (stores.empty()) return false;
  // Clearing the field (m_clear, tp_clear) is teardown, not a change others can race with.
  for (const auto &store : stores)
    if (store.function && !ix.isModuleInit(store.function) && !isNullPointer(store.value, tu.ast())) return false;
  for (const auto &use : ix.usesOf(field))
    if (use.kind != UseKind::Reads && !ix.isModuleInit(use.function)) return false;
  return true;
}

// A field of a C struct that only lives on the stack, and that only ever
// holds containers created fresh: private to the frame that owns the struct.
bool stackStructWithFreshContainers(TuContext &tu, const FieldDecl *field, std::string &creator) {
  const RecordDecl *record = field->getParent();
  if (isPythonObjectRecord(record) || !tu.index().onlyOnStack(record)) return false;
  bool anyFresh = false;
  for (const auto &store : tu.index().storesTo(field)) {
    if (isNullPointer(store.value, tu.ast())) continue;
    if (!isFreshCreation(store.value, creator)) return false;
    anyFresh = true;
  }
  return anyFresh;
}

// What the callers of a static function pass for one of its parameters.
struct CallerArguments {
  bool allPrivate = false;
  // When not: the first call that passes a container that may be shared,
  // and why it may be (null when the callers cannot all be seen).
  const CallExpr *sharedAt = nullptr;
  Provenance shared;
};

// An argument of a static function that every caller in the file passes a
// private container (or, `throughPointer`, the address of one: `f(&list)`).
CallerArguments argumentsAtEveryCall(TuContext &tu, const ParmVarDecl *param, int depth, bool throughPointer = false) {
  const auto *fd = dyn_cast<FunctionDecl>(param->getDeclContext());
  if (!fd || depth >= 3 || fd->isExternallyVisible() || tu.index().hasIndirectUses(fd)) return {};
  const auto &calls = tu.index().callsTo(fd);
  if (calls.empty()) return {};
  unsigned index = param->getFunctionScopeIndex();
  CallerArguments out{true, nullptr, {}};
  for (const CallExpr *call : calls) {
    if (index >= call->getNumArgs()) return {};
    const Expr *arg = call->getArg(index);
    if (throughPointer) {
      const auto *addr = dyn_cast<UnaryOperator>(stripCasts(arg));
      if (!addr || addr->getOpcode() != UO_AddrOf) return {};
      arg = addr->getSubExpr();
    }
    Provenance passed = classify(tu, arg, call, depth + 1);
    // Name the caller with the strongest reason to think the container shared.
    if (!passed.isPrivate && (!out.sharedAt || passed.confidence > out.shared.confidence))
      out = {false, call, std::move(passed)};
    if (out.sharedAt && out.shared.confidence == Confidence::High) break;
  }
  return out;
}

// "it is the result of f(), which ..." as a noun phrase: "the result of f(),
// which ...", to follow the name of the value a caller passes.
std::string describedAsNoun(const std::string &why) {
  llvm::StringRef text(why);
  if (text == "other threads may reach it") return "which other threads may reach";
  if (text.consume_front("it is ")) return text.str();
  if (text.consume_front("its ")) return "a value whose " + text.str();
  if (text.consume_front("it ")) return "a value that " + text.str();
  return why;
}

// Why an argument of `fd` may be shared; at the site itself (depth 0) it
// names a caller in the same file that passes a shared container, one level
// up only, so the message stays one sentence.
std::string argumentReason(const FunctionDecl *fd, const CallerArguments &callers, ASTContext &ctx, int depth) {
  std::string why = fmt::format("it is an argument of '{}'", fd->getNameAsString());
  if (!callers.sharedAt || depth > 0) return why;
  // A function in a header has other callers in each file that includes it;
  // the finding must read the same from every translation unit.
  const SourceManager &sm = ctx.getSourceManager();
  if (sm.getFileID(sm.getExpansionLoc(callers.sharedAt->getBeginLoc())) !=
      sm.getFileID(sm.getExpansionLoc(fd->getLocation())))
    return why;
  unsigned line = sm.getExpansionLineNumber(callers.sharedAt->getBeginLoc());
  return fmt::format("{}, which line {} calls with {}, {}", why, line, callers.shared.what,
                     describedAsNoun(callers.shared.why));
}

// `*out = PyList_New(n); PyList_SET_ITEM(*out, 0, x);`: a container this
// function created and stored through a pointer (an out-parameter), not
// handed on between that store and the site. `pointer` is never used but
// through `*pointer` in between: anything else could change where it points.
std::optional<Provenance> storedThroughPointerHere(TuContext &tu, const VarDecl *pointer, const Stmt *site,
                                                   const std::string &what, int depth) {
  ASTContext &ctx = tu.ast();
  const SourceManager &sm = ctx.getSourceManager();
  const FunctionDecl *fn = enclosingFunction(site, ctx);
  if (!fn || !fn->hasBody()) return std::nullopt;
  VariableUses uses(pointer, sm);
  uses.TraverseStmt(fn->getBody());
  unsigned sitePosition = fileOffset(sm, site->getBeginLoc());

  // Each `*pointer` with its position, and the stores through it.
  struct Pointee {
    const UnaryOperator *deref;
    unsigned position;
    const Expr *stored;  // the value when this is `*pointer = value`
  };
  std::vector<Pointee> pointees;
  const Pointee *reaching = nullptr;
  for (const DeclRefExpr *ref : uses.refs) {
    unsigned position = fileOffset(sm, ref->getLocation());
    const auto *deref = dyn_cast_or_null<UnaryOperator>(meaningfulParent(ref, ctx).parent);
    if (!deref || deref->getOpcode() != UO_Deref) {
      if (position < sitePosition) return std::nullopt;  // the pointer itself is used or changed
      continue;
    }
    const auto *store = dyn_cast_or_null<BinaryOperator>(meaningfulParent(deref, ctx).parent);
    bool isStore = store && store->getOpcode() == BO_Assign && stripCasts(store->getLHS()) == deref;
    pointees.push_back({deref, position, isStore ? store->getRHS() : nullptr});
  }
  for (const Pointee &p : pointees)
    if (p.stored && p.position < sitePosition && !isNullPointer(p.stored, ctx) &&
        (!reaching || p.position > reaching->position))
      reaching = &p;
  if (!reaching) return std::nullopt;
  std::optional<std::string> creator = creatorOfFresh(tu, reaching->stored, depth);
  if (!creator) return std::nullopt;

  for (const Pointee &p : pointees) {
    if (p.stored || p.position <= reaching->position) continue;
    if (p.position >= sitePosition && !loopsBackWithoutRedefining(p.deref, site, reaching->position, ctx)) continue;
    if (describeUse(p.deref, ctx).kind == UseKind::Escapes && !passedToHelperKeepingNothing(p.deref, ctx, depth))
      return std::nullopt;
  }
  return Provenance{true, what,
                    fmt::format("it was created here by {}() and stored through '{}'", *creator,
                                pointer->getName().str())};
}

Provenance classify(TuContext &tu, const Expr *container, const Stmt *site, int depth) {
  ASTContext &ctx = tu.ast();
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
      CallerArguments callers = argumentsAtEveryCall(tu, param, depth);
      if (callers.allPrivate) return {true, name, "every caller in this file passes a container it created"};
      const auto *fd = dyn_cast<FunctionDecl>(param->getDeclContext());
      // Only this file calls it, and only with Python results: as sure as they are.
      Confidence confidence = callers.sharedAt ? callers.shared.confidence : Confidence::High;
      return {false, name, fd ? argumentReason(fd, callers, ctx, depth) : "it is a function argument", confidence};
    }
    if (var->hasGlobalStorage())
      return {false, name, var->isStaticLocal() ? "it is a static variable" : "it is a global variable"};
    return classifyLocal(tu, var, site, depth);
  }
  // `*out` where every caller passes the address of a private container, or
  // where this function just stored one.
  if (const auto *deref = dyn_cast<UnaryOperator>(e); deref && deref->getOpcode() == UO_Deref)
    if (const auto *ref = dyn_cast<DeclRefExpr>(stripCasts(deref->getSubExpr()))) {
      const auto *param = dyn_cast<ParmVarDecl>(ref->getDecl());
      if (param && argumentsAtEveryCall(tu, param, depth, true).allPrivate)
        return {true, text, "every caller in this file passes the address of a container it created"};
      if (const auto *pointer = dyn_cast<VarDecl>(ref->getDecl()); pointer && pointer->hasLocalStorage())
        if (auto stored = storedThroughPointerHere(tu, pointer, site, text, depth)) return *stored;
    }
  if (const auto *member = dyn_cast<MemberExpr>(e)) {
    std::string fieldName = member->getMemberDecl()->getNameAsString();
    if (const auto *field = dyn_cast<FieldDecl>(member->getMemberDecl())) {
      if (onlyChangedDuringInit(tu, field))
        return {true, text, fmt::format("the field '{}' is only changed during module initialisation", fieldName)};
      std::string creator;
      if (stackStructWithFreshContainers(tu, field, creator))
        return {true, text,
                fmt::format("the field '{}' of a struct that only lives on the stack holds containers created by "
                            "{}()",
                            fieldName, creator)};
    }
    return {false, text, fmt::format("it is the field '{}' of an object other threads may reach", fieldName)};
  }
  if (auto item = itemOfPythonResult(tu, e, site, text, depth)) return *item;
  if (const auto *call = dyn_cast<CallExpr>(e)) {
    std::string creator;
    if (isFreshCreation(call, creator)) return {true, text, fmt::format("it was created here by {}()", creator)};
    if (returnsFreshContainer(tu, call->getDirectCallee(), depth))
      return {true, text, fmt::format("{}() returns a container it created", calleeName(call))};
    return resultOfCall(call, text);
  }
  return {false, text, "other threads may reach it"};
}

}  // namespace

Provenance classifyContainer(TuContext &tu, const Expr *container, const Stmt *site) {
  return classify(tu, container, site, 0);
}

const Expr *valueAt(const Expr *e, const Stmt *site, ASTContext &ctx) {
  const auto *ref = dyn_cast<DeclRefExpr>(stripCasts(e));
  const auto *var = ref ? dyn_cast<VarDecl>(ref->getDecl()) : nullptr;
  if (!var || isa<ParmVarDecl>(var) || var->hasGlobalStorage()) return nullptr;
  LocalHistory history(var, site, ctx);
  return history.value();
}

}  // namespace ftlint
