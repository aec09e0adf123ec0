// `#pragma clang diagnostic` and `#pragma GCC diagnostic`, handled the way a
// parse that reports no warnings needs them.
//
// clang records every such pragma as a change of warning state at its
// location; from then on, each of the hundreds of thousands of "is this
// warning enabled here?" questions the parser asks looks the location up
// among them (about 5% of the whole run on msgspec, which uses them around
// deprecated calls). ftlint parses with -w, which already ignores warnings
// a pragma raises to errors, so only one thing these pragmas do can change its
// parse: `ignored` on a diagnostic that is an error by default. That is
// applied from the pragma to the end of the unit instead, and `push`/`pop`
// are dropped: code after a `pop` that clang would refuse is still analysed.
#pragma once

namespace clang {
class Preprocessor;
}

namespace ftlint {

void installDiagnosticPragmaHandlers(clang::Preprocessor &pp);

}  // namespace ftlint
