// How every JSON document ftlint writes is laid out: two-space indentation,
// a final newline, and bytes that are not UTF-8 (a Latin-1 string literal in
// a fix, a path) written as U+FFFD instead of stopping the write.
#pragma once

#include "llvm/Support/raw_ostream.h"

#include <nlohmann/json.hpp>

namespace ftlint {

void writeJsonDocument(llvm::raw_ostream &out, const nlohmann::ordered_json &document);

}  // namespace ftlint
