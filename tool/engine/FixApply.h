// Turns the fixes attached to findings into new file contents (`--fix`,
// `--unsafe-fixes`, `--diff`) and writes them back.
//
// Planning never writes: it reads each file once, takes the fixes that can be
// applied together and reports the rest. Fixes that collide with one already
// taken are deferred rather than merged: the caller analyses the fixed files
// again and applies what is still needed, until nothing is deferred.
#pragma once

#include "tool/core/Finding.h"

#include <cstddef>
#include <map>
#include <string>
#include <vector>

namespace ftlint {

struct FixPlanOptions {
  bool includeUnsafe = false;  // --unsafe-fixes
  // Only files under it are planned (absolute, real path); empty: anywhere.
  std::string projectRoot;
  // Content to use instead of the file on disk (a previous pass's result,
  // by real path); the analysis that produced the fixes read this content.
  const std::map<std::string, std::string> *contents = nullptr;
};

struct FileFix {
  std::string path;      // absolute real path
  std::string original;  // content read from disk
  std::string fixed;     // content after the applied fixes
  size_t fixes = 0;      // fixes applied to this file
};

struct FixPlan {
  std::vector<FileFix> files;         // files whose content changes, by path
  std::vector<std::string> problems;  // "<path>: <what is wrong>; not fixed"
  size_t applied = 0;        // fixes applied, once however many TUs produced them
  size_t unsafeLeftOut = 0;  // unsafe fixes left out because they were not asked for
  size_t deferred = 0;       // fixes that collided with an applied fix: for a further pass
  // The root writeFixes must keep writes under (resolved); empty: anywhere.
  std::string projectRoot;
};

// Reads every file the selected fixes edit and computes its new content.
//
// A fix is applied whole or not at all. At one offset, insertions go before a
// replacement that starts there; insertions of one fix at one offset keep the
// order the fix gives them. An insertion identical to one another applied fix
// makes at the same offset is made once (two fixes adding the same #include).
FixPlan planFixes(const std::vector<Finding> &findings, const FixPlanOptions &options);

// A git-style unified diff of one file ("--- a/P", "+++ b/P", hunks with
// three lines of context); empty when the content does not change.
std::string unifiedDiff(const FileFix &file, const std::string &displayPath);

struct WriteReport {
  std::vector<std::string> written;   // paths
  std::vector<std::string> problems;  // "<path>: <reason>; not written"
};

// Replaces every planned file atomically (temporary file in the same
// directory, fsync, rename), keeping its permission bits. A file that changed
// since planning, is read-only, or resolves outside the project root is left
// alone and reported.
WriteReport writeFixes(const FixPlan &plan);

}  // namespace ftlint
