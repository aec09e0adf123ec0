// Runs a fuzz target's harness over saved inputs, without libFuzzer: the
// seed corpus and every input that once crashed stay regression tests in
// the ordinary build. Arguments are files or directories of files.
#include "tool/fuzz/FuzzSupport.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <cstdio>
#include <string>
#include <vector>

namespace {

std::vector<std::string> inputsUnder(const std::string &path) {
  if (!llvm::sys::fs::is_directory(path)) return {path};
  std::vector<std::string> files;
  std::error_code ec;
  for (llvm::sys::fs::recursive_directory_iterator it(path, ec), end; it != end && !ec; it.increment(ec))
    if (llvm::sys::fs::is_regular_file(it->path())) files.push_back(it->path());
  std::sort(files.begin(), files.end());
  return files;
}

}  // namespace

int main(int argc, char **argv) {
  if (LLVMFuzzerInitialize) LLVMFuzzerInitialize(&argc, &argv);
  size_t replayed = 0;
  for (int i = 1; i < argc; ++i) {
    for (const std::string &file : inputsUnder(argv[i])) {
      auto buffer = llvm::MemoryBuffer::getFile(file, /*IsText=*/false, /*RequiresNullTerminator=*/false);
      if (!buffer) {
        std::fprintf(stderr, "%s: cannot read: %s\n", file.c_str(), buffer.getError().message().c_str());
        return 2;
      }
      std::fprintf(stderr, "replaying %s\n", file.c_str());
      LLVMFuzzerTestOneInput(reinterpret_cast<const uint8_t *>((*buffer)->getBufferStart()),
                             (*buffer)->getBufferSize());
      ++replayed;
    }
  }
  if (replayed == 0) {
    std::fprintf(stderr, "no inputs to replay\n");
    return 2;
  }
  std::fprintf(stderr, "%zu inputs replayed\n", replayed);
  return 0;
}
