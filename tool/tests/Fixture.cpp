#include "Fixture.h"

#include "tool/engine/Inputs.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <fmt/format.h>

#include <algorithm>
#include <fstream>
#include <cstdlib>
#include <map>
#include <regex>
#include <sstream>

namespace ftlint::testing {
namespace {

std::vector<std::string> splitWords(const std::string &s) {
  std::istringstream in(s);
  std::vector<std::string> out;
  for (std::string w; in >> w;) out.push_back(w);
  return out;
}

// "FT101@12 \"text\", FT102(low)" -> expectations on `line`.
bool parseExpectations(const std::string &text, unsigned line, std::vector<Expectation> &out, std::string &error) {
  static const std::regex item(R"re(\s*(FT\d{3})(\(low\))?(?:@(\d+))?(?:\s+"([^"]*)")?\s*(,|$))re");
  std::string rest = text;
  std::smatch m;
  while (!rest.empty() && std::regex_search(rest, m, item, std::regex_constants::match_continuous)) {
    Expectation e;
    e.code = m[1];
    e.line = line;
    if (m[2].matched) e.confidence = Confidence::Low;
    if (m[3].matched) e.column = static_cast<unsigned>(std::stoul(m[3]));
    e.messagePart = m[4];
    out.push_back(e);
    rest = m.suffix();
  }
  if (!rest.empty() && rest.find_first_not_of(" \t") != std::string::npos) {
    error = fmt::format("line {}: cannot read expectation '{}'", line, text);
    return false;
  }
  return true;
}

}  // namespace

Fixture parseFixture(const std::string &path, std::string &error) {
  Fixture f;
  f.path = path;
  llvm::StringRef ext = llvm::sys::path::extension(path);
  f.isCxx = ext == ".cpp" || ext == ".cc" || ext == ".cxx";
  auto buffer = llvm::MemoryBuffer::getFile(path);
  if (!buffer) {
    error = "cannot read " + path;
    return f;
  }
  std::istringstream in((*buffer)->getBuffer().str());
  unsigned line = 0;
  for (std::string text; std::getline(in, text);) {
    ++line;
    auto directive = [&](const std::string &key) -> std::optional<std::string> {
      size_t at = text.find("// " + key + ":");
      if (at == std::string::npos) return std::nullopt;
      return text.substr(at + key.size() + 4);
    };
    if (text.find("// ftlint-default-build-only") != std::string::npos) {
      f.defaultBuildOnly = true;
    } else if (auto v = directive("expect")) {
      if (!parseExpectations(*v, line, f.expectations, error)) return f;
    } else if (auto v = directive("expect-next-line")) {
      if (!parseExpectations(*v, line + 1, f.expectations, error)) return f;
    } else if (auto v = directive("ftlint-args")) {
      for (auto &w : splitWords(*v)) f.args.push_back(w);
    } else if (auto v = directive("ftlint-flags")) {
      for (auto &w : splitWords(*v)) f.flags.push_back(w);
    } else if (auto v = directive("ftlint-python")) {
      std::smatch m;
      std::string value = *v;
      if (!std::regex_search(value, m, std::regex(R"(>=\s*3\.(\d+))"))) {
        error = fmt::format("line {}: ftlint-python takes '>=3.X'", line);
        return f;
      }
      f.minPythonMinor = std::stoi(m[1]);
    }
  }
  return f;
}

std::vector<std::string> compareFindings(const Fixture &fixture, const std::vector<Finding> &findings) {
  std::vector<std::string> problems;
  std::vector<bool> used(findings.size(), false);
  for (const auto &e : fixture.expectations) {
    bool met = false;
    for (size_t i = 0; i < findings.size() && !met; ++i) {
      const Finding &f = findings[i];
      if (used[i] || f.code != e.code || f.line != e.line) continue;
      if (e.column && f.column != *e.column) continue;
      if (f.confidence != e.confidence) continue;
      if (!e.messagePart.empty() && f.message.find(e.messagePart) == std::string::npos) continue;
      used[i] = met = true;
    }
    if (!met)
      problems.push_back(fmt::format("line {}: expected {}{}{}{} but ftlint did not report it", e.line, e.code,
                                     e.confidence == Confidence::Low ? "(low)" : "", e.column ? fmt::format("@{}", *e.column) : "",
                                     e.messagePart.empty() ? "" : fmt::format(" \"{}\"", e.messagePart)));
  }
  for (size_t i = 0; i < findings.size(); ++i)
    if (!used[i])
      problems.push_back(fmt::format("line {}: unexpected {}{}@{}: {}", findings[i].line, findings[i].code,
                                     findings[i].confidence == Confidence::Low ? "(low)" : "", findings[i].column,
                                     findings[i].message));
  return problems;
}

std::string freshDirectory(const std::string &prefix) {
  llvm::SmallString<128> dir;
  if (std::error_code ec = llvm::sys::fs::createUniqueDirectory(prefix, dir))
    throw std::runtime_error("cannot create a temporary directory: " + ec.message());
  return std::string(dir);
}

std::string readTextFile(const std::string &path) {
  auto b = llvm::MemoryBuffer::getFile(path);
  return b ? (*b)->getBuffer().str() : std::string();
}

void writeTextFile(const std::string &path, const std::string &text) {
  llvm::sys::fs::create_directories(llvm::sys::path::parent_path(path));
  std::ofstream(path, std::ios::binary) << text;
}

std::string realPathOf(const std::string &path) {
  llvm::SmallString<256> real;
  if (llvm::sys::fs::real_path(path, real)) return path;
  return std::string(real);
}

ProcessResult runProgram(const std::vector<std::string> &args, const std::string &cwd, unsigned timeoutSeconds) {
  llvm::SmallString<128> out, err;
  llvm::sys::fs::createTemporaryFile("ftlint-out", "txt", out);
  llvm::sys::fs::createTemporaryFile("ftlint-err", "txt", err);
  std::vector<std::string> argv = {"/bin/sh", "-c", "cd \"$1\" && shift && exec \"$@\"", "sh", cwd};
  argv.insert(argv.end(), args.begin(), args.end());
  std::vector<llvm::StringRef> refs(argv.begin(), argv.end());
  std::optional<llvm::StringRef> redirects[] = {llvm::StringRef(""), llvm::StringRef(out), llvm::StringRef(err)};
  ProcessResult r;
  r.exitCode = llvm::sys::ExecuteAndWait("/bin/sh", refs, std::nullopt, redirects, timeoutSeconds);
  r.out = readTextFile(std::string(out));
  r.err = readTextFile(std::string(err));
  llvm::sys::fs::remove(out);
  llvm::sys::fs::remove(err);
  return r;
}

const std::vector<PythonHeaders> &availablePythonHeaders() {
  static const std::vector<PythonHeaders> found = [] {
    std::vector<std::string> candidates;
    if (const char *env = std::getenv("FTLINT_TEST_PYTHONS")) {
      std::string list = env;
      for (size_t start = 0; start <= list.size();) {
        size_t end = list.find(':', start);
        if (end == std::string::npos) end = list.size();
        if (end > start) candidates.push_back(list.substr(start, end - start));
        start = end + 1;
      }
    } else {
      // Every python3 / python3.X in every PATH directory, system ones before
      // pyenv's shims, so Debian's python3-dev headers are used for its version.
      std::vector<std::string> shimmed;
      llvm::SmallVector<llvm::StringRef, 16> dirs;
      llvm::StringRef(std::getenv("PATH") ? std::getenv("PATH") : "").split(dirs, ':', -1, false);
      for (llvm::StringRef dir : dirs)
        for (const char *name : {"python3", "python3.11", "python3.12", "python3.13", "python3.14", "python3.15"}) {
          std::string exe = (dir + "/" + name).str();
          if (!llvm::sys::fs::can_execute(exe)) continue;
          (dir.contains("shims") ? shimmed : candidates).push_back(exe);
        }
      // pyenv installs: $PYENV_ROOT/versions/*/bin/python3.
      std::string root;
      if (const char *env = std::getenv("PYENV_ROOT")) root = env;
      else if (const char *home = std::getenv("HOME")) root = std::string(home) + "/.pyenv";
      std::error_code ec;
      for (llvm::sys::fs::directory_iterator it(root + "/versions", ec), end; it != end && !ec; it.increment(ec)) {
        std::string exe = it->path() + "/bin/python3";
        if (llvm::sys::fs::can_execute(exe)) candidates.push_back(exe);
      }
      candidates.insert(candidates.end(), shimmed.begin(), shimmed.end());
    }
    std::map<std::pair<int, int>, PythonHeaders> byVersion;
    for (const auto &exe : candidates) {
      auto cfg = queryPython(exe);
      if (!cfg) {
        llvm::consumeError(cfg.takeError());
        continue;
      }
      if (cfg->gilDisabled) continue;  // the default builds' headers; FT is simulated with -DPy_GIL_DISABLED
      int major = 0, minor = 0;
      if (std::sscanf(cfg->version.c_str(), "%d.%d", &major, &minor) != 2 || major != 3 || minor < 9) continue;
      byVersion.emplace(std::make_pair(major, minor), PythonHeaders{cfg->version, cfg->includeDirs.front(), exe});
    }
    std::vector<PythonHeaders> out;
    for (auto &[v, h] : byVersion) out.push_back(h);
    return out;
  }();
  return found;
}

}  // namespace ftlint::testing
