// GitHub Actions workflow commands, which the runner turns into annotations on
// the pull request:
//
//   ::warning file=src/mod.c,line=12,col=19,endLine=12,endColumn=33,title=FT101 borrowed-list-item::message
//
// Property values and the message are escaped as the runner expects, so a
// message with a newline or a path with a comma cannot break the command.
#include "tool/core/Rule.h"
#include "tool/output/Report.h"

#include <fmt/format.h>

namespace ftlint {
namespace {

std::string escapeData(const std::string &text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
    case '%': out += "%25"; break;
    case '\r': out += "%0D"; break;
    case '\n': out += "%0A"; break;
    default: out.push_back(c);
    }
  }
  return out;
}

// Properties escape like data, plus the separators of the property list.
std::string escapeProperty(const std::string &text) {
  std::string out;
  for (char c : escapeData(text)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out.push_back(c);
  }
  return out;
}

// Paths as the workflow sees them: relative to the directory ftlint ran in
// (normally the checkout), else to the project root.
std::string displayPath(const std::string &file, const ReportOptions &opt) {
  if (!opt.workingDirectory.empty()) {
    std::string p = relativeTo(file, opt.workingDirectory);
    if (p != file) return p;
  }
  return relativeTo(file, opt.projectRoot);
}

const char *commandFor(Severity s) {
  switch (s) {
  case Severity::Note: return "notice";
  case Severity::Warning: return "warning";
  case Severity::Error: return "error";
  }
  return "warning";
}

// Clang's "path:line:col: message" with the path shortened like the others.
std::string shortenError(const std::string &error, const ReportOptions &opt) {
  size_t colon = error.find(':');
  if (colon == std::string::npos || colon == 0 || error[0] != '/') return error;
  return displayPath(error.substr(0, colon), opt) + error.substr(colon);
}

}  // namespace

void writeGithub(llvm::raw_ostream &out, const RunResult &run, const ReportOptions &opt) {
  for (const auto &f : run.findings) {
    const RegisteredRule *rule = findRule(f.code);
    std::string title = rule ? fmt::format("{} {}", f.code, rule->info->name) : f.code;
    std::string props = "file=" + escapeProperty(displayPath(f.file, opt));
    if (f.line > 0) {
      props += fmt::format(",line={}", f.line);
      unsigned endLine = f.endLine >= f.line ? f.endLine : f.line;
      // GitHub only honours columns when the annotation stays on one line.
      if (endLine == f.line && f.column > 0) {
        props += fmt::format(",col={}", f.column);
        if (f.endLine == f.line && f.endColumn >= f.column)
          props += fmt::format(",endLine={},endColumn={}", f.endLine, f.endColumn);
      } else if (endLine != f.line) {
        props += fmt::format(",endLine={}", endLine);
      }
    }
    props += ",title=" + escapeProperty(title);
    out << "::" << commandFor(f.severity) << " " << props << "::" << escapeData(f.message) << "\n";
  }
  for (const auto &failure : run.failures) {
    std::string path = displayPath(failure.file, opt);
    std::string message =
        failure.crashed ? fmt::format("could not analyse {}: the analysis crashed", path)
        : failure.errors.empty()
            ? fmt::format("could not analyse {}", path)
            : fmt::format("could not analyse {}: {}", path, shortenError(failure.errors.front(), opt));
    out << "::error file=" << escapeProperty(path) << ",title=" << escapeProperty("ftlint: analysis failed")
        << "::" << escapeData(message) << "\n";
  }
  if (std::string note = lowConfidenceNote(run); !note.empty())
    out << "::notice title=" << escapeProperty("ftlint") << "::" << escapeData(note) << "\n";
}

}  // namespace ftlint
