#include "tool/core/Finding.h"

#include "llvm/Support/xxhash.h"

#include <algorithm>
#include <set>
#include <tuple>
#include <utility>

namespace ftlint {

const char *severityName(Severity s) {
  switch (s) {
  case Severity::Note: return "note";
  case Severity::Warning: return "warning";
  case Severity::Error: return "error";
  }
  return "warning";
}

const char *applicabilityName(Applicability a) {
  return a == Applicability::Safe ? "safe" : "unsafe";
}

const char *confidenceName(Confidence c) { return c == Confidence::Low ? "low" : "high"; }

std::optional<Confidence> parseConfidence(std::string_view text) {
  if (text == "low") return Confidence::Low;
  if (text == "high") return Confidence::High;
  return std::nullopt;
}

std::vector<Finding> removeBelowConfidence(std::vector<Finding> &findings, Confidence minimum) {
  auto below = std::stable_partition(findings.begin(), findings.end(),
                                     [&](const Finding &f) { return f.confidence >= minimum; });
  std::vector<Finding> removed(std::make_move_iterator(below), std::make_move_iterator(findings.end()));
  findings.erase(below, findings.end());
  return removed;
}

std::string applyEdits(std::string_view text, std::vector<TextEdit> edits, size_t base) {
  std::stable_sort(edits.begin(), edits.end(), [](const TextEdit &a, const TextEdit &b) {
    return std::make_pair(a.offset, a.length > 0) < std::make_pair(b.offset, b.length > 0);
  });
  std::string out;
  out.reserve(text.size() + 64);
  size_t pos = 0;
  for (const TextEdit &e : edits) {
    size_t at = e.offset - base;
    out.append(text, pos, at - pos);
    out += e.replacement;
    pos = at + e.length;
  }
  out.append(text, pos, std::string_view::npos);
  return out;
}

uint64_t contentHash(std::string_view text) {
  uint64_t h = llvm::xxh3_64bits(llvm::StringRef(text.data(), text.size()));
  return h ? h : 1;  // 0 means "unknown"
}

void attachFix(Finding &finding, FixOffer offer) {
  if (offer.fix) finding.fix = std::move(offer.fix);
  else if (!offer.whyNot.empty()) finding.noFixReason = "no automatic fix: " + offer.whyNot;
}

void recountOpenFindings(std::vector<ModuleSummary> &modules, const std::vector<Finding> &reported,
                         Confidence minimum) {
  std::set<std::tuple<std::string, unsigned, std::string>> shown;
  for (const Finding &f : reported) shown.insert({f.file, f.offset, f.code});
  for (ModuleSummary &m : modules)
    m.openFindings = std::count_if(m.findingSites.begin(), m.findingSites.end(), [&](const auto &site) {
      return site.confidence >= minimum && shown.count({site.file, site.offset, site.code}) > 0;
    });
}

bool findingLess(const Finding &a, const Finding &b) {
  // Among copies of one finding (a header seen from several units), the
  // most confident comes first: merging keeps it.
  return std::make_tuple(std::cref(a.file), a.line, a.column, std::cref(a.code), std::cref(a.message),
                         b.confidence) <
         std::make_tuple(std::cref(b.file), b.line, b.column, std::cref(b.code), std::cref(b.message),
                         a.confidence);
}

bool sameFinding(const Finding &a, const Finding &b) {
  return a.code == b.code && a.file == b.file && a.offset == b.offset &&
         a.message == b.message;
}

}  // namespace ftlint
