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

namespace ftlint {

struct OwnershipRewrite {
  std::optional<Fix> fix;
  std::string whyNot;  // when there is no fix: one clause, "the call is written inside a macro"
};

// The rewrite of one borrowed call (`site` is the CallExpr of `api`).
OwnershipRewrite rewriteBorrowedCall(clang::ASTContext &ast, const clang::CallExpr *site, const BorrowedApi &api);

}  // namespace ftlint
