// Container provenance: may another thread reach the list or dict this
// expression names, at this point of the function?
//
// Private: created in this function by PyList_New/PyDict_New/Py_BuildValue/...
// and not yet published (stored into an object, a global or another
// container, passed to code that may keep it, returned), or a keyword-argument
// dict. Everything else is possibly shared: arguments, globals, statics,
// object fields, results of calls into unknown code.
//
// Three whole-file facts refine that: a container in a field the file only
// changes during module initialisation is read-only afterwards; a field of a
// C struct that only ever lives on the stack and only ever holds containers
// created with PyDict_New() & co. is private to that stack frame; and an
// argument of a static function is private when every caller passes a
// private container.
#pragma once

#include "tool/core/Finding.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"

#include <string>

namespace ftlint {
class TuContext;
}

namespace ftlint {

struct Provenance {
  bool isPrivate = false;
  // Why, as a phrase that completes "... into <what>": "'items', an argument
  // of 'process'", "the dict 'd', created here with PyDict_New()".
  std::string what;
  std::string why;  // short reason, e.g. "it was passed to 'helper' on line 12"
  // When not private: Low when the only reason is that Python code returned
  // it (see Confidence).
  Confidence confidence = Confidence::High;
};

// `container` is the list/dict argument of an access at `site` (usually the
// call or member expression that reads it).
Provenance classifyContainer(TuContext &tu, const clang::Expr *container, const clang::Stmt *site);

// When `e` names a local variable: the value last assigned to it before
// `site` (null when unknown, e.g. set through a pointer).
const clang::Expr *valueAt(const clang::Expr *e, const clang::Stmt *site, clang::ASTContext &ctx);

}  // namespace ftlint
