// The question FT1 and FT2 rules share: is this access to `object` at `site`
// one another thread can race with? It is not when the object is private to
// the function (see Provenance.h) or locked by a critical section on it.
#pragma once

#include "tool/analysis/Provenance.h"
#include "tool/analysis/TuContext.h"

#include <optional>
#include <string>

namespace ftlint {

struct SharedAccess {
  Provenance provenance;   // why the object may be shared
  std::string objectText;  // the object as written, e.g. "self->dict"
};

// nullopt when the access is safe; otherwise why it is not.
std::optional<SharedAccess> sharedAccess(TuContext &tu, const clang::Expr *site, const clang::Expr *object);

// Reports a finding about a shared access, as sure as its provenance is;
// null when the site is suppressed or outside the project.
Finding *reportSharedAccess(TuContext &tu, const RuleInfo &rule, clang::SourceRange range, std::string message,
                            const SharedAccess &access);

// When every caller of the function containing `site` that this TU shows
// calls it inside a critical section, a note saying so (the lock may or may
// not cover the object: the user judges). Empty otherwise.
std::string callersHoldLockNote(TuContext &tu, const clang::Stmt *site);

}  // namespace ftlint
