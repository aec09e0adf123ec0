// SARIF 2.1.0 output, written to pass Microsoft's SARIF validator including
// its GitHub ingestion rules (`Sarif.Multitool validate --rule-kind "Gh;Sarif"`).
//
// Columns. ftlint measures columns in bytes; SARIF consumers (GitHub, the VS
// Code viewer, anything in JavaScript) count UTF-16 code units, SARIF's
// default column kind. The log says `"columnKind": "utf16CodeUnits"` and every
// column and character offset is converted from bytes with the text of its
// line, so the two agree for any UTF-8 source (for ASCII they are equal).
// Bytes that are not valid UTF-8 count as one unit each.
#include "tool/core/Rule.h"
#include "tool/output/Fingerprint.h"
#include "tool/output/Report.h"
#include "tool/output/JsonText.h"

#include "llvm/Support/MemoryBuffer.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <map>
#include <memory>
#include <optional>
#include <string_view>

namespace ftlint {
namespace {

using json = nlohmann::ordered_json;

constexpr const char *kRootBaseId = "PROJECTROOT";
constexpr const char *kInformationUri = "https://github.com/ftlint/ftlint";
constexpr const char *kRuleDocsUri = "https://github.com/ftlint/ftlint/blob/main/docs/rules/";

// --- text measurements --------------------------------------------------------

// UTF-16 code units in `bytes` of UTF-8: one per character, two for those
// outside the Basic Multilingual Plane (4-byte sequences).
size_t utf16Units(std::string_view bytes) {
  size_t units = 0;
  for (unsigned char c : bytes) {
    if ((c & 0xC0) == 0x80) continue;  // continuation byte
    units += c >= 0xF0 ? 2 : 1;
  }
  return units;
}

// A 1-based byte column of `line` as a 1-based UTF-16 column. Columns past
// the end of the text (the end of a range at the end of a line) count one
// unit per byte.
unsigned utf16Column(std::string_view line, unsigned byteColumn) {
  if (byteColumn == 0) return 0;
  size_t before = byteColumn - 1;
  if (before <= line.size()) return static_cast<unsigned>(1 + utf16Units(line.substr(0, before)));
  return static_cast<unsigned>(1 + utf16Units(line) + (before - line.size()));
}

// The files findings point into, read on demand: needed for ranges that end
// on another line and for fix offsets.
class SourceFiles {
public:
  struct Text {
    std::string content;
    std::vector<size_t> lineStarts;  // byte offset of each line
    std::optional<std::string_view> line(unsigned n) const {
      if (n == 0 || n > lineStarts.size()) return std::nullopt;
      size_t begin = lineStarts[n - 1];
      size_t end = n < lineStarts.size() ? lineStarts[n] : content.size();
      std::string_view text(content.data() + begin, end - begin);
      while (!text.empty() && (text.back() == '\n' || text.back() == '\r')) text.remove_suffix(1);
      return text;
    }
  };

  const Text *get(const std::string &path) {
    auto [it, inserted] = files_.try_emplace(path);
    if (inserted) {
      auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
      if (buffer) {
        auto text = std::make_unique<Text>();
        text->content = (*buffer)->getBuffer().str();
        text->lineStarts.push_back(0);
        for (size_t i = 0; i < text->content.size(); ++i)
          if (text->content[i] == '\n' && i + 1 < text->content.size()) text->lineStarts.push_back(i + 1);
        it->second = std::move(text);
      }
    }
    return it->second.get();
  }

private:
  std::map<std::string, std::unique_ptr<Text>> files_;
};

// --- URIs ---------------------------------------------------------------------

// Percent-encodes everything but RFC 3986 unreserved characters and '/', so
// spaces, '%', '#', '?' and ':' in file names survive as a URI reference.
std::string encodeUriPath(const std::string &path) {
  std::string out;
  for (unsigned char c : path) {
    bool unreserved = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
                      c == '.' || c == '_' || c == '~';
    if (unreserved || c == '/') out.push_back(static_cast<char>(c));
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

std::string fileUri(const std::string &absolutePath) { return "file://" + encodeUriPath(absolutePath); }

std::string rootDirectory(const ReportOptions &opt) {
  std::string root = opt.projectRoot;
  while (root.size() > 1 && root.back() == '/') root.pop_back();
  return root;
}

// A file below the project root as a relative URI on PROJECTROOT; anything
// else (there should be nothing else) as an absolute file URI.
json artifactLocation(const std::string &file, const std::string &root) {
  if (!root.empty()) {
    std::string rel = relativeTo(file, root);
    if (rel != file) return json{{"uri", encodeUriPath(rel)}, {"uriBaseId", kRootBaseId}};
  }
  return json{{"uri", fileUri(file)}};
}

// --- messages -----------------------------------------------------------------

// SARIF messages are sentences; ftlint's end without a period.
std::string sentence(std::string text) {
  while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.pop_back();
  if (!text.empty() && text.back() != '.' && text.back() != '!' && text.back() != '?') text.push_back('.');
  return text;
}

// Rule documentation for viewers that cannot render Markdown: headings lose
// their '#', code fences and backticks go, links show their address.
std::string markdownToText(std::string_view markdown) {
  std::string out;
  bool inCode = false;
  size_t pos = 0;
  while (pos <= markdown.size()) {
    size_t eol = markdown.find('\n', pos);
    if (eol == std::string_view::npos) eol = markdown.size();
    std::string_view line = markdown.substr(pos, eol - pos);
    pos = eol + 1;
    if (line.substr(0, 3) == "```") {
      inCode = !inCode;
      continue;
    }
    if (inCode) {
      out += "    ";
      out += line;
      out += '\n';
      continue;
    }
    // ATX headings: 1-6 '#' and a space ("#if" at the start of a line is text).
    size_t hashes = line.find_first_not_of('#');
    if (hashes >= 1 && hashes <= 6 && line[hashes] == ' ') {
      line.remove_prefix(hashes);
      while (!line.empty() && line[0] == ' ') line.remove_prefix(1);
    }
    for (size_t i = 0; i < line.size(); ++i) {
      char c = line[i];
      if (c == '`') continue;
      if (c == '[') {
        size_t close = line.find("](", i);
        size_t end = close == std::string_view::npos ? close : line.find(')', close);
        if (end != std::string_view::npos) {
          std::string_view label = line.substr(i + 1, close - i - 1);
          for (char l : label)
            if (l != '`') out.push_back(l);
          out += " (";
          out += line.substr(close + 2, end - close - 2);
          out += ")";
          i = end;
          continue;
        }
      }
      out.push_back(c);
    }
    out += '\n';
  }
  while (!out.empty() && out.back() == '\n') out.pop_back();
  return out;
}

// Clang's "path:line:col: message" with the project root taken off the path.
std::string shortenError(const std::string &error, const std::string &root) {
  if (!root.empty() && error.compare(0, root.size() + 1, root + "/") == 0) return error.substr(root.size() + 1);
  return error;
}

std::string failureMessage(const TuFailure &failure, const std::string &relPath, const std::string &root) {
  if (failure.crashed) return fmt::format("could not analyse {}: the analysis crashed", relPath);
  if (failure.errors.empty())
    return fmt::format("could not analyse {}: {} error{}", relPath, failure.errorCount,
                       failure.errorCount == 1 ? "" : "s");
  return fmt::format("could not analyse {}: {}", relPath, shortenError(failure.errors.front(), root));
}

// --- pieces of the log ----------------------------------------------------------

// SARIF wants a rule's friendly name as one Pascal-case identifier
// (validator rule SARIF2012): borrowed-list-item becomes BorrowedListItem.
std::string pascalCase(std::string_view kebab) {
  std::string out;
  bool upper = true;
  for (char c : kebab) {
    if (c == '-' || c == '_' || c == ' ') {
      upper = true;
      continue;
    }
    out.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(c))) : c);
    upper = false;
  }
  return out;
}

json ruleDescriptor(const RuleInfo &info) {
  std::string markdown = ruleMarkdown(info);
  json rule;
  rule["id"] = std::string(info.code);
  rule["name"] = pascalCase(info.name);
  rule["shortDescription"] = {{"text", sentence(markdownToText(info.summary))},
                              {"markdown", sentence(std::string(info.summary))}};
  rule["fullDescription"] = {{"text", sentence(markdownToText(info.whatItDoes))},
                             {"markdown", sentence(std::string(info.whatItDoes))}};
  rule["helpUri"] = std::string(kRuleDocsUri) + std::string(info.code) + ".md";
  rule["help"] = {{"text", markdownToText(markdown)}, {"markdown", markdown}};
  rule["defaultConfiguration"] = {{"enabled", info.enabledByDefault}, {"level", "warning"}};
  rule["properties"] = {{"tags", json::array({"free-threading"})},
                        {"problem.severity", "warning"},
                        {"fix", fixAvailabilityName(info.fix)}};
  return rule;
}

class ResultWriter {
public:
  ResultWriter(const ReportOptions &opt, const std::map<std::string, size_t> &ruleIndex)
      : root_(rootDirectory(opt)), ruleIndex_(ruleIndex) {}

  json result(const Finding &f, const std::string &fingerprint) {
    json r;
    r["ruleId"] = f.code;
    if (auto it = ruleIndex_.find(f.code); it != ruleIndex_.end()) r["ruleIndex"] = it->second;
    r["level"] = severityName(f.severity);
    r["message"] = {{"text", sentence(f.message)}};
    json physical;
    physical["artifactLocation"] = artifactLocation(f.file, root_);
    if (f.line > 0) {
      physical["region"] = region(f);
      if (auto context = contextRegion(f)) physical["contextRegion"] = *context;
    }
    r["locations"] = json::array({{{"physicalLocation", physical}}});
    r["partialFingerprints"] = {{"ftlint/v1", fingerprint}};
    if (f.fix && !f.fix->edits.empty()) r["fixes"] = json::array({fix(*f.fix)});
    json properties;
    properties["confidence"] = confidenceName(f.confidence);
    if (!f.notes.empty()) properties["notes"] = f.notes;
    if (f.fix) properties["fixApplicability"] = applicabilityName(f.fix->applicability);
    else if (!f.noFixReason.empty()) properties["noFixReason"] = f.noFixReason;
    r["properties"] = properties;
    return r;
  }

  json notification(const TuFailure &failure) {
    std::string rel = relativeTo(failure.file, root_);
    json n;
    n["level"] = "error";
    n["message"] = {{"text", sentence(failureMessage(failure, rel, root_))}};
    json where = {{"artifactLocation", artifactLocation(failure.file, root_)}};
    n["locations"] = json::array({{{"physicalLocation", where}}});
    json properties;
    properties["crashed"] = failure.crashed;
    properties["errorCount"] = failure.errorCount;
    if (!failure.errors.empty()) {
      json errors = json::array();
      for (const auto &e : failure.errors) errors.push_back(shortenError(e, root_));
      properties["errors"] = std::move(errors);
    }
    n["properties"] = properties;
    return n;
  }

private:
  // The text of line `n` of the finding's file: its own copy for `line`,
  // else the file as it is on disk.
  std::optional<std::string_view> lineText(const Finding &f, unsigned n) {
    if (n == f.line && !f.sourceLine.empty()) return std::string_view(f.sourceLine);
    if (const auto *text = files_.get(f.file)) return text->line(n);
    return std::nullopt;
  }

  bool hasEnd(const Finding &f) const {
    return f.endLine > f.line || (f.endLine == f.line && f.endColumn >= f.column && f.column > 0);
  }

  // The highlighted range. Every region states both ends (the validator's
  // SARIF2017): a finding without an end covers the character at its start,
  // one without a column its whole line.
  json region(const Finding &f) {
    auto startText = lineText(f, f.line);
    unsigned startByte = f.column > 0 ? f.column : 1;
    unsigned endLine = f.line;
    unsigned endByte = 0;  // 1-based, exclusive; 0: unknown
    if (hasEnd(f)) {
      endLine = f.endLine;
      endByte = f.endColumn + 1;  // SARIF's endColumn is exclusive, ftlint's inclusive
    } else if (f.column > 0) {
      endByte = f.column + characterBytes(startText, f.column);
    } else if (startText) {
      endByte = static_cast<unsigned>(startText->size() + 1);
    }
    json r;
    r["startLine"] = f.line;
    r["startColumn"] = startText ? utf16Column(*startText, startByte) : startByte;
    if (endByte == 0) return r;
    auto endText = endLine == f.line ? startText : lineText(f, endLine);
    r["endLine"] = endLine;
    r["endColumn"] = endText ? utf16Column(*endText, endByte) : endByte;

    if (endLine == f.line) {
      if (startText && startByte - 1 < startText->size() && endByte > startByte)
        r["snippet"] = {{"text", std::string(startText->substr(startByte - 1, endByte - startByte))}};
    } else if (const auto *file = files_.get(f.file)) {
      auto first = file->line(f.line);
      auto last = file->line(endLine);
      if (first && last && startByte - 1 <= first->size()) {
        const char *begin = first->data() + (startByte - 1);
        const char *end = last->data() + std::min<size_t>(endByte - 1, last->size());
        if (end > begin) r["snippet"] = {{"text", std::string(begin, end)}};
      }
    }
    return r;
  }

  // Bytes of the UTF-8 character at a 1-based byte column (1 past the end).
  static unsigned characterBytes(const std::optional<std::string_view> &line, unsigned column) {
    if (!line || column == 0 || column > line->size()) return 1;
    unsigned char lead = static_cast<unsigned char>((*line)[column - 1]);
    unsigned n = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : lead >= 0xC0 ? 2 : 1;
    return std::min<unsigned>(n, static_cast<unsigned>(line->size() - (column - 1)));
  }

  // The whole line(s) around the result, so viewers can show it in context.
  std::optional<json> contextRegion(const Finding &f) {
    unsigned last = f.endLine > f.line ? f.endLine : f.line;
    std::string text;
    if (last == f.line) {
      auto line = lineText(f, f.line);
      if (!line) return std::nullopt;
      text = std::string(*line);
    } else {
      const auto *file = files_.get(f.file);
      if (!file) return std::nullopt;
      for (unsigned n = f.line; n <= last; ++n) {
        auto line = file->line(n);
        if (!line) return std::nullopt;
        if (n != f.line) text += '\n';
        text += *line;
      }
    }
    if (text.empty()) return std::nullopt;
    json r;
    r["startLine"] = f.line;
    r["endLine"] = last;
    r["snippet"] = {{"text", text}};
    return r;
  }

  json fix(const Fix &fix) {
    // One artifactChange per file, in the order the files first appear.
    std::vector<std::string> order;
    std::map<std::string, std::vector<const TextEdit *>> byFile;
    for (const auto &e : fix.edits) {
      auto &edits = byFile[e.file];
      if (edits.empty()) order.push_back(e.file);
      edits.push_back(&e);
    }
    json changes = json::array();
    for (const auto &file : order) {
      auto &edits = byFile[file];
      std::stable_sort(edits.begin(), edits.end(),
                       [](const TextEdit *a, const TextEdit *b) { return a->offset < b->offset; });
      const auto *text = files_.get(file);
      json replacements = json::array();
      for (const auto *e : edits) {
        size_t offset = e->offset, length = e->length;
        if (text && e->offset + static_cast<size_t>(e->length) <= text->content.size()) {
          std::string_view content(text->content);
          offset = utf16Units(content.substr(0, e->offset));
          length = utf16Units(content.substr(e->offset, e->length));
        }
        json replacement;
        replacement["deletedRegion"] = {{"charOffset", offset}, {"charLength", length}};
        replacement["insertedContent"] = {{"text", e->replacement}};
        replacements.push_back(std::move(replacement));
      }
      changes.push_back({{"artifactLocation", artifactLocation(file, root_)}, {"replacements", replacements}});
    }
    json j;
    j["description"] = {{"text", sentence(fix.description)}};
    j["artifactChanges"] = changes;
    return j;
  }

  std::string root_;
  const std::map<std::string, size_t> &ruleIndex_;
  SourceFiles files_;
};

}  // namespace

void writeSarif(llvm::raw_ostream &out, const RunResult &run, const ReportOptions &opt) {
  json rules = json::array();
  std::map<std::string, size_t> ruleIndex;
  for (const auto &r : allRules()) {
    ruleIndex.emplace(std::string(r.info->code), rules.size());
    rules.push_back(ruleDescriptor(*r.info));
  }

  json driver;
  driver["name"] = "ftlint";
  driver["version"] = FTLINT_VERSION;
  driver["semanticVersion"] = FTLINT_VERSION;
  driver["informationUri"] = kInformationUri;
  driver["rules"] = std::move(rules);

  std::string root = rootDirectory(opt);
  ResultWriter writer(opt, ruleIndex);

  json invocation;
  invocation["executionSuccessful"] = run.failures.empty();
  if (!run.failures.empty()) {
    json notifications = json::array();
    for (const auto &failure : run.failures) notifications.push_back(writer.notification(failure));
    invocation["toolExecutionNotifications"] = std::move(notifications);
  }

  std::vector<std::string> fingerprints = fingerprintsFor(run.findings, root);
  json results = json::array();
  for (size_t i = 0; i < run.findings.size(); ++i) results.push_back(writer.result(run.findings[i], fingerprints[i]));

  json sarifRun;
  sarifRun["tool"] = {{"driver", std::move(driver)}};
  sarifRun["invocations"] = json::array({std::move(invocation)});
  if (!root.empty())
    sarifRun["originalUriBaseIds"] = {
        {kRootBaseId, {{"uri", fileUri(root == "/" ? root : root + "/")}}}};
  sarifRun["results"] = std::move(results);
  sarifRun["columnKind"] = "utf16CodeUnits";

  json log;
  log["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  log["version"] = "2.1.0";
  log["runs"] = json::array({std::move(sarifRun)});
  // Source text need not be UTF-8; replace what is not rather than throw.
  writeJsonDocument(out, log);
}

}  // namespace ftlint
