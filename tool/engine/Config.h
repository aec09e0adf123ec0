// Project configuration: `[tool.ftlint]` in pyproject.toml, or .ftlint.toml,
// found upward from the working directory or named with --config. Keys
// mirror the long options; command-line options win over them.
#pragma once

#include "llvm/Support/Error.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace ftlint {

struct FileConfig {
  std::string path;       // the file the settings come from
  std::string directory;  // relative paths and patterns are relative to it

  std::optional<std::vector<std::string>> select;
  std::vector<std::string> extendSelect, ignore;
  std::optional<std::string> targetPython, compat, compatHeader, cacheDir, baseline, format, python, buildDir, compileCommands,
      projectRoot, color, confidence;
  std::optional<unsigned> jobs;
  std::optional<bool> exitZero, unsafeFixes, quiet;
  // Files (glob patterns relative to `directory`) ftlint leaves alone.
  std::vector<std::string> exclude;
  // Codes (or prefixes) ignored in files matching each pattern.
  std::vector<std::pair<std::string, std::vector<std::string>>> perFileIgnores;
};

// Reads one file. Errors name the file, the line and the key.
llvm::Expected<FileConfig> loadConfig(const std::string &path);

// The nearest .ftlint.toml, or pyproject.toml with a [tool.ftlint] table, in
// `startDirectory` or above; nullopt when there is none.
llvm::Expected<std::optional<FileConfig>> findConfig(const std::string &startDirectory);

// Glob match of a path relative to the config directory: `*` and `?` stay
// within one path component, `**` spans components; a pattern also matches
// everything below a directory it matches, and a pattern without `/`
// matches any single component (`*_generated.c`, `vendor`).
bool pathMatches(const std::string &pattern, const std::string &relativePath);

// "3.13" -> 13, the minor version of a Python 3 release; -1 if malformed.
int pythonMinorVersion(std::string_view version);

}  // namespace ftlint
