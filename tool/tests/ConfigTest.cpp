// Configuration files: discovery, keys, precedence of the command line,
// exclude and per-file-ignores, and errors that name the file, line and key.
#include "Fixture.h"

#include "tool/engine/Config.h"

#include "llvm/Support/FileSystem.h"

#include <gtest/gtest.h>

#include <fstream>

namespace ftlint::testing {
namespace {

std::string scratch() {
  return freshDirectory("ftlint-config");
}

std::string errorOf(llvm::Expected<FileConfig> c) {
  if (c) return "";
  return llvm::toString(c.takeError());
}

TEST(Config, ReadsEveryKindOfKeyAndAnchorsPaths) {
  std::string dir = scratch();
  writeTextFile(dir + "/pyproject.toml", R"([project]
name = "demo"

[tool.ftlint]
select = ["FT1", "FT301"]
extend-select = "FT506"
ignore = ["FT108"]
target-python = "3.9"
compat = "guard"
baseline = "ci/baseline.json"
jobs = 2
unsafe-fixes = true
exclude = ["vendor", "src/*_pb2.c"]
per-file-ignores = { "tests/**" = ["FT1"] }
)");
  auto c = loadConfig(dir + "/pyproject.toml");
  ASSERT_TRUE(bool(c)) << llvm::toString(c.takeError());
  EXPECT_EQ(*c->select, (std::vector<std::string>{"FT1", "FT301"}));
  EXPECT_EQ(c->extendSelect, (std::vector<std::string>{"FT506"}));
  EXPECT_EQ(c->ignore, (std::vector<std::string>{"FT108"}));
  EXPECT_EQ(*c->targetPython, "3.9");
  EXPECT_EQ(*c->compat, "guard");
  EXPECT_EQ(*c->baseline, dir + "/ci/baseline.json");
  EXPECT_EQ(*c->jobs, 2u);
  EXPECT_TRUE(*c->unsafeFixes);
  ASSERT_EQ(c->perFileIgnores.size(), 1u);
  EXPECT_EQ(c->perFileIgnores[0].first, "tests/**");
  llvm::sys::fs::remove_directories(dir);
}

TEST(Config, ErrorsNameTheFileLineAndKey) {
  std::string dir = scratch();
  writeTextFile(dir + "/.ftlint.toml", "select = [\"FT1\"]\nselct = [\"FT2\"]\n");
  EXPECT_EQ(errorOf(loadConfig(dir + "/.ftlint.toml")),
            dir + "/.ftlint.toml:2: selct: unknown key (did you mean 'select'?)");
  writeTextFile(dir + "/.ftlint.toml", "jobs = \"many\"\n");
  EXPECT_EQ(errorOf(loadConfig(dir + "/.ftlint.toml")), dir + "/.ftlint.toml:1: jobs: expected a number from 0 to 1024");
  writeTextFile(dir + "/.ftlint.toml", "\n\nignore = [\"FT999\"]\n");
  EXPECT_NE(errorOf(loadConfig(dir + "/.ftlint.toml")).find(".ftlint.toml:3: ignore: 'FT999' matches no rule"),
            std::string::npos);
  writeTextFile(dir + "/.ftlint.toml", "target-python = \"three\"\n");
  EXPECT_NE(errorOf(loadConfig(dir + "/.ftlint.toml")).find(":1: target-python: expected a version"), std::string::npos);
  writeTextFile(dir + "/.ftlint.toml", "compat = \"macro\"\n");
  EXPECT_NE(errorOf(loadConfig(dir + "/.ftlint.toml")).find(":1: compat: expected \"header\" or \"guard\""),
            std::string::npos);
  writeTextFile(dir + "/pyproject.toml", "[tool.ftlint\nselect = 1\n");
  EXPECT_NE(errorOf(loadConfig(dir + "/pyproject.toml")).find("pyproject.toml:1:13: not valid TOML"), std::string::npos);
  writeTextFile(dir + "/pyproject.toml", "[tool.ftlint]\nexit-zero = \"yes\"\n");
  EXPECT_EQ(errorOf(loadConfig(dir + "/pyproject.toml")),
            dir + "/pyproject.toml:2: [tool.ftlint] exit-zero: expected true or false");
  llvm::sys::fs::remove_directories(dir);
}

TEST(Config, FoundUpwardSkippingPyprojectsWithoutOurTable) {
  std::string dir = scratch();
  llvm::sys::fs::create_directories(dir + "/pkg/src");
  writeTextFile(dir + "/pyproject.toml", "[tool.ftlint]\nignore = [\"FT5\"]\n");
  writeTextFile(dir + "/pkg/pyproject.toml", "[project]\nname = \"pkg\"\n");
  auto found = findConfig(dir + "/pkg/src");
  ASSERT_TRUE(bool(found)) << llvm::toString(found.takeError());
  ASSERT_TRUE(found->has_value());
  EXPECT_EQ((*found)->path, dir + "/pyproject.toml");
  writeTextFile(dir + "/pkg/.ftlint.toml", "ignore = [\"FT1\"]\n");
  found = findConfig(dir + "/pkg/src");
  ASSERT_TRUE(bool(found) && found->has_value());
  EXPECT_EQ((*found)->path, dir + "/pkg/.ftlint.toml");
  llvm::sys::fs::remove_directories(dir);
}

TEST(Config, PathPatterns) {
  EXPECT_TRUE(pathMatches("vendor", "vendor/lib/x.c"));
  EXPECT_TRUE(pathMatches("vendor/", "src/vendor/x.h"));
  EXPECT_TRUE(pathMatches("*_pb2.c", "src/api_pb2.c"));
  EXPECT_FALSE(pathMatches("*_pb2.c", "src/api_pb3.c"));
  EXPECT_TRUE(pathMatches("src/*.c", "src/a.c"));
  EXPECT_FALSE(pathMatches("src/*.c", "src/sub/a.c"));
  EXPECT_TRUE(pathMatches("src/**/*.c", "src/sub/deeper/a.c"));
  EXPECT_TRUE(pathMatches("src/**/*.c", "src/a.c"));
  EXPECT_TRUE(pathMatches("tests/**", "tests/unit/t.c"));
  EXPECT_TRUE(pathMatches("src/gen", "src/gen/x.c"));
  EXPECT_FALSE(pathMatches("src/gen", "src/generated/x.c"));
}

// Through the binary: the settings apply, the command line wins, exclude and
// per-file-ignores drop what they name, and a broken file stops the run.
TEST(Config, AppliesToARunAndTheCommandLineWins) {
  std::string dir = scratch();
  llvm::sys::fs::create_directories(dir + "/src");
  llvm::sys::fs::create_directories(dir + "/vendor");
  const char *code = "#include <Python.h>\nPyObject *f(PyObject *l) { return Py_XNewRef(PyList_GetItem(l, 0)); }\n"
                     "PyObject *g(PyObject *d) { return Py_XNewRef(PyDict_GetItemString(d, \"k\")); }\n";
  writeTextFile(dir + "/src/a.c", code);
  writeTextFile(dir + "/vendor/b.c", code);
  std::string include = availablePythonHeaders().back().includeDir;
  writeTextFile(dir + "/compile_commands.json",
            "[{\"directory\": \"" + dir + "\", \"file\": \"src/a.c\", \"arguments\": [\"cc\", \"-I" + include +
                "\", \"-c\", \"src/a.c\"]},\n {\"directory\": \"" + dir +
                "\", \"file\": \"vendor/b.c\", \"arguments\": [\"cc\", \"-I" + include + "\", \"-c\", \"vendor/b.c\"]}]\n");
  auto run = [&](std::vector<std::string> args) {
    args.insert(args.begin(), {FTLINT_BINARY, "-q"});
    return runProgram(args, dir);
  };
  ProcessResult plain = run({});
  EXPECT_NE(plain.out.find("vendor/b.c"), std::string::npos) << plain.out;

  writeTextFile(dir + "/pyproject.toml",
            "[tool.ftlint]\nexclude = [\"vendor\"]\nper-file-ignores = { \"src/a.c\" = [\"FT102\"] }\n");
  ProcessResult configured = run({});
  EXPECT_EQ(configured.out.find("vendor/b.c"), std::string::npos) << configured.out;
  EXPECT_NE(configured.out.find("[FT101]"), std::string::npos) << configured.out;
  EXPECT_EQ(configured.out.find("[FT102]"), std::string::npos) << configured.out;

  writeTextFile(dir + "/pyproject.toml", "[tool.ftlint]\nselect = [\"FT102\"]\nexclude = [\"vendor\"]\n");
  ProcessResult selected = run({});
  EXPECT_EQ(selected.out.find("[FT101]"), std::string::npos) << selected.out;
  ProcessResult overridden = run({"--select", "FT101"});
  EXPECT_NE(overridden.out.find("[FT101]"), std::string::npos) << overridden.out;
  EXPECT_EQ(overridden.out.find("[FT102]"), std::string::npos) << overridden.out;
  ProcessResult ignoredConfig = run({"--no-config"});
  EXPECT_NE(ignoredConfig.out.find("vendor/b.c"), std::string::npos) << ignoredConfig.out;

  writeTextFile(dir + "/pyproject.toml", "[tool.ftlint]\nformat = \"xml\"\n");
  ProcessResult broken = run({});
  EXPECT_EQ(broken.exitCode, 2);
  EXPECT_NE(broken.err.find("pyproject.toml:2: [tool.ftlint] format: expected text, json"), std::string::npos)
      << broken.err;
  ProcessResult missing = run({"--config", "nope.toml"});
  EXPECT_EQ(missing.exitCode, 2);
  EXPECT_NE(missing.err.find("nope.toml"), std::string::npos) << missing.err;
  llvm::sys::fs::remove_directories(dir);
}

}  // namespace
}  // namespace ftlint::testing
