// Runs every fixture under testdata/fixtures against every CPython header
// version found on the machine, and against 3.13+ headers as a free-threaded
// build sees them (-DPy_GIL_DISABLED=1). The findings must be the same: they
// are about the free-threaded build, whatever headers ftlint parses with.
//
// A fixture whose findings carry fixes has its expected fixed text beside it
// (NAME.c.fixed): every fix, safe and unsafe, applied pass after pass as
// `ftlint --fix --unsafe-fixes` does, must give exactly that text, and one
// more pass must find nothing left to fix. FTLINT_UPDATE_FIXTURES=1 writes
// the .fixed files instead (review them before committing).
#include "Fixture.h"

#include "tool/app/App.h"
#include "tool/core/Selection.h"
#include "tool/engine/Config.h"
#include "tool/engine/FixApply.h"
#include "tool/engine/Runner.h"
#include "tool/engine/Suppressions.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <fmt/format.h>
#include <fmt/ranges.h>
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <memory>

namespace ftlint::testing {
namespace {


struct HeaderConfig {
  PythonHeaders headers;
  bool freeThreaded = false;
  int minor() const { return std::stoi(headers.version.substr(headers.version.find('.') + 1)); }
  std::string name() const {
    std::string v = headers.version;
    v.erase(std::remove(v.begin(), v.end(), '.'), v.end());
    return "py" + v + (freeThreaded ? "t" : "");
  }
};

std::vector<HeaderConfig> headerConfigs() {
  std::vector<HeaderConfig> configs;
  for (const auto &h : availablePythonHeaders()) {
    configs.push_back({h, false});
    HeaderConfig probe{h, false};
    if (probe.minor() >= 13) configs.push_back({h, true});
  }
  return configs;
}

std::vector<std::string> fixturePaths() {
  std::vector<std::string> out;
  std::error_code ec;
  for (llvm::sys::fs::recursive_directory_iterator it(FTLINT_SOURCE_DIR "/testdata/fixtures", ec), end;
       it != end && !ec; it.increment(ec)) {
    llvm::StringRef ext = llvm::sys::path::extension(it->path());
    if (ext == ".c" || ext == ".cpp") out.push_back(it->path());
  }
  std::sort(out.begin(), out.end());
  return out;
}

struct Case {
  std::string fixture;
  HeaderConfig config;
};

void PrintTo(const Case &c, std::ostream *os) { *os << llvm::sys::path::filename(c.fixture).str() << " with " << c.config.name(); }

std::vector<Case> allCases() {
  std::vector<Case> cases;
  for (const auto &f : fixturePaths())
    for (const auto &c : headerConfigs()) cases.push_back({f, c});
  return cases;
}

struct FixtureOptions {
  RunOptions run;
  Confidence minimumConfidence = Confidence::High;  // as ftlint reports by default
};

// The options of `ftlint-args`: rule selection, `--confidence`, and
// `--compat guard` with `--target-python X.Y`.
FixtureOptions optionsFrom(const std::vector<std::string> &args, std::string &error) {
  FixtureOptions out;
  RunOptions &o = out.run;
  RuleSelection &s = o.selection;
  bool guard = false;
  int target = 13;
  for (size_t i = 0; i + 1 < args.size(); i += 2) {
    const std::string &name = args[i], &value = args[i + 1];
    if (name == "--select") s.select = splitCodeList(value);
    else if (name == "--ignore") s.ignore = splitCodeList(value);
    else if (name == "--extend-select") s.extendSelect = splitCodeList(value);
    else if (name == "--compat") guard = value == "guard";
    else if (name == "--target-python") target = pythonMinorVersion(value);
    else if (name == "--confidence" && !parseConfidence(value)) error = "ftlint-args: --confidence takes high or low";
    else if (name == "--confidence") out.minimumConfidence = *parseConfidence(value);
    else error = "ftlint-args: unknown option " + name;
  }
  if (args.size() % 2) error = "ftlint-args: every option needs a value";
  if (s.select.empty()) s.select = {"ALL"};
  if (guard) o.versionGuardTarget = target;
  return out;
}

class FixtureTest : public ::testing::TestWithParam<Case> {};

// Everything a finding says, fixes included, one line each.
std::string describe(const std::vector<Finding> &findings) {
  std::string out;
  for (const Finding &f : findings) {
    out += fmt::format("{}:{}:{}-{}:{} {} ({}) {} [{}] {}", f.file, f.line, f.column, f.endLine, f.endColumn,
                       f.code, confidenceName(f.confidence), f.message, fmt::join(f.notes, " | "), f.noFixReason);
    if (f.fix)
      for (const TextEdit &e : f.fix->edits)
        out += fmt::format(" edit {}+{}={}", e.offset, e.length, e.replacement);
    out += "\n";
  }
  return out;
}

CompileCommand commandFor(const Case &c, const Fixture &fixture) {
  CompileCommand cmd;
  cmd.directory = llvm::sys::path::parent_path(c.fixture).str();
  cmd.file = c.fixture;
  cmd.arguments = {fixture.isCxx ? "clang++" : "clang", "-I" + c.config.headers.includeDir};
  if (fixture.isCxx) cmd.arguments.push_back("-std=c++17");
  if (c.config.freeThreaded) cmd.arguments.push_back("-DPy_GIL_DISABLED=1");
  for (const auto &f : fixture.flags) cmd.arguments.push_back(f);
  cmd.arguments.push_back(c.fixture);
  return cmd;
}

// The findings of one TU as a whole run reports them.
TuResult lint(const CompileCommand &cmd, const FixtureOptions &fixtureOptions) {
  const RunOptions &options = fixtureOptions.run;
  TuResult result = analyseTranslationUnit(cmd, options);
  std::sort(result.findings.begin(), result.findings.end(), findingLess);
  result.findings.erase(std::unique(result.findings.begin(), result.findings.end(), sameFinding),
                        result.findings.end());
  applySuppressions(result.findings, options.selection.isEnabled("FT901", true), options.overlay.get());
  removeBelowConfidence(result.findings, fixtureOptions.minimumConfidence);
  return result;
}

bool hasFixes(const std::vector<Finding> &findings) {
  return std::any_of(findings.begin(), findings.end(), [](const Finding &f) { return f.fix.has_value(); });
}

// Every fix applied as `--fix --unsafe-fixes` applies them; returns the text
// of the fixture afterwards, or "" with `error` set.
std::string applyAllFixes(const CompileCommand &cmd, FixtureOptions options, std::vector<Finding> findings,
                          std::string &error) {
  std::string real = realPathOf(cmd.file);
  auto contents = std::make_shared<std::map<std::string, std::string>>();
  (*contents)[real] = readTextFile(real);
  for (int pass = 0; pass < 8; ++pass) {
    FixPlanOptions planOptions;
    planOptions.includeUnsafe = true;
    planOptions.contents = contents.get();
    FixPlan plan = planFixes(findings, planOptions);
    for (const auto &p : plan.problems) error += p + "\n";
    if (!error.empty()) return "";
    if (plan.applied == 0) return (*contents)[real];
    for (const FileFix &f : plan.files) {
      if (f.path != real) {
        error = f.path + ": a fix edits a file other than the fixture";
        return "";
      }
      (*contents)[real] = f.fixed;
    }
    options.run.overlay = contents;
    TuResult again = lint(cmd, options);
    if (again.failure) {
      error = "the fixed code does not parse: " + (again.failure->errors.empty() ? "" : again.failure->errors[0]);
      return "";
    }
    findings = std::move(again.findings);
  }
  error = "fixes keep changing the file after 8 passes";
  return "";
}

TEST_P(FixtureTest, FindingsMatchExpectations) {
  const Case &c = GetParam();
  std::string error;
  Fixture fixture = parseFixture(c.fixture, error);
  ASSERT_TRUE(error.empty()) << c.fixture << ": " << error;
  if (c.config.minor() < fixture.minPythonMinor) GTEST_SKIP() << "fixture needs newer headers";
  if (fixture.defaultBuildOnly && c.config.freeThreaded) GTEST_SKIP() << "fixture cannot parse without the GIL";

  CompileCommand cmd = commandFor(c, fixture);
  FixtureOptions options = optionsFrom(fixture.args, error);
  ASSERT_TRUE(error.empty()) << c.fixture << ": " << error;
  options.run.scope = ProjectScope(FTLINT_SOURCE_DIR "/testdata", {c.config.headers.includeDir});
  TuResult result = lint(cmd, options);
  ASSERT_FALSE(result.failure) << c.fixture << " does not parse with Python " << c.config.headers.version
                               << " headers: " << (result.failure->errors.empty() ? "" : result.failure->errors[0]);
  // Skipping code outside the project changes nothing.
  FixtureOptions everything = options;
  everything.run.skipForeignCode = false;
  EXPECT_EQ(describe(result.findings), describe(lint(cmd, everything).findings))
      << c.fixture << " with " << c.config.name() << ": findings differ when code outside the project is analysed too";
  auto problems = compareFindings(fixture, result.findings);
  std::string report;
  for (const auto &p : problems) report += "\n  " + p;
  EXPECT_TRUE(problems.empty()) << c.fixture << " with " << c.config.name() << ":" << report;

  std::string expectedPath = c.fixture + ".fixed";
  bool expectsFixes = llvm::sys::fs::exists(expectedPath);
  if (!hasFixes(result.findings)) {
    EXPECT_FALSE(expectsFixes) << c.fixture << " has " << expectedPath << " but no finding offers a fix";
    return;
  }
  std::string fixError;
  std::string fixed = applyAllFixes(cmd, options, result.findings, fixError);
  ASSERT_TRUE(fixError.empty()) << c.fixture << " with " << c.config.name() << ": " << fixError;
  if (std::getenv("FTLINT_UPDATE_FIXTURES") && c.config.headers.version == "3.13" && !c.config.freeThreaded) {
    std::error_code ec;
    llvm::raw_fd_ostream out(expectedPath, ec);
    ASSERT_FALSE(ec) << expectedPath << ": " << ec.message();
    out << fixed;
    return;
  }
  ASSERT_TRUE(expectsFixes) << c.fixture << " offers fixes: its expected fixed text belongs in " << expectedPath
                            << " (FTLINT_UPDATE_FIXTURES=1 writes it)";
  EXPECT_EQ(fixed, readTextFile(expectedPath)) << c.fixture << " with " << c.config.name()
                                           << ": the fixed text differs from " << expectedPath;
}

std::string caseName(const ::testing::TestParamInfo<Case> &info) {
  std::string stem = llvm::sys::path::stem(info.param.fixture).str();
  std::string name = stem + "_" + info.param.config.name();
  for (char &ch : name)
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  return name;
}

INSTANTIATE_TEST_SUITE_P(Fixtures, FixtureTest, ::testing::ValuesIn(allCases()), caseName);

// The suite is only meaningful if the machine has the headers it promises to
// test against: the oldest supported default build and a 3.13+ one.
TEST(FixtureEnvironment, HasPython311And313Headers) {
  bool has311 = false, has313 = false;
  for (const auto &h : availablePythonHeaders()) {
    has311 |= h.version == "3.11";
    has313 |= h.version == "3.13";
  }
  EXPECT_TRUE(has311) << "no CPython 3.11 with headers found (install python3-dev)";
  EXPECT_TRUE(has313) << "no CPython 3.13 with headers found (pyenv install 3.13)";
  EXPECT_FALSE(fixturePaths().empty());
}

}  // namespace
}  // namespace ftlint::testing
