// End-to-end tests of the ftlint binary: subcommands, exit codes, errors that
// name their input, deduplication across translation units.
#include "Fixture.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cerrno>
#include <fcntl.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>
#include <fstream>
#include <thread>
#include <sstream>

namespace ftlint::testing {
namespace {

using Result = ProcessResult;

std::string readFile(const std::string &path) { return readTextFile(path); }

// Runs the built binary in `cwd` (default: the source tree).
Result ftlint(const std::vector<std::string> &args, const std::string &cwd = FTLINT_SOURCE_DIR) {
  std::vector<std::string> argv = {FTLINT_BINARY};
  argv.insert(argv.end(), args.begin(), args.end());
  return runProgram(argv, cwd);
}

// ftlint on `dir`/`file` alone (no database: headers from python3), without
// a cache, run in `dir`, with `extra` options.
Result lintFile(const std::string &dir, const std::string &file, const std::vector<std::string> &extra) {
  std::vector<std::string> args = {dir + "/" + file, "--python", "python3", "--no-cache"};
  args.insert(args.end(), extra.begin(), extra.end());
  return ftlint(args, dir);
}

std::string pythonInclude() {
  const auto &headers = availablePythonHeaders();
  return headers.empty() ? std::string() : headers.front().includeDir;
}

// Writes a compile database for `files` (relative to testdata/engine/DIR)
// into a fresh temporary build directory, compiled with `compiler`.
std::string makeDatabase(const std::string &dir, const std::vector<std::string> &files,
                         const std::string &compiler = "gcc") {
  std::string build = freshDirectory("ftlint-build");
  std::string src = std::string(FTLINT_SOURCE_DIR) + "/testdata/engine/" + dir;
  nlohmann::json db = nlohmann::json::array();
  for (const auto &f : files)
    db.push_back({{"directory", std::string(build)},
                  {"file", src + "/" + f},
                  {"arguments", {compiler, "-I" + pythonInclude(), "-c", src + "/" + f, "-o", f + ".o"}}});
  std::ofstream(std::string(build) + "/compile_commands.json") << db.dump(2);
  return std::string(build);
}

size_t count(const std::string &haystack, const std::string &needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

TEST(Cli, RulesListsEveryRule) {
  Result r = ftlint({"rules"});
  EXPECT_EQ(r.exitCode, 0);
  for (const char *code : {"FT101", "FT102", "FT301", "FT302"}) EXPECT_NE(r.out.find(code), std::string::npos) << code;
  Result j = ftlint({"rules", "--format", "json"});
  auto rules = nlohmann::json::parse(j.out);
  ASSERT_TRUE(rules.is_array());
  EXPECT_EQ(rules[0]["code"], "FT101");
}

TEST(Cli, ExplainPrintsTheRuleDocs) {
  Result r = ftlint({"explain", "FT101"});
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_NE(r.out.find("# FT101 borrowed-list-item"), std::string::npos);
  EXPECT_NE(r.out.find("## Why is this bad"), std::string::npos);
  EXPECT_EQ(ftlint({"explain", "borrowed-dict-item"}).exitCode, 0);
  Result bad = ftlint({"explain", "FT999"});
  EXPECT_EQ(bad.exitCode, 2);
  EXPECT_NE(bad.err.find("FT999"), std::string::npos);
}

TEST(Cli, UsageErrorsExitTwoAndNameTheProblem) {
  Result unknown = ftlint({"--frobnicate"});
  EXPECT_EQ(unknown.exitCode, 2);
  EXPECT_NE(unknown.err.find("--frobnicate"), std::string::npos);
  Result badCode = ftlint({"--select", "FT9999", "x.c"});
  EXPECT_EQ(badCode.exitCode, 2);
  EXPECT_NE(badCode.err.find("FT9999"), std::string::npos);
  Result missingDir = ftlint({"-p", "/nonexistent/build"});
  EXPECT_EQ(missingDir.exitCode, 2);
  EXPECT_NE(missingDir.err.find("/nonexistent/build"), std::string::npos);
  Result missingFile = ftlint({"no_such_file.c"});
  EXPECT_EQ(missingFile.exitCode, 2);
  EXPECT_NE(missingFile.err.find("no_such_file.c"), std::string::npos);
  Result badFormat = ftlint({"--format", "xml", "x.c"});
  EXPECT_EQ(badFormat.exitCode, 2);
  // Options that contradict each other.
  Result both = ftlint({"-p", "build", "--compile-commands", "build/compile_commands.json"});
  EXPECT_EQ(both.exitCode, 2);
  EXPECT_NE(both.err.find("-p and --compile-commands name the same thing"), std::string::npos) << both.err;
  Result diffBaseline = ftlint({"--diff", "--write-baseline", "b.json", "x.c"});
  EXPECT_EQ(diffBaseline.exitCode, 2);
  EXPECT_NE(diffBaseline.err.find("--diff and --write-baseline cannot be combined"), std::string::npos);
  Result noValue = ftlint({"--select"});
  EXPECT_EQ(noValue.exitCode, 2);
  EXPECT_NE(noValue.err.find("--select needs a value"), std::string::npos) << noValue.err;
  // An output file that cannot be written is named.
  std::string build = makeDatabase("multi_tu", {"a.c"});
  Result unwritable = ftlint({"-p", build, "-o", "/nonexistent-dir/report.json", "--format", "json"});
  EXPECT_EQ(unwritable.exitCode, 2);
  EXPECT_NE(unwritable.err.find("/nonexistent-dir/report.json: cannot write"), std::string::npos) << unwritable.err;
}

TEST(Cli, BrokenDatabaseIsAnInputError) {
  std::string dir = freshDirectory("ftlint-bad-db");
  std::ofstream(std::string(dir) + "/compile_commands.json") << "{ this is not json";
  Result r = ftlint({"-p", std::string(dir)});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.err.find("compile_commands.json"), std::string::npos) << r.err;
}

TEST(Cli, HeaderFindingIsReportedOncePerRun) {
  std::string build = makeDatabase("multi_tu", {"a.c", "b.c"});
  Result r = ftlint({"-p", build, "--format", "json"});
  EXPECT_EQ(r.exitCode, 1) << r.err;
  auto findings = nlohmann::json::parse(r.out);
  int inHeader = 0, inB = 0;
  for (const auto &f : findings) {
    if (f["file"].get<std::string>().find("shared.h") != std::string::npos) ++inHeader;
    if (f["file"].get<std::string>().find("b.c") != std::string::npos) ++inB;
  }
  EXPECT_EQ(inHeader, 1) << r.out;
  EXPECT_EQ(inB, 1) << r.out;
  // Paths are relative to the project root, and the schema is complete.
  const auto &f = findings[0];
  for (const char *key : {"code", "name", "message", "file", "line", "column", "end_line", "end_column",
                          "severity", "fix"})
    EXPECT_TRUE(f.contains(key)) << key;
  EXPECT_EQ(f["file"].get<std::string>().front() == '/', false);
}

// Entries that differ only in their output file are one parse; other flags
// make another.
TEST(Cli, RepeatedDatabaseEntriesAreParsedOnce) {
  std::string build = makeDatabase("multi_tu", {"a.c"});
  std::string src = std::string(FTLINT_SOURCE_DIR) + "/testdata/engine/multi_tu/a.c";
  nlohmann::json db = nlohmann::json::parse(readFile(build + "/compile_commands.json"));
  nlohmann::json again = db[0];
  again["arguments"] = {"ccache", "gcc", "-I" + pythonInclude(), "-MD", "-MF", "a.d", "-c", src, "-o", "a2.o"};
  db.push_back(again);
  db.push_back(db[0]);
  nlohmann::json other = db[0];
  other["arguments"] = {"gcc", "-I" + pythonInclude(), "-DOTHER=1", "-c", src, "-o", "a3.o"};
  db.push_back(other);
  std::ofstream(build + "/compile_commands.json") << db.dump(2);
  Result r = ftlint({"-p", build});
  EXPECT_NE(r.out.find("2 translation units analysed"), std::string::npos) << r.out << r.err;
}

TEST(Cli, CompilerNamesFromRealDatabasesParse) {
  for (const char *compiler : {"gcc", "cc", "clang-14", "/usr/bin/x86_64-linux-gnu-gcc-12"}) {
    std::string build = makeDatabase("multi_tu", {"b.c"}, compiler);
    Result r = ftlint({"-p", build, "-q"});
    EXPECT_EQ(r.exitCode, 1) << compiler << ": " << r.out << r.err;
    EXPECT_NE(r.out.find("[FT102]"), std::string::npos) << compiler;
  }
}

TEST(Cli, BrokenTranslationUnitDoesNotHideTheOthers) {
  std::string build = makeDatabase("broken_tu", {"broken.c", "fine.c"});
  Result r = ftlint({"-p", build});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_NE(r.out.find("fine.c:6:23: warning: PyDict_GetItemString()"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("broken.c: could not be parsed"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("expected ';'"), std::string::npos) << r.out;
}

TEST(Cli, DatabaseIsFoundInBuildDirectory) {
  std::string build = makeDatabase("multi_tu", {"b.c"});
  std::string parent = llvm::sys::path::parent_path(build).str();
  // `ftlint` with no arguments in a directory whose build/ holds the database.
  std::string project = freshDirectory("ftlint-project");
  llvm::sys::fs::create_link(build, std::string(project) + "/build");
  Result r = ftlint({"-q"}, std::string(project));
  EXPECT_EQ(r.exitCode, 1) << r.err;
  EXPECT_NE(r.out.find("[FT102]"), std::string::npos);
  // -p also accepts a project directory whose build/ holds the database.
  Result viaProject = ftlint({"-p", std::string(project), "-q"});
  EXPECT_EQ(viaProject.exitCode, 1) << viaProject.err;
  Result none = ftlint({}, parent);
  EXPECT_EQ(none.exitCode, 2);
  EXPECT_NE(none.err.find("compile_commands.json"), std::string::npos);
}

TEST(Cli, PlainFilesUseTheHeadersOfPython) {
  // From a directory without a compile database, so none is discovered.
  std::string b = std::string(FTLINT_SOURCE_DIR) + "/testdata/engine/multi_tu/b.c";
  std::string empty = freshDirectory("ftlint-plain");
  Result r = ftlint({b, "--python", "python3", "-q"}, std::string(empty));
  EXPECT_EQ(r.exitCode, 1) << r.err;
  EXPECT_NE(r.out.find("b.c:6:23"), std::string::npos) << r.out;
  Result bad = ftlint({b, "--python", "no-such-python"}, std::string(empty));
  EXPECT_EQ(bad.exitCode, 2);
  EXPECT_NE(bad.err.find("no-such-python"), std::string::npos);
}

// nanobind declares free-threading support in the build, not in C++: the
// module summary says so instead of reporting a finding.
TEST(Cli, NanobindModuleGetsABuildNote) {
  std::string dir = std::string(FTLINT_SOURCE_DIR) + "/testdata/engine/nanobind_module";
  Result r = ftlint({dir + "/ext.cpp", "--python", "python3", "--format", "json-report", "--", "-I" + dir + "/stub"},
                    dir);
  ASSERT_EQ(r.exitCode, 0) << r.out << r.err;
  auto report = nlohmann::json::parse(r.out);
  ASSERT_EQ(report["modules"].size(), 1u) << r.out;
  EXPECT_EQ(report["modules"][0]["name"], "_fast");
  EXPECT_EQ(report["modules"][0]["kind"], "nanobind");
  EXPECT_NE(report["modules"][0]["declaration"].get<std::string>().find("FREE_THREADED"), std::string::npos);
  EXPECT_TRUE(report["findings"].empty());
}

// Findings on containers that only a call into Python code handed over are
// of low confidence: left out of reports unless --confidence low (or the
// configuration) asks for them, and counted in the summary. A suppression
// of such a finding is still a used suppression.
TEST(Cli, LowConfidenceFindingsAreHiddenUnlessAskedFor) {
  std::string d = freshDirectory("ftlint-confidence");
  writeTextFile(d + "/calls.c",
                "#include <Python.h>\n"
                "static PyObject *get_hints;\n"
                "static PyObject *f(PyObject *self, PyObject *cls) {\n"
                "    PyObject *hints = PyObject_CallOneArg(get_hints, cls);\n"
                "    if (hints == NULL) return NULL;\n"
                "    PyObject *t = PyDict_GetItem(hints, cls);\n"
                "    PyObject *u = PyDict_GetItem(hints, self);  // NOLINT(FT102)\n"
                "    Py_XINCREF(t); (void)u; Py_DECREF(hints);\n"
                "    return t;\n"
                "}\n"
                "static PyObject *g(PyObject *self, PyObject *d) {\n"
                "    return Py_XNewRef(PyDict_GetItemString(d, \"k\"));\n"
                "}\n");
  auto with = [&](const std::vector<std::string> &extra) { return lintFile(d, "calls.c", extra); };

  Result byDefault = with({});
  EXPECT_EQ(byDefault.exitCode, 1) << byDefault.err;
  EXPECT_EQ(count(byDefault.out, "[FT102]"), 1u) << byDefault.out;
  EXPECT_NE(byDefault.out.find("calls.c:12:"), std::string::npos) << byDefault.out;
  EXPECT_EQ(byDefault.out.find("FT901"), std::string::npos) << byDefault.out;
  EXPECT_NE(byDefault.out.find("1 low-confidence finding hidden"), std::string::npos) << byDefault.out;

  Result low = with({"--confidence", "low", "--format", "json"});
  ASSERT_EQ(low.exitCode, 1) << low.err;
  auto findings = nlohmann::json::parse(low.out);
  ASSERT_EQ(findings.size(), 2u) << low.out;
  EXPECT_EQ(findings[0]["line"], 6);
  EXPECT_EQ(findings[0]["confidence"], "low");
  EXPECT_NE(findings[0]["message"].get<std::string>().find("PyObject_CallOneArg()"), std::string::npos);
  EXPECT_EQ(findings[1]["line"], 12);
  EXPECT_EQ(findings[1]["confidence"], "high");

  // Every human-facing output says that something is hidden.
  Result statistics = with({"--statistics"});
  EXPECT_NE(statistics.out.find("FT102"), std::string::npos) << statistics.out;
  EXPECT_NE(statistics.out.find("1 low-confidence finding hidden"), std::string::npos) << statistics.out;
  Result github = with({"--format", "github"});
  EXPECT_EQ(count(github.out, "::warning "), 1u) << github.out;
  EXPECT_NE(github.out.find("::notice title=ftlint::1 low-confidence finding hidden"), std::string::npos)
      << github.out;
  Result githubLow = with({"--format", "github", "--confidence", "low"});
  EXPECT_EQ(count(githubLow.out, "::warning "), 2u) << githubLow.out;
  EXPECT_EQ(githubLow.out.find("::notice"), std::string::npos) << githubLow.out;

  Result sarif = with({"--format", "sarif"});
  auto log = nlohmann::json::parse(sarif.out);
  ASSERT_EQ(log["runs"][0]["results"].size(), 1u) << sarif.out;
  EXPECT_EQ(log["runs"][0]["results"][0]["properties"]["confidence"], "high");

  writeTextFile(d + "/.ftlint.toml", "confidence = \"low\"\n");
  Result configured = with({"-q"});
  EXPECT_EQ(count(configured.out, "[FT102]"), 2u) << configured.out << configured.err;
  Result overridden = with({"-q", "--confidence", "high"});
  EXPECT_EQ(count(overridden.out, "[FT102]"), 1u) << overridden.out;

  writeTextFile(d + "/.ftlint.toml", "confidence = \"some\"\n");
  Result badConfig = with({});
  EXPECT_EQ(badConfig.exitCode, 2);
  EXPECT_NE(badConfig.err.find("confidence"), std::string::npos) << badConfig.err;
  llvm::sys::fs::remove(d + "/.ftlint.toml");
  Result badFlag = with({"--confidence", "medium"});
  EXPECT_EQ(badFlag.exitCode, 2);
  EXPECT_NE(badFlag.err.find("--confidence 'medium'"), std::string::npos) << badFlag.err;
}

// A header function's finding is reported once however many units include
// it, as sure as the surest of them; module summaries count what the report
// shows; a baseline entry for a hidden finding is not stale.
TEST(Cli, ConfidenceAcrossUnitsSummariesAndBaselines) {
  std::string d = freshDirectory("ftlint-confidence-units");
  writeTextFile(d + "/lookup.h",
                "static inline PyObject *lookup(PyObject *d, PyObject *k) {\n"
                "    return PyDict_GetItem(d, k);\n"
                "}\n");
  // Listed first: its copy of the header finding is the low one.
  writeTextFile(d + "/a.c",
                "#include <Python.h>\n#include \"lookup.h\"\n"
                "static PyObject *get_hints;\n"
                "static PyObject *f(PyObject *self, PyObject *cls) {\n"
                "    PyObject *hints = PyObject_CallOneArg(get_hints, cls);\n"
                "    if (hints == NULL) return NULL;\n"
                "    PyObject *t = Py_XNewRef(lookup(hints, cls));\n"
                "    Py_DECREF(hints);\n"
                "    return t;\n"
                "}\n"
                "static PyMethodDef methods[] = {{\"f\", f, METH_O, NULL}, {NULL, NULL, 0, NULL}};\n"
                "static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, \"a\", NULL, -1, methods};\n"
                "PyMODINIT_FUNC PyInit_a(void) { return PyModule_Create(&def); }\n");
  writeTextFile(d + "/b.c",
                "#include <Python.h>\n#include \"lookup.h\"\n"
                "static PyObject *g(PyObject *self, PyObject *cls) {\n"
                "    PyObject *attrs = PyObject_GetAttrString(cls, \"__dict__\");\n"
                "    if (attrs == NULL) return NULL;\n"
                "    PyObject *t = Py_XNewRef(lookup(attrs, cls));\n"
                "    Py_DECREF(attrs);\n"
                "    return t;\n"
                "}\n");
  nlohmann::json db = nlohmann::json::array();
  for (const char *f : {"a.c", "b.c"})
    db.push_back({{"directory", d}, {"file", d + "/" + f}, {"arguments", {"cc", "-I" + pythonInclude(), "-c", f}}});
  writeTextFile(d + "/compile_commands.json", db.dump(2));

  Result byDefault = ftlint({"-p", d, "--no-cache", "--format", "json-report"}, d);
  ASSERT_EQ(byDefault.exitCode, 1) << byDefault.out << byDefault.err;
  auto report = nlohmann::json::parse(byDefault.out);
  std::vector<std::string> codes;
  for (const auto &f : report["findings"]) codes.push_back(f["code"].get<std::string>() + "@" + f["file"].get<std::string>());
  std::sort(codes.begin(), codes.end());
  EXPECT_EQ(codes, (std::vector<std::string>{"FT102@lookup.h", "FT302@a.c"})) << byDefault.out;
  for (const auto &f : report["findings"])
    if (f["code"] == "FT102") EXPECT_EQ(f["confidence"], "high");
  ASSERT_EQ(report["modules"].size(), 1u) << byDefault.out;
  // a.c's own unit sees the header finding only through a Python result.
  EXPECT_EQ(report["modules"][0]["open_findings"], 0) << byDefault.out;
  Result low = ftlint({"-p", d, "--no-cache", "--format", "json-report", "--confidence", "low"}, d);
  EXPECT_EQ(nlohmann::json::parse(low.out)["modules"][0]["open_findings"], 1) << low.out;

  // Written with every finding shown, read with the low ones hidden.
  writeTextFile(d + "/c.c",
                "#include <Python.h>\n"
                "static PyObject *get_hints;\n"
                "static PyObject *h(PyObject *self, PyObject *cls) {\n"
                "    PyObject *hints = PyObject_CallOneArg(get_hints, cls);\n"
                "    if (hints == NULL) return NULL;\n"
                "    PyObject *t = Py_XNewRef(PyDict_GetItem(hints, cls));\n"
                "    Py_DECREF(hints);\n"
                "    return t;\n"
                "}\n");
  db.push_back({{"directory", d}, {"file", d + "/c.c"}, {"arguments", {"cc", "-I" + pythonInclude(), "-c", "c.c"}}});
  writeTextFile(d + "/compile_commands.json", db.dump(2));
  Result written = ftlint({"-p", d, "--no-cache", "--confidence", "low", "--write-baseline", d + "/base.json"}, d);
  ASSERT_EQ(written.exitCode, 0) << written.err;
  EXPECT_NE(written.err.find("recorded 3 findings"), std::string::npos) << written.err;
  Result gated = ftlint({"-p", d, "--no-cache", "--baseline", d + "/base.json"}, d);
  EXPECT_EQ(gated.exitCode, 0) << gated.out << gated.err;
  EXPECT_EQ(gated.err.find("no longer match"), std::string::npos) << gated.err;
}

// A baseline hides today's findings, survives lines inserted above them,
// and lets a new hazard fail the gate.
TEST(Cli, BaselineHidesRecordedFindingsOnly) {
  std::string dir = freshDirectory("ftlint-baseline");
  std::string original = readFile(std::string(FTLINT_SOURCE_DIR) + "/testdata/engine/multi_tu/b.c");
  std::ofstream(dir + "/b.c") << original;
  std::ofstream(dir + "/shared.h") << readFile(std::string(FTLINT_SOURCE_DIR) + "/testdata/engine/multi_tu/shared.h");
  std::string baseline = dir + "/ftlint-baseline.json";
  Result write = ftlint({dir + "/b.c", "--python", "python3", "--write-baseline", baseline}, dir);
  ASSERT_EQ(write.exitCode, 0) << write.err;
  EXPECT_NE(write.err.find("recorded 2 findings"), std::string::npos) << write.err;

  EXPECT_EQ(ftlint({dir + "/b.c", "--python", "python3", "--baseline", baseline, "-q"}, dir).exitCode, 0);

  // Lines inserted at the top move the finding; the baseline still hides it.
  std::ofstream(dir + "/b.c") << "/* a new header comment */\n\n#include <stddef.h>\n" << original;
  Result moved = ftlint({dir + "/b.c", "--python", "python3", "--baseline", baseline, "-q"}, dir);
  EXPECT_EQ(moved.exitCode, 0) << moved.out;

  // A new hazard fails the gate, and only it is reported.
  std::ofstream(dir + "/b.c", std::ios::app)
      << "PyObject *c_first(PyObject *list) { return Py_XNewRef(PyList_GetItem(list, 0)); }\n";
  Result added = ftlint({dir + "/b.c", "--python", "python3", "--baseline", baseline, "-q"}, dir);
  EXPECT_EQ(added.exitCode, 1);
  EXPECT_EQ(count(added.out, "warning:"), 1u) << added.out;
  EXPECT_NE(added.out.find("[FT101]"), std::string::npos);

  // Fixed findings leave stale entries: ftlint says the baseline can be pruned.
  std::ofstream(dir + "/b.c") << "#include \"shared.h\"\n";
  Result fixed = ftlint({dir + "/b.c", "--python", "python3", "--baseline", baseline, "-q"}, dir);
  EXPECT_EQ(fixed.exitCode, 0);
  EXPECT_NE(fixed.err.find("can be pruned"), std::string::npos) << fixed.err;

  std::ofstream(dir + "/broken.json") << "{\"findings\": 3}";
  Result bad = ftlint({dir + "/b.c", "--python", "python3", "--baseline", dir + "/broken.json"}, dir);
  EXPECT_EQ(bad.exitCode, 2);
  EXPECT_NE(bad.err.find("broken.json"), std::string::npos) << bad.err;
}

TEST(Cli, ExitZeroAndQuiet) {
  std::string build = makeDatabase("multi_tu", {"b.c"});
  EXPECT_EQ(ftlint({"-p", build, "--exit-zero", "-q"}).exitCode, 0);
  EXPECT_EQ(ftlint({"-p" + build, "--exit-zero", "-q", "-j1"}).exitCode, 0);  // attached values
  EXPECT_EQ(ftlint({"-p", build, "--select", "FT3"}).exitCode, 0);
}

TEST(Docs, RulePagesMatchTheRulesOwnDocs) {
  std::string dir = freshDirectory("ftlint-docs");
  ASSERT_EQ(ftlint({"docs", "--output", std::string(dir)}).exitCode, 0);
  std::error_code ec;
  int pages = 0;
  for (llvm::sys::fs::directory_iterator it(std::string(dir), ec), end; it != end && !ec; it.increment(ec)) {
    std::string name = llvm::sys::path::filename(it->path()).str();
    std::string committed = std::string(FTLINT_SOURCE_DIR) + "/docs/rules/" + name;
    EXPECT_EQ(readFile(it->path()), readFile(committed))
        << "docs/rules/" << name << " is out of date: run `build/ftlint docs --output docs/rules`";
    ++pages;
  }
  EXPECT_GT(pages, 0);
}

// `cmake --install` puts the binary and clang's builtin headers under a
// prefix; the installed binary parses files that include <stddef.h>.
TEST(Install, InstalledBinaryFindsBuiltinHeaders) {
  auto cmake = llvm::sys::findProgramByName("cmake");
  ASSERT_TRUE(cmake) << "cmake not found";
  std::string prefix = freshDirectory("ftlint-install");
  std::vector<std::string> args = {*cmake, "--install", FTLINT_BUILD_DIR, "--prefix", std::string(prefix)};
  std::vector<llvm::StringRef> refs(args.begin(), args.end());
  std::optional<llvm::StringRef> quiet[] = {llvm::StringRef(""), llvm::StringRef("/dev/null"), llvm::StringRef("/dev/null")};
  ASSERT_EQ(llvm::sys::ExecuteAndWait(*cmake, refs, std::nullopt, quiet, 120), 0);

  llvm::SmallString<128> src;
  llvm::sys::fs::createTemporaryFile("ftlint-stddef", "c", src);
  std::ofstream(std::string(src)) << "#include <stddef.h>\n#include <Python.h>\n"
                                     "PyObject *f(PyObject *l) { size_t n = 0; return PyList_GetItem(l, (Py_ssize_t)n); }\n";
  std::string installed = std::string(prefix) + "/bin/ftlint";
  std::vector<std::string> run = {installed, std::string(src), "--python", "python3", "-q"};
  std::vector<llvm::StringRef> runRefs(run.begin(), run.end());
  llvm::SmallString<128> out;
  llvm::sys::fs::createTemporaryFile("ftlint-installed", "txt", out);
  std::optional<llvm::StringRef> redirects[] = {llvm::StringRef(""), llvm::StringRef(out), llvm::StringRef(out)};
  int rc = llvm::sys::ExecuteAndWait(installed, runRefs, std::nullopt, redirects, 120);
  std::string text = readFile(std::string(out));
  EXPECT_EQ(rc, 1) << text;
  EXPECT_NE(text.find("[FT101]"), std::string::npos) << text;
  EXPECT_EQ(text.find("file not found"), std::string::npos) << text;
}

// A module's "findings to resolve" are the ones the report shows: not those
// a suppression comment, the confidence level or the baseline leaves out.
TEST(Cli, ModuleSummaryCountsOnlyReportedFindings) {
  std::string d = freshDirectory("ftlint-module-count");
  writeTextFile(d + "/mod.c",
                "#include <Python.h>\n"
                "static PyObject *first(PyObject *self, PyObject *list) {\n"
                "    return Py_XNewRef(PyList_GetItem(list, 0));\n"
                "}\n"
                "static PyObject *second(PyObject *self, PyObject *list) {\n"
                "    return Py_XNewRef(PyList_GetItem(list, 1));  // NOLINT(FT101)\n"
                "}\n"
                "static PyObject *third(PyObject *self, PyObject *list) {\n"
                "    return Py_XNewRef(PyList_GetItem(list, 2));\n"
                "}\n"
                "static PyMethodDef methods[] = {{\"first\", first, METH_O, NULL}, {\"second\", second, METH_O, NULL},\n"
                "                                {\"third\", third, METH_O, NULL}, {NULL}};\n"
                "static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, \"mod\", NULL, -1, methods};\n"
                "PyMODINIT_FUNC PyInit_mod(void) { return PyModule_Create(&def); }\n");
  auto with = [&](const std::vector<std::string> &extra) { return lintFile(d, "mod.c", extra); };

  Result text = with({});
  EXPECT_EQ(count(text.out, "[FT101]"), 2u) << text.out;
  EXPECT_NE(text.out.find("single-phase: not declared; 2 findings to resolve before declaring"), std::string::npos)
      << text.out;
  Result report = with({"--format", "json-report"});
  auto modules = nlohmann::json::parse(report.out)["modules"];
  ASSERT_EQ(modules.size(), 1u) << report.out;
  EXPECT_EQ(modules[0]["open_findings"], 2) << report.out;

  Result recorded = with({"--write-baseline", d + "/baseline.json"});
  ASSERT_EQ(recorded.exitCode, 0) << recorded.err;
  Result baselined = with({"--baseline", d + "/baseline.json"});
  EXPECT_EQ(baselined.exitCode, 0) << baselined.out;  // FT302, the missing declaration, is in the baseline too
  EXPECT_EQ(count(baselined.out, "[FT101]"), 0u) << baselined.out;
  EXPECT_NE(baselined.out.find("single-phase: not declared; no findings in its translation units"), std::string::npos)
      << baselined.out;
}

// The demo extension: configured with CMake exactly as ci/demo.sh does, its
// findings must be the ones listed in testdata/demo/expected-findings.txt.
TEST(Demo, FindingsMatchTheExpectedList) {
  std::string build = freshDirectory("ftlint-demo");
  auto cmake = llvm::sys::findProgramByName("cmake");
  ASSERT_TRUE(cmake) << "cmake not found";
  auto python = llvm::sys::findProgramByName("python3");
  ASSERT_TRUE(python) << "python3 not found";
  std::string demo = std::string(FTLINT_SOURCE_DIR) + "/testdata/demo";
  std::vector<std::string> keep = {*cmake, "-S", demo, "-B", std::string(build), "-DPython3_EXECUTABLE=" + *python};
  std::vector<llvm::StringRef> refs(keep.begin(), keep.end());
  std::optional<llvm::StringRef> quiet[] = {llvm::StringRef(""), llvm::StringRef("/dev/null"), llvm::StringRef("/dev/null")};
  ASSERT_EQ(llvm::sys::ExecuteAndWait(*cmake, refs, std::nullopt, quiet, 120), 0) << "cmake could not configure the demo";

  Result r = ftlint({"-p", std::string(build), "--project-root", demo, "--format", "json"});
  ASSERT_EQ(r.exitCode, 1) << r.err;
  std::vector<std::string> actual;
  for (const auto &f : nlohmann::json::parse(r.out))
    actual.push_back(f["file"].get<std::string>() + ":" + std::to_string(f["line"].get<int>()) + ":" +
                     std::to_string(f["column"].get<int>()) + " " + f["code"].get<std::string>());
  std::vector<std::string> expected;
  std::istringstream lines(readFile(demo + "/expected-findings.txt"));
  for (std::string line; std::getline(lines, line);)
    if (!line.empty() && line[0] != '#') expected.push_back(line);
  EXPECT_EQ(actual, expected) << "update testdata/demo/expected-findings.txt if the change is intended";

  // The text report ends with one line per module, its findings grouped by build target.
  Result text = ftlint({"-p", std::string(build), "--project-root", demo});
  EXPECT_NE(text.out.find("module `_speedups` (" ), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("multi-phase: not declared; 9 findings to resolve before declaring"), std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("module `_legacy`"), std::string::npos);
  EXPECT_NE(text.out.find("single-phase: not declared; 1 finding to resolve before declaring"), std::string::npos);

  // The same summary in the JSON report.
  Result json = ftlint({"-p", std::string(build), "--project-root", demo, "--format", "json-report"});
  auto report = nlohmann::json::parse(json.out);
  ASSERT_EQ(report["modules"].size(), 2u) << json.out;
  EXPECT_EQ(report["modules"][1]["name"], "_speedups");
  EXPECT_EQ(report["modules"][1]["declared"], false);
  EXPECT_EQ(report["modules"][1]["open_findings"], 9);
  EXPECT_EQ(report["modules"][1]["target"], "_speedups");
  EXPECT_EQ(report["findings"].size(), expected.size());

  // Skipping code outside the project changes nothing, fixes included.
  Result everything =
      ftlint({"-p", std::string(build), "--project-root", demo, "--format", "json-report", "--no-skipping"});
  EXPECT_EQ(json.out, everything.out);
}

}  // namespace
}  // namespace ftlint::testing

namespace ftlint::testing {
namespace {

// A copy of the demo extension, configured with CMake so it has a compile
// database, for tests that edit its sources.
struct DemoCopy {
  std::string dir, build;
  DemoCopy() {
    std::string d = freshDirectory("ftlint-demo-copy");
    dir = std::string(d);
    std::string demo = std::string(FTLINT_SOURCE_DIR) + "/testdata/demo";
    llvm::sys::fs::create_directories(dir + "/src");
    std::ofstream(dir + "/CMakeLists.txt") << readFile(demo + "/CMakeLists.txt");
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(demo + "/src", ec), end; it != end && !ec; it.increment(ec))
      std::ofstream(dir + "/src/" + llvm::sys::path::filename(it->path()).str()) << readFile(it->path());
    build = dir + "/build";
    auto python = llvm::sys::findProgramByName("python3");
    ProcessResult configured = runProgram({"cmake", "-S", dir, "-B", build, "-DPython3_EXECUTABLE=" + *python}, dir);
    EXPECT_EQ(configured.exitCode, 0) << configured.err;
  }
  ~DemoCopy() { llvm::sys::fs::remove_directories(dir); }
  std::vector<std::string> sources() const {
    std::vector<std::string> out;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(dir + "/src", ec), end; it != end && !ec; it.increment(ec))
      out.push_back(it->path());
    return out;
  }
};

TEST(Demo, BaselineHidesEverythingSurvivesInsertedLinesAndANewHazardFails) {
  DemoCopy demo;
  std::string baseline = demo.dir + "/ftlint-baseline.json";
  Result write = ftlint({"-p", demo.build, "--write-baseline", baseline}, demo.dir);
  ASSERT_EQ(write.exitCode, 0) << write.err;
  EXPECT_NE(write.err.find("recorded 11 findings"), std::string::npos) << write.err;

  Result hidden = ftlint({"-p", demo.build, "--baseline", baseline}, demo.dir);
  EXPECT_EQ(hidden.exitCode, 0) << hidden.out;
  EXPECT_NE(hidden.out.find("No findings"), std::string::npos) << hidden.out;

  for (const auto &file : demo.sources()) {
    std::string text = readFile(file);
    std::ofstream(file) << "/* Copyright notice added later.\n * Second line. */\n\n" << text;
  }
  Result moved = ftlint({"-p", demo.build, "--baseline", baseline}, demo.dir);
  EXPECT_EQ(moved.exitCode, 0) << moved.out;

  std::ofstream(demo.dir + "/src/lists.c", std::ios::app)
      << "\nPyObject *\nlists_second(PyObject *self, PyObject *list)\n{\n"
         "    return Py_XNewRef(PyList_GetItem(list, 1));\n}\n";
  Result added = ftlint({"-p", demo.build, "--baseline", baseline, "--format", "json"}, demo.dir);
  EXPECT_EQ(added.exitCode, 1) << added.err;
  auto findings = nlohmann::json::parse(added.out);
  ASSERT_EQ(findings.size(), 1u) << added.out;
  EXPECT_EQ(findings[0]["code"], "FT101");
}

}  // namespace
}  // namespace ftlint::testing

namespace ftlint::testing {
namespace {

std::vector<std::string> cacheEntries(const std::string &build) {
  std::vector<std::string> out;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(build + "/.ftlint-cache/tu", ec), end; it != end && !ec; it.increment(ec))
    out.push_back(it->path());
  std::sort(out.begin(), out.end());
  return out;
}

// A warm run reports exactly what a cold one does, and an edit re-analyses
// only the translation units that read the edited file.
// Runs the built binary in `cwd` with stderr on a terminal (a pseudo-
// terminal this test reads) and stdout discarded; returns what the terminal
// showed.
std::string stderrOnATerminal(const std::vector<std::string> &args, const std::string &cwd) {
  std::vector<std::string> strings = {FTLINT_BINARY};
  strings.insert(strings.end(), args.begin(), args.end());
  std::vector<char *> argv;
  for (std::string &a : strings) argv.push_back(a.data());
  argv.push_back(nullptr);
  int terminal = -1;
  pid_t child = ::forkpty(&terminal, nullptr, nullptr, nullptr);
  if (child < 0) return "forkpty failed";
  if (child == 0) {
    int devnull = ::open("/dev/null", O_WRONLY);
    if (devnull < 0 || ::dup2(devnull, STDOUT_FILENO) < 0 || ::chdir(cwd.c_str()) != 0) ::_exit(126);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  std::string shown;
  char buffer[4096];
  for (;;) {
    ssize_t n = ::read(terminal, buffer, sizeof buffer);
    if (n > 0) shown.append(buffer, size_t(n));
    else if (n < 0 && errno == EINTR) continue;
    else break;  // EIO once the child has gone
  }
  ::close(terminal);
  int status = 0;
  ::waitpid(child, &status, 0);
  return shown;
}

TEST(Progress, ALongRunShowsUnitsDoneOnATerminalAndClearsTheLine) {
  // 60 units that each parse Python.h, one at a time: longer than the
  // second after which the line appears (about 3 s on 2-core CI machines).
  std::string root = freshDirectory("ftlint-progress");
  nlohmann::json db = nlohmann::json::array();
  for (int i = 0; i < 60; ++i) {
    std::string name = fmt::format("unit{}.c", i);
    writeTextFile(root + "/" + name,
                  fmt::format("#include <Python.h>\nPyObject *get{}(PyObject *d, PyObject *k) {{ "
                              "return PyDict_GetItem(d, k); }}\n",
                              i));
    db.push_back({{"directory", root}, {"file", name}, {"arguments", {"cc", "-I" + pythonInclude(), "-c", name}}});
  }
  writeTextFile(root + "/compile_commands.json", db.dump(2));

  auto started = std::chrono::steady_clock::now();
  std::string shown = stderrOnATerminal({"-p", root, "--jobs", "1"}, root);
  std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
  if (took.count() < 1.5) {
    llvm::sys::fs::remove_directories(root);
    GTEST_SKIP() << "this machine linted 60 units in " << took.count() << " s, too fast for a progress line";
  }
  EXPECT_NE(shown.find("ftlint: 60/60 translation units"), std::string::npos) << shown;
  // The last thing on the line is the erase that leaves the terminal clean.
  ASSERT_GE(shown.size(), 4u);
  EXPECT_EQ(shown.substr(shown.size() - 4), "\r\x1b[K") << shown;

  // Cached units are counted as such (the run is then too short for a line,
  // unless the machine is slow, so only what is shown is checked).
  std::string warm = stderrOnATerminal({"-p", root, "--jobs", "1"}, root);
  if (warm.find("translation units") != std::string::npos) EXPECT_NE(warm.find("from cache"), std::string::npos);

  // Not a terminal (a CI log): no progress line at all.
  Result piped = ftlint({"-p", root, "--jobs", "1", "--no-cache"}, root);
  EXPECT_EQ(piped.err.find("translation units"), std::string::npos) << piped.err;
  EXPECT_EQ(piped.err.find('\r'), std::string::npos) << piped.err;
  // --quiet: none either.
  std::string quiet = stderrOnATerminal({"-p", root, "--jobs", "1", "--no-cache", "--quiet"}, root);
  EXPECT_EQ(quiet.find("translation units"), std::string::npos) << quiet;
  llvm::sys::fs::remove_directories(root);
}

TEST(Cache, UnchangedUnitsComeFromTheCacheWithIdenticalResults) {
  DemoCopy demo;
  std::vector<std::string> report = {"-p", demo.build, "--format", "json-report"};
  Result uncached = ftlint({"-p", demo.build, "--format", "json-report", "--no-cache"}, demo.dir);
  EXPECT_TRUE(cacheEntries(demo.build).empty()) << "--no-cache wrote a cache";
  Result cold = ftlint(report, demo.dir);
  ASSERT_EQ(cacheEntries(demo.build).size(), 5u);
  Result warm = ftlint(report, demo.dir);
  EXPECT_EQ(cold.out, uncached.out);
  EXPECT_EQ(warm.out, cold.out);
  Result text = ftlint({"-p", demo.build}, demo.dir);
  EXPECT_NE(text.out.find("5 translation units analysed (5 unchanged since the cached run)"), std::string::npos)
      << text.out;

  std::ofstream(demo.dir + "/src/lists.c", std::ios::app)
      << "\nPyObject *\nlists_second(PyObject *self, PyObject *list)\n{\n"
         "    return Py_XNewRef(PyList_GetItem(list, 1));\n}\n";
  Result edited = ftlint({"-p", demo.build}, demo.dir);
  EXPECT_NE(edited.out.find("(4 unchanged since the cached run)"), std::string::npos) << edited.out;
  EXPECT_NE(edited.out.find("Found 12 findings"), std::string::npos) << edited.out;

  // Another rule selection is another run: nothing from the cache.
  Result selected = ftlint({"-p", demo.build, "--select", "FT1"}, demo.dir);
  EXPECT_EQ(selected.out.find("unchanged since the cached run"), std::string::npos) << selected.out;
}

TEST(Cache, DamagedEntriesAreIgnoredAndRewritten) {
  DemoCopy demo;
  Result cold = ftlint({"-p", demo.build, "--format", "json"}, demo.dir);
  auto entries = cacheEntries(demo.build);
  ASSERT_EQ(entries.size(), 5u);
  std::ofstream(entries[0]) << "{\"format\": 1, \"key\": ";  // cut short
  std::ofstream(entries[1]) << "\x00\xff garbage";
  std::string third = readFile(entries[2]);
  third.replace(third.find("\"findings\""), 10, "\"findingz\"");
  std::ofstream(entries[2]) << third;
  Result again = ftlint({"-p", demo.build, "--format", "json"}, demo.dir);
  EXPECT_EQ(again.out, cold.out);
  EXPECT_EQ(again.exitCode, cold.exitCode);
  for (const auto &e : cacheEntries(demo.build))
    EXPECT_TRUE(nlohmann::json::accept(readFile(e))) << e << " was not rewritten";
  Result text = ftlint({"-p", demo.build}, demo.dir);
  EXPECT_NE(text.out.find("(5 unchanged since the cached run)"), std::string::npos) << text.out;
}

TEST(Cache, ConcurrentRunsShareOneCache) {
  DemoCopy demo;
  Result expected = ftlint({"-p", demo.build, "--format", "json", "--no-cache"}, demo.dir);
  std::vector<Result> results(4);
  std::vector<std::thread> runs;
  for (auto &r : results)
    runs.emplace_back([&] { r = ftlint({"-p", demo.build, "--format", "json", "-j", "1"}, demo.dir); });
  for (auto &t : runs) t.join();
  for (const auto &r : results) EXPECT_EQ(r.out, expected.out) << r.err;
  for (const auto &e : cacheEntries(demo.build)) EXPECT_TRUE(nlohmann::json::accept(readFile(e))) << e;
}

TEST(Cache, ClearRemovesOnlyACache) {
  DemoCopy demo;
  ftlint({"-p", demo.build}, demo.dir);
  Result where = ftlint({"cache", "dir", "-p", demo.build}, demo.dir);
  EXPECT_EQ(where.out, demo.build + "/.ftlint-cache\n");
  Result cleared = ftlint({"cache", "clear", "-p", demo.build}, demo.dir);
  EXPECT_EQ(cleared.exitCode, 0) << cleared.err;
  EXPECT_FALSE(llvm::sys::fs::exists(demo.build + "/.ftlint-cache"));
  Result refused = ftlint({"cache", "clear", "--cache-dir", demo.dir + "/src"}, demo.dir);
  EXPECT_EQ(refused.exitCode, 2);
  EXPECT_NE(refused.err.find("not an ftlint cache"), std::string::npos) << refused.err;
  EXPECT_TRUE(llvm::sys::fs::exists(demo.dir + "/src/lists.c"));
}

// A database whose `file` is relative to its `directory` (as setuptools and
// bear write them), linted from somewhere else: an edit to that file still
// sends its unit back to the parser.
TEST(Cache, AnEditInvalidatesItsUnitWhereverFtlintRuns) {
  std::string dir = freshDirectory("ftlint-relative-db");
  std::string elsewhere = freshDirectory("ftlint-elsewhere");
  llvm::sys::fs::create_directories(dir + "/src");
  std::string first = "#include <Python.h>\nstatic PyObject *first(PyObject *self, PyObject *list)\n"
                      "{ return Py_NewRef(PyList_GetItem(list, 0)); }\n";
  std::ofstream(dir + "/src/a.c") << first;
  nlohmann::json db = nlohmann::json::array();
  db.push_back({{"directory", dir},
                {"file", "src/a.c"},
                {"arguments", {"gcc", "-I" + pythonInclude(), "-c", "src/a.c", "-o", "a.o"}}});
  std::ofstream(dir + "/compile_commands.json") << db.dump(2);
  Result cold = ftlint({"-p", dir, "--no-config", "-q"}, elsewhere);
  EXPECT_EQ(count(cold.out, "[FT101]"), 1u) << cold.out << cold.err;
  std::ofstream(dir + "/src/a.c", std::ios::app)
      << "static PyObject *second(PyObject *self, PyObject *list)\n"
         "{ return Py_NewRef(PyList_GetItem(list, 1)); }\n";
  Result edited = ftlint({"-p", dir, "--no-config", "-q"}, elsewhere);
  EXPECT_EQ(count(edited.out, "[FT101]"), 2u) << edited.out << edited.err;
  llvm::sys::fs::remove_directories(dir);
  llvm::sys::fs::remove_directories(elsewhere);
}

// Diagnostic pragmas are handled without recording their locations (see
// DiagnosticPragmas.h), but `ignored` still silences an error-by-default
// diagnostic: the unit parses and its findings are reported.
TEST(Cli, DiagnosticPragmasThatSilenceAnErrorStillDoSo) {
  std::string dir = freshDirectory("ftlint-pragmas");
  writeTextFile(dir + "/a.c", "#include <Python.h>\n"
                              "#pragma clang diagnostic push\n"
                              "#pragma clang diagnostic ignored \"-Wreturn-mismatch\"\n"
                              "static int legacy(void) { return; }\n"
                              "#pragma clang diagnostic pop\n"
                              "#pragma GCC diagnostic push\n"
                              "#pragma GCC diagnostic error \"-Wunused-variable\"\n"
                              "PyObject *first(PyObject *self, PyObject *list)\n"
                              "{ int unused; return Py_NewRef(PyList_GetItem(list, 0)); }\n"
                              "#pragma GCC diagnostic pop\n");
  nlohmann::json db = nlohmann::json::array();
  db.push_back({{"directory", dir}, {"file", "a.c"}, {"arguments", {"gcc", "-I" + pythonInclude(), "-c", "a.c"}}});
  writeTextFile(dir + "/compile_commands.json", db.dump(2));
  Result r = ftlint({"-p", dir, "--no-config", "--no-cache", "-q"}, dir);
  EXPECT_EQ(r.exitCode, 1) << r.out << r.err;
  EXPECT_EQ(count(r.out, "a.c:9:"), 1u) << r.out << r.err;
  EXPECT_EQ(count(r.out, "[FT101]"), 1u) << r.out << r.err;
  llvm::sys::fs::remove_directories(dir);
}

// CPATH and its kin add include directories outside the compile command:
// pointing them elsewhere changes which headers a unit reads, even when the
// ones it read before are still there unchanged.
TEST(Cache, IncludeDirectoriesFromTheEnvironmentArePartOfTheKey) {
  std::string dir = freshDirectory("ftlint-cpath");
  writeTextFile(dir + "/hazard/switch.h", "#define HAZARD 1\n");
  writeTextFile(dir + "/quiet/switch.h", "#define HAZARD 0\n");
  writeTextFile(dir + "/a.c", "#include <Python.h>\n#include <switch.h>\n#if HAZARD\n"
                              "PyObject *first(PyObject *self, PyObject *list)\n"
                              "{ return Py_NewRef(PyList_GetItem(list, 0)); }\n#endif\n");
  nlohmann::json db = nlohmann::json::array();
  db.push_back({{"directory", dir}, {"file", "a.c"}, {"arguments", {"gcc", "-I" + pythonInclude(), "-c", "a.c"}}});
  writeTextFile(dir + "/compile_commands.json", db.dump(2));
  auto withCpath = [&](const std::string &name, const std::string &value) {
    return runProgram({"/usr/bin/env", name + "=" + value, FTLINT_BINARY, "-p", dir, "--no-config", "-q"}, dir);
  };
  for (const char *name : {"CPATH", "C_INCLUDE_PATH"}) {
    Result hazard = withCpath(name, dir + "/hazard");
    EXPECT_EQ(count(hazard.out, "[FT101]"), 1u) << name << hazard.out << hazard.err;
    Result quiet = withCpath(name, dir + "/quiet");
    EXPECT_EQ(count(quiet.out, "[FT101]"), 0u) << name << quiet.out << quiet.err;
    EXPECT_EQ(quiet.exitCode, 0) << name << quiet.err;
    // And back: the first entry is still good.
    EXPECT_EQ(count(withCpath(name, dir + "/hazard").out, "[FT101]"), 1u) << name;
  }
  llvm::sys::fs::remove_directories(dir);
}

}  // namespace
}  // namespace ftlint::testing

namespace ftlint::testing {
namespace {

// A crash while analysing one unit is that unit's failure; every other unit
// is still reported, in every format.
TEST(Robustness, ACrashInOneUnitLosesNothingElse) {
  DemoCopy demo;
  ::setenv("FTLINT_TEST_CRASH", "lists.c", 1);
  Result json = ftlint({"-p", demo.build, "--format", "json-report", "--no-cache"}, demo.dir);
  Result text = ftlint({"-p", demo.build, "--no-cache"}, demo.dir);
  Result sarif = ftlint({"-p", demo.build, "--format", "sarif", "--no-cache"}, demo.dir);
  ::unsetenv("FTLINT_TEST_CRASH");
  EXPECT_EQ(json.exitCode, 2) << json.err;
  auto report = nlohmann::json::parse(json.out);
  ASSERT_EQ(report["failures"].size(), 1u) << json.out;
  EXPECT_EQ(report["failures"][0]["crashed"], true);
  EXPECT_NE(report["failures"][0]["file"].get<std::string>().find("lists.c"), std::string::npos);
  EXPECT_EQ(report["findings"].size(), 9u) << "the 11 findings of the demo minus the 2 in lists.c";
  EXPECT_NE(text.out.find("analysis crashed"), std::string::npos) << text.out;
  EXPECT_NE(text.out.find("Found 9 findings"), std::string::npos) << text.out;
  EXPECT_EQ(text.err.find("Stack dump"), std::string::npos) << "no stack trace for users:\n" << text.err;
  auto log = nlohmann::json::parse(sarif.out);
  const auto &notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"];
  ASSERT_EQ(notes.size(), 1u) << sarif.out;
  EXPECT_NE(notes[0]["message"]["text"].get<std::string>().find("lists.c: the analysis crashed"), std::string::npos);
  EXPECT_EQ(log["runs"][0]["results"].size(), 9u);
}

}  // namespace
}  // namespace ftlint::testing

namespace ftlint::testing {
namespace {

// A broken or unusual compile database: each case names what is wrong, exits
// with the documented status, and every usable entry is still analysed.
struct DatabaseCase {
  std::string name;
  std::string database;  // {src} is the sources' directory, {py} Python's include directory
  int exitCode;
  std::string expected;  // in stdout or stderr
};

void PrintTo(const DatabaseCase &c, std::ostream *os) { *os << c.name; }

class BadDatabase : public ::testing::TestWithParam<DatabaseCase> {};

std::string replaceAll(std::string text, const std::string &from, const std::string &to) {
  for (size_t at = text.find(from); at != std::string::npos; at = text.find(from, at + to.size()))
    text.replace(at, from.size(), to);
  return text;
}

TEST_P(BadDatabase, IsReportedClearly) {
  const DatabaseCase &c = GetParam();
  std::string root = freshDirectory("ftlint-baddb");
  // Sources in a directory whose name has a space and a byte that is not UTF-8.
  std::string src = std::string(root) + "/src dir \xff";
  std::string engine = std::string(FTLINT_SOURCE_DIR) + "/testdata/engine/multi_tu/";
  for (const char *f : {"a.c", "b.c", "shared.h"}) writeTextFile(src + "/" + f, readFile(engine + f));
  writeTextFile(src + "/flags.rsp", "-I\"" + pythonInclude() + "\"\n");
  std::string build = std::string(root) + "/build";
  std::string json = replaceAll(replaceAll(c.database, "{src}", src), "{py}", pythonInclude());
  writeTextFile(build + "/compile_commands.json", json);
  Result r = ftlint({"-p", build, "--no-cache"}, std::string(root));
  EXPECT_EQ(r.exitCode, c.exitCode) << r.out << r.err;
  EXPECT_NE((r.out + r.err).find(replaceAll(c.expected, "{src}", src)), std::string::npos) << r.out << r.err;
  EXPECT_EQ(r.err.find("Stack dump"), std::string::npos) << r.err;
  llvm::sys::fs::remove_directories(std::string(root));
}

// One good entry (b.c, which has one finding of its own) to show the others do not stop the run.
const std::string kGood = R"({"directory": "{src}", "file": "b.c", "arguments": ["cc", "-I{py}", "-c", "b.c"]})";

INSTANTIATE_TEST_SUITE_P(
    Cases, BadDatabase,
    ::testing::Values(
        DatabaseCase{"NotJson", "{not json", 2, "compile_commands.json:1: not valid JSON"},
        DatabaseCase{"NotJsonOnLine3", "[\n" + kGood + ",\n{\"file\": ,}]", 2, "compile_commands.json:3: not valid JSON"},
        DatabaseCase{"NotAnArray", R"({"file": "a.c"})", 2, "expected a JSON array of compile commands, found object"},
        // Found by fuzzing: a number JSON cannot hold ended the run with an uncaught exception.
        DatabaseCase{"NumberOutOfRange", R"([{"directory": 1e999 "file": "a.c"}])", 2,
                     "compile_commands.json: not valid JSON: number overflow"},
        DatabaseCase{"EmptyArray", "[]", 0, "the compile database is empty"},
        DatabaseCase{"MissingFile", R"([{"directory": "{src}", "command": "cc -c a.c"}])", 2, "Missing key: \"file\""},
        DatabaseCase{"MissingDirectory", R"([{"file": "a.c", "command": "cc -c a.c"}])", 2,
                     "Missing key: \"directory\""},
        DatabaseCase{"MissingCommand", R"([{"directory": "{src}", "file": "a.c"}])", 2,
                     "Missing key: \"command\" or \"arguments\""},
        DatabaseCase{"FileDoesNotExist",
                     "[" + kGood + R"(, {"directory": "{src}", "file": "gone.c", "command": "cc -c gone.c"}])", 2,
                     "gone.c: could not be parsed (1 error); its findings may be incomplete\n"
                     "    the compile database lists this file, but it does not exist"},
        DatabaseCase{"FileIsADirectory",
                     "[" + kGood + R"(, {"directory": "{src}", "file": "{src}", "command": "cc -c x.c"}])", 2,
                     "lists a directory here, not a source file"},
        DatabaseCase{"RelativeDirectory",
                     R"([{"directory": "../src dir )" "\xff" R"(", "file": "b.c", "arguments": ["cc", "-I{py}", "-c", "b.c"]}])",
                     1, "Found 2 findings"},
        DatabaseCase{"QuotedCommand",
                     R"([{"directory": "{src}", "file": "b.c", "command": "cc -DNAME=\\\"x\\\" '-DSPACED=a b' -I'{py}' -c b.c"}])",
                     1, "Found 2 findings"},
        DatabaseCase{"ResponseFile", R"([{"directory": "{src}", "file": "b.c", "command": "cc @flags.rsp -c b.c"}])", 1,
                     "Found 2 findings"},
        DatabaseCase{"GccOnlyAndUnknownFlags",
                     R"([{"directory": "{src}", "file": "b.c", "arguments": ["gcc", "-fno-gcse", "-Wno-no-such-warning", "-fmax-errors=3", "-I{py}", "-c", "b.c"]}])",
                     1, "Found 2 findings"},
        DatabaseCase{"MsvcStyleInclude",
                     R"([{"directory": "{src}", "file": "b.c", "arguments": ["cc", "/I{py}", "/DFOO=1", "-c", "b.c"]}])", 1,
                     "Found 2 findings"},
        DatabaseCase{"CrossCompilation",
                     R"([{"directory": "{src}", "file": "b.c", "arguments": ["aarch64-linux-gnu-gcc", "--target=aarch64-linux-gnu", "-I{py}", "-c", "b.c"]}])",
                     1, "the database compiles for aarch64-linux-gnu"},
        DatabaseCase{"DuplicateEntries", "[" + kGood + "," + kGood + "," + kGood + "]", 1,
                     "1 translation unit analysed"}),
    [](const auto &info) { return info.param.name; });

// A very large database: 10,000 entries, one of them selected by path (how
// long loading takes is for ci/benchmark.py, not for a test).
TEST(BadDatabase, TenThousandEntriesLoadQuickly) {
  std::string root = freshDirectory("ftlint-bigdb");
  std::string src = std::string(FTLINT_SOURCE_DIR) + "/testdata/engine/multi_tu";
  nlohmann::json db = nlohmann::json::array();
  for (int i = 0; i < 10000; ++i)
    db.push_back({{"directory", src},
                  {"file", fmt::format("{}/gen_{}.c", src, i)},
                  {"arguments", {"cc", "-I" + pythonInclude(), "-DN=" + std::to_string(i), "-c",
                                 fmt::format("gen_{}.c", i), "-o", fmt::format("gen_{}.o", i)}}});
  db.push_back({{"directory", src}, {"file", src + "/b.c"}, {"arguments", {"cc", "-I" + pythonInclude(), "-c", "b.c"}}});
  writeTextFile(std::string(root) + "/compile_commands.json", db.dump());
  Result r = ftlint({"-p", std::string(root), src + "/b.c", "--no-cache"});
  EXPECT_EQ(r.exitCode, 1) << r.err;
  EXPECT_NE(r.out.find("1 translation unit analysed"), std::string::npos) << r.out << r.err;
  llvm::sys::fs::remove_directories(std::string(root));
}

}  // namespace
}  // namespace ftlint::testing

namespace ftlint::testing {
namespace {

// Sources that are hard to parse still give the findings of what parses.
TEST(Robustness, HardSourcesKeepTheirParsableFindings) {
  std::string d = freshDirectory("ftlint-sources");
  writeTextFile(d + "/broken.c",
                "#include <Python.h>\n#include \"missing_header.h\"\n#include \"missing_header.h\"\n\n"
                "static PyObject *f(PyObject *self, PyObject *l)\n{\n    return Py_XNewRef(PyList_GetItem(l, 0));\n}\n\n"
                "static int g(void) { return 1 +; }\n\n"
                "static PyObject *h(PyObject *self, PyObject *d)\n{\n"
                "    return Py_XNewRef(PyDict_GetItemString(d, \"k\"));\n}\n");
  writeTextFile(d + "/bom.c", "\xef\xbb\xbf#include <Python.h>\r\n\r\nstatic PyObject *f(PyObject *self, PyObject *l)\r\n"
                              "{\r\n    return Py_XNewRef(PyList_GetItem(l, 0));\r\n}\r\n");
  writeTextFile(d + "/knr.c", "#include <Python.h>\n\nstatic PyObject *\nold_style(self, l)\n    PyObject *self;\n"
                              "    PyObject *l;\n{\n    return Py_XNewRef(PyList_GetItem(l, 0));\n}\n");
  std::string nested = "#include <Python.h>\n#define M0(x) (x)\n";
  for (int i = 1; i < 200; ++i) nested += fmt::format("#define M{}(x) M{}(x)\n", i, i - 1);
  nested += "static PyObject *f(PyObject *self, PyObject *l)\n{\n    return Py_XNewRef(M199(PyList_GetItem(l, 0)));\n}\n";
  writeTextFile(d + "/nested.c", nested);
  writeTextFile(d + "/modern.cpp", "#include <Python.h>\n#include <concepts>\n"
                                   "template <std::integral T> T twice(T v) { return v * 2; }\n"
                                   "static PyObject *f(PyObject *self, PyObject *l)\n{\n"
                                   "    auto item = PyList_GetItem(l, twice(0));\n    return Py_XNewRef(item);\n}\n");
  Result r = ftlint({"broken.c", "bom.c", "knr.c", "nested.c", "--no-cache", "--format", "json-report"}, d);
  EXPECT_EQ(r.exitCode, 2) << r.err;
  auto report = nlohmann::json::parse(r.out);
  std::vector<std::string> sites;
  for (const auto &f : report["findings"])
    sites.push_back(f["file"].get<std::string>() + ":" + std::to_string(f["line"].get<int>()) + " " +
                    f["code"].get<std::string>());
  EXPECT_EQ(sites, (std::vector<std::string>{"bom.c:5 FT101", "broken.c:7 FT101", "broken.c:14 FT102",
                                             "knr.c:8 FT101", "nested.c:204 FT101"}));
  ASSERT_EQ(report["failures"].size(), 1u) << r.out;
  std::string errors = report["failures"][0].dump();
  EXPECT_NE(errors.find("'missing_header.h' file not found"), std::string::npos) << errors;
  EXPECT_EQ(errors.find("missing_header.h", errors.find("missing_header.h") + 20), std::string::npos)
      << "the missing header is named once: " << errors;

  Result cxx = ftlint({"modern.cpp", "--no-cache", "--format", "json", "--", "-std=c++20"}, d);
  EXPECT_EQ(cxx.exitCode, 1) << cxx.err;
  EXPECT_EQ(nlohmann::json::parse(cxx.out).size(), 1u) << cxx.out;

  // A fix keeps the byte order mark and the CRLF line endings.
  Result fixed = ftlint({"bom.c", "--no-cache", "--fix"}, d);
  EXPECT_EQ(readFile(d + "/bom.c"), "\xef\xbb\xbf#include <Python.h>\r\n\r\nstatic PyObject *f(PyObject *self, "
                                    "PyObject *l)\r\n{\r\n    return PyList_GetItemRef(l, 0);\r\n}\r\n")
      << fixed.err;
  llvm::sys::fs::remove_directories(d);
}

// Found by fuzzing: a fix whose code holds a byte that is not UTF-8 (a
// Latin-1 string literal) made the JSON writers throw. Every format reports it (JSON with
// U+FFFD in its place), and a cached run says what an uncached one does.
TEST(Robustness, SourceLinesThatAreNotUtf8AreReportedInEveryFormat) {
  std::string d = freshDirectory("ftlint-latin1");
  // The byte is inside the code the fix rewrites, so it is in the JSON.
  writeTextFile(d + "/latin1.c", "#include <Python.h>\n\nstatic PyObject *f(PyObject *self, PyObject *d)\n{\n"
                                 "    PyObject *v = PyDict_GetItemString(d, \"cl\xe9\");  /* \xe9l\xe9ment */\n"
                                 "    if (v == NULL) return NULL;\n    return Py_NewRef(v);\n}\n");
  for (const char *format : {"text", "json", "json-report", "sarif", "github"}) {
    Result r = ftlint({"latin1.c", "--no-cache", "--format", format}, d);
    EXPECT_EQ(r.exitCode, 1) << format << ": " << r.err;
    EXPECT_EQ(r.err.find("terminate"), std::string::npos) << format << ": " << r.err;
    if (std::string(format).rfind("json", 0) == 0 || std::string(format) == "sarif") {
      EXPECT_TRUE(nlohmann::json::accept(r.out)) << format << ": " << r.out;
      EXPECT_NE(r.out.find("\xef\xbf\xbd"), std::string::npos) << format << ": no U+FFFD in " << r.out;
    }
  }
  Result statistics = ftlint({"latin1.c", "--no-cache", "--format", "json", "--statistics"}, d);
  EXPECT_TRUE(nlohmann::json::accept(statistics.out)) << statistics.out << statistics.err;
  std::string cacheDir = d + "/cache";
  Result cold = ftlint({"latin1.c", "--cache-dir", cacheDir}, d);
  Result warm = ftlint({"latin1.c", "--cache-dir", cacheDir}, d);
  EXPECT_EQ(cold.exitCode, 1) << cold.err;
  EXPECT_EQ(warm.out, cold.out);
  EXPECT_NE(cold.out.find("\xe9l\xe9ment"), std::string::npos) << "text keeps the file's bytes: " << cold.out;
  Result baseline = ftlint({"latin1.c", "--no-cache", "--write-baseline", d + "/baseline.json"}, d);
  EXPECT_EQ(baseline.exitCode, 0) << baseline.err;
  EXPECT_TRUE(nlohmann::json::accept(readFile(d + "/baseline.json")));
  llvm::sys::fs::remove_directories(d);
}

// The module summary names its file as findings do: from the compile
// command's directory, not from where ftlint runs.
TEST(Modules, ARelativeDatabaseNamesTheModuleFileWhereverFtlintRuns) {
  std::string dir = freshDirectory("ftlint-relative-module");
  std::string elsewhere = freshDirectory("ftlint-elsewhere-module");
  llvm::sys::fs::create_directories(dir + "/src");
  std::ofstream(dir + "/src/m.c") << "#include <Python.h>\n"
                                     "static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, \"m\", NULL, -1, NULL};\n"
                                     "PyMODINIT_FUNC PyInit_m(void) { return PyModule_Create(&def); }\n";
  nlohmann::json db = nlohmann::json::array();
  db.push_back({{"directory", dir},
                {"file", "src/m.c"},
                {"arguments", {"gcc", "-I" + pythonInclude(), "-c", "src/m.c", "-o", "m.o"}}});
  std::ofstream(dir + "/compile_commands.json") << db.dump(2);
  llvm::SmallString<256> real;
  ASSERT_FALSE(llvm::sys::fs::real_path(dir, real));
  Result run = ftlint({"-p", dir, "--no-config", "--no-cache"}, elsewhere);
  EXPECT_NE(run.out.find("module `m` (" + std::string(real) + "/src/m.c:2)"), std::string::npos) << run.out << run.err;
  llvm::sys::fs::remove_directories(dir);
  llvm::sys::fs::remove_directories(elsewhere);
}

}  // namespace
}  // namespace ftlint::testing
