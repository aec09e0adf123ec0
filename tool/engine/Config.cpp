#include "tool/engine/Config.h"

#include "tool/core/Finding.h"
#include "tool/core/Selection.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <fmt/format.h>
#include <toml++/toml.h>

#include <algorithm>
#include <set>

namespace ftlint {

int pythonMinorVersion(std::string_view v) {
  if (v.size() < 3 || v.size() > 5 || v.substr(0, 2) != "3.") return -1;
  int minor = 0;
  for (char ch : v.substr(2)) {
    if (ch < '0' || ch > '9') return -1;
    minor = minor * 10 + (ch - '0');
  }
  return minor;
}
namespace {

const std::set<std::string> kKeys = {
    "select",      "extend-select", "ignore", "target-python", "compat", "compat-header", "cache-dir", "baseline",
    "format",      "python",        "build-dir", "compile-commands", "project-root", "color",     "confidence",
    "jobs",        "exit-zero",     "unsafe-fixes", "quiet", "exclude", "per-file-ignores"};

// Levenshtein distance, for "did you mean" on misspelt keys.
size_t editDistance(const std::string &a, const std::string &b) {
  std::vector<size_t> row(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) row[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    size_t diagonal = row[0];
    row[0] = i;
    for (size_t j = 1; j <= b.size(); ++j) {
      size_t up = row[j];
      row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1)});
      diagonal = up;
    }
  }
  return row[b.size()];
}

class Reader {
public:
  Reader(std::string path, std::string table) : path_(std::move(path)), table_(std::move(table)) {}

  llvm::Error error(const toml::node &node, const std::string &key, const std::string &what) const {
    std::string text = what;
    if (text.compare(0, key.size() + 2, key + ": ") == 0) text = text.substr(key.size() + 2);
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s:%u: %s%s: %s", path_.c_str(),
                                   static_cast<unsigned>(node.source().begin.line), table_.c_str(), key.c_str(),
                                   text.c_str());
  }

  llvm::Expected<std::string> string(const toml::node &node, const std::string &key) const {
    if (auto v = node.value<std::string>()) return *v;
    return error(node, key, "expected a string");
  }

  llvm::Expected<bool> boolean(const toml::node &node, const std::string &key) const {
    if (auto v = node.value<bool>()) return *v;
    return error(node, key, "expected true or false");
  }

  // A list of strings, or one comma-separated string.
  llvm::Expected<std::vector<std::string>> strings(const toml::node &node, const std::string &key) const {
    std::vector<std::string> out;
    if (auto v = node.value<std::string>()) return splitCodeList(*v);
    const toml::array *array = node.as_array();
    if (!array) return error(node, key, "expected a list of strings");
    for (const auto &item : *array) {
      auto v = item.value<std::string>();
      if (!v) return error(item, key, "expected a list of strings");
      out.push_back(*v);
    }
    return out;
  }

  llvm::Expected<std::vector<std::string>> codes(const toml::node &node, const std::string &key) const {
    auto list = strings(node, key);
    if (!list) return list.takeError();
    if (std::string problem = validateCodeList(*list, key); !problem.empty()) return error(node, key, problem);
    return list;
  }

private:
  std::string path_, table_;
};

bool isPythonVersion(const std::string &v) { return pythonMinorVersion(v) >= 0; }

std::string directoryOf(const std::string &path) {
  llvm::SmallString<256> abs(path);
  llvm::sys::fs::make_absolute(abs);
  llvm::sys::path::remove_dots(abs, true);
  return llvm::sys::path::parent_path(abs).str();
}

// `*` and `?` within one component, `**` across components.
bool globMatch(std::string_view p, std::string_view s) {
  if (p.empty()) return s.empty();
  if (p.substr(0, 2) == "**") {
    std::string_view rest = p.substr(2);
    if (!rest.empty() && rest[0] == '/') rest.remove_prefix(1);
    if (rest.empty()) return true;  // a trailing `**` matches everything below
    for (size_t i = 0; i <= s.size(); ++i)
      if ((i == 0 || s[i - 1] == '/') && globMatch(rest, s.substr(i))) return true;
    return globMatch(rest, s);
  }
  if (p[0] == '*') {
    for (size_t i = 0; i <= s.size(); ++i) {
      if (globMatch(p.substr(1), s.substr(i))) return true;
      if (i < s.size() && s[i] == '/') break;
    }
    return false;
  }
  if (s.empty()) return false;
  if (p[0] == '?' ? s[0] != '/' : p[0] == s[0]) return globMatch(p.substr(1), s.substr(1));
  return false;
}

}  // namespace

bool pathMatches(const std::string &rawPattern, const std::string &path) {
  std::string pattern = rawPattern;
  while (pattern.size() > 1 && pattern.back() == '/') pattern.pop_back();
  if (pattern.rfind("./", 0) == 0) pattern = pattern.substr(2);
  if (pattern.find('/') == std::string::npos) {
    // Any single component: a directory name or a file name pattern.
    size_t start = 0;
    while (start <= path.size()) {
      size_t end = path.find('/', start);
      std::string component = path.substr(start, end == std::string::npos ? std::string::npos : end - start);
      if (globMatch(pattern, component)) return true;
      if (end == std::string::npos) break;
      start = end + 1;
    }
    return false;
  }
  // The path itself, or a directory above it.
  for (size_t end = path.find('/'); ; end = path.find('/', end + 1)) {
    if (globMatch(pattern, path.substr(0, end))) return true;
    if (end == std::string::npos) return false;
  }
}

llvm::Expected<FileConfig> loadConfig(const std::string &path) {
  toml::table root;
  try {
    root = toml::parse_file(path);
  } catch (const toml::parse_error &e) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s:%u:%u: not valid TOML: %s", path.c_str(),
                                   static_cast<unsigned>(e.source().begin.line),
                                   static_cast<unsigned>(e.source().begin.column), std::string(e.description()).c_str());
  }
  bool pyproject = llvm::sys::path::filename(path) == "pyproject.toml";
  const toml::table *settings = &root;
  std::string tableName = "";
  if (pyproject) {
    settings = root["tool"]["ftlint"].as_table();
    tableName = "[tool.ftlint]";
    if (!settings)
      return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s: has no [tool.ftlint] table",
                                     path.c_str());
  }
  FileConfig c;
  c.path = path;
  c.directory = directoryOf(path);
  Reader r(path, tableName.empty() ? "" : tableName + " ");
  for (const auto &[k, node] : *settings) {
    std::string key(k.str());
    auto fail = [&](llvm::Error e) -> llvm::Expected<FileConfig> { return e; };
    if (!kKeys.count(key)) {
      std::string hint;
      size_t best = 3;
      for (const auto &known : kKeys)
        if (size_t d = editDistance(key, known); d < best) {
          best = d;
          hint = fmt::format(" (did you mean '{}'?)", known);
        }
      return fail(r.error(node, key, "unknown key" + hint));
    }
    if (key == "select" || key == "extend-select" || key == "ignore") {
      auto list = r.codes(node, key);
      if (!list) return list.takeError();
      if (key == "select") c.select = *list;
      else if (key == "extend-select") c.extendSelect = *list;
      else c.ignore = *list;
    } else if (key == "exclude") {
      auto list = r.strings(node, key);
      if (!list) return list.takeError();
      c.exclude = *list;
    } else if (key == "per-file-ignores") {
      const toml::table *table = node.as_table();
      if (!table) return fail(r.error(node, key, "expected a table of \"pattern\" = [\"CODE\", ...]"));
      for (const auto &[pattern, codes] : *table) {
        auto list = r.codes(codes, key);
        if (!list) return list.takeError();
        c.perFileIgnores.emplace_back(std::string(pattern.str()), *list);
      }
    } else if (key == "jobs") {
      auto v = node.value<int64_t>();
      if (!v || *v < 0 || *v > 1024) return fail(r.error(node, key, "expected a number from 0 to 1024"));
      c.jobs = static_cast<unsigned>(*v);
    } else if (key == "exit-zero" || key == "unsafe-fixes" || key == "quiet") {
      auto v = r.boolean(node, key);
      if (!v) return v.takeError();
      (key == "exit-zero" ? c.exitZero : key == "unsafe-fixes" ? c.unsafeFixes : c.quiet) = *v;
    } else {
      auto v = r.string(node, key);
      if (!v) return v.takeError();
      if (key == "format" && *v != "text" && *v != "json" && *v != "json-report" && *v != "sarif" && *v != "github")
        return fail(r.error(node, key, "expected text, json, json-report, sarif or github"));
      if (key == "color" && *v != "auto" && *v != "always" && *v != "never")
        return fail(r.error(node, key, "expected auto, always or never"));
      if (key == "target-python" && !isPythonVersion(*v))
        return fail(r.error(node, key, "expected a version like \"3.9\" or \"3.13\""));
      if (key == "compat" && *v != "header" && *v != "guard")
        return fail(r.error(node, key, "expected \"header\" or \"guard\""));
      if (key == "confidence" && !parseConfidence(*v))
        return fail(r.error(node, key, "expected \"high\" or \"low\""));
      if (key == "target-python") c.targetPython = *v;
      else if (key == "compat") c.compat = *v;
      else if (key == "cache-dir") c.cacheDir = *v;
      else if (key == "compat-header") c.compatHeader = *v;
      else if (key == "baseline") c.baseline = *v;
      else if (key == "format") c.format = *v;
      else if (key == "python") c.python = *v;
      else if (key == "build-dir") c.buildDir = *v;
      else if (key == "compile-commands") c.compileCommands = *v;
      else if (key == "project-root") c.projectRoot = *v;
      else if (key == "color") c.color = *v;
      else if (key == "confidence") c.confidence = *v;
    }
  }
  // Paths in the file are relative to it.
  auto anchor = [&](std::optional<std::string> &p) {
    if (p && !p->empty() && !llvm::sys::path::is_absolute(*p)) {
      llvm::SmallString<256> full(c.directory);
      llvm::sys::path::append(full, *p);
      *p = std::string(full);
    }
  };
  anchor(c.baseline);
  anchor(c.cacheDir);
  anchor(c.buildDir);
  anchor(c.compileCommands);
  anchor(c.projectRoot);
  if (c.python && c.python->find('/') != std::string::npos) anchor(c.python);
  return c;
}

llvm::Expected<std::optional<FileConfig>> findConfig(const std::string &startDirectory) {
  llvm::SmallString<256> dir(startDirectory);
  llvm::sys::fs::make_absolute(dir);
  while (true) {
    llvm::SmallString<256> own(dir), pyproject(dir);
    llvm::sys::path::append(own, ".ftlint.toml");
    llvm::sys::path::append(pyproject, "pyproject.toml");
    if (llvm::sys::fs::exists(own)) {
      auto c = loadConfig(std::string(own));
      if (!c) return c.takeError();
      return std::optional<FileConfig>(std::move(*c));
    }
    if (llvm::sys::fs::exists(pyproject)) {
      // A pyproject.toml without our table does not stop the search.
      try {
        toml::table root = toml::parse_file(std::string(pyproject));
        if (root["tool"]["ftlint"].as_table()) {
          auto c = loadConfig(std::string(pyproject));
          if (!c) return c.takeError();
          return std::optional<FileConfig>(std::move(*c));
        }
      } catch (const toml::parse_error &e) {
        return llvm::createStringError(llvm::inconvertibleErrorCode(), "%s:%u:%u: not valid TOML: %s",
                                       std::string(pyproject).c_str(), static_cast<unsigned>(e.source().begin.line),
                                       static_cast<unsigned>(e.source().begin.column),
                                       std::string(e.description()).c_str());
      }
    }
    llvm::StringRef parent = llvm::sys::path::parent_path(dir);
    if (parent.empty() || parent == dir) return std::optional<FileConfig>();
    // A prefix of `dir` itself: shortened in place, not copied onto itself.
    dir.truncate(parent.size());
  }
}

}  // namespace ftlint
