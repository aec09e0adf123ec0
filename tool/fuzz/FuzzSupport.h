// Shared by the fuzz targets: a private scratch directory for inputs that
// the code under test reads from disk, and the libFuzzer entry points.
#pragma once

#include "llvm/Support/Error.h"

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
// Optional, as with libFuzzer: only harnesses with set-up define it.
extern "C" __attribute__((weak)) int LLVMFuzzerInitialize(int *argc, char ***argv);

namespace ftlint::fuzz {

// A directory of this process's own, created on first use and removed at
// exit; inputs are written into it because the loaders under test read
// files, as they do for users.
const std::string &scratchDirectory();

// Writes `content` to `name` inside the scratch directory and returns the
// full path. Aborts if the write fails: a harness that cannot set up its
// input would otherwise report nothing.
std::string writeScratchFile(const std::string &name, std::string_view content);

// Consumes an error the code under test returned; traps (a finding for the
// fuzzer) when it carries no message, since users would see nothing.
void requireMessage(llvm::Error error);

}  // namespace ftlint::fuzz
