#include "tool/fuzz/FuzzSupport.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdio>
#include <cstdlib>

namespace ftlint::fuzz {

namespace {

void removeScratch() {
  // Everything in it was written by this process.
  llvm::sys::fs::remove_directories(scratchDirectory(), /*IgnoreErrors=*/true);
}

}  // namespace

const std::string &scratchDirectory() {
  static const std::string directory = [] {
    llvm::SmallString<128> made;
    if (llvm::sys::fs::createUniqueDirectory("ftlint-fuzz", made)) {
      std::fprintf(stderr, "ftlint fuzz: cannot create a scratch directory\n");
      std::abort();
    }
    llvm::SmallString<128> real;
    if (llvm::sys::fs::real_path(made, real)) real = made;
    return std::string(real);
  }();
  // Registered after `directory` is constructed, so it runs before the
  // string is destroyed (exit handlers run in reverse order).
  static const bool cleanupRegistered = (std::atexit(removeScratch), true);
  (void)cleanupRegistered;
  return directory;
}

std::string writeScratchFile(const std::string &name, std::string_view content) {
  llvm::SmallString<256> path(scratchDirectory());
  llvm::sys::path::append(path, name);
  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec);
  if (!ec) {
    out << content;
    out.close();
    if (out.has_error()) ec = out.error();
  }
  if (ec) {
    std::fprintf(stderr, "ftlint fuzz: cannot write %s: %s\n", path.c_str(), ec.message().c_str());
    std::abort();
  }
  return std::string(path);
}

void requireMessage(llvm::Error error) {
  if (llvm::toString(std::move(error)).empty()) __builtin_trap();
}

}  // namespace ftlint::fuzz
