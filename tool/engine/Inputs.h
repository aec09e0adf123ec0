// Where translation units come from: a compile database (-p, --compile-commands,
// or ./compile_commands.json, build/compile_commands.json), or plain files
// linted with include flags found from a Python interpreter.
#pragma once

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace ftlint {

struct CompileCommand {
  std::string directory;               // working directory of the compile
  std::string file;                    // absolute path of the main source file
  std::vector<std::string> arguments;  // argv, compiler first
};

struct InputOptions {
  std::string buildDir;            // -p
  std::string compileCommandsFile; // --compile-commands
  std::vector<std::string> paths;  // positional PATHs
  std::string python = "python3";  // --python
  std::string projectRoot;         // --project-root
  std::string workingDirectory;    // where relative paths start (the cwd)
};

struct PythonConfig {
  std::string executable;
  std::string version;  // "3.13"
  std::vector<std::string> includeDirs;
  bool gilDisabled = false;
};

struct Inputs {
  std::vector<CompileCommand> commands;
  std::string databasePath;              // empty when linting plain files
  std::string projectRoot;
  std::vector<std::string> pythonIncludeDirs;  // never analysed for findings
  std::vector<std::string> notices;      // informational lines for the user
  size_t listedCommands = 0;             // commands the database itself lists (not inferred)
};

llvm::Expected<Inputs> resolveInputs(const InputOptions &options);

// The compile database the options name or that lies around (./ or
// ./build/); empty when there is none and none was asked for.
llvm::Expected<std::string> locateDatabase(const InputOptions &options);

// Asks `python` (a name on PATH or a path) for its headers through sysconfig.
llvm::Expected<PythonConfig> queryPython(const std::string &python);

}  // namespace ftlint
