#include "tool/engine/Baseline.h"

#include "tool/output/Fingerprint.h"
#include "tool/output/Report.h"
#include "tool/output/JsonText.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>

namespace ftlint {

llvm::Error writeBaseline(const std::string &path, const std::vector<Finding> &findings,
                          const std::string &projectRoot) {
  auto prints = fingerprintsFor(findings, projectRoot);
  nlohmann::ordered_json entries = nlohmann::ordered_json::array();
  for (size_t i = 0; i < findings.size(); ++i)
    entries.push_back({{"fingerprint", prints[i]},
                       {"code", findings[i].code},
                       {"file", relativeTo(findings[i].file, projectRoot)},
                       {"message", findings[i].message}});
  nlohmann::ordered_json doc = {{"version", 1}, {"tool", "ftlint"}, {"findings", entries}};
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec, llvm::sys::fs::OF_Text);
  if (ec) return llvm::createStringError(ec, "%s: cannot write the baseline: %s", path.c_str(), ec.message().c_str());
  writeJsonDocument(out, doc);
  out.close();
  if (out.has_error()) {
    out.clear_error();
    return llvm::createStringError(std::errc::io_error, "%s: writing the baseline failed", path.c_str());
  }
  return llvm::Error::success();
}

llvm::Expected<Baseline> readBaseline(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer)
    return llvm::createStringError(buffer.getError(), "%s: cannot read the baseline: %s", path.c_str(),
                                   buffer.getError().message().c_str());
  auto doc = nlohmann::json::parse((*buffer)->getBuffer().str(), nullptr, false);
  auto bad = [&](const char *why) {
    return llvm::createStringError(std::errc::invalid_argument, "%s: not an ftlint baseline (%s)", path.c_str(), why);
  };
  if (doc.is_discarded()) return bad("not JSON");
  if (!doc.is_object() || !doc.contains("findings") || !doc["findings"].is_array()) return bad("no \"findings\" array");
  if (doc.value("version", 0) != 1) return bad("unsupported version");
  Baseline b;
  for (const auto &e : doc["findings"]) {
    if (!e.is_object() || !e.contains("fingerprint") || !e["fingerprint"].is_string())
      return bad("an entry has no \"fingerprint\"");
    b.fingerprints.insert(e["fingerprint"].get<std::string>());
  }
  return b;
}

size_t applyBaseline(const Baseline &baseline, std::vector<Finding> &findings, const std::string &projectRoot,
                     const std::vector<Finding> &stillPresent) {
  std::set<std::string> matched;
  // The baseline may have been written with those findings shown too: a
  // fingerprint numbers repeats of a line in report order, so match them as
  // part of the whole, in that order.
  if (!stillPresent.empty()) {
    std::vector<Finding> all = findings;
    all.insert(all.end(), stillPresent.begin(), stillPresent.end());
    std::stable_sort(all.begin(), all.end(), findingLess);
    for (const std::string &print : fingerprintsFor(all, projectRoot))
      if (baseline.fingerprints.count(print)) matched.insert(print);
  }
  auto prints = fingerprintsFor(findings, projectRoot);
  std::vector<Finding> kept;
  for (size_t i = 0; i < findings.size(); ++i) {
    if (baseline.fingerprints.count(prints[i])) matched.insert(prints[i]);
    else kept.push_back(std::move(findings[i]));
  }
  findings = std::move(kept);
  return baseline.fingerprints.size() - matched.size();
}

}  // namespace ftlint
