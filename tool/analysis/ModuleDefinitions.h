// The extension modules a translation unit defines and whether each declares
// how it treats the GIL. Declarations are looked for in the AST and in
// preprocessor branches the headers in use skipped but a free-threaded 3.13+
// build compiles (`#ifdef Py_GIL_DISABLED`, `#if PY_VERSION_HEX >= 0x030D0000`).
#pragma once

#include "tool/analysis/TuContext.h"

#include "clang/AST/Decl.h"
#include "clang/AST/Expr.h"

#include <string>
#include <vector>

namespace ftlint {

enum class GilDeclaration {
  Missing,
  NotUsed,  // Py_MOD_GIL_NOT_USED: the module says it runs without the GIL
  Used,     // Py_MOD_GIL_USED: a deliberate opt-out
};

struct ModuleDefinition {
  const clang::VarDecl *definition = nullptr;  // the PyModuleDef variable
  std::string name;                            // m_name, or the variable's name
  bool multiPhase = false;                     // m_slots set, or PyModuleDef_Init used
  const clang::VarDecl *slots = nullptr;       // the m_slots array
  const clang::CallExpr *create = nullptr;     // PyModule_Create(&def) for single-phase
  GilDeclaration gil = GilDeclaration::Missing;
};

// Found once per TU; later calls return the same list.
const std::vector<ModuleDefinition> &findModuleDefinitions(TuContext &tu);

// Modules defined through a binding library's macro.
struct BindingModule {
  enum Library { Pybind11, Nanobind } library;
  std::string name;
  clang::SourceLocation loc;  // the macro use
  GilDeclaration gil = GilDeclaration::Missing;
};

// PYBIND11_MODULE and NB_MODULE uses, parsed or in branches only a
// free-threaded build compiles. Uses of the same module name are merged: one
// that declares is enough.
std::vector<BindingModule> findBindingModules(TuContext &tu);

}  // namespace ftlint
