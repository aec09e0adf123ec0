#include "tool/engine/Runner.h"

#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/ModuleDefinitions.h"
#include "tool/analysis/Parents.h"
#include "tool/engine/Suppressions.h"
#include "tool/analysis/PreprocessorFacts.h"
#include "tool/core/Environment.h"
#include "tool/core/Rule.h"
#include "tool/engine/Cache.h"
#include "tool/engine/DiagnosticPragmas.h"
#include "tool/fix/VersionGuard.h"

#include "clang/AST/ASTConsumer.h"
#include "clang/Basic/Diagnostic.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Driver/Options.h"
#include "clang/Frontend/CompilerInstance.h"
#include "clang/Frontend/FrontendAction.h"
#include "clang/Lex/Preprocessor.h"
#include "clang/Tooling/Tooling.h"
#include "llvm/Option/ArgList.h"
#include "llvm/Option/OptTable.h"
#include "llvm/Support/CrashRecoveryContext.h"
#include "llvm/Support/Timer.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/VirtualFileSystem.h"

#include <fmt/format.h>

#include <algorithm>
#include <atomic>
#include <cstdlib>
#include <mutex>
#include <map>
#include <set>
#include <tuple>
#include <thread>
#include <utility>

using namespace clang;
namespace path = llvm::sys::path;

namespace ftlint {
namespace {

std::vector<ModuleSummary> summariseModules(TuContext &tu);

// Collects the errors of one TU so a broken file is reported, not printed.
class ErrorCollector : public DiagnosticConsumer {
public:
  void HandleDiagnostic(DiagnosticsEngine::Level level, const Diagnostic &info) override {
    DiagnosticConsumer::HandleDiagnostic(level, info);
    if (level < DiagnosticsEngine::Error) return;
    llvm::SmallString<256> text;
    info.FormatDiagnostic(text);
    std::string where;
    if (info.hasSourceManager() && info.getLocation().isValid()) {
      PresumedLoc p = info.getSourceManager().getPresumedLoc(info.getLocation());
      if (p.isValid()) where = fmt::format("{}:{}:{}: ", p.getFilename(), p.getLine(), p.getColumn());
    }
    if (messages.size() < kKept) messages.push_back(where + std::string(text));
  }
  static constexpr size_t kKept = 5;
  std::vector<std::string> messages;
};

// For the tests of crash isolation only: FTLINT_TEST_CRASH=NAME makes the
// analysis of a main file whose name contains NAME crash, as a bug in a rule
// would.
void crashIfAskedTo(const SourceManager &sm) {
  const char *name = std::getenv("FTLINT_TEST_CRASH");
  if (!name || !*name) return;
  OptionalFileEntryRef main = sm.getFileEntryRefForID(sm.getMainFileID());
  // A trap rather than a null store: the sanitizer build would stop at the
  // undefined behaviour before the crash it is meant to be.
  if (main && main->getName().contains(name)) __builtin_trap();
}

// Every file the parse read, by real path, with the hash of the content
// clang saw: what a cached result depends on.
std::vector<std::pair<std::string, uint64_t>> filesRead(const SourceManager &sm, RealPathCache &realPaths) {
  std::map<std::string, uint64_t> files;
  for (unsigned i = 0, n = sm.local_sloc_entry_size(); i < n; ++i) {
    const SrcMgr::SLocEntry &entry = sm.getLocalSLocEntry(i);
    if (!entry.isFile()) continue;
    const SrcMgr::ContentCache &content = entry.getFile().getContentCache();
    if (!content.OrigEntry) continue;
    auto data = content.getBufferDataIfLoaded();
    if (!data) continue;
    std::string real = realPaths.resolve(absolutePathOf(sm, *content.OrigEntry));
    if (real.empty()) continue;
    files.emplace(std::move(real), contentHash(*data));
  }
  return {files.begin(), files.end()};
}

// FTLINT_PROFILE=1 prints where each TU's time goes to stderr: the parse,
// each rule's callbacks and end-of-TU work, and the rest of the analysis.
// FTLINT_PROFILE=phases leaves out the per-rule callback times, whose timers
// cost more than many callbacks. For performance work
// (docs/performance.md), not for users.
class PhaseProfile {
public:
  static bool wanted() {
    static const bool on = environmentSwitch("FTLINT_PROFILE");
    return on;
  }
  static bool perRuleCallbacks() {
    static const bool on = environmentValue("FTLINT_PROFILE") != "phases";
    return on;
  }

  void startInvocation() { invocationStart_ = now(); }
  void startParse() { parseStart_ = now(); }
  void endAnalysis() { analysisEnd_ = now(); }
  void endParse() { add("parse", llvm::TimeRecord::getCurrentTime(false).getWallTime() - parseStart_); }

  template <typename Work>
  void time(llvm::StringRef phase, Work &&work) {
    double start = llvm::TimeRecord::getCurrentTime(true).getWallTime();
    work();
    add(phase, llvm::TimeRecord::getCurrentTime(false).getWallTime() - start);
  }
  void add(llvm::StringRef phase, double seconds) { seconds_[phase.str()] += seconds; }

  llvm::StringMap<llvm::TimeRecord> &callbackRecords() { return callbacks_; }

  // `total`: the whole compiler invocation, set-up and tear-down included.
  void print(llvm::StringRef file, double total) {
    // Before the parse: the driver and the compiler instance; after the
    // analysis: freeing the AST and the rest of the compiler's state.
    add("set-up", parseStart_ - invocationStart_);
    add("tear-down", invocationStart_ + total - analysisEnd_);
    for (const auto &entry : callbacks_) add(("check " + entry.getKey()).str(), entry.getValue().getWallTime());
    std::vector<std::pair<double, std::string>> sorted;
    for (const auto &[phase, seconds] : seconds_) sorted.emplace_back(seconds, phase);
    std::sort(sorted.rbegin(), sorted.rend());
    std::string line = fmt::format("ftlint profile: {}: {:.1f} ms", file.str(), total * 1000);
    for (const auto &[seconds, phase] : sorted)
      if (seconds >= 0.0005) line += fmt::format("; {} {:.1f}", phase, seconds * 1000);
    std::lock_guard<std::mutex> lock(printMutex());
    llvm::errs() << line << "\n";
  }

private:
  static double now() { return llvm::TimeRecord::getCurrentTime(true).getWallTime(); }
  static std::mutex &printMutex() {
    static std::mutex m;
    return m;
  }
  double invocationStart_ = 0, parseStart_ = 0, analysisEnd_ = 0;
  std::map<std::string, double> seconds_;
  llvm::StringMap<llvm::TimeRecord> callbacks_;
};

class LintConsumer : public ASTConsumer {
public:
  LintConsumer(TuContext &tu, PreprocessorTracker &tracker, const RunOptions &options,
               std::vector<std::pair<std::string, uint64_t>> &inputs, PhaseProfile *profile)
      : tu_(tu), tracker_(tracker), profile_(profile),
        versionGuardTarget_(options.versionGuardTarget), skipForeignCode_(options.skipForeignCode),
        recordInputs_(options.cache != nullptr), inputs_(inputs) {
    for (const auto &r : allRules()) {
      if (!options.selection.isEnabled(r.info->code, r.info->enabledByDefault)) continue;
      rules_.push_back(r.make(*r.info, tu_));
      rules_.back()->subscribe();
    }
    if (profile && PhaseProfile::perRuleCallbacks()) tu_.nodes().timeCallbacksInto(&profile->callbackRecords());
  }

  // Called by the parser for each function body; a body outside the
  // project is skipped (its declaration stays).
  bool shouldSkipFunctionBody(Decl *d) override { return !tu_.inProject(d->getLocation()); }

  void Initialize(ASTContext &ast) override { noteProjectDecls_ = skipForeignCode_ && !ast.getLangOpts().CPlusPlus; }

  // The project's top-level declarations of a C unit, noted as the parser
  // hands them over: walking the unit's thousands of declarations afterwards
  // costs a cache miss each (1.5 ms of a 65 ms run on a small C file).
  bool HandleTopLevelDecl(DeclGroupRef group) override {
    if (noteProjectDecls_)
      for (Decl *d : group)
        if (isProjectDecl(d)) projectDecls_.push_back(d);
    return true;
  }

  void HandleTranslationUnit(ASTContext &ast) override {
    crashIfAskedTo(ast.getSourceManager());
    if (profile_) profile_->endParse();
    phase("preprocessor facts", [&] { tracker_.finish(); });
    tu_.setAst(ast);
    if (skipForeignCode_) phase("traversal scope", [&] { limitTraversalToProject(ast); });
    // After the scope is set: parents are only ever asked for inside it.
    ScopedParentIndex parents(ast);
    phase("rules' walk", [&] { tu_.walkForRules(); });
    for (auto &rule : rules_)
      phase(("finish " + std::string(rule->info().code)), [&] { rule->finishTranslationUnit(ast); });
    if (versionGuardTarget_) phase("version guard", [&] { guardFixesByVersion(ast, tu_.findings(), versionGuardTarget_); });
    // Module init may live in another TU: share this TU's call graph.
    phase("call graph", [&] { tu_.saveCallGraph(); });
    phase("module summary", [&] { tu_.setModules(summariseModules(tu_)); });
    if (recordInputs_) phase("input hashes", [&] { inputs_ = filesRead(ast.getSourceManager(), tu_.realPaths()); });
    if (profile_) profile_->endAnalysis();
  }

private:
  template <typename Work>
  void phase(llvm::StringRef name, Work &&work) {
    if (profile_) profile_->time(name, work);
    else work();
  }

  TuContext &tu_;
  PreprocessorTracker &tracker_;
  PhaseProfile *profile_;
  std::vector<std::unique_ptr<Rule>> rules_;
  bool noteProjectDecls_ = false;
  std::vector<Decl *> projectDecls_;

  bool isProjectDecl(const Decl *d) { return d->getLocation().isValid() && tu_.inProject(d->getLocation()); }

  // Matchers and the rules' own AST walks visit only the project's
  // top-level declarations, not the thousands a Python.h brings in.
  void limitTraversalToProject(ASTContext &ast) {
    // In C the parser handed over every declaration the unit lists, except
    // the implicit ones of builtins and undeclared functions, which have no
    // body to analyse. In C++ the unit also lists using-declarations' shadows
    // and the parser hands over template instantiations, which are visited
    // inside their templates: walk the unit's own list.
    std::vector<Decl *> scope;
    if (noteProjectDecls_) {
      scope = std::move(projectDecls_);
    } else {
      for (Decl *d : ast.getTranslationUnitDecl()->decls())
        if (isProjectDecl(d)) scope.push_back(d);
    }
    // Tables of literals are left out: every pass would walk their thousands
    // of numbers (mrab-regex's unicode tables: 30 ms) to find nothing.
    std::erase_if(scope, [&](const Decl *d) { return isLiteralDataTable(d, ast); });
    ast.setTraversalScope(scope);
  }

  int versionGuardTarget_;
  bool skipForeignCode_;
  bool recordInputs_;
  std::vector<std::pair<std::string, uint64_t>> &inputs_;
};

std::string declarationText(GilDeclaration g) {
  switch (g) {
  case GilDeclaration::NotUsed: return "declared: runs without the GIL";
  case GilDeclaration::Used: return "keeps the GIL on purpose (Py_MOD_GIL_USED)";
  case GilDeclaration::Missing: break;
  }
  return "not declared";
}

std::vector<ModuleSummary> summariseModules(TuContext &tu) {
  std::vector<ModuleSummary> out;
  const SourceManager &sm = tu.sourceManager();
  auto add = [&](std::string name, std::string kind, GilDeclaration g, SourceLocation loc) {
    ModuleSummary m;
    m.name = std::move(name);
    m.kind = std::move(kind);
    m.declaration = declarationText(g);
    m.declared = g != GilDeclaration::Missing;
    SourceLocation at = sm.getFileLoc(loc);
    PresumedLoc p = sm.getPresumedLoc(at);
    if (p.isValid()) {
      // Named as findings name their file: a relative name in the database is
      // taken from the compile command's directory, not from where ftlint runs.
      m.file = realPathOfFile(sm, sm.getFileID(at), &tu.realPaths());
      if (m.file.empty()) m.file = p.getFilename();
      m.line = p.getLine();
    }
    out.push_back(std::move(m));
  };
  for (const ModuleDefinition &m : findModuleDefinitions(tu))
    if (m.multiPhase || m.create)
      add(m.name, m.multiPhase ? "multi-phase" : "single-phase", m.gil, m.definition->getLocation());
  for (const BindingModule &m : findBindingModules(tu)) {
    if (m.library == BindingModule::Pybind11) {
      add(m.name, "pybind11", m.gil, m.loc);
    } else {
      add(m.name, "nanobind", GilDeclaration::Missing, m.loc);
      out.back().declaration = "declared in the build: nanobind_add_module(... FREE_THREADED)";
      out.back().declared = true;
    }
  }
  return out;
}

class LintAction : public ASTFrontendAction {
public:
  LintAction(TuContext &tu, PreprocessorFacts &facts, const RunOptions &options,
             std::vector<std::pair<std::string, uint64_t>> &inputs, PhaseProfile *profile)
      : tu_(tu), facts_(facts), options_(options), inputs_(inputs), profile_(profile) {}

  bool BeginSourceFileAction(CompilerInstance &ci) override {
    if (profile_) profile_->startParse();
    Preprocessor &pp = ci.getPreprocessor();
    auto tracker = std::make_unique<PreprocessorTracker>(pp, facts_);
    tracker_ = tracker.get();  // owned by the preprocessor, which outlives the consumer
    pp.addPPCallbacks(std::move(tracker));
    installDiagnosticPragmaHandlers(pp);
    return true;
  }

  std::unique_ptr<ASTConsumer> CreateASTConsumer(CompilerInstance &ci, StringRef) override {
    tu_.setSourceManager(ci.getSourceManager());
    facts_.projectFile = [&tu = tu_](FileID fid) { return tu.inProjectFile(fid); };
    ci.getFrontendOpts().SkipFunctionBodies = options_.skipForeignCode;
    return std::make_unique<LintConsumer>(tu_, *tracker_, options_, inputs_, profile_);
  }

private:
  TuContext &tu_;
  PreprocessorFacts &facts_;
  const RunOptions &options_;
  std::vector<std::pair<std::string, uint64_t>> &inputs_;
  PhaseProfile *profile_;
  PreprocessorTracker *tracker_ = nullptr;
};

bool isCompilerWrapper(llvm::StringRef name) {
  return name == "ccache" || name == "sccache" || name == "distcc" || name == "icecc";
}

bool isCxxDriver(llvm::StringRef name) {
  // g++, c++, clang++-14, x86_64-linux-gnu-g++-12; MSVC's cl compiles C++ too.
  return name.contains("++") || name == "cl" || name == "cl.exe";
}

// Flags that only matter for producing output, which ftlint does not do.
bool isOutputFlag(llvm::StringRef a) {
  return a == "-c" || a == "-S" || a == "-E" || a == "-M" || a == "-MM" || a == "-MD" || a == "-MMD" ||
         a == "-MP" || a == "-pipe" || a.starts_with("-Werror") || a.starts_with("-fdiagnostics-color") ||
         a == "-save-temps" || a.starts_with("-flto");
}

bool isOutputFlagWithValue(llvm::StringRef a) {
  return a == "-o" || a == "-MF" || a == "-MT" || a == "-MQ";
}

// Drops arguments clang's driver does not know (gcc-only options), which
// would otherwise stop the parse.
std::vector<std::string> withoutUnknownOptions(const std::vector<std::string> &args) {
  std::vector<const char *> argv;
  for (size_t i = 1; i < args.size(); ++i) argv.push_back(args[i].c_str());
  unsigned missingIndex = 0, missingCount = 0;
  const llvm::opt::OptTable &table = driver::getDriverOptTable();
  llvm::opt::InputArgList list =
      table.ParseArgs(argv, missingIndex, missingCount, llvm::opt::Visibility(driver::options::ClangOption));
  std::set<unsigned> unknown;
  for (const llvm::opt::Arg *a : list)
    if (a->getOption().getKind() == llvm::opt::Option::UnknownClass) unknown.insert(a->getIndex());
  std::vector<std::string> out{args[0]};
  for (size_t i = 1; i < args.size(); ++i)
    if (!unknown.count(static_cast<unsigned>(i - 1))) out.push_back(args[i]);
  return out;
}

bool hasBuiltinHeaders(const std::string &dir) {
  llvm::SmallString<256> p(dir);
  path::append(p, "include", "stddef.h");
  return llvm::sys::fs::exists(p);
}

// Functions only module initialisation reaches, across every TU: the init
// roots, then functions whose every caller is one of them and whose address
// is never taken. Findings marked initOnlyUnlessUsr inside them are dropped:
// that code runs once, under the import lock.
void dropFindingsInInitOnlyCode(std::vector<TuResult> &results) {
  std::set<std::string> init, indirect;
  std::map<std::string, std::set<std::string>> callers;
  for (const auto &r : results) {
    init.insert(r.callGraph.initRoots.begin(), r.callGraph.initRoots.end());
    indirect.insert(r.callGraph.indirect.begin(), r.callGraph.indirect.end());
    for (const auto &[caller, callee] : r.callGraph.edges) callers[callee].insert(caller);
  }
  for (bool grew = true; grew;) {
    grew = false;
    for (const auto &[callee, from] : callers) {
      if (init.count(callee) || indirect.count(callee) || callee.empty()) continue;
      if (std::all_of(from.begin(), from.end(), [&](const std::string &c) { return init.count(c) > 0; })) {
        init.insert(callee);
        grew = true;
      }
    }
  }
  for (auto &r : results)
    r.findings.erase(std::remove_if(r.findings.begin(), r.findings.end(),
                                    [&](const Finding &f) {
                                      return !f.initOnlyUnlessUsr.empty() && init.count(f.initOnlyUnlessUsr);
                                    }),
                     r.findings.end());
}

// One summary per module, with the sites of the findings of the TUs of its
// build target (or of its own TU when the database does not say).
std::vector<ModuleSummary> summariseModulesAcrossTus(const std::vector<CompileCommand> &commands,
                                                     const std::vector<TuResult> &results) {
  std::vector<std::string> targets;
  for (const auto &c : commands) targets.push_back(buildTargetOf(c));
  std::vector<ModuleSummary> modules;
  for (size_t i = 0; i < results.size(); ++i) {
    const std::string &target = targets[i];
    for (const ModuleSummary &m : results[i].modules) {
      bool seen = std::any_of(modules.begin(), modules.end(), [&](const ModuleSummary &o) {
        return o.name == m.name && o.file == m.file && o.line == m.line;
      });
      if (seen) continue;
      // The surest of the target's units, for each site.
      std::map<std::tuple<std::string, unsigned, std::string>, Confidence> sites;
      for (size_t j = 0; j < results.size(); ++j) {
        bool sameUnit = target.empty() ? j == i : targets[j] == target;
        if (!sameUnit) continue;
        for (const Finding &f : results[j].findings) {
          if (f.code.rfind("FT3", 0) == 0) continue;
          auto [it, added] = sites.try_emplace({f.file, f.offset, f.code}, f.confidence);
          if (!added) it->second = std::max(it->second, f.confidence);
        }
      }
      ModuleSummary copy = m;
      for (const auto &[where, confidence] : sites)
        copy.findingSites.push_back({std::get<0>(where), std::get<1>(where), std::get<2>(where), confidence});
      modules.push_back(std::move(copy));
    }
  }
  std::sort(modules.begin(), modules.end(),
            [](const ModuleSummary &a, const ModuleSummary &b) { return a.name < b.name; });
  return modules;
}

}  // namespace

std::string buildTargetOf(const CompileCommand &command) {
  const auto &args = command.arguments;
  for (size_t i = 0; i + 1 < args.size(); ++i) {
    llvm::StringRef out;
    if (args[i] == "-o") out = args[i + 1];
    else if (llvm::StringRef(args[i]).starts_with("-o") && args[i].size() > 2) out = llvm::StringRef(args[i]).drop_front(2);
    if (out.empty()) continue;
    llvm::SmallVector<llvm::StringRef, 8> parts;
    out.split(parts, '/');
    for (llvm::StringRef part : parts) {
      if (part.ends_with(".dir") && part.size() > 4) return part.drop_back(4).str();  // CMake
      if (part.ends_with(".p") && part.size() > 2) return part.drop_back(2).str();    // meson
    }
  }
  return {};
}

std::string findResourceDir() {
  if (const char *env = std::getenv("FTLINT_RESOURCE_DIR"); env && hasBuiltinHeaders(env)) return env;
  // Installed: <prefix>/bin/ftlint and <prefix>/lib/ftlint/clang/<major>.
  std::string exe = llvm::sys::fs::getMainExecutable(nullptr, reinterpret_cast<void *>(&findResourceDir));
  if (!exe.empty()) {
    llvm::SmallString<256> p(path::parent_path(path::parent_path(exe)));
    path::append(p, "lib", "ftlint", "clang", std::to_string(FTLINT_CLANG_VERSION_MAJOR));
    if (hasBuiltinHeaders(std::string(p))) return std::string(p);
  }
  return FTLINT_CLANG_RESOURCE_DIR;
}

std::string targetOf(const std::vector<std::string> &arguments) {
  for (size_t i = 0; i < arguments.size(); ++i) {
    llvm::StringRef a(arguments[i]);
    if (a.consume_front("--target=")) return a.str();
    if ((a == "-target" || a == "--target") && i + 1 < arguments.size()) return arguments[i + 1];
  }
  return {};
}

std::vector<std::string> argumentsThatMatter(const CompileCommand &command) {
  const auto &in = command.arguments;
  size_t start = 0;
  while (start + 1 < in.size() && isCompilerWrapper(path::filename(in[start]))) ++start;
  std::vector<std::string> out;
  out.push_back(start < in.size() && isCxxDriver(path::filename(in[start])) ? "clang++" : "clang");
  for (size_t i = start + 1; i < in.size(); ++i) {
    llvm::StringRef a(in[i]);
    if (isOutputFlag(a)) continue;
    if (isOutputFlagWithValue(a)) { ++i; continue; }
    if (a.starts_with("-o") && a.size() > 2 && a != "-objc") continue;
    if ((a.starts_with("-MF") || a.starts_with("-MT") || a.starts_with("-MQ")) && a.size() > 3) continue;
    // Another target's system headers are not installed here; the host's
    // parse the same extension code.
    if (a.starts_with("--target=")) continue;
    if (a == "-target" || a == "--target") { ++i; continue; }
    // MSVC-style include and macro options in a database for a gcc-like
    // driver (`/I dir` is otherwise read as a source file named "/I...").
    if (a.size() > 2 && (a.starts_with("/I") || a.starts_with("/D") || a.starts_with("/U")) &&
        !llvm::sys::fs::exists(a)) {
      out.push_back("-" + a.drop_front(1).str());
      continue;
    }
    out.push_back(in[i]);
  }
  return out;
}

std::vector<std::string> prepareArguments(const CompileCommand &command, const RunOptions &options) {
  std::vector<std::string> out = withoutUnknownOptions(argumentsThatMatter(command));
  std::string resourceDir = options.resourceDir.empty() ? findResourceDir() : options.resourceDir;
  std::vector<std::string> added = {"-fsyntax-only", "-w", "-fno-caret-diagnostics", "-Qunused-arguments",
                                    "-ferror-limit=50", "-Wno-error=implicit-function-declaration",
                                    "-Wno-error=int-conversion", "-Wno-error=incompatible-pointer-types",
                                    "-Wno-error=incompatible-function-pointer-types", "-resource-dir", resourceDir};
  added.insert(added.end(), options.extraArgs.begin(), options.extraArgs.end());
  // Options go before a `--` that ends them (interpolated commands have one).
  auto endOfOptions = std::find(out.begin(), out.end(), "--");
  out.insert(endOfOptions, added.begin(), added.end());
  return out;
}

namespace {

// Why the file a command names cannot be parsed at all, or "".
std::string unusableSource(const CompileCommand &command, const RunOptions &options) {
  llvm::SmallString<256> file(command.file);
  if (!path::is_absolute(file)) llvm::sys::fs::make_absolute(command.directory, file);
  if (options.overlay && options.overlay->count(std::string(file))) return {};
  llvm::sys::fs::file_status status;
  if (llvm::sys::fs::status(file, status))
    return "the compile database lists this file, but it does not exist";
  if (llvm::sys::fs::is_directory(status)) return "the compile database lists a directory here, not a source file";
  // Opened, not read: clang reads the content itself.
  llvm::Expected<llvm::sys::fs::file_t> opened = llvm::sys::fs::openNativeFileForRead(file);
  if (!opened) return fmt::format("cannot read it: {}", llvm::toString(opened.takeError()));
  llvm::sys::fs::closeFile(*opened);
  return {};
}

// One TU, parsed with `arguments` (prepareArguments of the command): the
// caller may already have them, for the cache key.
TuResult analysePrepared(const CompileCommand &command, const std::vector<std::string> &arguments,
                         const RunOptions &options) {
  TuResult result;
  if (std::string why = unusableSource(command, options); !why.empty()) {
    TuFailure failure;
    failure.file = command.file;
    failure.errorCount = 1;
    failure.errors.push_back(why);
    result.failure = std::move(failure);
    return result;
  }
  PreprocessorFacts facts;
  TuContext tu(options.scope, facts);
  for (const char *code : {"FT501", "FT502", "FT506"})
    if (const RegisteredRule *r = findRule(code); r && options.selection.isEnabled(code, r->info->enabledByDefault))
      tu.requestCallGraph();
  ErrorCollector errors;

  llvm::IntrusiveRefCntPtr<llvm::vfs::FileSystem> fs(llvm::vfs::createPhysicalFileSystem().release());
  if (options.overlay && !options.overlay->empty()) {
    llvm::IntrusiveRefCntPtr<llvm::vfs::InMemoryFileSystem> memory(new llvm::vfs::InMemoryFileSystem);
    for (const auto &[path, content] : *options.overlay)
      memory->addFile(path, 0, llvm::MemoryBuffer::getMemBufferCopy(content, path));
    llvm::IntrusiveRefCntPtr<llvm::vfs::OverlayFileSystem> layered(new llvm::vfs::OverlayFileSystem(fs));
    layered->pushOverlay(memory);
    fs = layered;
  }
  fs->setCurrentWorkingDirectory(command.directory);
  llvm::IntrusiveRefCntPtr<FileManager> files(new FileManager(FileSystemOptions(), fs));

  bool ok = false;
  std::optional<PhaseProfile> profile;
  if (PhaseProfile::wanted()) profile.emplace();
  PhaseProfile *profiling = profile ? &*profile : nullptr;
  auto run = [&] {
    tooling::ToolInvocation invocation(arguments,
                                       std::make_unique<LintAction>(tu, facts, options, result.inputs, profiling),
                                       files.get());
    invocation.setDiagnosticConsumer(&errors);
    ok = invocation.run();
  };
  llvm::CrashRecoveryContext crc;
  double started = llvm::TimeRecord::getCurrentTime(true).getWallTime();
  if (profile) profile->startInvocation();
  bool survived = crc.RunSafely(run);
  if (profile && survived) profile->print(command.file, llvm::TimeRecord::getCurrentTime(false).getWallTime() - started);

  result.findings = tu.takeFindings();
  result.callGraph = tu.takeCallGraph();
  result.modules = tu.takeModules();
  for (auto &m : result.modules) m.target = buildTargetOf(command);
  result.headers = facts.headers;
  if (!survived || !ok || errors.getNumErrors() > 0) {
    TuFailure failure;
    failure.file = command.file;
    failure.crashed = !survived;
    failure.errorCount = errors.getNumErrors();
    failure.errors = errors.messages;
    if (failure.crashed) failure.errors.insert(failure.errors.begin(), "ftlint crashed while analysing this file");
    else if (failure.errors.empty()) failure.errors.push_back("clang could not process this compile command");
    result.failure = std::move(failure);
  }
  return result;
}

}  // namespace

TuResult analyseTranslationUnit(const CompileCommand &command, const RunOptions &options) {
  return analysePrepared(command, prepareArguments(command, options), options);
}

RunResult analyse(const std::vector<CompileCommand> &commands, const RunOptions &options) {
  llvm::CrashRecoveryContext::Enable();
  // The largest files first: the slowest TU should not start last.
  std::vector<size_t> order(commands.size());
  std::vector<uint64_t> sizes(commands.size(), 0);
  for (size_t i = 0; i < commands.size(); ++i) {
    order[i] = i;
    llvm::sys::fs::file_size(commands[i].file, sizes[i]);
  }
  std::stable_sort(order.begin(), order.end(), [&](size_t a, size_t b) { return sizes[a] > sizes[b]; });

  RunOptions resolved = options;
  if (resolved.resourceDir.empty()) resolved.resourceDir = findResourceDir();

  std::vector<TuResult> results(commands.size());
  std::atomic<size_t> next{0}, done{0}, fromCache{0};
  std::mutex progressMutex;
  // Fixes in progress live in memory only: nothing from the cache then.
  ResultCache *cache = options.overlay && !options.overlay->empty() ? nullptr : options.cache;
  if (!cache) resolved.cache = nullptr;
  auto worker = [&] {
    for (size_t k; (k = next.fetch_add(1)) < order.size();) {
      const CompileCommand &command = commands[order[k]];
      TuResult &result = results[order[k]];
      std::vector<std::string> arguments = prepareArguments(command, resolved);
      std::optional<TuResult> cached = cache ? cache->lookup(command, arguments) : std::nullopt;
      if (cached) {
        result = std::move(*cached);
        ++fromCache;
      } else {
        result = analysePrepared(command, arguments, resolved);
        if (cache) cache->store(command, arguments, result);
        // Held until every unit is done, beside the next units' ASTs: keep it
        // small. (A run from the cache parses no AST; packing would only
        // slow it down.)
        result.packedFindings = packFindings(result.findings);
        result.findings = {};
      }
      result.inputs = {};
      size_t finished = ++done;
      if (options.progress) {
        std::lock_guard<std::mutex> lock(progressMutex);
        options.progress(finished, commands.size(), fromCache);
      }
    }
  };
  unsigned jobs = options.jobs ? options.jobs : std::max(1u, std::thread::hardware_concurrency());
  jobs = std::min<unsigned>(jobs, std::max<size_t>(1, commands.size()));
  std::vector<std::thread> threads;
  for (unsigned j = 1; j < jobs; ++j) threads.emplace_back(worker);
  worker();
  for (auto &t : threads) t.join();
  for (auto &r : results)
    if (!r.packedFindings.empty()) r.findings = unpackFindings(std::exchange(r.packedFindings, {}));

  dropFindingsInInitOnlyCode(results);
  std::vector<ModuleSummary> modules = summariseModulesAcrossTus(commands, results);

  RunResult run;
  run.translationUnits = commands.size();
  run.cachedTranslationUnits = fromCache;
  for (auto &r : results) {
    for (auto &f : r.findings) run.findings.push_back(std::move(f));
    if (r.failure) run.failures.push_back(std::move(*r.failure));
    if (r.headers.major == 3 && (run.oldestHeadersMinor == 0 || r.headers.minor < run.oldestHeadersMinor))
      run.oldestHeadersMinor = r.headers.minor;
  }
  std::sort(run.findings.begin(), run.findings.end(), findingLess);
  run.findings.erase(std::unique(run.findings.begin(), run.findings.end(), sameFinding), run.findings.end());
  const RegisteredRule *unused = findRule("FT901");
  applySuppressions(run.findings, unused && options.selection.isEnabled("FT901", unused->info->enabledByDefault),
                    options.overlay.get());
  run.modules = std::move(modules);
  recountOpenFindings(run.modules, run.findings, Confidence::Low);
  std::sort(run.failures.begin(), run.failures.end(),
            [](const TuFailure &a, const TuFailure &b) { return a.file < b.file; });
  return run;
}

}  // namespace ftlint
