// Writes a run's findings for people (clang-style text) and programs (JSON).
#pragma once

#include "tool/engine/Runner.h"

#include "llvm/Support/raw_ostream.h"

#include <string>

namespace ftlint {

struct ReportOptions {
  std::string projectRoot;       // JSON paths are relative to it
  std::string workingDirectory;  // text paths are relative to it when inside
  bool color = false;
  bool quiet = false;            // text: findings only, no snippets or summary
  bool unsafeFixesEnabled = false;  // text: how to apply the fixes on offer
};

void writeText(llvm::raw_ostream &out, const RunResult &run, const ReportOptions &options);
void writeJson(llvm::raw_ostream &out, const RunResult &run, const ReportOptions &options);
// {"version": 1, "findings": [...], "modules": [...], "failures": [...]}: the
// findings array of writeJson plus the per-module summary and failed TUs.
void writeJsonReport(llvm::raw_ostream &out, const RunResult &run, const ReportOptions &options);

// One line per rule with findings: count, code, name, and how many have a
// safe or unsafe fix; as a JSON array with --format json.
void writeStatistics(llvm::raw_ostream &out, const RunResult &run, bool json);

// "3 low-confidence findings hidden (...): show them with --confidence low.",
// or empty when none is.
std::string lowConfidenceNote(const RunResult &run);

// `path` relative to `base` when it lies below it, else unchanged.
std::string relativeTo(const std::string &path, const std::string &base);

// SARIF 2.1.0 for code scanning (GitHub and others): full rule metadata,
// paths relative to the project root under the PROJECTROOT base id, stable
// partialFingerprints, fixes and one tool notification per failed TU.
void writeSarif(llvm::raw_ostream &out, const RunResult &run, const ReportOptions &options);
// GitHub Actions workflow commands: one `::warning file=...::message` line
// per finding, one `::error` line per TU that could not be analysed, and a
// `::notice` saying how many low-confidence findings are hidden.
void writeGithub(llvm::raw_ostream &out, const RunResult &run, const ReportOptions &options);

}  // namespace ftlint
