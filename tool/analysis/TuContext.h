// Everything a rule needs about the translation unit being analysed, and the
// one way rules report findings. Reporting applies the filters every rule
// shares: only the project's own files, never code a free-threaded build does
// not compile.
#pragma once

#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/NodeSubscriptions.h"
#include "tool/analysis/PreprocessorFacts.h"
#include "tool/analysis/TuIndex.h"
#include "tool/core/Finding.h"
#include "tool/core/Rule.h"

#include "clang/AST/ASTContext.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace ftlint {

// The compatibility header ftlint's fixes include for older Pythons.
inline constexpr const char *kDefaultCompatHeader = "pythoncapi_compat.h";

// Decides which files are the project's own.
class ProjectScope {
public:
  ProjectScope() = default;
  // `foreignNames`: file names that are never the project's, wherever they
  // are: the vendored compatibility header is the borrowed-to-strong shim
  // layer for older Pythons, not code to port.
  ProjectScope(std::string root, std::vector<std::string> excludedDirs,
               std::vector<std::string> foreignNames = {kDefaultCompatHeader})
      : root_(std::move(root)), excluded_(std::move(excludedDirs)), foreignNames_(std::move(foreignNames)) {}

  // `realPath` is absolute and resolved; the main file of a TU always counts.
  bool contains(const std::string &realPath) const;
  const std::string &root() const { return root_; }
  const std::vector<std::string> &excludedDirs() const { return excluded_; }
  const std::vector<std::string> &foreignNames() const { return foreignNames_; }

private:
  std::string root_;                       // empty: every non-system file
  std::vector<std::string> excluded_;      // e.g. the Python include directories
  std::vector<std::string> foreignNames_;  // e.g. pythoncapi_compat.h
};

class TuContext {
public:
  TuContext(const ProjectScope &scope, PreprocessorFacts &facts) : scope_(scope), facts_(facts) {}

  void setAst(clang::ASTContext &ast) {
    ast_ = &ast;
    sm_ = &ast.getSourceManager();
  }
  // Before the AST exists (while parsing), for inProject().
  void setSourceManager(const clang::SourceManager &sm) { sm_ = &sm; }
  clang::ASTContext &ast() { return *ast_; }
  const clang::SourceManager &sourceManager() const { return *sm_; }
  const PreprocessorFacts &preprocessor() const { return facts_; }
  // Where rules ask, while registering their matchers, for the calls and
  // field uses they look for by name.
  NodeSubscriptions &nodes() { return nodes_; }

  // True for locations in the project's own files (where the user wrote the
  // code, looking through macro expansions).
  bool inProject(clang::SourceLocation loc);
  bool inProjectFile(clang::FileID fid);
  // Real paths of the files the TU read, for everything that names them.
  RealPathCache &realPaths() { return realPathCache_; }

  // Reports a finding at `range` (its start is the reported position). Returns
  // null when the location is filtered out, so callers can skip building fixes.
  Finding *report(const RuleInfo &rule, clang::SourceRange range, std::string message);

  // The findings, each reported once (a macro can expand into several
  // matching expressions at one place).
  std::vector<Finding> takeFindings();
  // The findings so far, for passes over all of them (fix post-processing).
  std::vector<Finding> &findings() { return findings_; }

  // Whole-TU facts (calls, field stores, module init), built on first use,
  // or in C units by the rules' walk.
  const TuIndex &index();
  // The walk that calls the rules back (NodeSubscriptions::dispatch).
  void walkForRules();

  // The TU's call graph is kept for the whole-project module-init pass when
  // a rule that needs it runs.
  void requestCallGraph() { wantCallGraph_ = true; }
  // Only functions declared in the project's files can hold findings, so
  // only edges into them are kept (not the calls into CPython's API). A path
  // from init through a function outside the project back into it is lost,
  // which can only keep findings, never drop them.
  void saveCallGraph() {
    if (wantCallGraph_ && ast_)
      callGraph_ = index().callGraph([&](const clang::FunctionDecl *fd) { return inProject(fd->getLocation()); });
  }
  CallGraphPart takeCallGraph() { return std::move(callGraph_); }

  // A whole-TU result several rules need (the module definitions, say),
  // computed by `compute` on first use and kept for the TU's lifetime.
  template <typename T, typename Compute>
  const T &memoized(Compute &&compute) {
    std::shared_ptr<void> &slot = memos_[&MemoKey<T>::key];
    if (!slot) slot = std::make_shared<T>(compute());
    return *static_cast<const T *>(slot.get());
  }

  void setModules(std::vector<ModuleSummary> modules) { modules_ = std::move(modules); }
  std::vector<ModuleSummary> takeModules() { return std::move(modules_); }

private:
  // One address per memoized type (no RTTI in LLVM builds).
  template <typename T>
  struct MemoKey {
    static inline const char key = 0;
  };
  const std::string &realPathOf(clang::FileID fid);

  const ProjectScope &scope_;
  PreprocessorFacts &facts_;
  clang::ASTContext *ast_ = nullptr;
  const clang::SourceManager *sm_ = nullptr;
  RealPathCache realPathCache_;
  std::map<clang::FileID, std::string> realPaths_;
  std::map<clang::FileID, bool> inProject_;
  // The file inProject() placed a location in last, as the offsets it spans.
  // Declarations arrive in file order, so most questions are about that file;
  // SourceManager's own last-lookup follows the lexer, not these questions.
  struct LastFile {
    unsigned start = 0, size = 0;
    bool inProject = false;
  } lastFile_;
  std::vector<Finding> findings_;
  std::unique_ptr<TuIndex> index_;
  bool wantCallGraph_ = false;
  CallGraphPart callGraph_;
  std::vector<ModuleSummary> modules_;
  std::map<const void *, std::shared_ptr<void>> memos_;
  NodeSubscriptions nodes_;
};

}  // namespace ftlint
