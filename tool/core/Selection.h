// Which rules run: --select / --extend-select / --ignore with family prefixes
// (FT1, FT30, FT301; ALL). The most specific matching entry decides; at equal
// specificity --ignore wins.
#pragma once

#include <string>
#include <vector>

namespace ftlint {

struct RuleSelection {
  std::vector<std::string> select;        // replaces the defaults when non-empty
  std::vector<std::string> extendSelect;  // added to whatever is selected
  std::vector<std::string> ignore;

  bool isEnabled(std::string_view code, bool enabledByDefault) const;
};

// Splits "FT1,FT301" into entries, upper-cased and trimmed.
std::vector<std::string> splitCodeList(std::string_view list);

// An entry that matches no rule (a typo such as FT9999) is an error: the
// returned text names it, empty when every entry is known.
std::string validateCodeList(const std::vector<std::string> &entries, std::string_view option);

}  // namespace ftlint
