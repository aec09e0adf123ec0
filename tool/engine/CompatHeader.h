// Older Pythons lack the strong-reference APIs the fixes use; a project that
// still builds for them gets them from a compatibility header
// (pythoncapi_compat.h, or its own), included once per fixed file.
#pragma once

#include <string>

namespace ftlint {

// The oldest Python 3 minor version that has every API `fixed` uses and
// `original` did not (0 when the fixes add none).
int newestApiAdded(const std::string &original, const std::string &fixed);

// `fixed` with `#include "HEADER"` added after the file's Python.h include
// (or its first block of includes) when `targetMinor` predates an API the
// fixes added and the file does not include HEADER yet.
std::string withCompatInclude(const std::string &original, const std::string &fixed, int targetMinor,
                              const std::string &header);

}  // namespace ftlint
