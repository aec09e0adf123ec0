// The plain data model every part of ftlint shares: a finding, its location
// and its optional fix. No clang types here, so outputs, the cache and the
// tests can use it without an AST.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace ftlint {

enum class Severity { Note, Warning, Error };
const char *severityName(Severity s);

// A fix is safe when it keeps behaviour on every build (`--fix`), unsafe when
// it needs a human to review it (`--unsafe-fixes`).
enum class Applicability { Safe, Unsafe };
const char *applicabilityName(Applicability a);

// How sure ftlint is that a finding is a real hazard. Low: the only reason
// to think the container shared is that Python code ftlint cannot see
// returned it (PyObject_CallOneArg(...) and co.); such results are usually
// built fresh. Reports show high-confidence findings unless asked for more.
enum class Confidence { Low, High };
const char *confidenceName(Confidence c);
// "low" or "high"; nullopt for anything else.
std::optional<Confidence> parseConfidence(std::string_view text);

struct TextEdit {
  std::string file;       // real path of the file to edit
  unsigned offset = 0;    // byte offset where the replaced text starts
  unsigned length = 0;    // bytes replaced
  std::string replacement;
  // Hash of the whole file as the analysis read it (contentHash), so a file
  // changed since then is not written; 0 when unknown.
  uint64_t fileHash = 0;
};

// XXH3, 64 bits: identifies a file's content between reading and writing.
uint64_t contentHash(std::string_view text);

// `text` with `edits` applied; their offsets count from `base` (the position
// of `text` in its file). Edits at one offset keep their order, and an
// insertion goes before a replacement that starts where it is.
std::string applyEdits(std::string_view text, std::vector<TextEdit> edits, size_t base = 0);

struct Fix {
  Applicability applicability = Applicability::Unsafe;
  std::string description;  // one line, shown after "help:"
  std::vector<TextEdit> edits;
};

// What a rule can offer at a site: a fix, or the reason there is none.
struct FixOffer {
  std::optional<Fix> fix;
  std::string whyNot;  // one clause: "the call is written inside a macro"
};

struct Finding;
// Puts the fix on the finding, or "no automatic fix: <why>" as its help.
void attachFix(Finding &finding, FixOffer offer);

struct Finding {
  std::string code;     // FT101
  std::string message;  // one sentence about this site
  std::string file;     // real, absolute path
  unsigned line = 0, column = 0;        // 1-based; column in bytes
  unsigned endLine = 0, endColumn = 0;  // inclusive end of the highlighted range
  unsigned offset = 0;                  // byte offset of the start in `file`
  Severity severity = Severity::Warning;
  Confidence confidence = Confidence::High;
  std::string sourceLine;               // the text of `line`, for snippets
  std::vector<std::string> notes;       // extra context lines
  std::optional<Fix> fix;
  std::string noFixReason;              // why no fix is offered, when it matters
  // For findings that do not apply in code only module initialisation runs:
  // the USR of the enclosing function, so a whole-project pass can drop them.
  std::string initOnlyUnlessUsr;
};

// A Python module a translation unit defines, and whether it declares that
// it can run without the GIL.
struct ModuleSummary {
  std::string name;
  std::string kind;         // "multi-phase", "single-phase", "pybind11", "nanobind"
  std::string declaration;  // "not declared", "runs without the GIL", ...
  bool declared = false;
  std::string file;         // where it is defined
  unsigned line = 0;
  std::string target;       // build target its TUs belong to, when the database tells
  size_t openFindings = 0;  // findings in the TUs of that target that the report shows
  // Where those findings are, before suppressions and filters, and how sure
  // the target's own units are of each: recountOpenFindings() counts the
  // ones still reported.
  struct FindingSite {
    std::string file;
    unsigned offset = 0;
    std::string code;
    Confidence confidence = Confidence::High;
  };
  std::vector<FindingSite> findingSites;
};

// Sets each module's openFindings to the number of its finding sites that
// `reported` still holds, once suppression comments, per-file ignores and
// the baseline have had their say, counting only the sites its own units are
// at least `minimum` sure of (a header finding another module's unit is sure
// of is reported, but not this module's to resolve).
void recountOpenFindings(std::vector<ModuleSummary> &modules, const std::vector<Finding> &reported,
                         Confidence minimum);

// Call edges of a translation unit, by USR, for whole-project questions
// ("is this function only ever reached from module initialisation?").
struct CallGraphPart {
  std::vector<std::pair<std::string, std::string>> edges;  // caller -> callee
  std::vector<std::string> initRoots;  // PyInit_* and Py_mod_exec functions
  std::vector<std::string> indirect;   // functions whose address is taken
};

// Moves the findings below `minimum` out of `findings` and returns them.
std::vector<Finding> removeBelowConfidence(std::vector<Finding> &findings, Confidence minimum);

// The order findings are printed in: file, line, column, code, message;
// then the more confident first, so merging copies keeps that one.
bool findingLess(const Finding &a, const Finding &b);
// Same site, same rule, same words: one finding, whichever TU produced it
// (and however sure that TU was).
bool sameFinding(const Finding &a, const Finding &b);

// A translation unit ftlint could not fully analyse.
struct TuFailure {
  std::string file;                    // the main source file
  std::vector<std::string> errors;     // first errors, "path:line:col: message"
  unsigned errorCount = 0;
  bool crashed = false;
};

}  // namespace ftlint
