// Fuzz target: the configuration reader. The input is the text of a
// .ftlint.toml, or, when it mentions [tool.ftlint], of a pyproject.toml
// found by looking upward; the exclude patterns it yields are then matched
// against paths, as a run does for every source file.
#include "tool/engine/Config.h"
#include "tool/fuzz/FuzzSupport.h"

#include "llvm/Support/Error.h"

#include <cstdio>
#include <optional>
#include <string>

using namespace ftlint;

namespace {

void exercisePatterns(const FileConfig &config) {
  const char *paths[] = {"src/module.c", "vendor/lib/x.c", "a", "", "build/gen_generated.c"};
  for (const std::string &pattern : config.exclude)
    for (const char *p : paths) (void)pathMatches(pattern, p);
  for (const auto &[pattern, codes] : config.perFileIgnores)
    for (const char *p : paths) (void)pathMatches(pattern, p);
  if (config.targetPython) (void)pythonMinorVersion(*config.targetPython);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  if (text.find("tool.ftlint") == std::string::npos) {
    llvm::Expected<FileConfig> config = loadConfig(fuzz::writeScratchFile(".ftlint.toml", text));
    if (!config) fuzz::requireMessage(config.takeError());
    else exercisePatterns(*config);
    return 0;
  }
  // findConfig prefers .ftlint.toml: it must not be there for this case.
  fuzz::writeScratchFile("pyproject.toml", text);
  std::string own = fuzz::scratchDirectory() + "/.ftlint.toml";
  std::remove(own.c_str());
  llvm::Expected<std::optional<FileConfig>> found = findConfig(fuzz::scratchDirectory());
  if (!found) fuzz::requireMessage(found.takeError());
  else if (*found) exercisePatterns(**found);
  return 0;
}
