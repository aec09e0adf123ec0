#include "tool/engine/Suppressions.h"

#include "tool/core/Selection.h"

#include "tool/core/Rule.h"

#include "llvm/Support/MemoryBuffer.h"

#include <fmt/format.h>

#include <optional>

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

// The edit that deletes the comment holding an unused marker: the whole
// line when the comment is alone on it, else the comment and the blanks
// before it. NOLINTBEGIN/END come in pairs and are left to the user.
static std::optional<TextEdit> removeMarkerComment(const std::string &file, const std::string &text,
                                                   const Suppression &s) {
  if (s.marker == "NOLINTBEGIN" || s.marker == "NOLINTEND") return std::nullopt;
  size_t lineStart = text.rfind('\n', s.offset == 0 ? 0 : s.offset - 1);
  lineStart = lineStart == std::string::npos || s.offset == 0 ? 0 : lineStart + 1;
  size_t lineEnd = text.find('\n', s.offset);
  if (lineEnd == std::string::npos) lineEnd = text.size();
  std::string_view line(text.data() + lineStart, s.offset - lineStart);
  size_t slashes = line.rfind("//"), block = line.rfind("/*");
  size_t begin, end;
  if (slashes != std::string_view::npos && (block == std::string_view::npos || slashes > block)) {
    begin = lineStart + slashes;
    end = lineEnd;
    if (end > begin && text[end - 1] == '\r') --end;
  } else if (block != std::string_view::npos) {
    begin = lineStart + block;
    size_t close = text.find("*/", s.offset);
    if (close == std::string::npos || close > lineEnd) return std::nullopt;
    end = close + 2;
  } else {
    return std::nullopt;
  }
  while (begin > lineStart && (text[begin - 1] == ' ' || text[begin - 1] == '\t')) --begin;
  size_t after = end;
  while (after < lineEnd && (text[after] == ' ' || text[after] == '\t' || text[after] == '\r')) ++after;
  TextEdit edit;
  edit.file = file;
  edit.fileHash = contentHash(text);
  if (begin == lineStart && after == lineEnd && lineEnd < text.size()) {
    edit.offset = static_cast<unsigned>(lineStart);
    edit.length = static_cast<unsigned>(lineEnd + 1 - lineStart);
  } else {
    edit.offset = static_cast<unsigned>(begin);
    edit.length = static_cast<unsigned>(end - begin);
  }
  return edit;
}

void applySuppressions(std::vector<Finding> &findings, bool reportUnused,
                       const std::map<std::string, std::string> *overlay) {
  std::set<std::string> files;
  for (const auto &f : findings) files.insert(f.file);
  std::map<std::string, std::vector<Suppression>> byFile;
  std::map<std::string, std::string> texts;
  for (const auto &file : files) {
    if (overlay && overlay->count(file)) {
      texts[file] = overlay->at(file);
    } else {
      auto buffer = llvm::MemoryBuffer::getFile(file);
      if (!buffer) continue;
      texts[file] = (*buffer)->getBuffer().str();
    }
    byFile[file] = parseSuppressions(texts[file]);
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
        // A misspelt code is the likelier story than a fixed hazard.
        for (const auto &c : s.codes)
          if (!validateCodeList({c}, s.marker).empty()) {
            u.message = fmt::format("this {} names {}, which is not an ftlint rule code, so it suppresses nothing",
                                    s.marker, c);
            break;
          }
        if (auto edit = removeMarkerComment(file, texts[file], s)) {
          u.fix = Fix{Applicability::Safe, "remove the comment", {*edit}};
        } else {
          u.noFixReason = "no automatic fix: remove the matching NOLINTBEGIN/NOLINTEND pair by hand";
        }
        kept.push_back(std::move(u));
      }
  }
  std::sort(kept.begin(), kept.end(), findingLess);
  findings = std::move(kept);
}

}  // namespace ftlint
