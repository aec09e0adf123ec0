// Fingerprints that identify a finding across unrelated edits, for SARIF's
// partialFingerprints: code scanning services match results between runs by
// them, so a finding keeps its identity (and its dismissal) when lines are
// inserted or removed above it.
#pragma once

#include "tool/core/Finding.h"

#include <string>
#include <vector>

namespace ftlint {

// 16 lowercase hex digits hashing the rule code, the file's path relative to
// the project root, the finding's source line with all whitespace removed and
// `occurrence`: how many findings with the same code, path and normalised
// line came before this one in output order. The line number is deliberately
// left out; re-indenting or re-wrapping whitespace does not change it either.
std::string findingFingerprint(const Finding &f, const std::string &relativePath, unsigned occurrence);

// The fingerprint of every finding, in the same order, with occurrences
// counted over `findings` as given (output order).
std::vector<std::string> fingerprintsFor(const std::vector<Finding> &findings, const std::string &projectRoot);

}  // namespace ftlint
