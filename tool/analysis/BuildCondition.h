// Evaluates a preprocessor condition as a free-threaded CPython 3.13+ build
// would, whatever headers ftlint happens to parse with. Findings are about
// that build: code it never compiles is not reported, and a declaration only
// it compiles still counts.
#pragma once

#include <string_view>

namespace ftlint {

enum class Tri { False, True, Unknown };

// The builds ftlint reasons about.
enum class Build {
  FreeThreaded,  // CPython 3.13 or newer with Py_GIL_DISABLED: what findings are about
  Default,       // any CPython with the GIL: where PyUnstable_Module_SetGIL must not be called
};

// `#if` / `#elif` condition text, e.g. "PY_VERSION_HEX >= 0x030D0000".
Tri evaluateCondition(std::string_view condition, Build build);
// The same condition in both builds, read once.
struct BuildTruths {
  Tri freeThreaded, defaultBuild;
};
BuildTruths evaluateInBothBuilds(std::string_view condition);
// `#ifdef NAME` (negate for `#ifndef`).
Tri isDefinedIn(std::string_view macroName, Build build);

inline Tri evaluateForFreeThreadedBuild(std::string_view condition) {
  return evaluateCondition(condition, Build::FreeThreaded);
}
inline Tri isDefinedInFreeThreadedBuild(std::string_view macroName) {
  return isDefinedIn(macroName, Build::FreeThreaded);
}

// Combines the branches of one #if/#elif/#else chain: whether the next
// branch is compiled, given what the earlier ones were.
struct BranchChain {
  bool anyTrue = false;   // an earlier branch is certainly compiled
  bool allFalse = true;   // every earlier branch is certainly not
  Tri enclosing = Tri::True;
  Tri next(Tri condition);
};

Tri triNot(Tri t);

}  // namespace ftlint
