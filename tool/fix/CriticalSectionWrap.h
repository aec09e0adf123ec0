// The fix for unlocked access and iteration (FT201, FT202, FT204): hold a
// critical section on the container around the loop that uses it, or the
// smallest statement around the access when there is no loop.
#pragma once

#include "tool/analysis/TuContext.h"
#include "tool/core/Finding.h"

#include "clang/AST/Expr.h"

#include <optional>
#include <string>

namespace ftlint {

using WrapFix = FixOffer;

// Wraps the statement around `site` in Py_BEGIN_CRITICAL_SECTION(object) ...
// Py_END_CRITICAL_SECTION(). Refused when a jump leaves the statement (the
// section would never end), when `object` is not a plain variable or field,
// or when another critical section already encloses the site.
WrapFix wrapInCriticalSection(TuContext &tu, const clang::Stmt *site, const clang::Expr *object);

}  // namespace ftlint
