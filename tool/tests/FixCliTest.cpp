// The fix command line end to end, through the built binary: --diff writes
// nothing, --fix applies safe fixes only, --unsafe-fixes the rest, a header
// fixed through two translation units is edited once, files that cannot be
// written are reported and left alone, and a second run changes nothing.
#include "Fixture.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <nlohmann/json.hpp>

#include <gtest/gtest.h>

#include <csignal>
#include <fstream>
#include <sys/stat.h>

namespace ftlint::testing {
namespace {

size_t count(const std::string &haystack, const std::string &needle) {
  size_t n = 0;
  for (size_t at = haystack.find(needle); at != std::string::npos; at = haystack.find(needle, at + 1)) ++n;
  return n;
}

const char *kShared = R"(#include <Python.h>

static inline long
first_as_long(PyObject *list)
{
    PyObject *item = PyList_GetItem(list, 0);
    if (item == NULL) {
        return -1;
    }
    return PyLong_AsLong(item);
}
)";

const char *kModule = R"(#include "shared.h"

static PyModuleDef_Slot slots[] = {
    {0, NULL},
};

static struct PyModuleDef def = {PyModuleDef_HEAD_INIT, "m", NULL, 0, NULL, slots};

PyMODINIT_FUNC
PyInit_m(void)
{
    return PyModuleDef_Init(&def);
}
)";

const char *kOther = R"(#include "shared.h"

long other(PyObject *list) { return first_as_long(list); }
)";

// A project of two TUs that include one header with a safe fix; the module
// also has an unsafe one (the Py_mod_gil slot).
struct Project {
  std::string dir;
  Project() {
    dir = freshDirectory("ftlint-fixcli");
    writeTextFile(dir + "/shared.h", kShared);
    writeTextFile(dir + "/module.c", kModule);
    writeTextFile(dir + "/other.c", kOther);
    writeTextFile(dir + "/pyproject.toml", "");
    std::string include = availablePythonHeaders().back().includeDir;
    nlohmann::json db = nlohmann::json::array();
    for (const char *f : {"module.c", "other.c"})
      db.push_back({{"directory", dir}, {"file", f}, {"arguments", {"cc", "-I" + include, "-c", f}}});
    writeTextFile(dir + "/compile_commands.json", db.dump(2));
  }
  ~Project() { llvm::sys::fs::remove_directories(dir); }
  std::string read(const std::string &name) const { return readTextFile(dir + "/" + name); }
  ProcessResult ftlint(std::vector<std::string> args) const {
    args.insert(args.begin(), {FTLINT_BINARY, "-p", dir});
    return runProgram(args, dir);
  }
};

TEST(FixCli, DiffShowsSafeFixesAndWritesNothing) {
  Project p;
  ProcessResult r = p.ftlint({"--diff"});
  EXPECT_EQ(r.exitCode, 1) << r.err;
  EXPECT_NE(r.out.find("--- a/shared.h\n+++ b/shared.h\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("+    PyObject *item = PyList_GetItemRef(list, 0);"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("Py_mod_gil"), std::string::npos) << "an unsafe fix was shown without --unsafe-fixes";
  EXPECT_NE(r.err.find("1 more with --unsafe-fixes"), std::string::npos) << r.err;
  EXPECT_EQ(p.read("shared.h"), kShared);
  EXPECT_EQ(p.read("module.c"), kModule);

  ProcessResult unsafe = p.ftlint({"--diff", "--unsafe-fixes"});
  EXPECT_NE(unsafe.out.find("+    {Py_mod_gil, Py_MOD_GIL_NOT_USED},"), std::string::npos) << unsafe.out;
  EXPECT_EQ(p.read("module.c"), kModule);
}

TEST(FixCli, TextSaysWhichFixesAreSafeAndHowToApplyThem) {
  Project p;
  ProcessResult r = p.ftlint({});
  EXPECT_NE(r.out.find("(safe fix)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(unsafe fix)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 fixable with --fix (preview with --diff). 1 unsafe fix is left out: review with --diff "
                       "--unsafe-fixes, apply with --fix --unsafe-fixes."),
            std::string::npos)
      << r.out;
}

TEST(FixCli, FixAppliesSafeFixesOnceThroughEveryTuAndASecondRunChangesNothing) {
  Project p;
  ProcessResult r = p.ftlint({"--fix"});
  std::string header = p.read("shared.h");
  EXPECT_EQ(count(header, "PyList_GetItemRef"), 1u) << header;
  EXPECT_NE(header.find("    long result = PyLong_AsLong(item);\n    Py_DECREF(item);\n    return result;\n"),
            std::string::npos)
      << header;
  EXPECT_EQ(p.read("module.c"), kModule) << "an unsafe fix was applied without --unsafe-fixes";
  // What remains is the unsafe one: findings still fail the run.
  EXPECT_EQ(r.exitCode, 1) << r.out << r.err;
  EXPECT_NE(r.err.find("applied 1 fix to 1 file"), std::string::npos) << r.err;

  ProcessResult again = p.ftlint({"--fix"});
  EXPECT_EQ(p.read("shared.h"), header);
  EXPECT_NE(again.err.find("applied 0 fixes"), std::string::npos) << again.err;

  ProcessResult unsafe = p.ftlint({"--fix", "--unsafe-fixes"});
  EXPECT_NE(p.read("module.c").find("#ifdef Py_mod_gil\n    {Py_mod_gil, Py_MOD_GIL_NOT_USED},\n#endif\n    {0, NULL},"),
            std::string::npos)
      << p.read("module.c");
  EXPECT_EQ(unsafe.exitCode, 0) << unsafe.out << unsafe.err;
}

TEST(FixCli, OlderTargetAddsTheCompatibilityHeaderOnce) {
  Project p;
  p.ftlint({"--fix", "--target-python", "3.9"});
  std::string header = p.read("shared.h");
  EXPECT_EQ(header.rfind("#include <Python.h>\n#include \"pythoncapi_compat.h\"\n", 0), 0u) << header;
  EXPECT_EQ(count(header, "pythoncapi_compat.h"), 1u);
  ProcessResult bad = p.ftlint({"--fix", "--target-python", "three"});
  EXPECT_EQ(bad.exitCode, 2);
  EXPECT_NE(bad.err.find("--target-python 'three'"), std::string::npos) << bad.err;
}

TEST(FixCli, VersionGuardInsteadOfTheCompatibilityHeader) {
  Project p;
  ProcessResult r = p.ftlint({"--fix", "--target-python", "3.9", "--compat", "guard"});
  std::string header = p.read("shared.h");
  EXPECT_EQ(count(header, "pythoncapi_compat.h"), 0u) << header;
  EXPECT_NE(header.find("#if PY_VERSION_HEX >= 0x030D0000\n"), std::string::npos) << header << r.err;
  EXPECT_NE(header.find("#else\n"), std::string::npos) << header;
  ProcessResult again = p.ftlint({"--fix", "--target-python", "3.9", "--compat", "guard"});
  EXPECT_EQ(p.read("shared.h"), header) << again.err;
  ProcessResult bad = p.ftlint({"--fix", "--compat", "macro"});
  EXPECT_EQ(bad.exitCode, 2);
  EXPECT_NE(bad.err.find("--compat 'macro': expected header or guard"), std::string::npos) << bad.err;
}

TEST(FixCli, ReadOnlyFileIsReportedAndLeftAlone) {
  Project p;
  ::chmod((p.dir + "/shared.h").c_str(), 0444);
  ProcessResult r = p.ftlint({"--fix"});
  EXPECT_EQ(r.exitCode, 2) << r.err;
  EXPECT_NE(r.err.find("shared.h: read-only; not written"), std::string::npos) << r.err;
  EXPECT_EQ(p.read("shared.h"), kShared);
  // The report describes the code as it still is.
  EXPECT_NE(r.out.find("PyList_GetItem() returns a borrowed reference"), std::string::npos) << r.out;
}

TEST(FixCli, StatisticsCountFindingsAndFixesPerRule) {
  Project p;
  ProcessResult r = p.ftlint({"--statistics"});
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(r.out,
            "     1  FT101  borrowed-list-item             1 fixable\n"
            "     1  FT301  module-gil-undeclared          0 fixable, 1 with --unsafe-fixes\n");
  ProcessResult json = p.ftlint({"--statistics", "--format", "json"});
  auto table = nlohmann::json::parse(json.out);
  ASSERT_EQ(table.size(), 2u);
  EXPECT_EQ(table[1]["code"], "FT301");
  EXPECT_EQ(table[1]["unsafe_fixes"], 1);
  EXPECT_EQ(p.ftlint({"--statistics", "--format", "sarif"}).exitCode, 2);
}

TEST(FixCli, FixesAreInTheJsonAndSarif) {
  Project p;
  ProcessResult json = p.ftlint({"--format", "json"});
  auto findings = nlohmann::json::parse(json.out);
  bool sawSafe = false;
  for (const auto &f : findings)
    if (!f["fix"].is_null() && f["fix"]["applicability"] == "safe") sawSafe = true;
  EXPECT_TRUE(sawSafe) << json.out;
  ProcessResult sarif = p.ftlint({"--format", "sarif"});
  auto log = nlohmann::json::parse(sarif.out);
  size_t fixes = 0;
  for (const auto &result : log["runs"][0]["results"]) fixes += result.contains("fixes");
  EXPECT_EQ(fixes, 2u) << sarif.out;
}

// Runs --fix --unsafe-fixes, which writes module.c and shared.h, with the
// test-only switch that sends `signal` halfway through writing the
// `ordinal`-th file.
ProcessResult fixInterrupted(const Project &p, int signal, int ordinal) {
  ::setenv("FTLINT_TEST_INTERRUPT_WRITE", (std::to_string(signal) + ":" + std::to_string(ordinal)).c_str(), 1);
  ProcessResult r = p.ftlint({"--fix", "--unsafe-fixes", "--no-cache"});
  ::unsetenv("FTLINT_TEST_INTERRUPT_WRITE");
  return r;
}

std::vector<std::string> temporaryFilesIn(const std::string &dir) {
  std::vector<std::string> found;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec; it.increment(ec)) {
    std::string name = llvm::sys::path::filename(it->path()).str();
    if (name.find(".ftlint-") != std::string::npos) found.push_back(name);
  }
  return found;
}

// What each file holds once every fix is applied, from an uninterrupted run.
struct FixedTexts {
  std::string module, shared;
  FixedTexts() {
    Project clean;
    clean.ftlint({"--fix", "--unsafe-fixes", "--no-cache"});
    module = clean.read("module.c");
    shared = clean.read("shared.h");
  }
};

// How many of the two files hold their fixed text; fails when either holds
// anything but its old or its new text.
int filesReplaced(const Project &p, const FixedTexts &fixed) {
  std::string module = p.read("module.c"), shared = p.read("shared.h");
  EXPECT_TRUE(module == kModule || module == fixed.module) << module;
  EXPECT_TRUE(shared == kShared || shared == fixed.shared) << shared;
  return (module == fixed.module) + (shared == fixed.shared);
}

TEST(FixCli, InterruptedRunLeavesEveryFileOldOrNew) {
  FixedTexts fixed;
  ASSERT_NE(fixed.module, kModule);
  ASSERT_NE(fixed.shared, kShared);

  // Ctrl-C while the first file is being written: that file is finished,
  // then the run stops before the second; no temporary file is left.
  {
    Project p;
    ProcessResult r = fixInterrupted(p, SIGINT, 1);
    EXPECT_EQ(r.exitCode, -2) << "not ended by the signal: " << r.err;
    EXPECT_EQ(filesReplaced(p, fixed), 1);
    EXPECT_EQ(temporaryFilesIn(p.dir), std::vector<std::string>{});
  }
  // A CI timeout's SIGTERM during the last file: both are complete.
  {
    Project p;
    ProcessResult r = fixInterrupted(p, SIGTERM, 2);
    EXPECT_EQ(r.exitCode, -2) << r.err;
    EXPECT_EQ(filesReplaced(p, fixed), 2);
    EXPECT_EQ(temporaryFilesIn(p.dir), std::vector<std::string>{});
  }
  // SIGKILL cannot be held back: the file being written keeps its old text,
  // only the temporary file is left, and the next run completes the fixes.
  {
    Project p;
    ProcessResult r = fixInterrupted(p, SIGKILL, 2);
    EXPECT_EQ(r.exitCode, -2) << r.err;
    EXPECT_EQ(filesReplaced(p, fixed), 1);
    EXPECT_EQ(temporaryFilesIn(p.dir).size(), 1u);
    p.ftlint({"--fix", "--unsafe-fixes", "--no-cache"});
    EXPECT_EQ(filesReplaced(p, fixed), 2);
  }
}

}  // namespace
}  // namespace ftlint::testing
