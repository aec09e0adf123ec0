// SARIF and GitHub outputs: the SARIF log of a real run (plus a finding with
// a fix and two failed TUs) must pass Microsoft's validator with its GitHub
// ingestion rules without a single error or warning; fingerprints must
// survive lines inserted above a finding; workflow commands must be escaped.
#include "Fixture.h"

#include "tool/core/Rule.h"
#include "tool/engine/Runner.h"
#include "tool/output/Fingerprint.h"
#include "tool/output/Report.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdlib>
#include <fstream>
#include <set>
#include <sstream>

namespace ftlint::testing {
namespace {

namespace fs = llvm::sys::fs;

using ftlint::testing::readTextFile, ftlint::testing::writeTextFile, ftlint::testing::realPathOf;
std::string readFile(const std::string &path) { return readTextFile(path); }
void writeFile(const std::string &path, const std::string &text) { writeTextFile(path, text); }
std::string realPath(const std::string &path) { return realPathOf(path); }

// A scratch project root, removed at the end of the test.
class TempDir {
public:
  TempDir() {
    llvm::SmallString<256> dir;
    fs::createUniqueDirectory("ftlint-sarif", dir);
    path_ = realPath(std::string(dir));
  }
  ~TempDir() { fs::remove_directories(path_); }
  const std::string &path() const { return path_; }

private:
  std::string path_;
};

const std::string &pythonIncludeDir() {
  static const std::string dir = [] {
    const auto &headers = availablePythonHeaders();
    return headers.empty() ? std::string() : headers.back().includeDir;
  }();
  return dir;
}

// Runs the real engine on one file, as `analyse` would report it.
RunResult lint(const std::string &file, const std::string &root) {
  CompileCommand cmd;
  cmd.directory = llvm::sys::path::parent_path(file).str();
  cmd.file = file;
  cmd.arguments = {"clang", "-I" + pythonIncludeDir(), file};
  RunOptions options;
  options.scope = ProjectScope(root, {pythonIncludeDir()});
  TuResult tu = analyseTranslationUnit(cmd, options);
  RunResult run;
  run.translationUnits = 1;
  run.findings = std::move(tu.findings);
  std::sort(run.findings.begin(), run.findings.end(), findingLess);
  run.findings.erase(std::unique(run.findings.begin(), run.findings.end(), sameFinding), run.findings.end());
  if (tu.failure) run.failures.push_back(*tu.failure);
  return run;
}

std::string fixtureText(const std::string &name) { return readFile(FTLINT_SOURCE_DIR "/testdata/fixtures/" + name); }

// Copies the FT101 fixture (and the header it includes) into `dir`,
// optionally with lines inserted at the top.
std::string copyFixture(const std::string &dir, const std::string &prefix = "") {
  std::string file = dir + "/FT101_borrowed_list_item.c";
  // compat.h includes ../fixproof/ref_compat.h; a copy stands on its own.
  writeFile(dir + "/compat.h", readFile(FTLINT_SOURCE_DIR "/testdata/fixproof/ref_compat.h"));
  writeFile(file, prefix + fixtureText("FT101_borrowed_list_item.c"));
  return file;
}

struct Process {
  int exitCode = -1;
  std::string out;
  std::string error;
};

Process execute(const std::string &program, const std::vector<std::string> &args, const TempDir &scratch) {
  std::string outFile = scratch.path() + "/.stdout", errFile = scratch.path() + "/.stderr";
  std::vector<llvm::StringRef> argv{program};
  for (const auto &a : args) argv.push_back(a);
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, llvm::StringRef(outFile), llvm::StringRef(errFile)};
  Process p;
  p.exitCode = llvm::sys::ExecuteAndWait(program, argv, std::nullopt, redirects, /*SecondsToWait=*/600, 0, &p.error);
  p.out = readFile(outFile) + readFile(errFile);
  return p;
}

// FTLINT_SARIF_MULTITOOL, else whatever ci/install-sarif-validator.sh installs
// (into its cache directory, once). Empty with `why` set when neither works.
std::string findValidator(const TempDir &scratch, std::string &why) {
  if (const char *env = std::getenv("FTLINT_SARIF_MULTITOOL"); env && *env) {
    if (fs::can_execute(env)) return env;
    why = std::string("FTLINT_SARIF_MULTITOOL=") + env + " is not an executable";
    return "";
  }
  auto bash = llvm::sys::findProgramByName("bash");
  if (!bash) {
    why = "bash not found";
    return "";
  }
  std::string outFile = scratch.path() + "/.installer-out";
  std::string script = FTLINT_SOURCE_DIR "/ci/install-sarif-validator.sh";
  llvm::StringRef argv[] = {*bash, script};
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, llvm::StringRef(outFile), std::nullopt};
  int rc = llvm::sys::ExecuteAndWait(*bash, argv, std::nullopt, redirects, 600);
  std::string out = readFile(outFile);
  while (!out.empty() && (out.back() == '\n' || out.back() == '\r')) out.pop_back();
  std::string binary = out.substr(out.rfind('\n') == std::string::npos ? 0 : out.rfind('\n') + 1);
  if (rc != 0 || !fs::can_execute(binary)) {
    why = script + " failed (exit " + std::to_string(rc) + "): " + out;
    return "";
  }
  return binary;
}

// The validator's problems: lines such as `file(3,5): error SARIF1001: ...`.
std::vector<std::string> validatorProblems(const std::string &output) {
  std::vector<std::string> problems;
  std::istringstream lines(output);
  for (std::string line; std::getline(lines, line);)
    if (line.find(": error ") != std::string::npos || line.find(": warning ") != std::string::npos)
      problems.push_back(line);
  return problems;
}

// --- SARIF ------------------------------------------------------------------

class SarifLog : public ::testing::Test {
protected:
  void SetUp() override {
    if (pythonIncludeDir().empty()) GTEST_SKIP() << "no CPython headers found";
    root = scratch.path() + "/project";
    src = root + "/src dir";
    std::string fixture = copyFixture(src);
    run = lint(fixture, root);
    ASSERT_TRUE(run.failures.empty()) << (run.failures[0].errors.empty() ? "" : run.failures[0].errors[0]);
    ASSERT_GE(run.findings.size(), 5u);

    // A finding with a two-file fix, on a line with non-ASCII text before it.
    fixFile = src + "/fix me.c";
    writeFile(fixFile, "/* \xc3\xa9t\xc3\xa9 */\nstatic int x = f(\"\xf0\x9f\x90\x8d\", list);\n");
    writeFile(src + "/helpers.h", "#define HELPER 1\n");
    Finding f;
    f.code = "FT101";
    f.message = "'list' is an argument of 'f'; use PyList_GetItemRef() (Python 3.13+) for a strong reference";
    f.file = fixFile;
    f.line = 2;
    f.column = 16;  // bytes: the 'f' of f(...)
    f.endLine = 2;
    f.endColumn = 30;  // the closing ')'
    f.offset = 27;
    f.sourceLine = "static int x = f(\"\xf0\x9f\x90\x8d\", list);";
    f.notes = {"the list comes from the caller"};
    Fix fix;
    fix.applicability = Applicability::Unsafe;
    fix.description = "use PyList_GetItemRef() and release the reference";
    fix.edits = {{fixFile, 27, 1, "g"}, {src + "/helpers.h", 0, 0, "/* added */\n"}, {fixFile, 14, 2, "y"}};
    f.fix = fix;

    // A finding with neither a column nor an end: it covers its whole line.
    Finding wholeLine;
    wholeLine.code = "FT301";
    wholeLine.message = "the module does not declare whether it supports running without the GIL";
    wholeLine.file = fixFile;
    wholeLine.line = 1;
    wholeLine.sourceLine = "/* \xc3\xa9t\xc3\xa9 */";
    run.findings.push_back(wholeLine);
    run.findings.push_back(f);

    TuFailure broken;
    broken.file = src + "/broken.c";
    broken.errors = {broken.file + ":3:1: error: expected ';' after top level declarator"};
    broken.errorCount = 2;
    run.failures.push_back(broken);
    TuFailure crashed;
    crashed.file = src + "/crash.c";
    crashed.crashed = true;
    run.failures.push_back(crashed);

    ReportOptions options;
    options.projectRoot = root;
    options.workingDirectory = root;
    sarifPath = scratch.path() + "/ftlint.sarif";
    std::error_code ec;
    {
      llvm::raw_fd_ostream out(sarifPath, ec);
      ASSERT_FALSE(ec) << ec.message();
      writeSarif(out, run, options);
    }
    log = nlohmann::json::parse(readFile(sarifPath));
  }

  TempDir scratch;
  std::string root, src, fixFile, sarifPath;
  RunResult run;
  nlohmann::json log;
};

// Runs the validator on `logs` and expects no problem in any of them.
Process expectValid(const std::string &validator, const std::vector<std::string> &logs, const std::string &report,
                    const TempDir &scratch) {
  std::vector<std::string> args = {"validate", "--rule-kind", "Gh;Sarif"};
  args.insert(args.end(), logs.begin(), logs.end());
  args.insert(args.end(), {"-o", report, "--log", "ForceOverwrite"});
  Process p = execute(validator, args, scratch);
  EXPECT_EQ(p.exitCode, 0) << p.error << "\n" << p.out;
  auto problems = validatorProblems(p.out);
  std::string listed;
  for (const auto &line : problems) listed += "\n  " + line;
  std::string contents;
  for (const auto &log : logs) contents += "\n--- " + log + " ---\n" + readFile(log);
  EXPECT_TRUE(problems.empty()) << "the validator found problems:" << listed << "\n--- full output ---\n"
                                << p.out << contents;
  EXPECT_NE(p.out.find(std::to_string(logs.size()) + " files scanned"), std::string::npos) << p.out;
  return p;
}

TEST_F(SarifLog, PassesTheValidatorWithGithubRules) {
  std::string why;
  std::string validator = findValidator(scratch, why);
  if (validator.empty() && std::getenv("FTLINT_SARIF_MULTITOOL") &&
      std::string(std::getenv("FTLINT_SARIF_MULTITOOL")) == "skip")
    GTEST_SKIP() << "FTLINT_SARIF_MULTITOOL=skip";
  ASSERT_FALSE(validator.empty()) << "no SARIF validator: " << why
                                  << " (set FTLINT_SARIF_MULTITOOL to Sarif.Multitool, or to 'skip')";
  // A clean run's log too: no results, no notifications.
  std::string cleanPath = scratch.path() + "/clean.sarif";
  {
    std::error_code ec;
    llvm::raw_fd_ostream out(cleanPath, ec);
    ASSERT_FALSE(ec) << ec.message();
    RunResult clean;
    clean.translationUnits = 1;
    ReportOptions options;
    options.projectRoot = root;
    writeSarif(out, clean, options);
  }
  std::string report = scratch.path() + "/validation.sarif";
  Process p = expectValid(validator, {sarifPath, cleanPath}, report, scratch);
  EXPECT_TRUE(fs::exists(report)) << p.out;
}

// The binary's own reports: the demo (findings with fixes) and a run with a
// translation unit that does not parse.
TEST_F(SarifLog, DemoAndFailedRunReportsPassTheValidator) {
  std::string why;
  std::string validator = findValidator(scratch, why);
  if (validator.empty() && std::getenv("FTLINT_SARIF_MULTITOOL") &&
      std::string(std::getenv("FTLINT_SARIF_MULTITOOL")) == "skip")
    GTEST_SKIP() << "FTLINT_SARIF_MULTITOOL=skip";
  ASSERT_FALSE(validator.empty()) << "no SARIF validator: " << why;
  auto python = llvm::sys::findProgramByName("python3");
  ASSERT_TRUE(bool(python));
  std::string demo = FTLINT_SOURCE_DIR "/testdata/demo", build = scratch.path() + "/demo-build";
  Process configured = execute("/usr/bin/env", {"cmake", "-S", demo, "-B", build, "-DPython3_EXECUTABLE=" + *python},
                               scratch);
  ASSERT_EQ(configured.exitCode, 0) << configured.out;
  std::string demoSarif = scratch.path() + "/demo.sarif", brokenSarif = scratch.path() + "/broken.sarif";
  Process lint = execute(FTLINT_BINARY, {"-p", build, "--project-root", demo, "--format", "sarif", "-o", demoSarif},
                         scratch);
  ASSERT_EQ(lint.exitCode, 1) << lint.out;
  auto demoLog = nlohmann::json::parse(readFile(demoSarif));
  size_t withFixes = 0;
  for (const auto &r : demoLog["runs"][0]["results"]) withFixes += r.contains("fixes");
  EXPECT_GE(withFixes, 4u) << "the demo's report should carry its fixes";
  std::string broken = FTLINT_SOURCE_DIR "/testdata/engine/broken_tu";
  Process failed = execute(FTLINT_BINARY,
                           {broken + "/broken.c", broken + "/fine.c", "--python", *python, "--project-root", broken,
                            "--format", "sarif", "-o", brokenSarif},
                           scratch);
  ASSERT_EQ(failed.exitCode, 2) << failed.out;
  EXPECT_FALSE(nlohmann::json::parse(readFile(brokenSarif))["runs"][0]["invocations"][0]["executionSuccessful"]);
  expectValid(validator, {demoSarif, brokenSarif}, scratch.path() + "/validation2.sarif", scratch);
}

TEST_F(SarifLog, DescribesEveryRuleAndPointsResultsAtThem) {
  const auto &sarifRun = log["runs"][0];
  const auto &driver = sarifRun["tool"]["driver"];
  EXPECT_EQ(log["version"], "2.1.0");
  EXPECT_EQ(driver["name"], "ftlint");
  EXPECT_EQ(driver["version"], FTLINT_VERSION);
  ASSERT_EQ(driver["rules"].size(), allRules().size());
  for (size_t i = 0; i < allRules().size(); ++i) {
    const auto &rule = driver["rules"][i];
    EXPECT_EQ(rule["id"], std::string(allRules()[i].info->code));
    EXPECT_EQ(rule["helpUri"], "https://github.com/ftlint/ftlint/blob/main/docs/rules/" +
                                   std::string(allRules()[i].info->code) + ".md");
    EXPECT_EQ(rule["help"]["markdown"], ruleMarkdown(*allRules()[i].info));
    std::string help = rule["help"]["text"];
    EXPECT_EQ(help.find("```"), std::string::npos) << help;
    EXPECT_EQ(help.find("]("), std::string::npos) << help;
    EXPECT_EQ(help.find("\n## "), std::string::npos) << help;
    EXPECT_EQ(help.rfind("# ", 0), std::string::npos) << help;
  }
  EXPECT_EQ(driver["rules"][0]["id"], "FT101");
  EXPECT_EQ(driver["rules"][0]["name"], "BorrowedListItem");
  const auto &results = sarifRun["results"];
  ASSERT_EQ(results.size(), run.findings.size());
  for (const auto &r : results) {
    size_t index = r["ruleIndex"];
    EXPECT_EQ(driver["rules"][index]["id"], r["ruleId"]);
    EXPECT_EQ(r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"], "PROJECTROOT");
  }
  EXPECT_EQ(sarifRun["originalUriBaseIds"]["PROJECTROOT"]["uri"], "file://" + root + "/");
}

TEST_F(SarifLog, LocationsAreRelativeEncodedAndEndExclusive) {
  const auto &results = log["runs"][0]["results"];
  const Finding &first = run.findings.front();
  const auto &location = results[0]["locations"][0]["physicalLocation"];
  EXPECT_EQ(location["artifactLocation"]["uri"], "src%20dir/FT101_borrowed_list_item.c");
  EXPECT_EQ(location["region"]["startLine"], first.line);
  EXPECT_EQ(location["region"]["startColumn"], first.column);
  EXPECT_EQ(location["region"]["endColumn"], first.endColumn + 1);
  EXPECT_EQ(location["contextRegion"]["snippet"]["text"], first.sourceLine);

  // The synthetic finding: columns in UTF-16 code units. The snake before
  // its end is 4 bytes but 2 units; nothing before its start is non-ASCII.
  const auto &last = results.back();
  const auto &region = last["locations"][0]["physicalLocation"]["region"];
  EXPECT_EQ(region["startColumn"], 16);
  EXPECT_EQ(region["endColumn"], 31 - 2);
  EXPECT_EQ(region["snippet"]["text"], "f(\"\xf0\x9f\x90\x8d\", list)");
  EXPECT_EQ(last["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "src%20dir/fix%20me.c");
  EXPECT_EQ(last["properties"]["notes"][0], "the list comes from the caller");

  const auto &whole = results[results.size() - 2]["locations"][0]["physicalLocation"]["region"];
  EXPECT_EQ(whole["startLine"], 1);
  EXPECT_EQ(whole["startColumn"], 1);
  EXPECT_EQ(whole["endLine"], 1);
  EXPECT_EQ(whole["endColumn"], 10);  // "/* été */": 9 characters in 11 bytes
  EXPECT_EQ(whole["snippet"]["text"], "/* \xc3\xa9t\xc3\xa9 */");
}

TEST_F(SarifLog, FixesAreGroupedPerFileWithCharacterOffsets) {
  const auto &fixes = log["runs"][0]["results"].back()["fixes"];
  ASSERT_EQ(fixes.size(), 1u);
  EXPECT_EQ(fixes[0]["description"]["text"], "use PyList_GetItemRef() and release the reference.");
  const auto &changes = fixes[0]["artifactChanges"];
  ASSERT_EQ(changes.size(), 2u);
  EXPECT_EQ(changes[0]["artifactLocation"]["uri"], "src%20dir/fix%20me.c");
  EXPECT_EQ(changes[0]["artifactLocation"]["uriBaseId"], "PROJECTROOT");
  ASSERT_EQ(changes[0]["replacements"].size(), 2u);
  // "/* été */\n" is 12 bytes but 10 UTF-16 units.
  EXPECT_EQ(changes[0]["replacements"][0]["deletedRegion"]["charOffset"], 14 - 2);
  EXPECT_EQ(changes[0]["replacements"][0]["deletedRegion"]["charLength"], 2);
  EXPECT_EQ(changes[0]["replacements"][1]["deletedRegion"]["charOffset"], 27 - 2);
  EXPECT_EQ(changes[0]["replacements"][1]["insertedContent"]["text"], "g");
  EXPECT_EQ(changes[1]["artifactLocation"]["uri"], "src%20dir/helpers.h");
}

TEST_F(SarifLog, FailedTranslationUnitsAreToolNotifications) {
  const auto &invocation = log["runs"][0]["invocations"][0];
  EXPECT_EQ(invocation["executionSuccessful"], false);
  const auto &notes = invocation["toolExecutionNotifications"];
  ASSERT_EQ(notes.size(), 2u);
  EXPECT_EQ(notes[0]["level"], "error");
  EXPECT_EQ(notes[0]["message"]["text"],
            "could not analyse src dir/broken.c: src dir/broken.c:3:1: error: expected ';' after top level "
            "declarator.");
  EXPECT_EQ(notes[0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"], "src%20dir/broken.c");
  EXPECT_EQ(notes[1]["message"]["text"], "could not analyse src dir/crash.c: the analysis crashed.");
  EXPECT_EQ(notes[0]["properties"]["errors"][0],
            "src dir/broken.c:3:1: error: expected ';' after top level declarator");
}

// --- fingerprints -------------------------------------------------------------

Finding sampleFinding() {
  Finding f;
  f.code = "FT101";
  f.message = "borrowed";
  f.file = "/project/src/mod.c";
  f.line = 10;
  f.column = 19;
  f.sourceLine = "    PyObject *a = PyList_GetItem(list, 0);";
  return f;
}

TEST(Fingerprint, IgnoresLineNumbersAndWhitespace) {
  Finding a = sampleFinding();
  Finding moved = a;
  moved.line = 42;
  moved.column = 11;
  moved.offset = 900;
  moved.sourceLine = "\tPyObject *a =  PyList_GetItem(list,0);  ";
  EXPECT_EQ(findingFingerprint(a, "src/mod.c", 0), findingFingerprint(moved, "src/mod.c", 0));
  EXPECT_EQ(findingFingerprint(a, "src/mod.c", 0).size(), 16u);
}

TEST(Fingerprint, ChangesWithTextRuleFileAndOccurrence) {
  Finding a = sampleFinding();
  std::string base = findingFingerprint(a, "src/mod.c", 0);
  Finding other = a;
  other.sourceLine = "    PyObject *b = PyList_GetItem(list, 0);";
  EXPECT_NE(findingFingerprint(other, "src/mod.c", 0), base);
  other = a;
  other.code = "FT102";
  EXPECT_NE(findingFingerprint(other, "src/mod.c", 0), base);
  EXPECT_NE(findingFingerprint(a, "src/other.c", 0), base);
  EXPECT_NE(findingFingerprint(a, "src/mod.c", 1), base);
}

TEST(Fingerprint, OccurrencesTellIdenticalLinesApart) {
  Finding a = sampleFinding();
  Finding b = a;
  b.line = 20;
  Finding unrelated = a;
  unrelated.line = 5;
  unrelated.sourceLine = "x = PyList_GetItem(y, 1);";
  auto prints = fingerprintsFor({a, b}, "/project");
  ASSERT_EQ(prints.size(), 2u);
  EXPECT_NE(prints[0], prints[1]);
  EXPECT_EQ(prints[0], findingFingerprint(a, "src/mod.c", 0));
  EXPECT_EQ(prints[1], findingFingerprint(b, "src/mod.c", 1));
  // A new finding on another line does not renumber them.
  auto withNew = fingerprintsFor({unrelated, a, b}, "/project");
  EXPECT_EQ(withNew[1], prints[0]);
  EXPECT_EQ(withNew[2], prints[1]);
}

TEST(Fingerprint, SurviveLinesInsertedAboveInARealRun) {
  if (pythonIncludeDir().empty()) GTEST_SKIP() << "no CPython headers found";
  TempDir scratch;
  std::string before = copyFixture(scratch.path() + "/before");
  std::string after = copyFixture(scratch.path() + "/after", "/* A new header comment\n * over three lines.\n */\n\n");
  RunResult one = lint(before, scratch.path() + "/before");
  RunResult two = lint(after, scratch.path() + "/after");
  ASSERT_TRUE(one.failures.empty() && two.failures.empty());
  ASSERT_EQ(one.findings.size(), two.findings.size());
  ASSERT_FALSE(one.findings.empty());
  EXPECT_NE(one.findings[0].line, two.findings[0].line);
  auto printsBefore = fingerprintsFor(one.findings, scratch.path() + "/before");
  auto printsAfter = fingerprintsFor(two.findings, scratch.path() + "/after");
  EXPECT_EQ(printsBefore, printsAfter);
  EXPECT_EQ(std::set<std::string>(printsBefore.begin(), printsBefore.end()).size(), printsBefore.size())
      << "two findings share a fingerprint";
}

// --- GitHub workflow commands ---------------------------------------------------

TEST(Github, EscapesPropertiesAndMessages) {
  RunResult run;
  Finding f;
  f.code = "FT101";
  f.message = "50% of items: a, b\r\nnext line";
  f.file = "/work/repo/src/odd,name:1.c";
  f.line = 12;
  f.column = 19;
  f.endLine = 12;
  f.endColumn = 33;
  run.findings.push_back(f);
  Finding multiLine = f;
  multiLine.message = "spans lines";
  multiLine.file = "/elsewhere/project/lib/mod.c";
  multiLine.endLine = 14;
  multiLine.endColumn = 3;
  multiLine.severity = Severity::Note;
  run.findings.push_back(multiLine);
  TuFailure failure;
  failure.file = "/work/repo/src/broken.c";
  failure.errors = {"/work/repo/src/broken.c:3:1: error: expected ';'"};
  run.failures.push_back(failure);

  ReportOptions options;
  options.projectRoot = "/elsewhere/project";
  options.workingDirectory = "/work/repo";
  std::string text;
  llvm::raw_string_ostream out(text);
  writeGithub(out, run, options);
  out.flush();
  std::string name = findRule("FT101") ? " " + std::string(findRule("FT101")->info->name) : "";
  EXPECT_EQ(text,
            "::warning file=src/odd%2Cname%3A1.c,line=12,col=19,endLine=12,endColumn=33,title=FT101" + name +
                "::50%25 of items: a, b%0D%0Anext line\n"
                "::notice file=lib/mod.c,line=12,endLine=14,title=FT101" +
                name +
                "::spans lines\n"
                "::error file=src/broken.c,title=ftlint%3A analysis failed::could not analyse src/broken.c: "
                "src/broken.c:3:1: error: expected ';'\n");
}

}  // namespace
}  // namespace ftlint::testing
