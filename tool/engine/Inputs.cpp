#include "tool/engine/Inputs.h"

#include "tool/engine/Runner.h"

#include "clang/Tooling/CompilationDatabase.h"
#include "clang/Tooling/JSONCompilationDatabase.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <set>
#include <tuple>

namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace ftlint {
namespace {

llvm::Error inputError(const std::string &message) {
  return llvm::createStringError(std::errc::invalid_argument, "%s", message.c_str());
}

std::string absolutePath(const std::string &p, const std::string &base) {
  llvm::SmallString<256> out(p);
  if (!path::is_absolute(out)) {
    llvm::SmallString<256> joined(base);
    path::append(joined, p);
    out = joined;
  }
  path::remove_dots(out, true);
  return std::string(out);
}

std::string realOrAbsolute(const std::string &p) {
  llvm::SmallString<256> real;
  if (!fs::real_path(p, real)) return std::string(real);
  return p;
}

bool isSourceFile(llvm::StringRef p) {
  llvm::StringRef ext = path::extension(p);
  return ext == ".c" || ext == ".cc" || ext == ".cpp" || ext == ".cxx" || ext == ".C" || ext == ".c++" ||
         ext == ".m" || ext == ".mm";
}

bool isCxx(llvm::StringRef p) {
  llvm::StringRef ext = path::extension(p);
  return ext != ".c" && ext != ".m" && ext != ".h";
}

bool isUnder(const std::string &p, const std::string &dir) {
  return p == dir || (p.size() > dir.size() && p.compare(0, dir.size(), dir) == 0 && p[dir.size()] == '/');
}

// Directories that hold Python.h: findings are never reported there.
void collectPythonIncludeDirs(const CompileCommand &cmd, std::set<std::string> &out) {
  const auto &args = cmd.arguments;
  for (size_t i = 1; i < args.size(); ++i) {
    std::string dir;
    for (llvm::StringRef flag : {"-I", "-isystem", "-idirafter", "-iquote"}) {
      llvm::StringRef a(args[i]);
      if (a == flag && i + 1 < args.size()) dir = args[i + 1];
      else if (a.starts_with(flag) && a.size() > flag.size() && flag == "-I") dir = a.drop_front(2).str();
    }
    if (dir.empty()) continue;
    std::string abs = absolutePath(dir, cmd.directory);
    llvm::SmallString<256> header(abs);
    path::append(header, "Python.h");
    if (fs::exists(header)) out.insert(realOrAbsolute(abs));
  }
}

std::string findProjectRoot(const std::string &start, const std::vector<CompileCommand> &commands) {
  static const char *markers[] = {".git", "pyproject.toml", "setup.py", "setup.cfg", ".ftlint.toml",
                                  "meson.build"};
  llvm::SmallString<256> dir(start);
  while (!dir.empty()) {
    for (const char *m : markers) {
      llvm::SmallString<256> candidate(dir);
      path::append(candidate, m);
      if (fs::exists(candidate)) return realOrAbsolute(std::string(dir));
    }
    llvm::StringRef parent = path::parent_path(dir);
    if (parent == dir) break;
    // A prefix of `dir` itself: shortened in place, not copied onto itself.
    dir.truncate(parent.size());
  }
  // No marker: the deepest directory holding every source file.
  std::string common;
  for (const auto &c : commands) {
    std::string d = path::parent_path(realOrAbsolute(c.file)).str();
    if (common.empty()) { common = d; continue; }
    while (!isUnder(d, common) && common.size() > 1) common = path::parent_path(common).str();
  }
  return common.empty() ? realOrAbsolute(start) : common;
}

}  // namespace

llvm::Expected<std::string> locateDatabase(const InputOptions &opt) {
  const std::string &cwd = opt.workingDirectory;
  if (!opt.compileCommandsFile.empty()) {
    std::string file = absolutePath(opt.compileCommandsFile, cwd);
    if (!fs::exists(file)) return inputError(fmt::format("{}: compile database not found", opt.compileCommandsFile));
    if (fs::is_directory(file))
      return inputError(fmt::format("{}: is a directory; --compile-commands takes the JSON file (use -p for a build directory)",
                                    opt.compileCommandsFile));
    return file;
  }
  if (!opt.buildDir.empty()) {
    std::string dir = absolutePath(opt.buildDir, cwd);
    if (!fs::is_directory(dir)) {
      if (fs::exists(dir) && path::filename(dir) == "compile_commands.json") return dir;
      return inputError(fmt::format("{}: build directory not found", opt.buildDir));
    }
    // The build directory itself, or a project directory with a build/ inside.
    for (const char *candidate : {"compile_commands.json", "build/compile_commands.json"}) {
      llvm::SmallString<256> file(dir);
      path::append(file, candidate);
      if (fs::exists(file)) return std::string(file);
    }
    return inputError(fmt::format("{}: no compile_commands.json in this directory or its build/ (generate one "
                                  "with CMake's -DCMAKE_EXPORT_COMPILE_COMMANDS=ON, meson, or bear)",
                                  opt.buildDir));
  }
  for (const char *candidate : {"compile_commands.json", "build/compile_commands.json"}) {
    std::string file = absolutePath(candidate, cwd);
    if (fs::exists(file)) return file;
  }
  return std::string();
}

namespace {

// An entry of the database whose file a PATH argument names or contains.
bool selectedByPaths(const std::string &file, const std::vector<std::string> &paths) {
  if (paths.empty()) return true;
  std::string real = realOrAbsolute(file);
  for (const auto &p : paths)
    if (isUnder(real, p)) return true;
  return false;
}

// What is wrong with a database clang's loader refused. It says "Expected
// array." for anything it cannot read, so a strict JSON reading comes first
// (only here: real databases may hold paths that are not UTF-8, which clang
// accepts and strict JSON does not).
std::string databaseProblem(const std::string &dbFile, const std::string &loaderError) {
  auto text = llvm::MemoryBuffer::getFile(dbFile, /*IsText=*/true);
  if (!text) return fmt::format("{}: cannot read compile database: {}", dbFile, text.getError().message());
  // Bytes that are not ASCII cannot matter to the structure; masking them
  // keeps a path that is not UTF-8 from hiding the real mistake.
  std::string buffer = (*text)->getBuffer().str();
  for (char &c : buffer)
    if (static_cast<unsigned char>(c) >= 0x80) c = '?';
  try {
    auto parsed = nlohmann::json::parse(buffer.begin(), buffer.end());
    if (!parsed.is_array())
      return fmt::format("{}: not a compile database: expected a JSON array of compile commands, found {}", dbFile,
                         parsed.type_name());
  } catch (const nlohmann::json::parse_error &e) {
    std::string what = e.what();
    size_t colon = what.find(": ");
    llvm::StringRef before = llvm::StringRef(buffer).take_front(e.byte ? e.byte - 1 : 0);
    return fmt::format("{}:{}: not valid JSON: {}", dbFile, before.count('\n') + 1,
                       colon == std::string::npos ? what : what.substr(colon + 2));
  } catch (const nlohmann::json::exception &e) {
    // Parses, but holds what JSON cannot represent (a number out of range).
    std::string what = e.what();
    size_t colon = what.find("] ");
    return fmt::format("{}: not valid JSON: {}", dbFile, colon == std::string::npos ? what : what.substr(colon + 2));
  }
  return fmt::format("{}: cannot read compile database: {}", dbFile, loaderError);
}

llvm::Expected<Inputs> fromDatabase(const std::string &dbFile, const InputOptions &opt,
                                    const std::vector<std::string> &paths) {
  std::string error;
  std::unique_ptr<clang::tooling::CompilationDatabase> db = clang::tooling::JSONCompilationDatabase::loadFromFile(
      dbFile, error, clang::tooling::JSONCommandLineSyntax::AutoDetect);
  if (!db) return inputError(databaseProblem(dbFile, error));
  // `@file` arguments (response files) become the arguments they hold.
  db = clang::tooling::expandResponseFiles(std::move(db), llvm::vfs::getRealFileSystem());

  Inputs in;
  in.databasePath = dbFile;
  std::set<std::tuple<std::string, std::string, std::vector<std::string>, std::string>> seen;
  std::set<std::string> covered;
  std::string crossTarget;
  std::string databaseDir = path::parent_path(dbFile).str();
  for (auto &cc : db->getAllCompileCommands()) {
    // A relative "directory" (the format wants absolute ones) is read from
    // where the database is.
    std::string directory = absolutePath(cc.Directory, databaseDir);
    CompileCommand cmd{directory, absolutePath(cc.Filename, directory), cc.CommandLine};
    if (!selectedByPaths(cmd.file, paths)) continue;
    // The same file with the same flags for the same build target is parsed
    // once, whatever object file each entry names.
    if (!seen.insert({realOrAbsolute(cmd.file), cmd.directory, argumentsThatMatter(cmd), buildTargetOf(cmd)}).second)
      continue;
    covered.insert(realOrAbsolute(cmd.file));
    if (crossTarget.empty()) crossTarget = targetOf(cmd.arguments);
    in.commands.push_back(std::move(cmd));
  }
  if (!crossTarget.empty())
    in.notices.push_back(fmt::format("the database compiles for {}; ftlint analyses with the host's target and "
                                     "headers (findings do not depend on the target)",
                                     crossTarget));
  in.listedCommands = in.commands.size();
  // Named files the database does not list borrow flags from a neighbour.
  auto inferred = clang::tooling::inferMissingCompileCommands(std::move(db));
  for (const auto &p : paths) {
    if (fs::is_directory(p) || covered.count(p)) continue;
    auto guesses = inferred->getCompileCommands(p);
    if (guesses.empty()) continue;
    auto &cc = guesses.front();
    in.commands.push_back({cc.Directory, p, cc.CommandLine});
    in.notices.push_back(fmt::format("{}: not in the compile database; using the flags of a similar file", p));
  }
  if (in.commands.empty()) {
    if (!paths.empty())
      return inputError(fmt::format("{}: no entry matches the given paths", dbFile));
    in.notices.push_back(fmt::format("{}: the compile database is empty", dbFile));
  }
  return in;
}

llvm::Expected<Inputs> fromPlainFiles(const InputOptions &opt, const std::vector<std::string> &paths) {
  auto python = queryPython(opt.python);
  if (!python) return python.takeError();
  Inputs in;
  in.pythonIncludeDirs = python->includeDirs;
  for (const auto &p : paths) {
    std::vector<std::string> files;
    if (fs::is_directory(p)) {
      std::error_code ec;
      for (fs::recursive_directory_iterator it(p, ec), end; it != end && !ec; it.increment(ec))
        if (isSourceFile(it->path()) && it->type() != fs::file_type::directory_file) files.push_back(it->path());
      std::sort(files.begin(), files.end());
    } else {
      files.push_back(p);
    }
    for (const auto &f : files) {
      CompileCommand cmd;
      cmd.directory = opt.workingDirectory;
      cmd.file = f;
      cmd.arguments = {isCxx(f) ? "clang++" : "clang"};
      if (isCxx(f)) cmd.arguments.push_back("-std=c++17");
      for (const auto &dir : python->includeDirs) cmd.arguments.push_back("-I" + dir);
      cmd.arguments.push_back(f);
      in.commands.push_back(std::move(cmd));
    }
  }
  in.notices.push_back(fmt::format("no compile database: linting with the headers of {} (Python {})",
                                   python->executable, python->version));
  return in;
}

}  // namespace

llvm::Expected<PythonConfig> queryPython(const std::string &python) {
  std::string exe = python;
  if (python.find('/') == std::string::npos) {
    auto found = llvm::sys::findProgramByName(python);
    if (!found) return inputError(fmt::format("--python {}: interpreter not found on PATH", python));
    exe = *found;
  }
  if (!fs::can_execute(exe)) return inputError(fmt::format("--python {}: not an executable", python));

  llvm::SmallString<128> outFile;
  if (auto ec = fs::createTemporaryFile("ftlint-python", "json", outFile))
    return inputError(fmt::format("cannot create a temporary file: {}", ec.message()));
  const char *script =
      "import json, sys, sysconfig\n"
      "p = sysconfig.get_paths()\n"
      "print(json.dumps({'version': '%d.%d' % sys.version_info[:2],\n"
      "  'include': p.get('include', ''), 'platinclude': p.get('platinclude', ''),\n"
      "  'gil_disabled': bool(sysconfig.get_config_var('Py_GIL_DISABLED'))}))\n";
  std::vector<llvm::StringRef> argv = {exe, "-c", script};
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, llvm::StringRef(outFile), std::nullopt};
  std::string err;
  int rc = llvm::sys::ExecuteAndWait(exe, argv, std::nullopt, redirects, 60, 0, &err);
  auto buffer = llvm::MemoryBuffer::getFile(outFile);
  fs::remove(outFile);
  if (rc != 0 || !buffer)
    return inputError(fmt::format("--python {}: could not ask it for its include directory ({})", python,
                                  err.empty() ? fmt::format("exit status {}", rc) : err));
  auto json = nlohmann::json::parse((*buffer)->getBuffer().str(), nullptr, false);
  if (json.is_discarded() || !json.is_object())
    return inputError(fmt::format("--python {}: unexpected answer from sysconfig", python));
  PythonConfig cfg;
  cfg.executable = exe;
  cfg.version = json.value("version", "");
  cfg.gilDisabled = json.value("gil_disabled", false);
  for (const char *key : {"include", "platinclude"}) {
    std::string dir = json.value(key, "");
    if (!dir.empty() && std::find(cfg.includeDirs.begin(), cfg.includeDirs.end(), dir) == cfg.includeDirs.end())
      cfg.includeDirs.push_back(dir);
  }
  if (cfg.includeDirs.empty())
    return inputError(fmt::format("--python {}: sysconfig names no include directory", python));
  llvm::SmallString<256> header(cfg.includeDirs.front());
  path::append(header, "Python.h");
  if (!fs::exists(header))
    return inputError(fmt::format("--python {}: {} has no Python.h (install the interpreter's development headers, "
                                  "e.g. python3-dev)",
                                  python, cfg.includeDirs.front()));
  return cfg;
}

llvm::Expected<Inputs> resolveInputs(const InputOptions &opt) {
  std::vector<std::string> paths;
  for (const auto &p : opt.paths) {
    std::string abs = absolutePath(p, opt.workingDirectory);
    if (!fs::exists(abs)) return inputError(fmt::format("{}: no such file or directory", p));
    paths.push_back(realOrAbsolute(abs));
  }
  auto db = locateDatabase(opt);
  if (!db) return db.takeError();

  if (db->empty() && paths.empty())
    return inputError("no compile_commands.json in . or build/: pass -p BUILD_DIR, --compile-commands FILE, "
                      "or source files to lint with the headers of --python");
  bool explicitDatabase = !opt.buildDir.empty() || !opt.compileCommandsFile.empty();
  auto in = db->empty() ? fromPlainFiles(opt, paths) : fromDatabase(*db, opt, paths);
  // A database found by looking around (./build/...) that lists none of the
  // named files belongs to something else: lint them as plain files instead.
  if (!db->empty() && !explicitDatabase && !paths.empty() && (!in || in->listedCommands == 0)) {
    if (!in) llvm::consumeError(in.takeError());
    in = fromPlainFiles(opt, paths);
  }
  if (!in) return in.takeError();

  std::set<std::string> pyDirs(in->pythonIncludeDirs.begin(), in->pythonIncludeDirs.end());
  for (const auto &cmd : in->commands) collectPythonIncludeDirs(cmd, pyDirs);
  in->pythonIncludeDirs.clear();
  for (const auto &d : pyDirs) in->pythonIncludeDirs.push_back(realOrAbsolute(d));

  if (!opt.projectRoot.empty()) {
    std::string root = absolutePath(opt.projectRoot, opt.workingDirectory);
    if (!fs::is_directory(root)) return inputError(fmt::format("--project-root {}: not a directory", opt.projectRoot));
    in->projectRoot = realOrAbsolute(root);
  } else {
    std::string start = db->empty() ? opt.workingDirectory : path::parent_path(*db).str();
    in->projectRoot = findProjectRoot(start, in->commands);
  }
  return in;
}

}  // namespace ftlint
