// Facts about a whole translation unit that several analyses need: who calls
// what, how struct fields are written and used, and which functions only run
// during module initialisation. Recorded by the rules' walk in C units, built
// by a walk of its own on first use otherwise.
#pragma once

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/STLFunctionalExtras.h"

#include "tool/core/Finding.h"
#include "tool/core/NodeAddressKeys.h"

#include <map>
#include <set>
#include <string>
#include <vector>

namespace ftlint {

// How an expression naming an object is used where it appears.
enum class UseKind {
  Reads,    // looked at only
  Mutates,  // changed in place (PyDict_SetItem(x, ...), PyList_Append(x, ...))
  Escapes,  // stored, returned, copied or passed to code that may keep it
};

// A value stored into a field: by an assignment or an initialiser.
struct FieldStore {
  const clang::Expr *value;
  const clang::FunctionDecl *function;  // null for static initialisers
  bool operator==(const FieldStore &o) const { return value == o.value && function == o.function; }
};

// What the unit index is built from, recorded node by node in the order a
// walk without implicit code visits them: by the index's own walk, or by the
// rules' walk in C units (NodeSubscriptions), which then saves a second walk
// of every function body.
class IndexRecorder {
public:
  explicit IndexRecorder(clang::ASTContext &ast) : ast_(ast) {}

  // Entering a function declaration; returns what leaveFunction() restores.
  const clang::FunctionDecl *enterFunction(const clang::FunctionDecl *fd);
  void leaveFunction(const clang::FunctionDecl *previous) { current_ = previous; }

  void call(const clang::CallExpr *call);
  void declRef(const clang::DeclRefExpr *ref);
  void binaryOperator(const clang::BinaryOperator *bo);
  // An initialiser list as written (its syntactic form).
  void initList(const clang::InitListExpr *written);
  void member(const clang::MemberExpr *me);
  void offsetOf(const clang::OffsetOfExpr *e);
  void varDecl(const clang::VarDecl *vd);
  void sizeOf(const clang::UnaryExprOrTypeTraitExpr *e);

private:
  friend class TuIndex;
  // Code the compiler made from a template: what it holds was seen once
  // already, as written.
  bool inInstantiation() const { return current_ && current_->isTemplateInstantiation(); }
  void noteExecSlot(const clang::InitListExpr *init);

  clang::ASTContext &ast_;
  const clang::FunctionDecl *current_ = nullptr;
  std::map<const clang::FunctionDecl *, std::vector<const clang::CallExpr *>> calls_;
  std::map<const clang::FunctionDecl *, std::set<const clang::FunctionDecl *>> callers_;
  NodeSet<const clang::Expr> directCallees_;
  std::vector<std::pair<const clang::DeclRefExpr *, const clang::FunctionDecl *>> functionRefs_;
  NodeMap<const clang::FieldDecl, std::vector<FieldStore>> stores_;
  NodeSet<const clang::MemberExpr> assignedMembers_;
  std::vector<std::pair<const clang::MemberExpr *, const clang::FunctionDecl *>> members_;
  NodeSet<const clang::RecordDecl> heapOrStatic_;
  NodeSet<const clang::FieldDecl> exposedFields_;
  std::set<const clang::FunctionDecl *> pyInits_;
  NodeSet<const clang::CallExpr> instantiatedCalls_;
  std::vector<const clang::VarDecl *> initializedStructs_;
  std::set<const clang::FunctionDecl *> execSlotFunctions_;  // named in `{Py_mod_exec, f}` slots
};

class TuIndex {
public:
  // Walks the unit itself.
  explicit TuIndex(clang::ASTContext &ast);
  // From what a walk recorded.
  TuIndex(clang::ASTContext &ast, IndexRecorder &&recorded);
  // Same contents (for the tests: the index the rules' walk records must be
  // the one the index's own walk does).
  bool sameAs(const TuIndex &other) const;

  // Direct calls to `fn` (canonical declaration).
  const std::vector<const clang::CallExpr *> &callsTo(const clang::FunctionDecl *fn) const;
  // True when `fn` is used other than by being called (address taken, put in
  // a method table): it may have callers this TU does not show.
  bool hasIndirectUses(const clang::FunctionDecl *fn) const;

  // Values stored into `field` anywhere: assignments and initialisers.
  // `hasUnknownStores` when the field's address is taken or the struct is copied.
  using FieldStore = ftlint::FieldStore;
  const std::vector<FieldStore> &storesTo(const clang::FieldDecl *field) const;
  // Uses of the field's value, with what happens to it (worked out for a
  // field the first time it is asked about: it needs the parents of every use).
  struct FieldUse {
    const clang::MemberExpr *expr;
    UseKind kind;
    const clang::FunctionDecl *function;
  };
  const std::vector<FieldUse> &usesOf(const clang::FieldDecl *field) const;

  // True when every variable of this struct type is an automatic local: the
  // struct only ever lives on a stack.
  bool onlyOnStack(const clang::RecordDecl *record) const;

  // PyInit_* functions, Py_mod_exec functions, and static functions that only
  // they call: code that runs once, under the import lock.
  bool isModuleInit(const clang::FunctionDecl *fn) const;

  // Calls to a function named one of `names`, in source order; a template's
  // instantiations do not repeat the calls written in it.
  std::vector<const clang::CallExpr *> callsNamed(std::initializer_list<llvm::StringRef> names) const;
  // Variables with an initialiser whose type is a struct `wanted` accepts
  // (module definitions, type objects), in source order.
  std::vector<const clang::VarDecl *>
  initializedStructs(llvm::function_ref<bool(const clang::RecordDecl *)> wanted) const;

  // This TU's call edges, init roots and address-taken functions, by USR.
  // Edges into, and address-taken uses of, the functions `matters` accepts:
  // the whole-project pass only asks about functions of the project.
  CallGraphPart callGraph(llvm::function_ref<bool(const clang::FunctionDecl *)> matters) const;

private:
  void build(IndexRecorder &recorded);

  std::map<const clang::FunctionDecl *, std::vector<const clang::CallExpr *>> calls_;
  NodeSet<const clang::CallExpr> instantiatedCalls_;
  std::vector<const clang::VarDecl *> initializedStructs_;
  std::set<const clang::FunctionDecl *> indirect_;
  NodeMap<const clang::FieldDecl, std::vector<FieldStore>> stores_;
  clang::ASTContext &ast_;
  // Reads of each field (not the left side of an assignment), in source order.
  NodeMap<const clang::FieldDecl, std::vector<std::pair<const clang::MemberExpr *, const clang::FunctionDecl *>>>
      reads_;
  NodeSet<const clang::FieldDecl> exposedFields_;
  mutable std::map<const clang::FieldDecl *, std::vector<FieldUse>> uses_;
  NodeSet<const clang::RecordDecl> heapOrStatic_;
  std::set<const clang::FunctionDecl *> init_;
  std::set<const clang::FunctionDecl *> roots_;
  std::map<const clang::FunctionDecl *, std::set<const clang::FunctionDecl *>> callers_;
};

// A stable, cross-TU name for a declaration (empty when clang has none).
std::string usrOf(const clang::Decl *decl);

// What the code around `e` does with the object `e` names, and, when it
// escapes or is changed, a phrase saying how ("it was passed to 'f' on line 12").
struct ObjectUse {
  UseKind kind = UseKind::Reads;
  std::string how;
  const clang::VarDecl *intoLocal = nullptr;  // Escapes only into this local variable
};
ObjectUse describeUse(const clang::Expr *e, clang::ASTContext &ast);

}  // namespace ftlint
