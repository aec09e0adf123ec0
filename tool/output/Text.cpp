#include "tool/core/Rule.h"
#include "tool/output/Report.h"
#include "tool/output/JsonText.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <map>
#include <set>

namespace ftlint {

std::string relativeTo(const std::string &path, const std::string &base) {
  if (base.empty() || path.size() <= base.size() || path.compare(0, base.size(), base) != 0) return path;
  if (base.back() == '/') return path.substr(base.size());
  if (path[base.size()] != '/') return path;
  return path.substr(base.size() + 1);
}

namespace {

struct Style {
  bool on;
  std::string bold(const std::string &s) const { return on ? "\033[1m" + s + "\033[0m" : s; }
  std::string warn(const std::string &s) const { return on ? "\033[1;35m" + s + "\033[0m" : s; }
  std::string error(const std::string &s) const { return on ? "\033[1;31m" + s + "\033[0m" : s; }
  std::string caret(const std::string &s) const { return on ? "\033[1;32m" + s + "\033[0m" : s; }
  std::string help(const std::string &s) const { return on ? "\033[1;36m" + s + "\033[0m" : s; }
};

// Tabs become spaces so the caret lines up under the source.
std::string expandTabs(const std::string &line) {
  std::string out;
  for (char c : line) {
    if (c == '\t') out.append(4 - out.size() % 4, ' ');
    else out.push_back(c);
  }
  return out;
}

size_t displayColumn(const std::string &line, unsigned byteColumn) {
  size_t col = 0;
  for (size_t i = 0; i + 1 < byteColumn && i < line.size(); ++i) col = line[i] == '\t' ? col + 4 - col % 4 : col + 1;
  return col;
}

void writeFinding(llvm::raw_ostream &out, const Finding &f, const ReportOptions &opt, const Style &s) {
  std::string where = fmt::format("{}:{}:{}:", relativeTo(f.file, opt.workingDirectory), f.line, f.column);
  out << s.bold(where) << " " << s.warn(std::string(severityName(f.severity)) + ":") << " " << f.message << " ["
      << f.code << "]\n";
  if (opt.quiet) return;
  if (!f.sourceLine.empty()) {
    std::string gutter = std::to_string(f.line);
    std::string pad(gutter.size(), ' ');
    out << fmt::format(" {} | {}\n", gutter, expandTabs(f.sourceLine));
    size_t start = displayColumn(f.sourceLine, f.column);
    size_t end = f.endLine == f.line && f.endColumn >= f.column ? displayColumn(f.sourceLine, f.endColumn + 1)
                                                                : start + 1;
    std::string marker = "^" + std::string(end > start + 1 ? end - start - 1 : 0, '~');
    out << fmt::format(" {} | {}{}\n", pad, std::string(start, ' '), s.caret(marker));
  }
  for (const auto &note : f.notes) out << "   " << s.bold("note:") << " " << note << "\n";
  if (f.fix)
    out << "   " << s.help("help:") << " " << f.fix->description << " ("
        << applicabilityName(f.fix->applicability) << " fix)\n";
  else if (!f.noFixReason.empty())
    out << "   " << s.help("help:") << " " << f.noFixReason << "\n";
}

}  // namespace

std::string lowConfidenceNote(const RunResult &run) {
  size_t hidden = run.lowConfidenceHidden.size();
  if (!hidden) return {};
  return fmt::format("{} low-confidence finding{} hidden (on containers that calls into Python code returned): "
                     "show {} with --confidence low.",
                     hidden, hidden == 1 ? "" : "s", hidden == 1 ? "it" : "them");
}

void writeStatistics(llvm::raw_ostream &out, const RunResult &run, bool json) {
  struct Row {
    size_t count = 0, safe = 0, unsafe = 0;
  };
  std::map<std::string, Row> rows;
  for (const auto &f : run.findings) {
    Row &r = rows[f.code];
    ++r.count;
    if (f.fix) ++(f.fix->applicability == Applicability::Safe ? r.safe : r.unsafe);
  }
  auto nameOf = [](const std::string &code) {
    const RegisteredRule *rule = findRule(code);
    return rule ? std::string(rule->info->name) : std::string();
  };
  if (json) {
    nlohmann::ordered_json table = nlohmann::ordered_json::array();
    for (const auto &[code, r] : rows)
      table.push_back({{"code", code}, {"name", nameOf(code)}, {"count", r.count}, {"safe_fixes", r.safe},
                       {"unsafe_fixes", r.unsafe}});
    writeJsonDocument(out, table);
    return;
  }
  for (const auto &[code, r] : rows) {
    std::string fixes = r.safe + r.unsafe == 0 ? ""
                        : r.unsafe == 0        ? fmt::format("{} fixable", r.safe)
                                               : fmt::format("{} fixable, {} with --unsafe-fixes", r.safe, r.unsafe);
    out << fmt::format("{:>6}  {:<6} {:<30} {}\n", r.count, code, nameOf(code), fixes);
  }
  if (std::string note = lowConfidenceNote(run); !note.empty()) out << note << "\n";
}

void writeText(llvm::raw_ostream &out, const RunResult &run, const ReportOptions &opt) {
  Style s{opt.color};
  for (const auto &f : run.findings) writeFinding(out, f, opt, s);

  for (const auto &failure : run.failures) {
    out << s.error("error:") << " " << relativeTo(failure.file, opt.workingDirectory) << ": "
        << (failure.crashed ? "analysis crashed" : fmt::format("could not be parsed ({} error{})", failure.errorCount,
                                                               failure.errorCount == 1 ? "" : "s"))
        << "; its findings may be incomplete\n";
    if (!opt.quiet)
      for (const auto &e : failure.errors) out << "    " << e << "\n";
  }
  if (opt.quiet) return;

  if (run.oldestHeadersMinor > 0 && run.oldestHeadersMinor < 13)
    out << s.bold("note:") << fmt::format(" parsed with Python 3.{} headers: code compiled only for Python 3.13+ is "
                                          "read as text, not parsed; for full coverage lint with 3.13+ headers "
                                          "(--python python3.13, or a build directory configured for 3.13)\n",
                                          run.oldestHeadersMinor);

  if (!run.modules.empty()) {
    out << s.bold("Modules:") << "\n";
    for (const auto &m : run.modules) {
      std::string where = m.file.empty() ? "" : fmt::format(" ({}:{})", relativeTo(m.file, opt.workingDirectory), m.line);
      std::string todo = m.openFindings == 0 ? "no findings in its translation units"
                         : fmt::format("{} finding{} to resolve{}", m.openFindings, m.openFindings == 1 ? "" : "s",
                                       m.declared ? "" : " before declaring");
      out << fmt::format("  module `{}`{}, {}: {}; {}\n", m.name, where, m.kind, m.declaration, todo);
    }
  }

  std::map<std::string, size_t> perRule;
  std::set<std::string> files;
  size_t safeFixes = 0, unsafeFixes = 0;
  for (const auto &f : run.findings) {
    ++perRule[f.code];
    files.insert(f.file);
    if (f.fix) ++(f.fix->applicability == Applicability::Safe ? safeFixes : unsafeFixes);
  }
  std::string units = fmt::format("{} translation unit{}", run.translationUnits, run.translationUnits == 1 ? "" : "s");
  std::string cached =
      run.cachedTranslationUnits ? fmt::format(" ({} unchanged since the cached run)", run.cachedTranslationUnits) : "";
  if (run.findings.empty()) {
    out << fmt::format("No findings in {}{}.\n", units, cached);
  } else {
    std::string breakdown;
    for (const auto &[code, n] : perRule) breakdown += fmt::format("{}{} {}", breakdown.empty() ? "" : ", ", n, code);
    out << s.bold(fmt::format("Found {} finding{} ({}) in {} file{}; {} analysed{}.", run.findings.size(),
                              run.findings.size() == 1 ? "" : "s", breakdown, files.size(),
                              files.size() == 1 ? "" : "s", units, cached))
        << "\n";
  }
  if (opt.unsafeFixesEnabled && safeFixes + unsafeFixes > 0) {
    out << fmt::format("{} fixable with --fix --unsafe-fixes (preview with --diff --unsafe-fixes).\n",
                       safeFixes + unsafeFixes);
  } else if (safeFixes + unsafeFixes > 0) {
    std::string hidden = unsafeFixes ? fmt::format(" {} unsafe fix{} left out: review with --diff --unsafe-fixes, "
                                                   "apply with --fix --unsafe-fixes.",
                                                   unsafeFixes, unsafeFixes == 1 ? " is" : "es are")
                                     : "";
    if (safeFixes) out << fmt::format("{} fixable with --fix (preview with --diff).{}\n", safeFixes, hidden);
    else out << fmt::format("No safe fixes;{}\n", hidden);
  }
  if (std::string note = lowConfidenceNote(run); !note.empty()) out << note << "\n";
  if (!run.failures.empty())
    out << s.error(fmt::format("{} translation unit{} could not be analysed.", run.failures.size(),
                               run.failures.size() == 1 ? "" : "s"))
        << "\n";
}

}  // namespace ftlint
