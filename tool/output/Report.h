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
};

void writeText(llvm::raw_ostream &out, const RunResult &run, const ReportOptions &options);
void writeJson(llvm::raw_ostream &out, const RunResult &run, const ReportOptions &options);

// `path` relative to `base` when it lies below it, else unchanged.
std::string relativeTo(const std::string &path, const std::string &base);

}  // namespace ftlint
