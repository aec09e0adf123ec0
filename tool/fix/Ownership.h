// The ownership rewrite behind the FT1 fixes: a call that returns a borrowed
// reference becomes its strong-reference form, and the variable that holds
// the result gets exactly one release on every control-flow path, worked out
// on clang's CFG of the function.
#pragma once

#include "tool/analysis/ApiTables.h"
#include "tool/core/Finding.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Expr.h"

#include <optional>
#include <string>
#include <string_view>

namespace ftlint {

// The documentation of the rewrite, shared by the rules that offer it.
inline constexpr std::string_view kOwnershipFixMechanics = R"(How the release is placed: ftlint works out, on the function's control-flow graph, every path from the
call to where the variable's value is last needed (including pointers computed from it, such as
`PyModule_GetDict(m)` or `Py_TYPE(x)->tp_name`) and releases the reference exactly once on each. A
`Py_INCREF`/`Py_NewRef` that took ownership on every path is removed instead; otherwise `Py_DECREF` (or
`Py_XDECREF` where the value may be NULL) goes after the last use and before each `return`, `goto`, `break`
or `continue` that leaves. When several `goto`s lead to the function's cleanup label, the release goes there
instead, as `Py_XDECREF`, with the variable initialised to NULL and cleared (`Py_CLEAR`) after its last use.
`return f(item);` becomes `PyObject *result = f(item); Py_DECREF(item); return result;`.

There is no fix, and the message says why, when the rewrite cannot be proven: the result is used inside a
larger expression, the value is stored in a struct or handed to a stealing call without a reference of its
own, a pointer derived from it is used after the enclosing block, the variable is given another value while
it holds the reference, the code is inside a macro, or the function uses `setjmp` or computed gotos. With
`--target-python` older than 3.13 the file also gets `#include "pythoncapi_compat.h"` (see
`--compat-header`).)";

using OwnershipRewrite = FixOffer;

// The rewrite of one borrowed call (`site` is the CallExpr of `api`).
OwnershipRewrite rewriteBorrowedCall(clang::ASTContext &ast, const clang::CallExpr *site, const BorrowedApi &api);

}  // namespace ftlint
