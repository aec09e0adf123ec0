#include "tool/core/Selection.h"

#include "tool/core/Rule.h"

#include <cctype>
#include <fmt/format.h>

namespace ftlint {

static bool prefixMatches(std::string_view entry, std::string_view code) {
  return entry == "ALL" || code.substr(0, entry.size()) == entry;
}

static int specificity(std::string_view entry) {
  return entry == "ALL" ? 0 : static_cast<int>(entry.size());
}

// The length of the most specific entry matching `code`, or -1.
static int bestMatch(const std::vector<std::string> &entries, std::string_view code) {
  int best = -1;
  for (const auto &e : entries)
    if (prefixMatches(e, code)) best = std::max(best, specificity(e));
  return best;
}

bool RuleSelection::isEnabled(std::string_view code, bool enabledByDefault) const {
  int selected = std::max(bestMatch(select, code), bestMatch(extendSelect, code));
  int ignored = bestMatch(ignore, code);
  if (ignored >= 0 && ignored >= selected) return false;
  if (selected >= 0) return true;
  return select.empty() && enabledByDefault;
}

std::vector<std::string> splitCodeList(std::string_view list) {
  std::vector<std::string> out;
  std::string current;
  auto flush = [&] {
    if (!current.empty()) out.push_back(current);
    current.clear();
  };
  for (char c : list) {
    if (c == ',' || std::isspace(static_cast<unsigned char>(c))) flush();
    else current.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  }
  flush();
  return out;
}

std::string validateCodeList(const std::vector<std::string> &entries, std::string_view option) {
  for (const auto &e : entries) {
    if (e == "ALL") continue;
    bool known = false;
    for (const auto &r : allRules())
      if (prefixMatches(e, r.info->code)) known = true;
    if (!known)
      return fmt::format("{}: '{}' matches no rule (run `ftlint rules` for the list)", option, e);
  }
  return {};
}

}  // namespace ftlint
