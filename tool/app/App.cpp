#include "tool/app/App.h"

#include "tool/core/Rule.h"
#include "tool/core/Selection.h"
#include "tool/engine/Baseline.h"
#include "tool/engine/Cache.h"
#include "tool/engine/CompatHeader.h"
#include "tool/engine/Config.h"
#include "tool/engine/FixApply.h"
#include "tool/engine/Inputs.h"
#include "tool/engine/Runner.h"
#include "tool/output/Report.h"
#include "tool/output/JsonText.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cctype>
#include <chrono>
#include <cstdlib>
#include <algorithm>
#include <map>
#include <memory>
#include <optional>
#include <set>

namespace ftlint {
namespace {

constexpr int kExitClean = 0, kExitFindings = 1, kExitError = 2;

const char *kUsage = R"(ftlint: find free-threading hazards in CPython extension modules

Usage:
  ftlint [check] [PATH...] [options] [-- COMPILER_FLAGS...]
  ftlint rules [--format text|json]
  ftlint explain CODE
  ftlint docs --output DIR
  ftlint cache dir|clear [-p DIR | --cache-dir DIR]

Input:
  -p DIR                    build directory holding compile_commands.json
  --compile-commands FILE   the compile database itself
  PATH...                   files or directories: filter the database, or lint
                            these files with the headers of --python
  --python PATH             interpreter whose headers plain files use (python3)
  --project-root DIR        only files below it are analysed (default: found
                            from .git, pyproject.toml, setup.py, ...)
  -- FLAGS                  extra compiler flags for every file

Configuration:
  --config FILE             settings file (default: the nearest .ftlint.toml,
                            or pyproject.toml with [tool.ftlint], upward
                            from the working directory)
  --no-config               ignore configuration files

Rules:
  --select LIST             only these codes or prefixes (FT1,FT301; ALL)
  --extend-select LIST      add to the selection
  --ignore LIST             leave these out
  --confidence high|low     report findings of at least this confidence
                            (high); low adds containers that only calls into
                            Python code hand over, which are usually fresh

Output:
  --format FORMAT           text (default), json (array of findings),
                            json-report (findings, modules, failures),
                            sarif, github
  -o, --output FILE         write the report to FILE
  --statistics              one line per rule: count and fixable findings
  -q, --quiet               findings only
  --color auto|always|never (auto)
  --exit-zero               exit 0 even when there are findings
  --write-baseline FILE     record the current findings in FILE and exit
  --baseline FILE           hide findings recorded in FILE (only new ones fail)
  -j, --jobs N              parallel translation units (all cores)
  --cache-dir DIR           reuse results of unchanged translation units from
                            DIR (default: .ftlint-cache beside the compile
                            database, or the user cache directory)
  --no-cache                analyse everything, read and write no cache

Fixes:
  --fix                     apply safe fixes to the files
  --unsafe-fixes            also apply (or, with --diff, show) unsafe fixes
  --diff                    print the fixes as a unified diff; write nothing
  --target-python X.Y       oldest Python the code must build for (3.13); when
                            older than an API a fix uses, the fix includes
                            the compatibility header
  --compat header|guard     how fixed code builds on Pythons older than the
                            APIs it uses: include the compatibility header
                            (header, the default), or keep the original code
                            for them under #if PY_VERSION_HEX (guard)
  --compat-header NAME      that header (pythoncapi_compat.h)
  --version, -h, --help

Exit status: 0 no findings, 1 findings, 2 usage, configuration or input
error (including a translation unit that could not be parsed). With --fix,
findings that remain after fixing count; with --diff, 1 means there are
changes to show.
)";

struct CheckOptions {
  std::set<std::string> given;  // long options set on the command line
  std::string configFile;       // --config
  bool noConfig = false;        // --no-config
  std::optional<FileConfig> config;
  InputOptions input;
  RuleSelection selection;
  std::vector<std::string> extraArgs;
  std::string format = "text";
  std::string outputFile;
  std::string baseline, writeBaseline;
  std::string color = "auto";
  std::string confidence = "high";
  bool quiet = false, exitZero = false;
  unsigned jobs = 0;
  bool fix = false, unsafeFixes = false, diff = false, statistics = false;
  std::string targetPython = "3.13";
  std::string compat = "header";  // or "guard"
  bool analyseForeignCode = false;
  std::string cacheDir;
  bool noCache = false;
  std::string compatHeader = kDefaultCompatHeader;
};

// "ftlint: 12/200 translation units (8 from cache)" on one line of a
// terminal's stderr, redrawn in place; shown only once a run has taken a
// second, and wiped before the report.
class ProgressLine {
public:
  ProgressLine(llvm::raw_ostream &err, bool enabled)
      : err_(err), enabled_(enabled), start_(std::chrono::steady_clock::now()) {}
  void update(size_t done, size_t total, size_t cached) {
    if (!enabled_ || std::chrono::steady_clock::now() - start_ < std::chrono::seconds(1)) return;
    err_ << fmt::format("\rftlint: {}/{} translation units{}\x1b[K", done, total,
                        cached ? fmt::format(" ({} from cache)", cached) : "");
    err_.flush();
    shown_ = true;
  }
  void finish() {
    if (!shown_) return;
    err_ << "\r\x1b[K";
    err_.flush();
    shown_ = false;
  }

private:
  llvm::raw_ostream &err_;
  bool enabled_;
  std::chrono::steady_clock::time_point start_;
  bool shown_ = false;
};

class UsageError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

// Walks the argument list; `--opt value` and `--opt=value` are both accepted.
class ArgCursor {
public:
  explicit ArgCursor(const std::vector<std::string> &args) : args_(args) {}
  bool done() const { return i_ >= args_.size(); }
  const std::string &peek() const { return args_[i_]; }
  std::string next() { return args_[i_++]; }

  // If the current argument is `name` (or `name=...`), consumes it and its value.
  std::optional<std::string> option(std::initializer_list<std::string_view> names) {
    const std::string &a = args_[i_];
    for (auto name : names) {
      if (a == name) {
        if (i_ + 1 >= args_.size()) throw UsageError(fmt::format("{} needs a value", name));
        i_ += 2;
        return args_[i_ - 1];
      }
      if (name.substr(0, 2) == "--" && a.size() > name.size() && a.compare(0, name.size(), name) == 0 &&
          a[name.size()] == '=') {
        ++i_;
        return a.substr(name.size() + 1);
      }
      // Short options take their value attached too: -j4, -pbuild.
      if (name.size() == 2 && name[0] == '-' && name[1] != '-' && a.size() > 2 && a.compare(0, 2, name) == 0) {
        ++i_;
        return a.substr(2);
      }
    }
    return std::nullopt;
  }
  bool flag(std::initializer_list<std::string_view> names) {
    for (auto name : names)
      if (args_[i_] == name) { ++i_; return true; }
    return false;
  }

private:
  const std::vector<std::string> &args_;
  size_t i_ = 0;
};

unsigned parseJobs(const std::string &v) {
  char *end = nullptr;
  long n = std::strtol(v.c_str(), &end, 10);
  if (v.empty() || *end || n < 0 || n > 1024) throw UsageError(fmt::format("--jobs '{}': expected a number from 0 to 1024", v));
  return static_cast<unsigned>(n);
}

void appendCodes(std::vector<std::string> &to, const std::string &list, std::string_view option) {
  auto codes = splitCodeList(list);
  if (auto problem = validateCodeList(codes, option); !problem.empty()) throw UsageError(problem);
  to.insert(to.end(), codes.begin(), codes.end());
}

CheckOptions parseCheck(ArgCursor &c) {
  CheckOptions o;
  while (!c.done()) {
    if (c.peek() == "--") {
      c.next();
      while (!c.done()) o.extraArgs.push_back(c.next());
      break;
    }
    if (auto v = c.option({"-p", "--build-dir"})) o.input.buildDir = *v, o.given.insert("build-dir");
    else if (auto v = c.option({"--compile-commands"})) o.input.compileCommandsFile = *v, o.given.insert("compile-commands");
    else if (auto v = c.option({"--python"})) o.input.python = *v, o.given.insert("python");
    else if (auto v = c.option({"--project-root"})) o.input.projectRoot = *v, o.given.insert("project-root");
    else if (auto v = c.option({"--select"})) appendCodes(o.selection.select, *v, "--select"), o.given.insert("select");
    else if (auto v = c.option({"--extend-select"})) appendCodes(o.selection.extendSelect, *v, "--extend-select");
    else if (auto v = c.option({"--ignore"})) appendCodes(o.selection.ignore, *v, "--ignore");
    else if (auto v = c.option({"--format"})) o.format = *v, o.given.insert("format");
    else if (auto v = c.option({"-o", "--output"})) o.outputFile = *v;
    else if (auto v = c.option({"--baseline"})) o.baseline = *v, o.given.insert("baseline");
    else if (auto v = c.option({"--write-baseline"})) o.writeBaseline = *v;
    else if (auto v = c.option({"--color"})) o.color = *v, o.given.insert("color");
    else if (auto v = c.option({"--confidence"})) o.confidence = *v, o.given.insert("confidence");
    else if (auto v = c.option({"-j", "--jobs"})) o.jobs = parseJobs(*v), o.given.insert("jobs");
    else if (c.flag({"--no-color"})) o.color = "never", o.given.insert("color");
    else if (c.flag({"-q", "--quiet"})) o.quiet = true;
    else if (c.flag({"--exit-zero"})) o.exitZero = true;
    else if (c.flag({"--fix"})) o.fix = true;
    else if (c.flag({"--unsafe-fixes"})) o.unsafeFixes = true;
    else if (c.flag({"--diff"})) o.diff = true;
    else if (c.flag({"--statistics"})) o.statistics = true;
    else if (auto v = c.option({"--target-python"})) o.targetPython = *v, o.given.insert("target-python");
    else if (auto v = c.option({"--compat"})) o.compat = *v, o.given.insert("compat");
    else if (auto v = c.option({"--compat-header"})) o.compatHeader = *v, o.given.insert("compat-header");
    else if (auto v = c.option({"--config"})) o.configFile = *v;
    else if (c.flag({"--no-config"})) o.noConfig = true;
    else if (auto v = c.option({"--cache-dir"})) o.cacheDir = *v, o.given.insert("cache-dir");
    else if (c.flag({"--no-cache"})) o.noCache = true;
    // Not in --help: for the benchmark and for proving that skipping code
    // outside the project changes nothing.
    else if (c.flag({"--no-skipping"})) o.analyseForeignCode = true;
    else if (c.peek().size() > 1 && c.peek()[0] == '-') throw UsageError(fmt::format("unknown option '{}'", c.peek()));
    else o.input.paths.push_back(c.next());
  }
  return o;
}

// Settings from the configuration file fill what the command line left
// unset; lists of codes to add or ignore are combined.
void applyConfig(CheckOptions &o, const FileConfig &cfg) {
  auto fill = [&](const char *key, const std::optional<std::string> &value, std::string &target) {
    if (value && !o.given.count(key)) target = *value;
  };
  fill("build-dir", cfg.buildDir, o.input.buildDir);
  fill("compile-commands", cfg.compileCommands, o.input.compileCommandsFile);
  fill("python", cfg.python, o.input.python);
  fill("project-root", cfg.projectRoot, o.input.projectRoot);
  fill("format", cfg.format, o.format);
  fill("baseline", cfg.baseline, o.baseline);
  // A baseline hides findings from reports; fixing works on all of them.
  if ((o.fix || o.diff) && !o.given.count("baseline")) o.baseline.clear();
  fill("color", cfg.color, o.color);
  fill("confidence", cfg.confidence, o.confidence);
  fill("target-python", cfg.targetPython, o.targetPython);
  fill("compat", cfg.compat, o.compat);
  fill("cache-dir", cfg.cacheDir, o.cacheDir);
  fill("compat-header", cfg.compatHeader, o.compatHeader);
  if (cfg.select && !o.given.count("select")) o.selection.select = *cfg.select;
  o.selection.extendSelect.insert(o.selection.extendSelect.begin(), cfg.extendSelect.begin(), cfg.extendSelect.end());
  o.selection.ignore.insert(o.selection.ignore.begin(), cfg.ignore.begin(), cfg.ignore.end());
  if (cfg.jobs && !o.given.count("jobs")) o.jobs = *cfg.jobs;
  if (cfg.exitZero) o.exitZero = o.exitZero || *cfg.exitZero;
  if (cfg.unsafeFixes) o.unsafeFixes = o.unsafeFixes || *cfg.unsafeFixes;
  if (cfg.quiet) o.quiet = o.quiet || *cfg.quiet;
  // -p and --compile-commands name the same thing: the command line's wins.
  if (o.given.count("build-dir")) o.input.compileCommandsFile.clear();
  if (o.given.count("compile-commands")) o.input.buildDir.clear();
}

void validateCheck(const CheckOptions &o) {
  if (o.statistics && o.format != "text" && o.format != "json")
    throw UsageError("--statistics prints a table (text) or a JSON array (--format json)");
  if (o.format != "text" && o.format != "json" && o.format != "json-report" && o.format != "sarif" &&
      o.format != "github")
    throw UsageError(fmt::format("--format '{}': expected text, json, json-report, sarif or github", o.format));
  if (o.color != "auto" && o.color != "always" && o.color != "never")
    throw UsageError(fmt::format("--color '{}': expected auto, always or never", o.color));
  if (!parseConfidence(o.confidence))
    throw UsageError(fmt::format("--confidence '{}': expected high or low", o.confidence));
  if (pythonMinorVersion(o.targetPython) < 0)
    throw UsageError(fmt::format("--target-python '{}': expected a version like 3.9 or 3.13", o.targetPython));
  if (o.compat != "header" && o.compat != "guard")
    throw UsageError(fmt::format("--compat '{}': expected header or guard", o.compat));
  if (o.compatHeader.empty() || o.compatHeader.find_first_of("\"<>\n") != std::string::npos)
    throw UsageError(fmt::format("--compat-header '{}': expected a file name such as pythoncapi_compat.h",
                                 o.compatHeader));
  if (o.diff && !o.writeBaseline.empty()) throw UsageError("--diff and --write-baseline cannot be combined");
  if ((o.fix || o.diff) && !o.baseline.empty())
    throw UsageError("--fix/--diff fix every finding; --baseline only hides findings from the report: pass one");
  if (!o.input.buildDir.empty() && !o.input.compileCommandsFile.empty())
    throw UsageError("-p and --compile-commands name the same thing: pass one");
}

// The configuration's `exclude` and `per-file-ignores`, and the confidence
// a finding needs, applied to what a run analyses and reports.
class ReportFilter {
public:
  ReportFilter(const std::optional<FileConfig> &cfg, Confidence minimum) : cfg_(cfg), minimum_(minimum) {}

  bool excluded(const std::string &path) const {
    if (!cfg_) return false;
    std::string rel = relativeTo(path, cfg_->directory);
    if (rel == path) return false;
    for (const auto &pattern : cfg_->exclude)
      if (pathMatches(pattern, rel)) return true;
    return false;
  }

  bool ignored(const Finding &f) const {
    if (!cfg_) return false;
    if (excluded(f.file)) return true;
    std::string rel = relativeTo(f.file, cfg_->directory);
    for (const auto &[pattern, codes] : cfg_->perFileIgnores) {
      if (!pathMatches(pattern, rel)) continue;
      for (const auto &code : codes)
        if (code == "ALL" || f.code.compare(0, code.size(), code) == 0) return true;
    }
    return false;
  }

  // Suppression comments have been matched against every finding already,
  // so one that silences a hidden finding is not reported as unused.
  void apply(RunResult &result) const {
    if (cfg_) std::erase_if(result.findings, [&](const Finding &f) { return ignored(f); });
    result.lowConfidenceHidden = removeBelowConfidence(result.findings, minimum_);
  }

private:
  const std::optional<FileConfig> &cfg_;
  Confidence minimum_;
};

constexpr int kMaxFixPasses = 8;

// Fixes in `findings` that are unsafe and not asked for.
size_t countUnsafeFixes(const std::vector<Finding> &findings, bool unsafeEnabled) {
  if (unsafeEnabled) return 0;
  return std::count_if(findings.begin(), findings.end(),
                       [](const Finding &f) { return f.fix && f.fix->applicability == Applicability::Unsafe; });
}

struct FixOutcome {
  FixPlan plan;                       // disk content -> content after every pass
  size_t applied = 0;
  std::vector<std::string> problems;  // files not fixed, and why
};

// Applies fixes in memory, pass after pass: fixes that collided with others
// are recomputed on the fixed code until none is left (or a pass changes
// nothing). `result` ends up describing the fixed code.
FixOutcome computeFixes(const std::vector<CompileCommand> &commands, RunOptions run, RunResult &result,
                        const CheckOptions &o, const std::string &projectRoot, const ReportFilter &filter) {
  FixOutcome out;
  auto contents = std::make_shared<std::map<std::string, std::string>>();
  std::map<std::string, std::string> originals;
  std::set<std::string> problems;
  for (int pass = 0; pass < kMaxFixPasses; ++pass) {
    FixPlanOptions options;
    options.includeUnsafe = o.unsafeFixes;
    options.projectRoot = projectRoot;
    options.contents = contents.get();
    FixPlan plan = planFixes(result.findings, options);
    out.plan.projectRoot = plan.projectRoot;
    problems.insert(plan.problems.begin(), plan.problems.end());
    if (plan.applied == 0) break;
    out.applied += plan.applied;
    for (const FileFix &f : plan.files) {
      originals.emplace(f.path, f.original);
      (*contents)[f.path] = f.fixed;
    }
    run.overlay = contents;
    result = analyse(commands, run);
    filter.apply(result);
    if (plan.deferred == 0) break;
  }
  int targetMinor = pythonMinorVersion(o.targetPython);
  for (const auto &[path, fixed] : *contents) {
    FileFix f;
    f.path = path;
    f.original = originals[path];
    f.fixed = o.compat == "header" ? withCompatInclude(f.original, fixed, targetMinor, o.compatHeader) : fixed;
    if (f.fixed != f.original) out.plan.files.push_back(std::move(f));
  }
  out.problems.assign(problems.begin(), problems.end());
  return out;
}

// Opens -o FILE (nothing to open without one); false, with the error
// printed, when it cannot be written.
bool openOutputFile(const std::string &path, const char *what, std::unique_ptr<llvm::raw_fd_ostream> &file,
                    llvm::raw_ostream &err) {
  if (path.empty()) return true;
  std::error_code ec;
  file = std::make_unique<llvm::raw_fd_ostream>(path, ec, llvm::sys::fs::OF_Text);
  if (!ec) return true;
  err << "ftlint: error: " << path << ": cannot write " << what << ": " << ec.message() << "\n";
  return false;
}

std::string currentDirectory() {
  llvm::SmallString<256> cwd;
  llvm::sys::fs::current_path(cwd);
  return std::string(cwd);
}

int runCheck(ArgCursor &c, llvm::raw_ostream &out, llvm::raw_ostream &err, bool terminal) {
  CheckOptions o = parseCheck(c);
  o.input.workingDirectory = currentDirectory();
  if (!o.noConfig) {
    if (!o.configFile.empty()) {
      auto loaded = loadConfig(o.configFile);
      if (!loaded) {
        err << "ftlint: error: " << llvm::toString(loaded.takeError()) << "\n";
        return kExitError;
      }
      o.config = std::move(*loaded);
    } else {
      auto found = findConfig(o.input.workingDirectory);
      if (!found) {
        err << "ftlint: error: " << llvm::toString(found.takeError()) << "\n";
        return kExitError;
      }
      o.config = std::move(*found);
    }
    if (o.config) applyConfig(o, *o.config);
  }
  validateCheck(o);
  bool fixesFailed = false;
  auto inputs = resolveInputs(o.input);
  if (!inputs) {
    err << "ftlint: error: " << llvm::toString(inputs.takeError()) << "\n";
    return kExitError;
  }
  if (o.format == "text" && !o.quiet)
    for (const auto &n : inputs->notices) err << "ftlint: " << n << "\n";

  RunOptions run;
  run.jobs = o.jobs;
  run.selection = o.selection;
  run.extraArgs = o.extraArgs;
  run.skipForeignCode = !o.analyseForeignCode;
  ProgressLine progress(err, !o.quiet && llvm::sys::Process::StandardErrIsDisplayed());
  run.progress = [&](size_t done, size_t total, size_t cached) { progress.update(done, total, cached); };
  if (o.compat == "guard") run.versionGuardTarget = pythonMinorVersion(o.targetPython);
  run.scope = ProjectScope(inputs->projectRoot, inputs->pythonIncludeDirs, {o.compatHeader});
  // Read the baseline before the (long) analysis, so a bad one fails fast.
  std::optional<Baseline> baseline;
  if (!o.baseline.empty()) {
    auto loaded = readBaseline(o.baseline);
    if (!loaded) {
      err << "ftlint: error: " << llvm::toString(loaded.takeError()) << "\n";
      return kExitError;
    }
    baseline = std::move(*loaded);
  }

  // validateCheck accepted it.
  Confidence minimumConfidence = *parseConfidence(o.confidence);
  ReportFilter filter(o.config, minimumConfidence);
  std::erase_if(inputs->commands, [&](const CompileCommand &cmd) {
    llvm::SmallString<256> file(cmd.file);
    if (!llvm::sys::path::is_absolute(file)) llvm::sys::fs::make_absolute(cmd.directory, file);
    llvm::sys::path::remove_dots(file, true);
    return filter.excluded(std::string(file));
  });
  std::unique_ptr<ResultCache> cache;
  if (!o.noCache) {
    std::string dir = o.cacheDir.empty() ? defaultCacheDirectory(inputs->databasePath) : o.cacheDir;
    cache = std::make_unique<ResultCache>(dir, cacheOptionsKey(run));
    run.cache = cache.get();
  }
  RunResult result = analyse(inputs->commands, run);
  progress.finish();
  filter.apply(result);

  if (o.fix || o.diff) {
    FixOutcome fixes = computeFixes(inputs->commands, run, result, o, inputs->projectRoot, filter);
    for (const auto &p : fixes.problems) err << "ftlint: warning: " << p << "\n";
    if (o.diff) {
      std::unique_ptr<llvm::raw_fd_ostream> file;
      if (!openOutputFile(o.outputFile, "the diff", file, err)) return kExitError;
      llvm::raw_ostream &dest = file ? static_cast<llvm::raw_ostream &>(*file) : out;
      for (const FileFix &f : fixes.plan.files) dest << unifiedDiff(f, relativeTo(f.path, inputs->projectRoot));
      dest.flush();
      size_t leftOut = countUnsafeFixes(result.findings, o.unsafeFixes);
      err << fmt::format("ftlint: {} fix{} would change {} file{}{}\n", fixes.applied, fixes.applied == 1 ? "" : "es",
                         fixes.plan.files.size(), fixes.plan.files.size() == 1 ? "" : "s",
                         leftOut ? fmt::format("; {} more with --unsafe-fixes", leftOut) : "");
      if (!result.failures.empty() || !fixes.problems.empty()) return kExitError;
      return fixes.plan.files.empty() ? kExitClean : kExitFindings;
    }
    WriteReport written = writeFixes(fixes.plan);
    for (const auto &p : written.problems) err << "ftlint: error: " << p << "\n";
    if (!o.quiet || o.format != "text")
      err << fmt::format("ftlint: applied {} fix{} to {} file{}\n", fixes.applied, fixes.applied == 1 ? "" : "es",
                         written.written.size(), written.written.size() == 1 ? "" : "s");
    if (!written.problems.empty()) {
      // What is on disk is the old code: report against it.
      result = analyse(inputs->commands, run);
      filter.apply(result);
      fixesFailed = true;
    }
  }

  if (!o.writeBaseline.empty()) {
    if (auto e = writeBaseline(o.writeBaseline, result.findings, inputs->projectRoot)) {
      err << "ftlint: error: " << llvm::toString(std::move(e)) << "\n";
      return kExitError;
    }
    err << fmt::format("ftlint: recorded {} finding{} in {}\n", result.findings.size(),
                       result.findings.size() == 1 ? "" : "s", o.writeBaseline);
    return result.failures.empty() ? kExitClean : kExitError;
  }
  // An entry for a hidden finding is not stale: that finding is still there.
  size_t stale =
      baseline ? applyBaseline(*baseline, result.findings, inputs->projectRoot, result.lowConfidenceHidden) : 0;
  recountOpenFindings(result.modules, result.findings, minimumConfidence);

  ReportOptions report;
  report.projectRoot = inputs->projectRoot;
  report.workingDirectory = o.input.workingDirectory;
  report.quiet = o.quiet;
  report.unsafeFixesEnabled = o.unsafeFixes;
  report.color = o.color == "always" || (o.color == "auto" && terminal && o.outputFile.empty() &&
                                         !std::getenv("NO_COLOR"));

  std::unique_ptr<llvm::raw_fd_ostream> file;
  if (!openOutputFile(o.outputFile, "the report", file, err)) return kExitError;
  llvm::raw_ostream &dest = file ? static_cast<llvm::raw_ostream &>(*file) : out;
  if (o.statistics) {
    writeStatistics(dest, result, o.format == "json");
  } else if (o.format == "json") {
    writeJson(dest, result, report);
    for (const auto &f : result.failures)
      err << "ftlint: error: " << f.file << ": could not be analysed: "
          << (f.errors.empty() ? "" : f.errors.front()) << "\n";
  } else if (o.format == "json-report") {
    writeJsonReport(dest, result, report);
  } else if (o.format == "sarif") {
    writeSarif(dest, result, report);
  } else if (o.format == "github") {
    writeGithub(dest, result, report);
  } else {
    writeText(dest, result, report);
  }
  dest.flush();
  if (file && file->has_error()) {
    err << "ftlint: error: " << o.outputFile << ": write failed\n";
    file->clear_error();
    return kExitError;
  }
  if (stale > 0)
    err << fmt::format("ftlint: {} baseline entr{} no longer match{} a finding: the baseline can be pruned "
                       "(rerun with --write-baseline {})\n",
                       stale, stale == 1 ? "y" : "ies", stale == 1 ? "es" : "", o.baseline);
  if (!result.failures.empty() || fixesFailed) return kExitError;
  if (!result.findings.empty() && !o.exitZero) return kExitFindings;
  return kExitClean;
}

int runRules(ArgCursor &c, llvm::raw_ostream &out) {
  std::string format = "text";
  while (!c.done()) {
    if (auto v = c.option({"--format"})) format = *v;
    else throw UsageError(fmt::format("rules: unexpected argument '{}'", c.peek()));
  }
  if (format == "json") {
    nlohmann::ordered_json rules = nlohmann::ordered_json::array();
    for (const auto &r : allRules())
      rules.push_back({{"code", r.info->code}, {"name", r.info->name}, {"summary", r.info->summary},
                       {"default", r.info->enabledByDefault}, {"fix", fixAvailabilityName(r.info->fix)}});
    writeJsonDocument(out, rules);
    return kExitClean;
  }
  if (format != "text") throw UsageError(fmt::format("--format '{}': expected text or json", format));
  out << fmt::format("{:<7} {:<30} {:<8} {:<10} {}\n", "code", "name", "default", "fix", "summary");
  for (const auto &r : allRules())
    out << fmt::format("{:<7} {:<30} {:<8} {:<10} {}\n", r.info->code, r.info->name,
                       r.info->enabledByDefault ? "on" : "off", fixAvailabilityName(r.info->fix), r.info->summary);
  return kExitClean;
}

int runExplain(ArgCursor &c, llvm::raw_ostream &out) {
  if (c.done()) throw UsageError("explain needs a rule code, e.g. `ftlint explain FT101`");
  std::string wanted = c.next();
  if (!c.done()) throw UsageError(fmt::format("explain: unexpected argument '{}'", c.peek()));
  for (const auto &r : allRules())
    if (r.info->code == splitCodeList(wanted).front() || r.info->name == wanted) {
      out << ruleMarkdown(*r.info) << "\n";
      return kExitClean;
    }
  throw UsageError(fmt::format("explain: no rule '{}' (run `ftlint rules` for the list)", wanted));
}

// Writes docs/rules/<CODE>.md for every rule, from the rules' own docs.
int runDocs(ArgCursor &c, llvm::raw_ostream &out, llvm::raw_ostream &err) {
  std::string dir;
  while (!c.done()) {
    if (auto v = c.option({"--output"})) dir = *v;
    else throw UsageError(fmt::format("docs: unexpected argument '{}'", c.peek()));
  }
  if (dir.empty()) throw UsageError("docs needs --output DIR");
  if (auto ec = llvm::sys::fs::create_directories(dir)) {
    err << "ftlint: error: " << dir << ": " << ec.message() << "\n";
    return kExitError;
  }
  for (const auto &r : allRules()) {
    llvm::SmallString<256> p(dir);
    llvm::sys::path::append(p, std::string(r.info->code) + ".md");
    std::error_code ec;
    llvm::raw_fd_ostream f(p, ec, llvm::sys::fs::OF_Text);
    if (ec) {
      err << "ftlint: error: " << p << ": " << ec.message() << "\n";
      return kExitError;
    }
    f << ruleMarkdown(*r.info) << "\n";
  }
  out << fmt::format("wrote {} rule pages to {}\n", allRules().size(), dir);
  return kExitClean;
}

// `ftlint cache dir|clear [-p BUILD | --compile-commands FILE | --cache-dir DIR]`
int runCache(ArgCursor &c, llvm::raw_ostream &out, llvm::raw_ostream &err) {
  if (c.done() || (c.peek() != "dir" && c.peek() != "clear")) throw UsageError("cache needs dir or clear");
  std::string action = c.next();
  InputOptions input;
  input.workingDirectory = currentDirectory();
  std::string dir;
  while (!c.done()) {
    if (auto v = c.option({"--cache-dir"})) dir = *v;
    else if (auto v = c.option({"-p", "--build-dir"})) input.buildDir = *v;
    else if (auto v = c.option({"--compile-commands"})) input.compileCommandsFile = *v;
    else throw UsageError(fmt::format("cache: unexpected argument '{}'", c.peek()));
  }
  if (dir.empty()) {
    auto found = findConfig(input.workingDirectory);
    if (found && *found && (*found)->cacheDir) dir = *(*found)->cacheDir;
    if (!found) llvm::consumeError(found.takeError());
  }
  if (dir.empty()) {
    auto database = locateDatabase(input);
    if (!database) {
      err << "ftlint: error: " << llvm::toString(database.takeError()) << "\n";
      return kExitError;
    }
    dir = defaultCacheDirectory(*database);
  }
  if (action == "dir") {
    out << dir << "\n";
    return kExitClean;
  }
  std::string error;
  if (!clearCache(dir, error)) {
    err << "ftlint: error: " << error << "\n";
    return kExitError;
  }
  err << "ftlint: cleared the cache in " << dir << "\n";
  return kExitClean;
}

}  // namespace

int runCommandLine(const std::vector<std::string> &args, llvm::raw_ostream &out, llvm::raw_ostream &err,
                   bool stdoutIsTerminal) {
  try {
    ArgCursor c(args);
    if (!c.done() && (c.peek() == "-h" || c.peek() == "--help")) {
      out << kUsage;
      return kExitClean;
    }
    if (!c.done() && c.peek() == "--version") {
      out << "ftlint " << FTLINT_VERSION << " (clang " << FTLINT_CLANG_VERSION_MAJOR << ")\n";
      return kExitClean;
    }
    std::string command = "check";
    if (!c.done() && (c.peek() == "rules" || c.peek() == "explain" || c.peek() == "docs" || c.peek() == "check" ||
                      c.peek() == "cache"))
      command = c.next();
    if (command == "cache") return runCache(c, out, err);
    if (command == "rules") return runRules(c, out);
    if (command == "explain") return runExplain(c, out);
    if (command == "docs") return runDocs(c, out, err);
    return runCheck(c, out, err, stdoutIsTerminal);
  } catch (const UsageError &e) {
    err << "ftlint: error: " << e.what() << "\nRun `ftlint --help` for usage.\n";
    return kExitError;
  }
}

}  // namespace ftlint
