// Inline suppressions: `// NOLINT`, `// NOLINT(FT101, FT2)`, `// NOLINTNEXTLINE(...)`,
// `NOLINTBEGIN(...)` ... `NOLINTEND(...)` and `// noqa: FT101`, in C and C++
// comments. A bare marker suppresses every rule. Markers that suppressed
// nothing become FT901 findings when that rule is selected.
#pragma once

#include "tool/core/Finding.h"
#include "tool/core/Selection.h"

#include <map>
#include <string>
#include <vector>

namespace ftlint {

struct Suppression {
  unsigned line = 0;        // line the marker sits on
  unsigned column = 0;      // column of the marker
  unsigned firstLine = 0;   // lines it covers
  unsigned lastLine = 0;
  std::vector<std::string> codes;  // empty: every rule
  std::string marker;       // "NOLINT", "NOLINTNEXTLINE", "NOLINTBEGIN", "noqa"
  std::string sourceLine;
  unsigned offset = 0;
  bool used = false;
};

// The suppressions written in `text` (a whole file).
std::vector<Suppression> parseSuppressions(const std::string &text);

// Removes suppressed findings; adds FT901 findings for unused markers when
// `reportUnused`, each with a fix that removes the comment. Files are read
// once each, from `overlay` (real path -> content) when it has them.
void applySuppressions(std::vector<Finding> &findings, bool reportUnused,
                       const std::map<std::string, std::string> *overlay = nullptr);

}  // namespace ftlint
