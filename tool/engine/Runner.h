// Runs the rules over translation units, in parallel, and merges what they
// found: a finding in a header that ten TUs include is reported once.
#pragma once

#include "tool/analysis/TuContext.h"
#include "tool/core/Finding.h"
#include "tool/core/Selection.h"
#include "tool/engine/Inputs.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace ftlint {

class ResultCache;

// Called after each translation unit: how many are done (cache hits
// included), of how many, and how many came from the cache.
using ProgressCallback = std::function<void(size_t done, size_t total, size_t cached)>;

struct RunOptions {
  unsigned jobs = 0;                   // 0: every core
  RuleSelection selection;
  ProjectScope scope;
  std::vector<std::string> extraArgs;  // after `--` on the command line
  std::string resourceDir;             // clang's builtin headers; found if empty
  // Files to read from memory instead of disk (real path -> content): the
  // state of the code after fixes that are not written yet.
  std::shared_ptr<const std::map<std::string, std::string>> overlay;
  // With `--compat guard`, the minor version of --target-python: fixes that
  // need a newer Python keep the original code for older ones under
  // `#if PY_VERSION_HEX`. 0: fixes are left as they are.
  int versionGuardTarget = 0;
  // Code outside the project's files (CPython's inline functions, libc, the
  // C++ library, pybind11) cannot produce findings: its function bodies are
  // not parsed and rules do not walk its declarations. Off only to prove
  // that findings do not depend on it.
  bool skipForeignCode = true;
  // Results of unchanged TUs from earlier runs (not used with an overlay).
  ResultCache *cache = nullptr;
  ProgressCallback progress;
};

struct TuResult {
  std::vector<Finding> findings;
  // While a run holds the result of a unit it analysed: the findings, packed
  // (see packFindings), and `findings` empty.
  std::string packedFindings;
  CallGraphPart callGraph;
  std::vector<ModuleSummary> modules;
  std::optional<TuFailure> failure;
  PythonHeaderInfo headers;
  // Every file the parse read (real path, content hash), recorded for the
  // cache.
  std::vector<std::pair<std::string, uint64_t>> inputs;
};

struct RunResult {
  std::vector<Finding> findings;  // deduplicated, in output order
  std::vector<TuFailure> failures;
  size_t translationUnits = 0;
  size_t cachedTranslationUnits = 0;  // of those, reused from the cache
  std::vector<Finding> lowConfidenceHidden;  // left out by --confidence high
  int oldestHeadersMinor = 0;     // minor version of the oldest Python headers seen
  std::vector<ModuleSummary> modules;
};

// The build target a compile command belongs to, from its object file path
// (CMake's CMakeFiles/<target>.dir/, meson's <target>.p/); empty if unknown.
std::string buildTargetOf(const CompileCommand &command);

RunResult analyse(const std::vector<CompileCommand> &commands, const RunOptions &options);
TuResult analyseTranslationUnit(const CompileCommand &command, const RunOptions &options);

// A compile command's arguments without the compiler wrapper and the flags
// that only shape output (-o, -c, -MD, ...): two commands with the same
// file, directory and these arguments parse the same.
std::vector<std::string> argumentsThatMatter(const CompileCommand &command);

// The cross-compilation target a command names (--target=, -target), or "".
std::string targetOf(const std::vector<std::string> &arguments);

// The compiler arguments ftlint parses a compile command with.
std::vector<std::string> prepareArguments(const CompileCommand &command, const RunOptions &options);

// Clang's resource directory (builtin headers) for this binary.
std::string findResourceDir();

}  // namespace ftlint
