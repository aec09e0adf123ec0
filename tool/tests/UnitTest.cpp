// Unit tests for the pieces below the rules: condition evaluation, rule
// selection, object-text normalisation, compile-command preparation.
#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/BuildCondition.h"
#include "tool/analysis/NodeSubscriptions.h"
#include "tool/analysis/Parents.h"
#include "tool/analysis/TuIndex.h"
#include "tool/analysis/PreprocessorFacts.h"
#include "tool/core/NodeAddressKeys.h"
#include "tool/core/Rule.h"
#include "tool/core/Selection.h"
#include "tool/engine/Cache.h"
#include "tool/engine/Runner.h"
#include "tool/fix/VersionGuard.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Support/FileSystem.h"

#include <gtest/gtest.h>

#include <algorithm>

namespace ftlint {
namespace {

TEST(BuildCondition, VersionChecksAsAFreeThreaded313Build) {
  EXPECT_EQ(evaluateForFreeThreadedBuild("PY_VERSION_HEX >= 0x030D0000"), Tri::True);
  EXPECT_EQ(evaluateForFreeThreadedBuild("PY_VERSION_HEX < 0x030D0000"), Tri::False);
  // Free-threaded builds are 3.13.0 final or newer: alpha and beta guards
  // (as compatibility headers write them) are decided.
  EXPECT_EQ(evaluateForFreeThreadedBuild(" PY_VERSION_HEX >= 0x030D00A1 /* 3.13a1 */"), Tri::True);
  EXPECT_EQ(evaluateForFreeThreadedBuild("PY_VERSION_HEX < 0x030D00A6 && !defined(Py_CONSTANT_NONE)"), Tri::False);
  EXPECT_EQ(evaluateForFreeThreadedBuild("PY_VERSION_HEX < 0x030D00F0"), Tri::False);
  EXPECT_EQ(evaluateForFreeThreadedBuild("PY_VERSION_HEX < 0x030D00F1"), Tri::Unknown);
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

TEST(BuildCondition, IntegerLiteralsAsThePreprocessorReadsThem) {
  EXPECT_EQ(evaluateForFreeThreadedBuild("PY_VERSION_HEX >= 0x030D0000UL"), Tri::True);
  EXPECT_EQ(evaluateForFreeThreadedBuild("PY_MINOR_VERSION >= 13u"), Tri::True);
  EXPECT_EQ(evaluateForFreeThreadedBuild("PY_MINOR_VERSION >= 015"), Tri::True);  // octal 13
  EXPECT_EQ(evaluateForFreeThreadedBuild("PY_MINOR_VERSION > 015"), Tri::Unknown);
  EXPECT_EQ(evaluateForFreeThreadedBuild("PY_MINOR_VERSION < 0X0E"), Tri::Unknown);
  EXPECT_EQ(evaluateForFreeThreadedBuild("00"), Tri::False);
  // Past 64 bits, or a digit the base does not have: not a number, so not decided.
  EXPECT_EQ(evaluateForFreeThreadedBuild("99999999999999999999 > 1"), Tri::Unknown);
  EXPECT_EQ(evaluateForFreeThreadedBuild("09 < 1"), Tri::Unknown);
  EXPECT_EQ(evaluateForFreeThreadedBuild("1.5 > 1"), Tri::Unknown);
}

TEST(BuildCondition, BothBuildsFromOneReading) {
  BuildTruths gil = evaluateInBothBuilds("defined(Py_GIL_DISABLED)");
  EXPECT_EQ(gil.freeThreaded, Tri::True);
  EXPECT_EQ(gil.defaultBuild, Tri::False);
  // The default build may be any version: only the free-threaded one is 3.13+.
  BuildTruths version = evaluateInBothBuilds("PY_VERSION_HEX >= 0x030D0000 && !defined(Py_GIL_DISABLED)");
  EXPECT_EQ(version.freeThreaded, Tri::False);
  EXPECT_EQ(version.defaultBuild, Tri::Unknown);
  // Nothing a build fixes: undecided in both, as the full reading would say.
  BuildTruths compiler = evaluateInBothBuilds("defined(__GNUC__) && !defined(__clang__) || __STDC__ == __STDC__");
  EXPECT_EQ(compiler.freeThreaded, Tri::Unknown);
  EXPECT_EQ(compiler.defaultBuild, Tri::Unknown);
  EXPECT_EQ(evaluateInBothBuilds("0 || defined(Py_GIL_DISABLED)").defaultBuild, Tri::False);
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

// A run holds each unit's findings packed until the report: every field
// must come back as it was.
TEST(PackedFindings, EveryFieldSurvives) {
  Finding a;
  a.code = "FT102";
  a.message = "PyDict_GetItem() returns a borrowed reference into the dict 'd' \xe2\x80\x94 \"quoted\"";
  a.file = "/src/module.c";
  a.line = 12, a.column = 5, a.endLine = 12, a.endColumn = 30, a.offset = 345;
  a.severity = Severity::Error;
  a.confidence = Confidence::Low;
  a.sourceLine = "    PyObject *v = PyDict_GetItem(d, k);\t";
  a.notes = {"every caller in this file calls it inside a critical section", ""};
  a.fix = Fix{Applicability::Safe, "use PyDict_GetItemRef()", {{"/src/module.c", 340, 20, "PyDict_GetItemRef", 0xfeedULL}}};
  a.initOnlyUnlessUsr = "c:module.c@F@lookup";
  Finding b;
  b.code = "FT301";
  b.noFixReason = "no automatic fix: the slot table is built in a macro";
  std::vector<Finding> findings = {a, b};
  std::vector<Finding> back = unpackFindings(packFindings(findings));
  ASSERT_EQ(back.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    const Finding &x = findings[i], &y = back[i];
    EXPECT_EQ(std::tie(x.code, x.message, x.file, x.line, x.column, x.endLine, x.endColumn, x.offset, x.sourceLine,
                       x.notes, x.noFixReason, x.initOnlyUnlessUsr),
              std::tie(y.code, y.message, y.file, y.line, y.column, y.endLine, y.endColumn, y.offset, y.sourceLine,
                       y.notes, y.noFixReason, y.initOnlyUnlessUsr));
    EXPECT_EQ(x.severity, y.severity);
    EXPECT_EQ(x.confidence, y.confidence);
    ASSERT_EQ(x.fix.has_value(), y.fix.has_value());
    if (!x.fix) continue;
    EXPECT_EQ(x.fix->applicability, y.fix->applicability);
    EXPECT_EQ(x.fix->description, y.fix->description);
    ASSERT_EQ(y.fix->edits.size(), 1u);
    const TextEdit &e = y.fix->edits[0];
    EXPECT_EQ(std::tie(e.file, e.offset, e.length, e.replacement, e.fileHash),
              std::tie(x.fix->edits[0].file, x.fix->edits[0].offset, x.fix->edits[0].length,
                       x.fix->edits[0].replacement, x.fix->edits[0].fileHash));
  }
  EXPECT_TRUE(unpackFindings(packFindings({})).empty());
  EXPECT_THROW(unpackFindings("z\x01"), std::exception);
}

TEST(ResourceDir, HasBuiltinHeaders) {
  std::string dir = findResourceDir();
  ASSERT_FALSE(dir.empty());
  EXPECT_TRUE(llvm::sys::fs::exists(dir + "/include/stddef.h")) << dir;
}

}  // namespace
}  // namespace ftlint

namespace ftlint {
namespace {

// Every statement and declaration of a unit, template instantiations and
// implicit code included.
struct AllNodes : clang::RecursiveASTVisitor<AllNodes> {
  bool shouldVisitTemplateInstantiations() const { return true; }
  bool shouldVisitImplicitCode() const { return true; }
  bool VisitStmt(clang::Stmt *s) { nodes.push_back(clang::DynTypedNode::create(*s)); return true; }
  bool VisitDecl(clang::Decl *d) { nodes.push_back(clang::DynTypedNode::create(*d)); return true; }
  std::vector<clang::DynTypedNode> nodes;
};

// Asks the index about every node, last first so units are mapped out of
// order, and compares each answer with clang's whole-unit map.
size_t differencesFromClang(clang::ASTContext &ctx, size_t *answeredByClang = nullptr) {
  AllNodes all;
  all.TraverseAST(ctx);
  ParentIndex index(ctx);
  if (answeredByClang) *answeredByClang = 0;
  size_t differences = 0;
  for (auto it = all.nodes.rbegin(); it != all.nodes.rend(); ++it) {
    clang::DynTypedNodeList ours = index.parents(*it);
    clang::DynTypedNodeList theirs = ctx.getParentMapContext().getParents(*it);
    bool same = ours.size() == theirs.size();
    for (size_t i = 0; same && i < ours.size(); ++i) same = ours[i] == theirs[i];
    if (!same) {
      ++differences;
      ADD_FAILURE() << "a " << it->getNodeKind().asStringRef().str() << " at "
                    << it->getSourceRange().getBegin().printToString(ctx.getSourceManager()) << ": " << ours.size()
                    << " parents against clang's " << theirs.size();
    }
  }
  EXPECT_GT(all.nodes.size(), 50u);
  if (answeredByClang) *answeredByClang = index.answeredByClang();
  return differences;
}

const char *kParentsCode = R"(
#define TWO_FUNCTIONS(a, b) int a(int x) { return x + 1; } int b(int y) { return y * 2; }
TWO_FUNCTIONS(first, second)
typedef struct point { int x, y; } point_t;
int a = 1, b = a + 2;
extern "C" {
  static int c_function(int *p) { return p ? *p : 0; }
}
namespace outer {
namespace [[deprecated]] marked { int inner() { return 3; } }
template <typename T> struct box {
  T value = T(1);
  T get(int scale = 2) const { return value * scale; }
};
inline int use_box() {
  box<int> b{4};
  auto twice = [&](int v) { return v + b.get(); };
  int total = 0;
  int values[] = {1, 2, 3};
  for (int v : values) total += twice(v);
  return total + b.get();
}
}  // namespace outer
template <typename... Ts> int count(Ts... ts) { return sizeof...(ts); }
int counted = count(1, 2.0, 'c');
)";

// C is mapped one top-level declaration at a time: declarations that share
// a line or a macro expansion, nested and GNU constructs, an #include in a body.
const char *kParentsC = R"(
#define TWO_FUNCTIONS(a, b) int a(int x) { return x + 1; } int b(int y) { return y * 2; }
TWO_FUNCTIONS(first, second)
typedef struct point { int x, y; } point_t;
int a = 1, b = 2; static int table[] = {1, 2, 3};
static int sum(const point_t *p) {
  int total = ({ int t = p->x; t + p->y; });
  point_t copy = (point_t){.x = total, .y = sizeof(struct point)};
  for (int i = 0; i < 3; i++) { if (table[i] > 1) { total += table[i]; continue; } }
  switch (copy.x) { case 1: return 1; default: break; }
  return _Generic(total, int: total, default: 0);
}
int knr(a, b) int a; int b; { return a + b; }
)";

TEST(ParentIndex, AnswersAsClangDoesForEveryNodeOfCMappedOneDeclarationAtATime) {
  auto unit = clang::tooling::buildASTFromCodeWithArgs(kParentsC, {"-xc", "-std=gnu11", "-w"}, "parents.c");
  ASSERT_TRUE(unit);
  size_t answeredByClang;
  EXPECT_EQ(differencesFromClang(unit->getASTContext(), &answeredByClang), 0u);
  // Only the semantic forms of the two initializer lists of structs, which
  // clang's walk reaches without passing them to TraverseStmt.
  EXPECT_LE(answeredByClang, 2u) << "the index could not place some nodes";
}

TEST(ParentIndex, AnswersAsClangDoesForEveryNode) {
  auto unit = clang::tooling::buildASTFromCodeWithArgs(kParentsCode, {"-std=c++20", "-w"}, "parents.cpp");
  ASSERT_TRUE(unit);
  EXPECT_EQ(differencesFromClang(unit->getASTContext()), 0u);
}

TEST(ParentIndex, AnswersAsClangDoesWithinATraversalScope) {
  auto unit = clang::tooling::buildASTFromCodeWithArgs(kParentsCode, {"-std=c++20", "-w"}, "parents.cpp");
  ASSERT_TRUE(unit);
  clang::ASTContext &ctx = unit->getASTContext();
  // Every other top-level declaration, as ftlint limits the walk to the
  // project's own declarations.
  std::vector<clang::Decl *> scope;
  bool keep = true;
  for (clang::Decl *d : ctx.getTranslationUnitDecl()->decls()) {
    if (keep) scope.push_back(d);
    keep = !keep;
  }
  ctx.setTraversalScope(scope);
  EXPECT_EQ(differencesFromClang(ctx), 0u);
}

// The rules' walk must offer rules exactly the nodes clang's matchers did,
// in the same order: every statement and declaration, template
// instantiations, implicit code and both forms of initialiser lists.
class NodeRecorder : public clang::ast_matchers::MatchFinder::MatchCallback {
public:
  void run(const clang::ast_matchers::MatchFinder::MatchResult &result) override {
    if (const auto *s = result.Nodes.getNodeAs<clang::Stmt>("node")) {
      seen.push_back(s);
      kinds.push_back(s->getStmtClassName());
    }
    if (const auto *d = result.Nodes.getNodeAs<clang::Decl>("node")) {
      seen.push_back(d);
      kinds.push_back(d->getDeclKindName());
    }
  }
  std::vector<const void *> seen;
  std::vector<std::string> kinds;  // to read a difference
};

// `inOrder`: node by node; otherwise the same nodes, each as often.
void expectTheWalkOffersWhatTheMatchersSaw(clang::ASTContext &ctx, bool inOrder) {
  using namespace clang::ast_matchers;
  NodeRecorder byMatchers, byWalk;
  MatchFinder finder;
  finder.addMatcher(stmt().bind("node"), &byMatchers);
  finder.addMatcher(decl().bind("node"), &byMatchers);
  finder.matchAST(ctx);
  NodeSubscriptions subscriptions;
  subscriptions.onNodes<clang::Stmt>("node", [](const clang::Stmt &) { return true; }, &byWalk);
  subscriptions.onNodes<clang::Decl>("node", [](const clang::Decl &) { return true; }, &byWalk);
  subscriptions.dispatch(ctx);
  EXPECT_GT(byWalk.seen.size(), 100u);
  ASSERT_EQ(byWalk.seen.size(), byMatchers.seen.size());
  if (!inOrder) {
    std::sort(byWalk.seen.begin(), byWalk.seen.end());
    std::sort(byMatchers.seen.begin(), byMatchers.seen.end());
  }
  auto differ = std::mismatch(byWalk.seen.begin(), byWalk.seen.end(), byMatchers.seen.begin());
  if (differ.first != byWalk.seen.end()) {
    size_t at = differ.first - byWalk.seen.begin();
    ADD_FAILURE() << "node " << at << ": the walk offers a " << byWalk.kinds[at] << ", the matchers saw a "
                  << byMatchers.kinds[at];
  }
}

// C, what the speed work is for, node by node. In C++ the same nodes: the
// matchers reach a lambda's capture fields before its body, the walk after.
TEST(NodeSubscriptions, OffersTheNodesTheMatchersSaw) {
  auto c = clang::tooling::buildASTFromCodeWithArgs(kParentsC, {"-xc", "-std=gnu11", "-w"}, "walk.c");
  ASSERT_TRUE(c);
  expectTheWalkOffersWhatTheMatchersSaw(c->getASTContext(), true);
  auto cxx = clang::tooling::buildASTFromCodeWithArgs(kParentsCode, {"-std=c++20", "-w"}, "walk.cpp");
  ASSERT_TRUE(cxx);
  expectTheWalkOffersWhatTheMatchersSaw(cxx->getASTContext(), false);
}

// Siblings come before their children, as the matchers had them: both
// assignments, then the calls inside them.
TEST(NodeSubscriptions, KindsReachSubclassesAndComeBeforeNames) {
  const char *code = "int f(int x) { return x; }\nint g(int y) { y += f(y); y = f(2); return y; }\n";
  auto unit = clang::tooling::buildASTFromCodeWithArgs(code, {"-xc", "-w"}, "kinds.c");
  ASSERT_TRUE(unit);
  struct Log : clang::ast_matchers::MatchFinder::MatchCallback {
    void run(const clang::ast_matchers::MatchFinder::MatchResult &result) override {
      if (const auto *bo = result.Nodes.getNodeAs<clang::BinaryOperator>("assignment"))
        entries.push_back(bo->getOpcodeStr().str());
      if (result.Nodes.getNodeAs<clang::CallExpr>("call")) entries.push_back("call f");
      if (result.Nodes.getNodeAs<clang::CallExpr>("any call")) entries.push_back("any call");
    }
    std::vector<std::string> entries;
  } log;
  NodeSubscriptions subscriptions;
  subscriptions.onCallsTo({"f"}, &log);
  subscriptions.onNodes<clang::BinaryOperator>(
      "assignment", [](const clang::BinaryOperator &bo) { return bo.isAssignmentOp(); }, &log);
  subscriptions.onNodes<clang::CallExpr>("any call", [](const clang::CallExpr &) { return true; }, &log);
  subscriptions.dispatch(unit->getASTContext());
  EXPECT_EQ(log.entries, (std::vector<std::string>{"+=", "=", "any call", "call f", "any call", "call f"}));
}

// Tables of literals are left out of every AST pass; anything that could
// hold a construct a rule looks for (a name, a cast, sizeof, a call, a
// struct's fields) keeps its declaration in.
TEST(LiteralDataTable, OnlyArraysOfNumbersWithLiteralsQualify) {
  const char *code = R"(
enum colour { RED };
struct pair { int a, b; };
int f(void);
static const unsigned char bytes[] = {1, 2, -3, ~4, (5), 'a', +6};
static const double nested[2][2] = {{1.0, -2.5}, {0}};
static const char names[][4] = {"ab", "cd"};
static const int withEnumerator[] = {RED};
static const long withCast[] = {(long)1};
static const int withSizeof[] = {sizeof(int)};
static const int withOperator[] = {1 + 2};
static const struct pair pairs[] = {{1, 2}};
static void *const pointers[] = {0};
static const int scalar = 5;
static int uninitialised[3];
)";
  auto unit = clang::tooling::buildASTFromCodeWithArgs(code, {"-xc", "-std=gnu11", "-w"}, "tables.c");
  ASSERT_TRUE(unit);
  std::vector<std::string> tables;
  for (const clang::Decl *d : unit->getASTContext().getTranslationUnitDecl()->decls())
    if (isLiteralDataTable(d, unit->getASTContext()))
      tables.push_back(llvm::cast<clang::NamedDecl>(d)->getNameAsString());
  EXPECT_EQ(tables, (std::vector<std::string>{"bytes", "nested", "names"}));
}

}  // namespace

namespace {
// Probes DenseMap's quadratic probing makes per insertion of `count` node
// addresses into a table of `buckets` buckets hashed by `Info`. The addresses
// follow one another with the sizes of common C expression nodes, as the AST
// allocator places them.
template <typename Info>
double probesPerInsertion(size_t count, size_t buckets) {
  const size_t nodeSizes[] = {32, 24, 24, 40, 32, 48, 16, 24};
  std::vector<bool> used(buckets, false);
  size_t probes = 0;
  uintptr_t address = uintptr_t(0x7f3a12345000);
  for (size_t i = 0; i < count; ++i) {
    size_t bucket = Info::getHashValue(reinterpret_cast<const void *>(address)) & (buckets - 1);
    for (size_t step = 1; used[bucket]; ++step, ++probes) bucket = (bucket + step) & (buckets - 1);
    used[bucket] = true;
    address += nodeSizes[i % std::size(nodeSizes)];
  }
  return double(probes) / double(count);
}
}  // namespace

// Neighbouring nodes must not take neighbouring buckets: the parent index and
// the unit index look up every node of a function in these maps, filled to
// three quarters before they grow.
TEST(NodeAddressKeys, NeighbouringNodesSpreadAcrossTheTable) {
  double scattered = probesPerInsertion<ftlint::ScatteredAddressInfo<const void>>(6000, 8192);
  double shifted = probesPerInsertion<llvm::DenseMapInfo<const void *>>(6000, 8192);
  EXPECT_LT(scattered, 1.0);
  EXPECT_GT(shifted, 4 * scattered);
}

// In C the rules' walk records the unit index as the index's own walk does,
// though it also walks implicit declarations and the completed form of every
// initialiser list: nested and designated lists, lists that leave fields out,
// calls and field uses inside lists, a module's exec slot.
TEST(TuIndex, RecordedByTheRulesWalkAsByItsOwn) {
  const char *code = R"(
typedef struct PyModuleDef_Slot { int slot; void *value; } PyModuleDef_Slot;
#define Py_mod_exec 2
struct point { int x, y; };
struct shape { struct point corners[2]; const char *name; int (*area)(struct shape *); };
struct holder { struct shape *shape; int count; };
static int area(struct shape *s) { return s->corners[1].x * s->corners[1].y; }
static int exec_module(void *m) { return m != 0; }
static PyModuleDef_Slot slots[] = {{Py_mod_exec, exec_module}, {0, 0}};
static struct shape unit = {{{0, 0}, {1, 1}}, "unit", area};
static struct shape partial = {.name = "partial", .corners[1] = {.y = 2}};
static int helper(int v) { return v + 1; }
int use(struct holder *h) {
  struct point p = {helper(1), helper(h->count)};
  struct shape local = {{p, {p.y, p.x}}, "local", area};
  h->count = local.area(&local) + sizeof(struct holder) + __builtin_offsetof(struct point, y);
  struct point pts[] = {{1, 2}, [3] = {helper(3)}};
  return pts[0].x + unit.corners[0].x + partial.corners[1].y + (int)__builtin_expect(h->count, 0);
}
)";
  auto unit = clang::tooling::buildASTFromCodeWithArgs(code, {"-xc", "-std=gnu11", "-w"}, "index.c");
  ASSERT_TRUE(unit);
  clang::ASTContext &ctx = unit->getASTContext();
  IndexRecorder recorder(ctx);
  std::unique_ptr<TuIndex> recorded;
  NodeSubscriptions none;
  none.dispatch(ctx, &recorder, [&] { recorded = std::make_unique<TuIndex>(ctx, std::move(recorder)); });
  ASSERT_TRUE(recorded);
  TuIndex own(ctx);
  EXPECT_TRUE(recorded->sameAs(own));
  // Not two empty indexes: the calls and stores are there.
  auto fn = [&](llvm::StringRef name) {
    for (const clang::Decl *d : ctx.getTranslationUnitDecl()->decls())
      if (const auto *f = llvm::dyn_cast<clang::FunctionDecl>(d); f && f->getName() == name) return f;
    return static_cast<const clang::FunctionDecl *>(nullptr);
  };
  ASSERT_TRUE(fn("helper") && fn("exec_module"));
  EXPECT_EQ(recorded->callsTo(fn("helper")).size(), 3u);
  EXPECT_TRUE(recorded->isModuleInit(fn("exec_module")));
  // sameAs tells an index from an empty one.
  EXPECT_FALSE(own.sameAs(TuIndex(ctx, IndexRecorder(ctx))));
}

}  // namespace ftlint
