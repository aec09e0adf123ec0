// Unit tests for the pieces below the rules: condition evaluation, rule
// selection, object-text normalisation, compile-command preparation.
#include "tool/analysis/BuildCondition.h"
#include "tool/analysis/PreprocessorFacts.h"
#include "tool/core/Rule.h"
#include "tool/core/Selection.h"
#include "tool/engine/Runner.h"
#include "tool/fix/VersionGuard.h"

#include "llvm/Support/FileSystem.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace ftlint {
namespace {

TEST(BuildCondition, VersionChecksAsAFreeThreaded313Build) {
  EXPECT_EQ(evaluateForFreeThreadedBuild("PY_VERSION_HEX >= 0x030D0000"), Tri::True);
  EXPECT_EQ(evaluateForFreeThreadedBuild("PY_VERSION_HEX < 0x030D0000"), Tri::False);
  EXPECT_EQ(evaluateForFreeThreadedBuild(" PY_VERSION_HEX >= 0x030D00A1 /* 3.13a1 */"), Tri::Unknown);
  EXPECT_EQ(evaluateForFreeThreadedBuild("PY_VERSION_HEX >= 0x030E0000"), Tri::Unknown);
  EXPECT_EQ(evaluateForFreeThreadedBuild("PY_VERSION_HEX >= 0x03090000"), Tri::True);
  EXPECT_EQ(evaluateForFreeThreadedBuild("PY_MAJOR_VERSION == 3 && PY_MINOR_VERSION >= 13"), Tri::True);
  EXPECT_EQ(evaluateForFreeThreadedBuild("PY_MINOR_VERSION < 13"), Tri::False);
}

TEST(BuildCondition, GilMacro) {
  EXPECT_EQ(evaluateForFreeThreadedBuild("defined(Py_GIL_DISABLED)"), Tri::True);
  EXPECT_EQ(evaluateForFreeThreadedBuild("!defined(Py_GIL_DISABLED)"), Tri::False);
  EXPECT_EQ(evaluateForFreeThreadedBuild("defined Py_GIL_DISABLED && defined(SOMETHING)"), Tri::Unknown);
  EXPECT_EQ(evaluateForFreeThreadedBuild("!defined(Py_GIL_DISABLED) && defined(SOMETHING)"), Tri::False);
  EXPECT_EQ(evaluateForFreeThreadedBuild("defined(Py_GIL_DISABLED) || defined(SOMETHING)"), Tri::True);
  EXPECT_EQ(evaluateForFreeThreadedBuild("Py_GIL_DISABLED"), Tri::True);
  EXPECT_EQ(isDefinedInFreeThreadedBuild("Py_GIL_DISABLED"), Tri::True);
  EXPECT_EQ(triNot(isDefinedInFreeThreadedBuild("Py_GIL_DISABLED")), Tri::False);
}

TEST(BuildCondition, UnknownAndUnparsableConditionsAreUnknown) {
  EXPECT_EQ(evaluateForFreeThreadedBuild("defined(_WIN32)"), Tri::Unknown);
  EXPECT_EQ(evaluateForFreeThreadedBuild("Py_LIMITED_API+0 >= 0x030d0000"), Tri::Unknown);
  EXPECT_EQ(evaluateForFreeThreadedBuild("MY_MACRO(1)"), Tri::Unknown);
  EXPECT_EQ(evaluateForFreeThreadedBuild("("), Tri::Unknown);
  EXPECT_EQ(evaluateForFreeThreadedBuild("0"), Tri::False);
  EXPECT_EQ(evaluateForFreeThreadedBuild("1"), Tri::True);
}

// Where a fix needs no version guard because only new Pythons compile it.
TEST(VersionGuard, BranchesOnlyNewPythonsCompile) {
  auto inside = [](std::string text, int minor) { return insideVersionBranch(text + "X\n", text.size(), minor); };
  EXPECT_TRUE(inside("#if PY_VERSION_HEX >= 0x030D0000\n", 13));
  EXPECT_FALSE(inside("#if PY_VERSION_HEX >= 0x030D0000\n", 14));
  EXPECT_TRUE(inside("#if PY_VERSION_HEX >= 0x030E00A1\n", 14));
  EXPECT_TRUE(inside("#if PY_VERSION_HEX > 0x030CFFFF\n", 13));
  EXPECT_TRUE(inside("#if PY_VERSION_HEX < 0x030D0000\n#else\n", 13));
  EXPECT_TRUE(inside("#  ifdef Py_GIL_DISABLED\n", 13));
  EXPECT_TRUE(inside("#if defined(Py_GIL_DISABLED) && !defined(PYPY_VERSION)\n", 13));
  EXPECT_TRUE(inside("#if PY_VERSION_HEX >= 0x030D0000\n#if FAST\n#endif\n#ifdef X\n", 13));
  EXPECT_TRUE(inside("#if OTHER\n#elif PY_VERSION_HEX >= 0x030D0000\n", 13));
  EXPECT_FALSE(inside("#ifdef Py_GIL_DISABLED\n", 14));
  EXPECT_FALSE(inside("#ifndef Py_GIL_DISABLED\n", 13));
  EXPECT_FALSE(inside("#if !defined(Py_GIL_DISABLED)\n", 13));
  EXPECT_FALSE(inside("#if PY_VERSION_HEX >= 0x030D0000\n#endif\n", 13));
  EXPECT_FALSE(inside("#if PY_VERSION_HEX >= 0x030D0000\n#else\n", 13));
  EXPECT_FALSE(inside("#if PY_VERSION_HEX >= 0x030D0000 || defined(PYPY_VERSION)\n", 13));
  EXPECT_FALSE(inside("#if PY_VERSION_HEX < 0x030D0000\n", 13));
  EXPECT_FALSE(inside("", 13));
}

TEST(Selection, PrefixesAndSpecificity) {
  RuleSelection s;
  EXPECT_TRUE(s.isEnabled("FT101", true));
  EXPECT_FALSE(s.isEnabled("FT506", false));
  s.ignore = {"FT1"};
  EXPECT_FALSE(s.isEnabled("FT101", true));
  s.extendSelect = {"FT101"};
  EXPECT_TRUE(s.isEnabled("FT101", true));  // more specific than the ignore
  EXPECT_FALSE(s.isEnabled("FT102", true));
  RuleSelection only;
  only.select = {"FT3"};
  EXPECT_TRUE(only.isEnabled("FT301", true));
  EXPECT_FALSE(only.isEnabled("FT101", true));
  only.select = {"ALL"};
  EXPECT_TRUE(only.isEnabled("FT506", false));
}

TEST(Selection, CodeListsAreValidated) {
  EXPECT_EQ(splitCodeList("ft1, FT301"), (std::vector<std::string>{"FT1", "FT301"}));
  EXPECT_TRUE(validateCodeList({"FT1", "FT301", "ALL"}, "--select").empty());
  std::string problem = validateCodeList({"FT999"}, "--select");
  EXPECT_NE(problem.find("FT999"), std::string::npos);
  EXPECT_NE(validateCodeList({"E501"}, "--ignore"), "");
}

TEST(Rules, EveryRuleIsDocumentedCompletely) {
  ASSERT_FALSE(allRules().empty());
  for (const auto &r : allRules()) {
    const RuleInfo &i = *r.info;
    EXPECT_EQ(i.code.size(), 5u) << i.code;
    EXPECT_FALSE(i.name.empty()) << i.code;
    EXPECT_FALSE(i.summary.empty()) << i.code;
    EXPECT_FALSE(i.whatItDoes.empty()) << i.code;
    EXPECT_FALSE(i.whyItMatters.empty()) << i.code;
    EXPECT_FALSE(i.example.empty()) << i.code;
    EXPECT_FALSE(i.fixDescription.empty()) << i.code;
    EXPECT_FALSE(i.references.empty()) << i.code;
    EXPECT_EQ(findRule(i.code), &r);
  }
}

TEST(ObjectText, CastsAndSpacesDoNotMatter) {
  EXPECT_EQ(normaliseObjectText("self -> dict"), "self->dict");
  EXPECT_EQ(normaliseObjectText("(PyObject *)self->dict"), "self->dict");
  EXPECT_EQ(normaliseObjectText("_PyObject_CAST(d)"), "d");
  EXPECT_EQ(normaliseObjectText("((d))"), "d");
  EXPECT_EQ(normaliseObjectText("f(a)->b"), "f(a)->b");
}

bool contains(const std::vector<std::string> &v, const std::string &s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}

TEST(CompileCommands, OutputFlagsGoAndTheDriverModeStays) {
  CompileCommand cmd{"/src", "/src/a.c",
                     {"ccache", "gcc", "-c", "a.c", "-o", "a.o", "-MD", "-MF", "a.d", "-O2", "-Werror", "-Ifoo"}};
  RunOptions opt;
  opt.resourceDir = "/resource";
  auto args = prepareArguments(cmd, opt);
  EXPECT_EQ(args.front(), "clang");
  EXPECT_FALSE(contains(args, "-c"));
  EXPECT_FALSE(contains(args, "a.o"));
  EXPECT_FALSE(contains(args, "a.d"));
  EXPECT_FALSE(contains(args, "-Werror"));
  EXPECT_TRUE(contains(args, "-Ifoo"));
  EXPECT_TRUE(contains(args, "a.c"));
  EXPECT_TRUE(contains(args, "-fsyntax-only"));
  EXPECT_TRUE(contains(args, "/resource"));

  cmd.arguments = {"/usr/bin/x86_64-linux-gnu-g++-12", "-c", "a.cpp"};
  EXPECT_EQ(prepareArguments(cmd, opt).front(), "clang++");
  cmd.arguments = {"clang-14", "-c", "a.c"};
  EXPECT_EQ(prepareArguments(cmd, opt).front(), "clang");
}

TEST(CompileCommands, GccOnlyOptionsAreDropped) {
  CompileCommand cmd{"/src", "/src/a.c", {"gcc", "-fno-semantic-interposition", "-fzzz-not-an-option", "a.c"}};
  RunOptions opt;
  opt.resourceDir = "/resource";
  auto args = prepareArguments(cmd, opt);
  EXPECT_FALSE(contains(args, "-fzzz-not-an-option"));
  EXPECT_TRUE(contains(args, "a.c"));
}

TEST(ResourceDir, HasBuiltinHeaders) {
  std::string dir = findResourceDir();
  ASSERT_FALSE(dir.empty());
  EXPECT_TRUE(llvm::sys::fs::exists(dir + "/include/stddef.h")) << dir;
}

}  // namespace
}  // namespace ftlint
