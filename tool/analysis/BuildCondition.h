// Evaluates a preprocessor condition as a free-threaded CPython 3.13+ build
// would, whatever headers ftlint happens to parse with. Findings are about
// that build: code it never compiles is not reported, and a declaration only
// it compiles still counts.
#pragma once

#include <string_view>

namespace ftlint {

enum class Tri { False, True, Unknown };

// `#if` / `#elif` condition text, e.g. "PY_VERSION_HEX >= 0x030D0000".
Tri evaluateForFreeThreadedBuild(std::string_view condition);
// `#ifdef NAME` (negate for `#ifndef`).
Tri isDefinedInFreeThreadedBuild(std::string_view macroName);

Tri triNot(Tri t);

}  // namespace ftlint
