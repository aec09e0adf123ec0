// Rule fixtures: small C/C++ extension sources that state what ftlint must
// find in them, so adding a case never means writing C++.
//
//   PyObject *x = PyList_GetItem(list, 0);  // expect: FT101 "an argument of 'first'"
//   // expect-next-line: FT301@19
//   // ftlint-args: --select FT1          (default: every rule, on or off; also
//                                         --compat guard --target-python 3.9,
//                                         --confidence low)
//   // ftlint-flags: -DUSE_FAST_PATH=1    (extra compiler flags)
//   // ftlint-python: >=3.13              (skip older headers)
//   // ftlint-default-build-only          (code that cannot parse without the GIL)
//
// An expectation is a code, `(low)` for a finding of low confidence (shown
// only with `ftlint-args: --confidence low`), optionally `@column`,
// optionally a quoted piece of the message. Every finding must be expected
// and every expectation met.
#pragma once

#include "tool/core/Finding.h"

#include <optional>
#include <string>
#include <vector>

namespace ftlint::testing {

struct Expectation {
  std::string code;
  unsigned line = 0;
  std::optional<unsigned> column;
  std::string messagePart;
  Confidence confidence = Confidence::High;
};

struct Fixture {
  std::string path;
  std::vector<Expectation> expectations;
  std::vector<std::string> args;   // ftlint command-line options
  std::vector<std::string> flags;  // compiler flags
  int minPythonMinor = 0;          // from `ftlint-python: >=3.X`
  bool defaultBuildOnly = false;   // from `ftlint-default-build-only`
  bool isCxx = false;
};

// Parses a fixture; errors in the annotations are returned as text.
Fixture parseFixture(const std::string &path, std::string &error);

// Compares findings with expectations; returns one line per mismatch.
std::vector<std::string> compareFindings(const Fixture &fixture, const std::vector<Finding> &findings);

struct PythonHeaders {
  std::string version;     // "3.13"
  std::string includeDir;  // from sysconfig
  std::string executable;  // the interpreter they belong to
};

// A program run to completion, with what it printed.
struct ProcessResult {
  int exitCode = -1;
  std::string out, err;
};
// Runs argv[0] (found on PATH when it has no slash) in `cwd`.
ProcessResult runProgram(const std::vector<std::string> &argv, const std::string &cwd, unsigned timeoutSeconds = 300);
std::string readTextFile(const std::string &path);
// Writes `text` to `path` byte for byte, creating its directory.
void writeTextFile(const std::string &path, const std::string &text);
// A new empty directory under the system's temporary directory, its name
// starting with `prefix`.
std::string freshDirectory(const std::string &prefix);
// `path` resolved (symlinks, `..`); `path` itself when it does not exist.
std::string realPathOf(const std::string &path);

// Every CPython found on this machine (python3*, pyenv versions), one per
// minor version, ordered by version. Found through each interpreter's
// sysconfig, never from fixed paths.
const std::vector<PythonHeaders> &availablePythonHeaders();

}  // namespace ftlint::testing
