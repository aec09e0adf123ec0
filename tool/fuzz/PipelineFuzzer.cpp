// Fuzz target: the whole pipeline on an in-memory source file. The input is
// an extension module's source; it is parsed against the real Python headers
// with every rule selected, its findings are suppressed, fixed and reported
// in every format. One property is checked beyond "no crash": fixes applied
// to a file that compiled leave a file that still compiles (fixes that need
// a newer Python than the headers are guarded by version, as with
// `--compat guard`).
#include "tool/engine/Config.h"
#include "tool/engine/FixApply.h"
#include "tool/engine/Inputs.h"
#include "tool/engine/Runner.h"
#include "tool/fuzz/FuzzSupport.h"
#include "tool/output/Report.h"

#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <memory>
#include <string>

using namespace ftlint;

namespace {

// Not a directory on disk: the source exists only in the overlay.
const std::string kRoot = "/ftlint-fuzz-project";

std::vector<std::string> pythonIncludeDirs;
int pythonMinor = 0;

bool looksLikeCxx(const std::string &text) {
  for (const char *marker : {"pybind11", "namespace", "template", "class ", "nanobind"})
    if (text.find(marker) != std::string::npos) return true;
  return false;
}

CompileCommand commandFor(const std::string &file, bool cxx) {
  CompileCommand command;
  command.directory = kRoot;
  command.file = file;
  command.arguments = {cxx ? "clang++" : "clang"};
  if (cxx) command.arguments.push_back("-std=c++17");
  for (const std::string &dir : pythonIncludeDirs) command.arguments.push_back("-I" + dir);
  command.arguments.push_back(file);
  return command;
}

RunResult analyseText(const CompileCommand &command, const std::string &text, const RunOptions &base) {
  RunOptions options = base;
  options.overlay = std::make_shared<const std::map<std::string, std::string>>(
      std::map<std::string, std::string>{{command.file, text}});
  return analyse({command}, options);
}

void report(const RunResult &run) {
  ReportOptions options;
  options.projectRoot = kRoot;
  options.workingDirectory = kRoot;
  llvm::raw_null_ostream sink;
  writeText(sink, run, options);
  writeJsonReport(sink, run, options);
  writeSarif(sink, run, options);
  writeGithub(sink, run, options);
  writeStatistics(sink, run, /*json=*/true);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  const char *python = std::getenv("FTLINT_FUZZ_PYTHON");
  llvm::Expected<PythonConfig> config = queryPython(python ? python : "python3");
  if (!config) {
    std::fprintf(stderr, "ftlint fuzz: %s\n", llvm::toString(config.takeError()).c_str());
    std::exit(1);
  }
  pythonIncludeDirs = config->includeDirs;
  pythonMinor = pythonMinorVersion(config->version);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  bool cxx = looksLikeCxx(text);
  CompileCommand command = commandFor(kRoot + (cxx ? "/module.cpp" : "/module.c"), cxx);

  RunOptions options;
  options.jobs = 1;
  options.selection.select = {"ALL"};
  options.scope = ProjectScope(kRoot, pythonIncludeDirs);
  // Fixes that need a newer Python than the headers keep the old code for
  // them (`--compat guard`), so the fixed file compiles against the same
  // headers and the check below holds for every fix.
  options.versionGuardTarget = pythonMinor;
  RunResult run = analyseText(command, text, options);
  report(run);

  std::map<std::string, std::string> contents{{command.file, text}};
  FixPlanOptions planOptions;
  planOptions.includeUnsafe = true;
  planOptions.contents = &contents;
  FixPlan plan = planFixes(run.findings, planOptions);
  for (const FileFix &file : plan.files) (void)unifiedDiff(file, "module");
  if (!run.failures.empty()) return 0;

  for (const FileFix &file : plan.files) {
    if (file.path != command.file) continue;
    RunResult fixed = analyseText(command, file.fixed, options);
    if (!fixed.failures.empty()) {
      std::fprintf(stderr, "ftlint fuzz: the fixed file no longer compiles:\n%s\n--- fixed ---\n%s\n",
                   fixed.failures.front().errors.empty() ? "" : fixed.failures.front().errors.front().c_str(),
                   file.fixed.c_str());
      __builtin_trap();
    }
  }
  return 0;
}
