// The proof that the ownership fixes keep reference counts right: a real
// extension module full of borrowed-reference calls is fixed by the ftlint
// binary, compared with its expected fixed text, then both versions are
// built against real CPython headers (3.13 natively, 3.11 with the
// project's compatibility header), imported into that interpreter and
// exercised by the same script (ci/fixproof.py): every call must give the
// same result and leave every object's reference count unchanged.
#include "Fixture.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <gtest/gtest.h>

#include <fstream>

namespace ftlint::testing {
namespace {

const std::string kProofDir = FTLINT_SOURCE_DIR "/testdata/fixproof";

const PythonHeaders *python(const std::string &version) {
  for (const auto &h : availablePythonHeaders())
    if (h.version == version) return &h;
  return nullptr;
}

// A scratch copy of the module and its compatibility header.
std::string scratchCopy() {
  std::string dir = freshDirectory("ftlint-fixproof");
  for (const char *name : {"ownership.c", "ref_compat.h"})
    writeTextFile(std::string(dir) + "/" + name, readTextFile(kProofDir + "/" + name));
  return std::string(dir);
}

ProcessResult fix(const std::string &dir, const PythonHeaders &headers, const std::string &target) {
  return runProgram({FTLINT_BINARY, "ownership.c", "--fix", "--unsafe-fixes", "--target-python", target,
                     "--compat-header", "ref_compat.h", "--python", headers.executable, "--project-root", dir,
                     "--", "-I" + dir},
                    dir);
}

ProcessResult proof(const PythonHeaders &headers, const std::string &fixedFile) {
  return runProgram({"python3", FTLINT_SOURCE_DIR "/ci/fixproof.py", "--python", headers.executable, "--original",
                     kProofDir + "/ownership.c", "--fixed", fixedFile, "--test", kProofDir + "/ownership_test.py",
                     "--include", kProofDir},
                    FTLINT_SOURCE_DIR, 600);
}

TEST(FixProof, FixedModuleMatchesItsExpectedTextAndASecondRunChangesNothing) {
  const PythonHeaders *py313 = python("3.13");
  ASSERT_TRUE(py313) << "no CPython 3.13 found";
  std::string dir = scratchCopy();
  ProcessResult first = fix(dir, *py313, "3.13");
  std::string fixed = readTextFile(dir + "/ownership.c");
  EXPECT_EQ(fixed, readTextFile(kProofDir + "/ownership.c.fixed")) << first.err;
  EXPECT_NE(first.err.find("applied"), std::string::npos) << first.err;

  ProcessResult second = fix(dir, *py313, "3.13");
  EXPECT_EQ(readTextFile(dir + "/ownership.c"), fixed) << "a second --fix changed the file:\n" << second.err;
  EXPECT_NE(second.err.find("applied 0 fixes"), std::string::npos) << second.err;
  llvm::sys::fs::remove_directories(dir);
}

TEST(FixProof, OlderTargetIncludesTheCompatibilityHeaderOnce) {
  const PythonHeaders *py311 = python("3.11");
  ASSERT_TRUE(py311) << "no CPython 3.11 found";
  std::string dir = scratchCopy();
  // Without the include ftlint must add it; the copy in testdata has it.
  std::string source = readTextFile(dir + "/ownership.c");
  size_t at = source.find("#include \"ref_compat.h\"\n");
  ASSERT_NE(at, std::string::npos);
  source.erase(at, std::string("#include \"ref_compat.h\"\n").size());
  writeTextFile(dir + "/ownership.c", source);
  ProcessResult r = fix(dir, *py311, "3.11");
  std::string fixed = readTextFile(dir + "/ownership.c");
  size_t first = fixed.find("#include \"ref_compat.h\"");
  ASSERT_NE(first, std::string::npos) << r.err;
  EXPECT_EQ(fixed.find("#include \"ref_compat.h\"", first + 1), std::string::npos);
  EXPECT_LT(fixed.find("#include <Python.h>"), first) << "the compatibility header must follow Python.h";
  llvm::sys::fs::remove_directories(dir);
}

class FixProofRun : public ::testing::TestWithParam<std::string> {};

// Same results and stable reference counts, original against fixed, in the
// interpreter itself.
TEST_P(FixProofRun, FixedModuleBehavesLikeTheOriginal) {
  const PythonHeaders *py = python(GetParam());
  ASSERT_TRUE(py) << "no CPython " << GetParam() << " found";
  ProcessResult r = proof(*py, kProofDir + "/ownership.c.fixed");
  EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("calls identical, refcounts stable"), std::string::npos) << r.out << r.err;
}

// The proof can fail: a fix that forgets one release is caught.
TEST_P(FixProofRun, AMissingReleaseIsCaught) {
  const PythonHeaders *py = python(GetParam());
  ASSERT_TRUE(py) << "no CPython " << GetParam() << " found";
  std::string broken = readTextFile(kProofDir + "/ownership.c.fixed");
  size_t at = broken.find("        Py_DECREF(item);\n", broken.find("list_sum_ints"));
  ASSERT_NE(at, std::string::npos);
  broken.erase(at, std::string("        Py_DECREF(item);\n").size());
  std::string dir = freshDirectory("ftlint-fixproof");
  std::string file = std::string(dir) + "/ownership.c";
  writeTextFile(file, broken);
  ProcessResult r = proof(*py, file);
  EXPECT_EQ(r.exitCode, 1) << r.out << r.err;
  EXPECT_NE(r.out.find("reference counts drift"), std::string::npos) << r.out << r.err;
  llvm::sys::fs::remove_directories(dir);
}

// With --compat guard the fixed code is compiled for 3.13 and the original
// code for 3.11, from one file.
TEST_P(FixProofRun, VersionGuardedFixBehavesLikeTheOriginal) {
  const PythonHeaders *py313 = python("3.13");
  const PythonHeaders *py = python(GetParam());
  ASSERT_TRUE(py313 && py) << "no CPython 3.13 or " << GetParam() << " found";
  std::string dir = scratchCopy();
  ProcessResult fixed = runProgram({FTLINT_BINARY, "ownership.c", "--fix", "--unsafe-fixes", "--compat", "guard",
                                    "--target-python", "3.11", "--python", py313->executable, "--project-root", dir,
                                    "--", "-I" + dir},
                                   dir);
  std::string text = readTextFile(dir + "/ownership.c");
  EXPECT_NE(text.find("#if PY_VERSION_HEX >= 0x030D0000\n"), std::string::npos) << fixed.err;
  EXPECT_NE(text.find("PyList_GetItemRef("), std::string::npos) << fixed.err;
  ProcessResult r = proof(*py, dir + "/ownership.c");
  EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
  EXPECT_NE(r.out.find("calls identical, refcounts stable"), std::string::npos) << r.out << r.err;
  llvm::sys::fs::remove_directories(dir);
}

INSTANTIATE_TEST_SUITE_P(Interpreters, FixProofRun, ::testing::Values("3.11", "3.13"),
                         [](const auto &info) { return "py" + info.param.substr(2); });

}  // namespace
}  // namespace ftlint::testing
