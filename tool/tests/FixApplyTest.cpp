// Unit tests for planning, diffing and writing fixes: each test works in its
// own scratch directory and checks exact file contents.
#include "tool/engine/FixApply.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>
#include <sstream>

#include <sys/stat.h>
#include <unistd.h>

namespace ftlint {
namespace {

namespace fs = llvm::sys::fs;

std::string readFile(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

void writeFile(const std::string &path, const std::string &content, mode_t mode = 0644) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << content;
  }
  ::chmod(path.c_str(), mode);
}

mode_t modeOf(const std::string &path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

bool isSymlink(const std::string &path) {
  struct stat st;
  return ::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

std::vector<std::string> entriesOf(const std::string &dir) {
  std::vector<std::string> names;
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec))
    names.push_back(std::string(llvm::StringRef(it->path()).rsplit('/').second));
  std::sort(names.begin(), names.end());
  return names;
}

class FixApply : public ::testing::Test {
protected:
  void SetUp() override { root_ = makeDir(); }
  void TearDown() override {
    for (const std::string &dir : dirs_) fs::remove_directories(dir);
  }

  std::string makeDir() {
    llvm::SmallString<256> dir, real;
    EXPECT_FALSE(fs::createUniqueDirectory("ftlint-fixapply", dir));
    EXPECT_FALSE(fs::real_path(dir, real));
    dirs_.push_back(std::string(real));
    return dirs_.back();
  }

  std::string file(const std::string &name, const std::string &content, mode_t mode = 0644) {
    std::string path = root_ + "/" + name;
    writeFile(path, content, mode);
    return path;
  }

  // An edit as the analysis would make it: with the hash of the file now.
  static TextEdit edit(const std::string &path, unsigned offset, unsigned length, const std::string &replacement) {
    TextEdit e;
    e.file = path;
    e.offset = offset;
    e.length = length;
    e.replacement = replacement;
    e.fileHash = contentHash(readFile(path));
    return e;
  }

  static Finding finding(const std::string &code, const std::string &path, unsigned offset, unsigned line,
                         std::vector<TextEdit> edits, Applicability applicability = Applicability::Safe,
                         const std::string &description = "fix it") {
    Finding f;
    f.code = code;
    f.message = "message";
    f.file = path;
    f.offset = offset;
    f.line = line;
    f.column = 1;
    Fix fix;
    fix.applicability = applicability;
    fix.description = description;
    fix.edits = std::move(edits);
    f.fix = std::move(fix);
    return f;
  }

  FixPlanOptions options(bool unsafe = false) const {
    FixPlanOptions o;
    o.includeUnsafe = unsafe;
    o.projectRoot = root_;
    return o;
  }

  std::string root_;
  std::vector<std::string> dirs_;
};

TEST_F(FixApply, AppliesEditsAndCountsAFixFromSeveralTusOnce) {
  std::string c = file("a.c", "#include \"h.h\"\nint a;\n");
  std::string h = file("h.h", "static int g;\n");
  std::vector<Finding> findings = {
      // The header's finding, reported by two translation units.
      finding("FT101", h, 0, 1, {edit(h, 0, 6, "static _Thread_local")}),
      finding("FT200", c, 15, 2, {edit(c, 15, 0, "/* x */ ")}),
      finding("FT101", h, 0, 1, {edit(h, 0, 6, "static _Thread_local")}),
  };
  FixPlan plan = planFixes(findings, options());
  EXPECT_EQ(plan.problems, std::vector<std::string>{});
  EXPECT_EQ(plan.applied, 2u);
  EXPECT_EQ(plan.deferred, 0u);
  EXPECT_EQ(plan.unsafeLeftOut, 0u);
  EXPECT_EQ(plan.projectRoot, root_);
  ASSERT_EQ(plan.files.size(), 2u);
  EXPECT_EQ(plan.files[0].path, c);
  EXPECT_EQ(plan.files[0].original, "#include \"h.h\"\nint a;\n");
  EXPECT_EQ(plan.files[0].fixed, "#include \"h.h\"\n/* x */ int a;\n");
  EXPECT_EQ(plan.files[0].fixes, 1u);
  EXPECT_EQ(plan.files[1].path, h);
  EXPECT_EQ(plan.files[1].fixed, "static _Thread_local int g;\n");
  EXPECT_EQ(plan.files[1].fixes, 1u);
  // Planning never writes.
  EXPECT_EQ(readFile(h), "static int g;\n");
}

TEST_F(FixApply, AFixSpanningTwoFilesIsOneFix) {
  std::string c = file("a.c", "int a;\n");
  std::string h = file("a.h", "int b;\n");
  std::vector<Finding> findings = {
      finding("FT300", c, 0, 1, {edit(c, 0, 3, "long"), edit(h, 0, 3, "long")}),
  };
  FixPlan plan = planFixes(findings, options());
  EXPECT_EQ(plan.applied, 1u);
  ASSERT_EQ(plan.files.size(), 2u);
  EXPECT_EQ(plan.files[0].fixed, "long a;\n");
  EXPECT_EQ(plan.files[1].fixed, "long b;\n");
  EXPECT_EQ(plan.files[0].fixes, 1u);
  EXPECT_EQ(plan.files[1].fixes, 1u);
}

TEST_F(FixApply, UnsafeFixesOnlyWhenAskedForAndCounted) {
  std::string c = file("a.c", "one two three\n");
  std::vector<Finding> findings = {
      finding("FT100", c, 0, 1, {edit(c, 0, 3, "ONE")}),
      finding("FT101", c, 8, 1, {edit(c, 8, 5, "THREE")}, Applicability::Unsafe),
      finding("FT101", c, 8, 1, {edit(c, 8, 5, "THREE")}, Applicability::Unsafe),
  };
  FixPlan safe = planFixes(findings, options(false));
  EXPECT_EQ(safe.applied, 1u);
  EXPECT_EQ(safe.unsafeLeftOut, 1u);
  ASSERT_EQ(safe.files.size(), 1u);
  EXPECT_EQ(safe.files[0].fixed, "ONE two three\n");

  FixPlan all = planFixes(findings, options(true));
  EXPECT_EQ(all.applied, 2u);
  EXPECT_EQ(all.unsafeLeftOut, 0u);
  ASSERT_EQ(all.files.size(), 1u);
  EXPECT_EQ(all.files[0].fixed, "ONE two THREE\n");
  EXPECT_EQ(all.files[0].fixes, 2u);

  // One TU calling a fix unsafe is enough to hold it back.
  std::vector<Finding> mixed = {
      finding("FT102", c, 4, 1, {edit(c, 4, 3, "TWO")}, Applicability::Safe),
      finding("FT102", c, 4, 1, {edit(c, 4, 3, "TWO")}, Applicability::Unsafe),
  };
  FixPlan held = planFixes(mixed, options(false));
  EXPECT_EQ(held.applied, 0u);
  EXPECT_EQ(held.unsafeLeftOut, 1u);
  EXPECT_TRUE(held.files.empty());
}

TEST_F(FixApply, OverlappingFixesAreDeferred) {
  std::string c = file("a.c", "abcdefghij\n");
  // Distinct codes: at one site, one code would be one finding in conflict.
  std::vector<Finding> findings = {
      finding("FT1", c, 2, 1, {edit(c, 2, 3, "X")}, Applicability::Safe, "a"),   // cde -> X
      finding("FT2", c, 4, 1, {edit(c, 4, 2, "Y")}, Applicability::Safe, "b"),   // intersects a
      finding("FT3", c, 2, 1, {edit(c, 2, 0, "<")}, Applicability::Safe, "c"),   // touches a's start
      finding("FT4", c, 3, 1, {edit(c, 3, 0, "?")}, Applicability::Safe, "d"),   // inside a
      finding("FT5", c, 5, 1, {edit(c, 5, 0, ">")}, Applicability::Safe, "e"),   // touches a's end
      finding("FT6", c, 5, 1, {edit(c, 5, 0, "!")}, Applicability::Safe, "f"),   // other text at e's offset
      // The same insertion as e, plus an edit of its own: the insertion is
      // made once.
      finding("FT7", c, 5, 1, {edit(c, 5, 0, ">"), edit(c, 8, 1, "Z")}, Applicability::Safe, "g"),
  };
  FixPlan plan = planFixes(findings, options());
  EXPECT_EQ(plan.problems, std::vector<std::string>{});
  EXPECT_EQ(plan.applied, 4u);
  EXPECT_EQ(plan.deferred, 3u);
  ASSERT_EQ(plan.files.size(), 1u);
  EXPECT_EQ(plan.files[0].fixed, "ab<X>fghZj\n");
  EXPECT_EQ(plan.files[0].fixes, 4u);

  // The order does not depend on the order of the findings.
  std::vector<Finding> reversed(findings.rbegin(), findings.rend());
  FixPlan again = planFixes(reversed, options());
  ASSERT_EQ(again.files.size(), 1u);
  EXPECT_EQ(again.files[0].fixed, "ab<X>fghZj\n");
  EXPECT_EQ(again.deferred, 3u);
}

TEST_F(FixApply, EditsOfOneFix) {
  std::string c = file("a.c", "0123456789\n");
  std::vector<Finding> findings = {
      // Insertions at one offset, in the order given, before the replacement
      // starting there.
      finding("FT1", c, 0, 1, {edit(c, 0, 0, "1"), edit(c, 0, 1, "R"), edit(c, 0, 0, "2")}),
      // Overlapping each other: refused.
      finding("FT2", c, 4, 1, {edit(c, 4, 3, "a"), edit(c, 5, 0, "b")}, Applicability::Safe, "split"),
      // Past the end: refused.
      finding("FT3", c, 9, 1, {edit(c, 9, 5, "z")}, Applicability::Safe, "far"),
  };
  FixPlan plan = planFixes(findings, options());
  EXPECT_EQ(plan.applied, 1u);
  EXPECT_EQ(plan.deferred, 0u);
  ASSERT_EQ(plan.files.size(), 1u);
  EXPECT_EQ(plan.files[0].fixed, "12R123456789\n");
  EXPECT_EQ(plan.problems,
            (std::vector<std::string>{
                c + ": the fix for FT2 at line 1 (split) has edits that overlap each other; not fixed",
                c + ": the fix for FT3 at line 1 (far) edits bytes 9-14, past the end of the file (11 bytes); not fixed",
            }));
}

TEST_F(FixApply, ConflictingFixesForOneFindingSkipTheFile) {
  std::string c = file("a.c", "int a;\nint b;\n");
  std::string d = file("d.c", "int d;\n");
  std::vector<Finding> findings = {
      finding("FT101", c, 11, 2, {edit(c, 11, 1, "x")}),
      finding("FT101", c, 11, 2, {edit(c, 11, 1, "y")}),
      finding("FT200", c, 0, 1, {edit(c, 0, 3, "long")}),  // fine alone, but in the same file
      finding("FT200", d, 0, 1, {edit(d, 0, 3, "long")}),
  };
  FixPlan plan = planFixes(findings, options());
  EXPECT_EQ(plan.problems,
            std::vector<std::string>{
                c + ": conflicting fixes for FT101 at line 2 from different translation units; not fixed"});
  EXPECT_EQ(plan.applied, 1u);
  ASSERT_EQ(plan.files.size(), 1u);
  EXPECT_EQ(plan.files[0].path, d);
  EXPECT_EQ(plan.files[0].fixed, "long d;\n");
}

TEST_F(FixApply, FileChangedSinceAnalysisIsSkipped) {
  std::string c = file("a.c", "int a;\n");
  std::string d = file("d.c", "int d;\n");
  std::vector<Finding> findings = {
      finding("FT1", c, 0, 1, {edit(c, 0, 3, "long")}),
      finding("FT1", d, 0, 1, {edit(d, 0, 3, "long")}),
  };
  writeFile(c, "int a; /* edited */\n");
  FixPlan plan = planFixes(findings, options());
  EXPECT_EQ(plan.problems, std::vector<std::string>{c + ": changed since it was analysed; not fixed"});
  EXPECT_EQ(plan.applied, 1u);
  ASSERT_EQ(plan.files.size(), 1u);
  EXPECT_EQ(plan.files[0].path, d);

  // Without a recorded hash there is nothing to compare with.
  findings[0].fix->edits[0].fileHash = 0;
  FixPlan unknown = planFixes(findings, options());
  EXPECT_EQ(unknown.problems, std::vector<std::string>{});
  EXPECT_EQ(unknown.files.size(), 2u);
}

TEST_F(FixApply, UnreadableFileIsAProblem) {
  std::string gone = root_ + "/gone.c";
  TextEdit e;
  e.file = gone;
  e.replacement = "x";
  FixPlan plan = planFixes({finding("FT1", gone, 0, 1, {e})}, options());
  ASSERT_EQ(plan.problems.size(), 1u);
  EXPECT_EQ(plan.problems[0].rfind(gone + ": cannot be read: ", 0), 0u) << plan.problems[0];
  EXPECT_TRUE(plan.files.empty());
  EXPECT_EQ(plan.applied, 0u);
}

TEST_F(FixApply, CrlfFileGetsCrlfLineBreaks) {
  std::string c = file("w.c", "a;\r\nb;\r\n");
  std::string u = file("u.c", "a;\nb;\n");
  std::vector<Finding> findings = {
      finding("FT1", c, 4, 2, {edit(c, 4, 0, "x;\ny;\r\n")}),
      finding("FT1", u, 2, 1, {edit(u, 2, 0, "\nz;")}),
  };
  FixPlan plan = planFixes(findings, options());
  ASSERT_EQ(plan.files.size(), 2u);
  EXPECT_EQ(plan.files[0].path, u);
  EXPECT_EQ(plan.files[0].fixed, "a;\nz;\nb;\n");
  EXPECT_EQ(plan.files[1].path, c);
  EXPECT_EQ(plan.files[1].fixed, "a;\r\nx;\r\ny;\r\nb;\r\n");
}

TEST_F(FixApply, FilesOutsideTheRootAreNotPlanned) {
  std::string outside = makeDir();
  std::string far = outside + "/far.c";
  writeFile(far, "int far;\n");
  std::string link = root_ + "/link.c";
  ASSERT_EQ(::symlink(far.c_str(), link.c_str()), 0);
  std::string c = file("a.c", "int a;\n");
  std::vector<Finding> findings = {
      finding("FT1", far, 0, 1, {edit(far, 0, 3, "long")}),
      finding("FT1", link, 0, 1, {edit(link, 0, 3, "long")}),
      finding("FT1", c, 0, 1, {edit(c, 0, 3, "long")}),
  };
  FixPlan plan = planFixes(findings, options());
  std::vector<std::string> expected = {
      far + ": outside the project root " + root_ + "; not fixed",
      link + ": resolves to " + far + ", outside the project root " + root_ + "; not fixed",
  };
  std::sort(expected.begin(), expected.end());
  std::vector<std::string> problems = plan.problems;
  std::sort(problems.begin(), problems.end());
  EXPECT_EQ(problems, expected);
  EXPECT_EQ(plan.applied, 1u);
  ASSERT_EQ(plan.files.size(), 1u);
  EXPECT_EQ(plan.files[0].path, c);

  // No root: no restriction.
  FixPlanOptions anywhere;
  FixPlan unrestricted = planFixes(findings, anywhere);
  EXPECT_EQ(unrestricted.problems, std::vector<std::string>{});
  EXPECT_EQ(unrestricted.files.size(), 3u);
}

TEST(FixApplyDiff, HunksWithContext) {
  FileFix f;
  for (int i = 1; i <= 12; ++i) f.original += "l" + std::to_string(i) + "\n";
  f.fixed = f.original;
  f.fixed.replace(0, 2, "L1");                          // line 1
  f.fixed.replace(f.fixed.find("l10\n"), 3, "L10");     // line 10, 8 lines further: a new hunk
  EXPECT_EQ(unifiedDiff(f, "src/m.c"),
            "--- a/src/m.c\n"
            "+++ b/src/m.c\n"
            "@@ -1,4 +1,4 @@\n"
            "-l1\n"
            "+L1\n"
            " l2\n"
            " l3\n"
            " l4\n"
            "@@ -7,6 +7,6 @@\n"
            " l7\n"
            " l8\n"
            " l9\n"
            "-l10\n"
            "+L10\n"
            " l11\n"
            " l12\n");
}

TEST(FixApplyDiff, CloseChangesShareAHunk) {
  FileFix f;
  for (int i = 1; i <= 12; ++i) f.original += "l" + std::to_string(i) + "\n";
  f.fixed = f.original;
  f.fixed.insert(0, "top\n");                      // before line 1
  f.fixed.erase(f.fixed.find("l7\n"), 3);           // six unchanged lines after the insertion
  EXPECT_EQ(unifiedDiff(f, "m.c"),
            "--- a/m.c\n"
            "+++ b/m.c\n"
            "@@ -1,10 +1,10 @@\n"
            "+top\n"
            " l1\n"
            " l2\n"
            " l3\n"
            " l4\n"
            " l5\n"
            " l6\n"
            "-l7\n"
            " l8\n"
            " l9\n"
            " l10\n");
}

TEST(FixApplyDiff, NoNewlineAtEndOfFile) {
  FileFix f;
  f.original = "a\nb\nc";
  f.fixed = "a\nb\nC";
  EXPECT_EQ(unifiedDiff(f, "x.c"),
            "--- a/x.c\n"
            "+++ b/x.c\n"
            "@@ -1,3 +1,3 @@\n"
            " a\n"
            " b\n"
            "-c\n"
            "\\ No newline at end of file\n"
            "+C\n"
            "\\ No newline at end of file\n");

  f.original = "a\nb";
  f.fixed = "a\nb\nc\n";
  EXPECT_EQ(unifiedDiff(f, "x.c"),
            "--- a/x.c\n"
            "+++ b/x.c\n"
            "@@ -1,2 +1,3 @@\n"
            " a\n"
            "-b\n"
            "\\ No newline at end of file\n"
            "+b\n"
            "+c\n");

  // Unchanged last line without a newline, shown as context.
  f.original = "a\nb\nc";
  f.fixed = "A\nb\nc";
  EXPECT_EQ(unifiedDiff(f, "x.c"),
            "--- a/x.c\n"
            "+++ b/x.c\n"
            "@@ -1,3 +1,3 @@\n"
            "-a\n"
            "+A\n"
            " b\n"
            " c\n"
            "\\ No newline at end of file\n");
}

TEST(FixApplyDiff, EmptySidesAndNoChange) {
  FileFix f;
  f.original = "";
  f.fixed = "x\n";
  EXPECT_EQ(unifiedDiff(f, "n.c"), "--- a/n.c\n+++ b/n.c\n@@ -0,0 +1 @@\n+x\n");
  f.original = "a\nb\nc\nd\n";
  f.fixed = "a\nb\nd\n";
  EXPECT_EQ(unifiedDiff(f, "n.c"), "--- a/n.c\n+++ b/n.c\n@@ -1,4 +1,3 @@\n a\n b\n-c\n d\n");
  f.fixed = f.original;
  EXPECT_EQ(unifiedDiff(f, "n.c"), "");
}

TEST(FixApplyDiff, ReplacedBlockListsDeletionsFirst) {
  FileFix f;
  f.original = "keep\none\ntwo\nend\n";
  f.fixed = "keep\nuno\ndos\nend\n";
  EXPECT_EQ(unifiedDiff(f, "r.c"),
            "--- a/r.c\n+++ b/r.c\n@@ -1,4 +1,4 @@\n keep\n-one\n-two\n+uno\n+dos\n end\n");
}

TEST_F(FixApply, WritesAtomicallyAndKeepsTheMode) {
  std::string c = file("a.c", "int a;\n", 0640);
  struct stat before;
  ASSERT_EQ(::stat(c.c_str(), &before), 0);
  FixPlan plan = planFixes({finding("FT1", c, 0, 1, {edit(c, 0, 3, "long")})}, options());
  ASSERT_EQ(plan.files.size(), 1u);
  WriteReport report = writeFixes(plan);
  EXPECT_EQ(report.problems, std::vector<std::string>{});
  EXPECT_EQ(report.written, std::vector<std::string>{c});
  EXPECT_EQ(readFile(c), "long a;\n");
  EXPECT_EQ(modeOf(c), mode_t(0640));
  // Replaced by a rename, not rewritten in place, and no temporary left.
  struct stat after;
  ASSERT_EQ(::stat(c.c_str(), &after), 0);
  EXPECT_NE(before.st_ino, after.st_ino);
  EXPECT_EQ(entriesOf(root_), std::vector<std::string>{"a.c"});
}

TEST_F(FixApply, ReadOnlyFileIsNotWritten) {
  std::string c = file("a.c", "int a;\n", 0444);
  FixPlan plan = planFixes({finding("FT1", c, 0, 1, {edit(c, 0, 3, "long")})}, options());
  ASSERT_EQ(plan.files.size(), 1u);
  WriteReport report = writeFixes(plan);
  EXPECT_EQ(report.written, std::vector<std::string>{});
  EXPECT_EQ(report.problems, std::vector<std::string>{c + ": read-only; not written"});
  EXPECT_EQ(readFile(c), "int a;\n");
  EXPECT_EQ(modeOf(c), mode_t(0444));
  EXPECT_EQ(entriesOf(root_), std::vector<std::string>{"a.c"});
}

TEST_F(FixApply, SymlinkOutsideTheRootIsNotWritten) {
  std::string c = file("a.c", "int a;\n");
  FixPlan plan = planFixes({finding("FT1", c, 0, 1, {edit(c, 0, 3, "long")})}, options());
  ASSERT_EQ(plan.files.size(), 1u);

  // Between planning and writing the file becomes a link to one elsewhere
  // with the same text.
  std::string outside = makeDir();
  std::string far = outside + "/a.c";
  writeFile(far, "int a;\n");
  ASSERT_EQ(::unlink(c.c_str()), 0);
  ASSERT_EQ(::symlink(far.c_str(), c.c_str()), 0);

  WriteReport report = writeFixes(plan);
  EXPECT_EQ(report.written, std::vector<std::string>{});
  EXPECT_EQ(report.problems,
            std::vector<std::string>{c + ": a symlink to " + far + ", outside the project root; not written"});
  EXPECT_EQ(readFile(far), "int a;\n");
  EXPECT_TRUE(isSymlink(c));
  EXPECT_EQ(entriesOf(outside), std::vector<std::string>{"a.c"});
}

TEST_F(FixApply, SymlinkInsideTheRootIsWrittenThrough) {
  ASSERT_EQ(::mkdir((root_ + "/src").c_str(), 0755), 0);
  std::string target = file("src/real.c", "int a;\n", 0600);
  std::string link = root_ + "/alias.c";
  ASSERT_EQ(::symlink("src/real.c", link.c_str()), 0);
  FixPlan plan = planFixes({finding("FT1", link, 0, 1, {edit(link, 0, 3, "long")})}, options());
  ASSERT_EQ(plan.files.size(), 1u);
  WriteReport report = writeFixes(plan);
  EXPECT_EQ(report.problems, std::vector<std::string>{});
  EXPECT_EQ(report.written, std::vector<std::string>{link});
  EXPECT_TRUE(isSymlink(link));
  EXPECT_EQ(readFile(target), "long a;\n");
  EXPECT_EQ(modeOf(target), mode_t(0600));
  EXPECT_EQ(entriesOf(root_ + "/src"), std::vector<std::string>{"real.c"});
}

TEST_F(FixApply, FileChangedAfterPlanningIsLeftAlone) {
  std::string c = file("a.c", "int a;\n");
  std::string d = file("d.c", "int d;\n");
  FixPlan plan = planFixes(
      {finding("FT1", c, 0, 1, {edit(c, 0, 3, "long")}), finding("FT1", d, 0, 1, {edit(d, 0, 3, "long")})},
      options());
  ASSERT_EQ(plan.files.size(), 2u);
  writeFile(c, "int a; /* saved meanwhile */\n");
  WriteReport report = writeFixes(plan);
  EXPECT_EQ(report.problems, std::vector<std::string>{c + ": changed since it was read; not written"});
  EXPECT_EQ(report.written, std::vector<std::string>{d});
  EXPECT_EQ(readFile(c), "int a; /* saved meanwhile */\n");
  EXPECT_EQ(readFile(d), "long d;\n");
  EXPECT_EQ(entriesOf(root_), (std::vector<std::string>{"a.c", "d.c"}));
}

}  // namespace
}  // namespace ftlint
