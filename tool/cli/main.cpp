#include "tool/app/App.h"

#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#if __has_include(<malloc.h>)
#include <malloc.h>
#endif

int main(int argc, char **argv) {
#ifdef M_MMAP_THRESHOLD
  // glibc raises its mmap threshold each time a large block is freed, so
  // the big allocations of the next translation unit's AST come from the
  // heap and stay resident after it is gone. A fixed threshold keeps them
  // mmapped and returned to the system unit after unit.
  mallopt(M_MMAP_THRESHOLD, 128 * 1024);
#endif
  std::vector<std::string> args(argv + 1, argv + argc);
  return ftlint::runCommandLine(args, llvm::outs(), llvm::errs(), llvm::sys::Process::StandardOutIsDisplayed());
}
