#include "tool/app/App.h"

#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  return ftlint::runCommandLine(args, llvm::outs(), llvm::errs(), llvm::sys::Process::StandardOutIsDisplayed());
}
