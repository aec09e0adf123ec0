#include "tool/analysis/TuContext.h"

#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/TuIndex.h"
#include "tool/core/Environment.h"

#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"

#include <algorithm>
#include <cstdlib>

using namespace clang;

namespace ftlint {

static bool isUnder(const std::string &path, const std::string &dir) {
  if (dir.empty() || path.size() <= dir.size() || path.compare(0, dir.size(), dir) != 0) return false;
  return dir.back() == '/' || path[dir.size()] == '/';
}

bool ProjectScope::contains(const std::string &realPath) const {
  llvm::StringRef name = llvm::sys::path::filename(realPath);
  for (const auto &foreign : foreignNames_)
    if (name == foreign) return false;
  for (const auto &ex : excluded_)
    if (isUnder(realPath, ex)) return false;
  return root_.empty() || isUnder(realPath, root_);
}

const std::string &TuContext::realPathOf(FileID fid) {
  auto it = realPaths_.find(fid);
  if (it != realPaths_.end()) return it->second;
  std::string path = realPathOfFile(sourceManager(), fid, &realPathCache_);
  return realPaths_.emplace(fid, path).first->second;
}

bool TuContext::inProject(SourceLocation loc) {
  const SourceManager &sm = sourceManager();
  SourceLocation fileLoc = sm.getFileLoc(loc);
  // A file's offsets hold only its own text: files it includes are given
  // offsets of their own after it.
  if (fileLoc.isValid() && fileLoc.getRawEncoding() - lastFile_.start < lastFile_.size) return lastFile_.inProject;
  FileID fid = sm.getFileID(fileLoc);
  bool result = inProjectFile(fid);
  if (fid.isValid()) lastFile_ = {sm.getLocForStartOfFile(fid).getRawEncoding(), sm.getFileIDSize(fid), result};
  return result;
}

bool TuContext::inProjectFile(FileID fid) {
  const SourceManager &sm = sourceManager();
  auto it = inProject_.find(fid);
  if (it != inProject_.end()) return it->second;
  bool result;
  if (fid == sm.getMainFileID()) result = true;
  else if (sm.isInSystemHeader(sm.getLocForStartOfFile(fid))) result = false;
  else {
    const std::string &path = realPathOf(fid);
    result = !path.empty() && scope_.contains(path);
  }
  inProject_.emplace(fid, result);
  return result;
}

std::vector<Finding> TuContext::takeFindings() {
  std::stable_sort(findings_.begin(), findings_.end(), findingLess);
  findings_.erase(std::unique(findings_.begin(), findings_.end(), sameFinding), findings_.end());
  return std::move(findings_);
}

const TuIndex &TuContext::index() {
  if (!index_) index_ = std::make_unique<TuIndex>(*ast_);
  return *index_;
}

namespace {
// Where the rules' walk sees what the index's own walk does, and more it can
// tell apart: implicit declarations and completed initialiser lists. C++
// (lambdas, range-for, default arguments...) and OpenMP add implicit code of
// other kinds, so those units keep the index's own walk.
bool walkCanRecordIndex(const LangOptions &lang) { return !lang.CPlusPlus && !lang.ObjC && !lang.OpenMP; }

// For the tests: the recorded index must be the one the index's walk builds.
void compareWithOwnWalk(const TuIndex &recorded, ASTContext &ast) {
  if (TuIndex(ast).sameAs(recorded)) return;
  llvm::errs() << "ftlint: the index the rules' walk recorded differs from the index's own walk\n";
  std::abort();
}
}  // namespace

void TuContext::walkForRules() {
  // Nearly every unit needs the index, and in a large C file walking the
  // function bodies once more for it cost as much as the rules' walk.
  if (index_ || !walkCanRecordIndex(ast_->getLangOpts())) {
    nodes_.dispatch(*ast_);
    return;
  }
  IndexRecorder recorder(*ast_);
  nodes_.dispatch(*ast_, &recorder, [&] {
    index_ = std::make_unique<TuIndex>(*ast_, std::move(recorder));
    static const bool checking = environmentSwitch("FTLINT_CHECK_INDEX");
    if (checking) compareWithOwnWalk(*index_, *ast_);
  });
}

Finding *TuContext::report(const RuleInfo &rule, SourceRange range, std::string message) {
  const SourceManager &sm = sourceManager();
  SourceLocation begin = sm.getFileLoc(range.getBegin());
  SourceLocation end = sm.getFileLoc(range.getEnd());
  if (begin.isInvalid() || !inProject(begin)) return nullptr;
  if (facts_.deadInFreeThreadedBuild(sm, begin)) return nullptr;

  Finding f;
  f.code = std::string(rule.code);
  f.message = std::move(message);
  FileID fid = sm.getFileID(begin);
  f.file = realPathOf(fid);
  f.offset = sm.getFileOffset(begin);
  f.line = sm.getSpellingLineNumber(begin);
  f.column = sm.getSpellingColumnNumber(begin);
  if (end.isValid() && sm.getFileID(end) == fid && !(end < begin)) {
    unsigned tokenLength = Lexer::MeasureTokenLength(end, sm, ast_->getLangOpts());
    f.endLine = sm.getSpellingLineNumber(end);
    f.endColumn = sm.getSpellingColumnNumber(end) + (tokenLength ? tokenLength - 1 : 0);
  } else {
    f.endLine = f.line;
    f.endColumn = f.column;
  }
  StringRef buffer = sm.getBufferData(fid);
  size_t lineStart = f.offset - (f.column - 1);
  size_t lineEnd = buffer.find_first_of("\r\n", f.offset);
  f.sourceLine = buffer.slice(lineStart, lineEnd == StringRef::npos ? buffer.size() : lineEnd).str();
  findings_.push_back(std::move(f));
  return &findings_.back();
}

}  // namespace ftlint
