// Small AST utilities shared by the rules and the analyses.
#pragma once

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"

#include "llvm/ADT/StringMap.h"

#include <string>
#include <vector>

namespace ftlint {

// Looks through parentheses, implicit and explicit casts and the comma
// operator (CPython's cast macros expand to `(assert(...), (T *)(op))`).
const clang::Expr *stripCasts(const clang::Expr *e);

// Name of the directly called function, or "" for calls through pointers.
std::string calleeName(const clang::CallExpr *call);
// The same name without a copy, for tests run on every call of a unit.
llvm::StringRef calleeIdentifier(const clang::CallExpr *call);

// True when `s` is part of a statement or declaration a macro's body writes
// (a loop in a function `DEFINE_SUM(name)` defines), not the expression a
// macro stands for (`PyList_GET_ITEM(l, i)`, the `->ob_refcnt` of an old
// `Py_REFCNT(x)`): such code has no text of its own where the macro is used.
bool writtenInsideMacroStatement(const clang::Stmt *s, clang::ASTContext &ctx);

// The source text of `e` as the user wrote it (macro uses unexpanded).
std::string sourceText(const clang::Expr *e, const clang::ASTContext &ctx);

// Macro names `loc` was expanded from, innermost first (the names point
// into the source buffers and live as long as the source manager).
llvm::SmallVector<llvm::StringRef, 4> macroChain(clang::SourceLocation loc, const clang::SourceManager &sm,
                                                 const clang::LangOptions &lo);

// True when `loc` comes from an expansion of the macro `name` (at any depth).
bool expandedFromMacro(clang::SourceLocation loc, llvm::StringRef name, const clang::ASTContext &ast);

// True for NULL, 0, nullptr and casts of them.
bool isNullPointer(const clang::Expr *e, clang::ASTContext &ast);

// The absolute path of a file clang read, without `..`: a relative name is
// taken from the compile command's directory (the file system's working
// directory), not from where ftlint runs. Symbolic links are not resolved.
std::string absolutePathOf(const clang::SourceManager &sm, clang::FileEntryRef entry);

// Resolves absolute paths as llvm::sys::fs::real_path does, resolving each
// directory once: a unit that includes Python.h reads a hundred headers from
// a handful of directories, and a full resolution reads every component.
class RealPathCache {
public:
  // Empty when the path does not exist.
  std::string resolve(llvm::StringRef absolutePath);

private:
  std::string resolveOnce(llvm::StringRef absolutePath);
  llvm::StringMap<std::string> directories_, files_;  // "" when it does not resolve
};

// The absolute, resolved path of a file of the TU: relative names in the
// compile command are resolved against its directory, not ftlint's.
std::string realPathOfFile(const clang::SourceManager &sm, clang::FileID fid, RealPathCache *cache = nullptr);

// Byte offset of the place the user wrote `loc` (outermost expansion point).
unsigned fileOffset(const clang::SourceManager &sm, clang::SourceLocation loc);
// 1-based line of the same place.
unsigned fileLine(const clang::SourceManager &sm, clang::SourceLocation loc);

// A variable holding an array of numbers or characters initialised with
// literals only (unicode and lookup tables): no construct any rule looks for
// can be inside, however many thousands of literals it holds.
bool isLiteralDataTable(const clang::Decl *d, const clang::ASTContext &ctx);

// A struct laid out as a Python object (PyObject itself, or one starting with
// `ob_base` / PyObject_HEAD).
bool isPythonObjectRecord(const clang::RecordDecl *record);
// A pointer to such a struct (PyObject *, FooObject *).
bool isPythonObjectPointer(clang::QualType type);

// The initialiser of `field` in a struct initialiser list (positional or
// designated), or null.
const clang::Expr *fieldInitializer(const clang::InitListExpr *init, const clang::RecordDecl *record,
                                    llvm::StringRef field);

const clang::FunctionDecl *enclosingFunction(const clang::Stmt *s, clang::ASTContext &ctx);

// The loops (for/while/do/range-for) that contain `s`, innermost first.
std::vector<const clang::Stmt *> enclosingLoops(const clang::Stmt *s, clang::ASTContext &ctx);

// The statement that contains `s`. With `throughDeclarations`, the
// statement of an initialiser is the DeclStmt of its variable.
const clang::Stmt *parentStatement(clang::ASTContext &ctx, const clang::Stmt *s, bool throughDeclarations = false);

// The DeclStmt that declares `var` (a local variable), or null.
const clang::DeclStmt *declarationStatement(const clang::VarDecl *var, clang::ASTContext &ctx);

// True when `outer` is `s` or one of the statements around it.
bool isWithin(clang::ASTContext &ctx, const clang::Stmt *s, const clang::Stmt *outer);

// The loop a `break`/`continue` leaves or continues (or the switch a
// `break` ends), or null.
const clang::Stmt *jumpTarget(clang::ASTContext &ctx, const clang::Stmt *jump);

// The first parent of `s` that is not a paren or cast, and the child of it
// that leads to `s`.
struct ParentLink {
  const clang::Stmt *parent = nullptr;
  const clang::Decl *parentDecl = nullptr;  // when the parent is a declaration
  const clang::Expr *child = nullptr;
};
ParentLink meaningfulParent(const clang::Expr *e, clang::ASTContext &ctx);

}  // namespace ftlint
