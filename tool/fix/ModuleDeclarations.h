// Fixes that declare a module free-threading-safe, each guarded so the code
// still builds for Pythons and binding libraries that predate the
// declaration. They are unsafe by nature: a claim about the whole module.
#pragma once

#include "tool/core/Finding.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"

#include <optional>
#include <string>

namespace ftlint {

using DeclarationFix = FixOffer;

// `{Py_mod_gil, Py_MOD_GIL_NOT_USED},` before the terminator of `slots`,
// under `#ifdef Py_mod_gil`.
DeclarationFix addGilSlot(clang::ASTContext &ast, const clang::VarDecl *slots);

// `PyUnstable_Module_SetGIL(m, Py_MOD_GIL_NOT_USED);` under
// `#ifdef Py_GIL_DISABLED`, right after the NULL check of PyModule_Create's result.
DeclarationFix addSetGilCall(clang::ASTContext &ast, const clang::CallExpr *create);

// `pybind11::mod_gil_not_used()` as the third argument of PYBIND11_MODULE at `use`.
DeclarationFix addPybind11Tag(clang::ASTContext &ast, clang::SourceLocation use);

// `#ifdef Py_GIL_DISABLED` ... `#endif` around the statement holding `call`.
DeclarationFix guardForFreeThreading(clang::ASTContext &ast, const clang::CallExpr *call);
// The same for a call statement `NAME(...);` that starts its own line at
// `name`, read as text (in code the headers in use skip).
DeclarationFix guardLineForFreeThreading(clang::ASTContext &ast, clang::SourceLocation name);

}  // namespace ftlint
