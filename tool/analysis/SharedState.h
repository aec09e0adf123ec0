// Static and global variables: which are mutable shared state, what a write
// targets, and the lazy-initialisation pattern (`if (cache == NULL) cache = ...`).
#pragma once

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"
#include "clang/AST/Stmt.h"

#include <optional>

namespace ftlint {

class TuContext;

// A variable every thread shares and may write: a global or a static (also
// function-local), not const, not thread-local, not atomic.
bool isMutableSharedVariable(const clang::VarDecl *var);

// The shared variable an assignment or increment writes (`v = x`, `v++`,
// `v[i] = x`, `v.field = x`), or null.
// Null too when the variable's declaration is one a free-threaded build
// does not compile (`#ifndef Py_GIL_DISABLED`): that build declares it
// another way (atomic, thread-local), in a branch these headers skipped.
const clang::VarDecl *writtenSharedVariable(TuContext &tu, const clang::Expr *target);

struct LazyInit {
  const clang::IfStmt *check;     // if (v == NULL) / if (!v)
  const clang::VarDecl *checked;  // the variable tested
};

// When `write` sits in the then-branch of an `if` that tests a shared
// variable for NULL: the lazy initialisation it belongs to.
std::optional<LazyInit> lazyInitOf(const clang::Stmt *write, clang::ASTContext &ast);

}  // namespace ftlint
