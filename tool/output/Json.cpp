#include "tool/core/Rule.h"
#include "tool/output/Report.h"
#include "tool/output/JsonText.h"

#include <nlohmann/json.hpp>

namespace ftlint {

namespace {

nlohmann::ordered_json findingsJson(const RunResult &run, const ReportOptions &opt) {
  nlohmann::ordered_json findings = nlohmann::ordered_json::array();
  for (const auto &f : run.findings) {
    const RegisteredRule *rule = findRule(f.code);
    nlohmann::ordered_json j;
    j["code"] = f.code;
    j["name"] = rule ? std::string(rule->info->name) : "";
    j["message"] = f.message;
    j["file"] = relativeTo(f.file, opt.projectRoot);
    j["line"] = f.line;
    j["column"] = f.column;
    j["end_line"] = f.endLine;
    j["end_column"] = f.endColumn;
    j["severity"] = severityName(f.severity);
    j["confidence"] = confidenceName(f.confidence);
    j["notes"] = f.notes;
    if (f.fix) {
      nlohmann::ordered_json fix;
      fix["applicability"] = applicabilityName(f.fix->applicability);
      fix["message"] = f.fix->description;
      fix["edits"] = nlohmann::ordered_json::array();
      for (const auto &e : f.fix->edits)
        fix["edits"].push_back({{"file", relativeTo(e.file, opt.projectRoot)},
                                {"offset", e.offset},
                                {"length", e.length},
                                {"replacement", e.replacement}});
      j["fix"] = fix;
    } else {
      j["fix"] = nullptr;
      if (!f.noFixReason.empty()) j["no_fix_reason"] = f.noFixReason;
    }
    findings.push_back(std::move(j));
  }
  return findings;
}

}  // namespace

void writeJsonDocument(llvm::raw_ostream &out, const nlohmann::ordered_json &document) {
  out << document.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace) << "\n";
}

void writeJson(llvm::raw_ostream &out, const RunResult &run, const ReportOptions &opt) {
  writeJsonDocument(out, findingsJson(run, opt));
}

void writeJsonReport(llvm::raw_ostream &out, const RunResult &run, const ReportOptions &opt) {
  nlohmann::ordered_json report;
  report["version"] = 1;
  report["findings"] = findingsJson(run, opt);
  report["modules"] = nlohmann::ordered_json::array();
  for (const auto &m : run.modules)
    report["modules"].push_back({{"name", m.name},
                                 {"kind", m.kind},
                                 {"declared", m.declared},
                                 {"declaration", m.declaration},
                                 {"file", relativeTo(m.file, opt.projectRoot)},
                                 {"line", m.line},
                                 {"target", m.target},
                                 {"open_findings", m.openFindings}});
  report["failures"] = nlohmann::ordered_json::array();
  for (const auto &f : run.failures)
    report["failures"].push_back({{"file", relativeTo(f.file, opt.projectRoot)},
                                  {"crashed", f.crashed},
                                  {"error_count", f.errorCount},
                                  {"errors", f.errors}});
  report["translation_units"] = run.translationUnits;
  report["low_confidence_hidden"] = run.lowConfidenceHidden.size();
  writeJsonDocument(out, report);
}

}  // namespace ftlint
