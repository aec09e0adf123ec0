// Fuzz target: the compile-database loader. The input is the text of a
// compile_commands.json; every command it yields goes through the argument
// handling a real run applies before parsing.
#include "tool/engine/Inputs.h"
#include "tool/engine/Runner.h"
#include "tool/fuzz/FuzzSupport.h"

#include "llvm/Support/Error.h"

#include <string>

using namespace ftlint;

extern "C" int LLVMFuzzerInitialize(int *, char ***) {
  // A file for PATH arguments to name: an odd-sized input also selects it,
  // which takes the loader through matching and inferring commands.
  fuzz::writeScratchFile("module.c", "int x;\n");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  InputOptions options;
  options.compileCommandsFile = fuzz::writeScratchFile("compile_commands.json", text);
  options.workingDirectory = fuzz::scratchDirectory();
  if (size % 2) options.paths.push_back(fuzz::scratchDirectory() + "/module.c");

  llvm::Expected<Inputs> inputs = resolveInputs(options);
  if (!inputs) {
    fuzz::requireMessage(inputs.takeError());
    return 0;
  }
  RunOptions run;
  run.resourceDir = "/nonexistent-resource-dir";
  for (const CompileCommand &command : inputs->commands) {
    (void)argumentsThatMatter(command);
    (void)targetOf(command.arguments);
    (void)buildTargetOf(command);
    (void)prepareArguments(command, run);
  }
  return 0;
}
