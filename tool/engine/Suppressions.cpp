#include "tool/engine/Suppressions.h"

#include "tool/core/Rule.h"

#include "llvm/Support/MemoryBuffer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace ftlint {
namespace {

// Codes in "(FT101, FT2)" or after "noqa:". `hasList` tells a bare marker
// (which covers every rule) from a list that names only other tools' checks.
std::vector<std::string> codesAfter(const std::string &line, size_t pos, bool noqa, bool &hasList) {
  std::string list;
  hasList = false;
  if (noqa) {
    while (pos < line.size() && line[pos] == ' ') ++pos;
    if (pos >= line.size() || line[pos] != ':') return {};
    list = line.substr(pos + 1);
    size_t end = list.find("*/");
    if (end != std::string::npos) list = list.substr(0, end);
  } else {
    if (pos >= line.size() || line[pos] != '(') return {};
    size_t close = line.find(')', pos);
    list = line.substr(pos + 1, close == std::string::npos ? std::string::npos : close - pos - 1);
  }
  hasList = true;
  std::vector<std::string> codes;
  for (const auto &c : splitCodeList(list))
    if (c.rfind("FT", 0) == 0) codes.push_back(c);
  return codes;
}

bool covers(const Suppression &s, const Finding &f) {
  if (f.line < s.firstLine || f.line > s.lastLine) return false;
  if (s.codes.empty()) return true;
  return std::any_of(s.codes.begin(), s.codes.end(),
                     [&](const std::string &c) { return f.code.compare(0, c.size(), c) == 0; });
}

}  // namespace

std::vector<Suppression> parseSuppressions(const std::string &text) {
  std::vector<Suppression> out;
  std::vector<Suppression> open;  // NOLINTBEGIN waiting for its END
  unsigned lineNo = 0;
  size_t lineStart = 0;
  while (lineStart <= text.size()) {
    size_t lineEnd = text.find('\n', lineStart);
    if (lineEnd == std::string::npos) lineEnd = text.size();
    std::string line = text.substr(lineStart, lineEnd - lineStart);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    ++lineNo;
    size_t comment = std::min(line.find("//"), line.find("/*"));
    if (comment != std::string::npos) {
      static const char *const markers[] = {"NOLINTNEXTLINE", "NOLINTBEGIN", "NOLINTEND", "NOLINT", "noqa"};
      for (const char *m : markers) {
        size_t at = line.find(m, comment);
        if (at == std::string::npos) continue;
        std::string marker = m;
        Suppression s;
        s.line = lineNo;
        s.column = static_cast<unsigned>(at + 1);
        s.marker = marker;
        s.sourceLine = line;
        s.offset = static_cast<unsigned>(lineStart + at);
        bool hasList = false;
        s.codes = codesAfter(line, at + marker.size(), marker == "noqa", hasList);
        // `noqa` alone, or a list naming only other tools' checks, is not ours.
        if ((marker == "noqa" || hasList) && s.codes.empty()) break;
        if (marker == "NOLINTNEXTLINE") {
          s.firstLine = s.lastLine = lineNo + 1;
        } else if (marker == "NOLINTBEGIN") {
          open.push_back(s);
          break;
        } else if (marker == "NOLINTEND") {
          if (!open.empty()) {
            Suppression begin = open.back();
            open.pop_back();
            begin.firstLine = begin.line;
            begin.lastLine = lineNo;
            out.push_back(begin);
          }
          break;
        } else {
          s.firstLine = s.lastLine = lineNo;
        }
        out.push_back(s);
        break;
      }
    }
    if (lineEnd == text.size()) break;
    lineStart = lineEnd + 1;
  }
  for (Suppression &s : open) {  // an unclosed NOLINTBEGIN covers the rest of the file
    s.firstLine = s.line;
    s.lastLine = lineNo;
    out.push_back(s);
  }
  return out;
}

void applySuppressions(std::vector<Finding> &findings, bool reportUnused) {
  std::set<std::string> files;
  for (const auto &f : findings) files.insert(f.file);
  std::map<std::string, std::vector<Suppression>> byFile;
  for (const auto &file : files) {
    auto buffer = llvm::MemoryBuffer::getFile(file);
    if (buffer) byFile[file] = parseSuppressions((*buffer)->getBuffer().str());
  }
  std::vector<Finding> kept;
  for (auto &f : findings) {
    bool suppressed = false;
    for (auto &s : byFile[f.file])
      if (covers(s, f)) {
        s.used = true;
        suppressed = true;
      }
    if (!suppressed) kept.push_back(std::move(f));
  }
  if (reportUnused) {
    for (const auto &[file, list] : byFile)
      for (const auto &s : list) {
        // Bare markers may be meant for other tools (clang-tidy reads NOLINT too).
        if (s.used || s.codes.empty()) continue;
        Finding u;
        u.code = "FT901";
        u.file = file;
        u.line = s.line;
        u.column = s.column;
        u.endLine = s.line;
        u.endColumn = s.column + static_cast<unsigned>(s.marker.size()) - 1;
        u.offset = s.offset;
        u.sourceLine = s.sourceLine;
        std::string codes;
        for (const auto &c : s.codes) codes += (codes.empty() ? "" : ", ") + c;
        u.message = codes.empty() ? fmt::format("this {} suppresses nothing: remove it", s.marker)
                                  : fmt::format("this {} for {} suppresses nothing: remove it", s.marker, codes);
        kept.push_back(std::move(u));
      }
  }
  std::sort(kept.begin(), kept.end(), findingLess);
  findings = std::move(kept);
}

}  // namespace ftlint
