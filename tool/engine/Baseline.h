// A baseline records today's findings by fingerprint (rule, file, the
// normalised code of the line, never the line number), so CI can fail only
// on new findings while old ones are worked off.
#pragma once

#include "tool/core/Finding.h"

#include "llvm/Support/Error.h"

#include <set>
#include <string>
#include <vector>

namespace ftlint {

llvm::Error writeBaseline(const std::string &path, const std::vector<Finding> &findings,
                          const std::string &projectRoot);

struct Baseline {
  std::set<std::string> fingerprints;
};

llvm::Expected<Baseline> readBaseline(const std::string &path);

// Removes findings the baseline records; returns how many baseline entries
// matched nothing (fixed findings: the baseline can be pruned).
// Entries that match a finding of `stillPresent` (findings the report leaves
// out) are not counted as stale either.
size_t applyBaseline(const Baseline &baseline, std::vector<Finding> &findings, const std::string &projectRoot,
                     const std::vector<Finding> &stillPresent = {});

}  // namespace ftlint
