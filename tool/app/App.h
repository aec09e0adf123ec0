// The command line: parses arguments, runs a subcommand, returns the exit
// code (0 no findings, 1 findings, 2 usage, configuration or input error).
#pragma once

#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace ftlint {

int runCommandLine(const std::vector<std::string> &args, llvm::raw_ostream &out, llvm::raw_ostream &err,
                   bool stdoutIsTerminal);

}  // namespace ftlint
