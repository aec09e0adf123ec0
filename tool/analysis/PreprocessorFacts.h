// What the preprocessor saw in one translation unit, kept for the rules:
// conditional branches (and whether a free-threaded build compiles them),
// ranges it skipped, critical sections, and uses of a few macros that leave
// no trace in the AST (Py_BEGIN_CRITICAL_SECTION is a bare `{` in a default
// build; PYBIND11_MODULE hides its arguments).
#pragma once

#include "tool/analysis/BuildCondition.h"

#include "clang/Basic/SourceLocation.h"
#include "clang/Lex/PPCallbacks.h"

#include <functional>
#include <optional>
#include <map>
#include <string>
#include <vector>

namespace clang {
class Preprocessor;
class SourceManager;
}  // namespace clang

namespace ftlint {

struct ConditionalBranch {
  clang::FileID file;
  unsigned begin = 0, end = 0;  // offsets: the opening directive to the next one
  bool parsed = false;          // compiled with the headers ftlint parses with
  Tri freeThreaded = Tri::Unknown;  // compiled by a free-threaded 3.13+ build
  Tri defaultBuild = Tri::Unknown;  // compiled by a build with the GIL
};

// An identifier in text the preprocessor skipped.
struct SkippedIdentifier {
  std::string_view name;
  clang::SourceLocation loc;
  Tri defaultBuild;  // whether a build with the GIL compiles it
};

struct SkippedRange {
  clang::FileID file;
  unsigned begin = 0, end = 0;
};

// A macro use recorded at the place the user wrote it.
struct MacroUse {
  std::string name;
  clang::SourceLocation loc;           // file location of the macro name
  clang::SourceLocation spelling;      // where it is written: in a macro's body when another macro uses it
  std::vector<std::string> arguments;  // spelled text of each argument
};

struct CriticalSection {
  clang::FileID file;
  unsigned begin = 0, end = 0;  // offsets of the BEGIN and END macro uses
  clang::SourceLocation beginLoc, endLoc;
  // Where BEGIN and END are written. A section a macro opens and closes (a
  // function written by a macro) has one file offset for both; these order
  // what the macro's body holds.
  clang::SourceLocation beginSpelling, endSpelling;
  std::vector<std::string> objects;  // normalised argument text
  std::string macro;                 // Py_BEGIN_CRITICAL_SECTION or ...2
};

struct PythonHeaderInfo {
  int major = 0, minor = 0;
  bool gilDisabled = false;  // Py_GIL_DISABLED defined for this TU
};

// Splits the text after a macro name, "(a, f(b, c))", into its arguments;
// empty when the parentheses do not balance.
std::vector<std::string> readMacroArguments(std::string_view text);

// Removes spaces and casts so `(PyObject *)self->dict` and `self -> dict`
// compare equal.
std::string normaliseObjectText(std::string_view text);

class PreprocessorFacts {
public:
  std::vector<ConditionalBranch> branches;
  std::vector<SkippedRange> skipped;
  std::vector<MacroUse> macroUses;
  std::vector<CriticalSection> criticalSections;
  PythonHeaderInfo headers;
  // The project's own files. Text ftlint reads itself (skipped branches,
  // critical-section macros the headers do not define) is read only there:
  // findings are only reported there. Every file when unset.
  std::function<bool(clang::FileID)> projectFile;

  // True when a free-threaded 3.13+ build never compiles the code at `loc`.
  bool deadInFreeThreadedBuild(const clang::SourceManager &sm, clang::SourceLocation loc) const;
  // True when no build with the GIL compiles the code at `loc` (it sits
  // under `#ifdef Py_GIL_DISABLED` or similar).
  bool excludedFromDefaultBuild(const clang::SourceManager &sm, clang::SourceLocation loc) const;
  // The innermost critical section around `loc` that locks `object` (source
  // text of the container expression), or null.
  const CriticalSection *criticalSectionOn(const clang::SourceManager &sm, clang::SourceLocation loc,
                                           std::string_view object) const;
  // Every critical section around `loc`, innermost last.
  std::vector<const CriticalSection *> criticalSectionsAround(const clang::SourceManager &sm,
                                                              clang::SourceLocation loc) const;

  // Calls `visit` for each identifier in text the preprocessor skipped but a
  // free-threaded 3.13+ build may compile (nested conditionals are evaluated
  // the same way). Lets rules see `#ifdef Py_GIL_DISABLED` code under a
  // default build's headers.
  void forEachLiveSkippedIdentifier(const clang::SourceManager &sm,
                                    const std::function<void(const SkippedIdentifier &)> &visit) const;

  void buildCriticalSections(const clang::SourceManager &sm);

private:
  // The skipped text is read once per TU, however many rules ask.
  void scanSkippedText(const clang::SourceManager &sm) const;
  const std::vector<const ConditionalBranch *> &branchesIn(clang::FileID file) const;
  mutable std::optional<std::vector<SkippedIdentifier>> liveSkipped_;
  mutable std::map<clang::FileID, std::vector<const ConditionalBranch *>> branchesByFile_;
  mutable size_t indexedBranches_ = 0;
};

// Feeds PreprocessorFacts during parsing.
class PreprocessorTracker : public clang::PPCallbacks {
public:
  PreprocessorTracker(clang::Preprocessor &pp, PreprocessorFacts &facts);

  void If(clang::SourceLocation loc, clang::SourceRange, ConditionValueKind value) override;
  void Elif(clang::SourceLocation loc, clang::SourceRange, ConditionValueKind value,
            clang::SourceLocation ifLoc) override;
  void Ifdef(clang::SourceLocation loc, const clang::Token &name, const clang::MacroDefinition &md) override;
  void Ifndef(clang::SourceLocation loc, const clang::Token &name, const clang::MacroDefinition &md) override;
  void Elifdef(clang::SourceLocation loc, const clang::Token &name, const clang::MacroDefinition &md) override;
  void Elifdef(clang::SourceLocation loc, clang::SourceRange, clang::SourceLocation ifLoc) override;
  void Elifndef(clang::SourceLocation loc, const clang::Token &name, const clang::MacroDefinition &md) override;
  void Elifndef(clang::SourceLocation loc, clang::SourceRange, clang::SourceLocation ifLoc) override;
  void Else(clang::SourceLocation loc, clang::SourceLocation ifLoc) override;
  void Endif(clang::SourceLocation loc, clang::SourceLocation ifLoc) override;
  void SourceRangeSkipped(clang::SourceRange range, clang::SourceLocation endifLoc) override;
  void MacroExpands(const clang::Token &name, const clang::MacroDefinition &md, clang::SourceRange range,
                    const clang::MacroArgs *args) override;
  void FileChanged(clang::SourceLocation loc, FileChangeReason reason, clang::SrcMgr::CharacteristicKind kind,
                   clang::FileID previous) override;
  void EndOfMainFile() override;
  // Completes the facts once the whole file was preprocessed. Clang calls
  // EndOfMainFile only after the AST consumer ran, so the engine calls this
  // before the rules look at the AST.
  void finish();

private:
  struct OpenConditional {
    clang::FileID file;
    bool enclosingParsed = true;
    bool anyParsed = false;
    BranchChain freeThreaded, defaultBuild;
    size_t current = 0;  // index of the open branch in facts_.branches
  };
  void pushConditional(clang::SourceLocation loc);
  void openBranch(clang::SourceLocation loc, bool parsed, Tri freeThreaded, Tri defaultBuild);
  void openIfBranch(clang::SourceLocation loc, bool parsed);
  void openDefinedBranch(clang::SourceLocation loc, bool parsed, const clang::Token &name, bool negate);
  void closeBranch(clang::SourceLocation loc);
  // The condition after `#if` or `#elif`, line continuations removed.
  std::string_view directiveText(clang::SourceLocation keywordLoc);
  std::string directiveScratch_;  // a directive spread over several lines

  clang::Preprocessor &pp_;
  PreprocessorFacts &facts_;
  std::vector<OpenConditional> stack_;
  std::vector<clang::FileID> userFiles_;  // files entered that are not system headers
  std::vector<const clang::IdentifierInfo *> trackedMacros_;  // the macros MacroExpands records
  bool finished_ = false;

  // With headers older than 3.13 and no compatibility header the critical
  // section macros are not defined, yet code written for 3.13+ (or fixed by
  // ftlint) uses them: read their uses from the text.
  void recordUndefinedCriticalSectionUses();
};

}  // namespace ftlint
