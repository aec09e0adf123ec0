// The alternative to a compatibility header for projects that still build for
// Pythons older than an API a fix uses: the fixed statements are compiled only
// where the API exists, and the original ones stay for older Pythons:
//
//   #if PY_VERSION_HEX >= 0x030D0000
//       ...fixed statements...
//   #else
//       ...original statements...
//   #endif
#pragma once

#include "tool/core/Finding.h"

#include "clang/AST/ASTContext.h"

#include <string>
#include <vector>

namespace ftlint {

// Rewrites every fix in `findings` that needs a Python newer than
// `targetMinor` into one version-guarded replacement of the whole statements
// it touches. A fix already inside a branch compiled only for new enough
// Pythons stays as it is; a fix whose statements cannot be enclosed (they are
// not whole lines of one block) is withdrawn, with the reason.
void guardFixesByVersion(clang::ASTContext &ast, std::vector<Finding> &findings, int targetMinor);

// True when `offset` in `text` lies in an `#if`/`#ifdef` branch that only
// Pythons of at least 3.`minor` compile (`PY_VERSION_HEX >= ...`,
// `Py_GIL_DISABLED`, or the `#else` of `PY_VERSION_HEX < ...`).
bool insideVersionBranch(std::string_view text, size_t offset, int minor);

}  // namespace ftlint
