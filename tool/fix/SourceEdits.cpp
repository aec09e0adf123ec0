#include "tool/fix/SourceEdits.h"

#include <algorithm>
#include <memory>
#include <tuple>

#include "tool/analysis/AstHelpers.h"

#include "clang/AST/ParentMapContext.h"
#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

#include "llvm/ADT/DenseMap.h"

using namespace clang;

namespace ftlint {

// True when the text just before `at` is the end of a comment (`*/`, or a
// `//` comment running to the end of its line).
static bool endsInComment(StringRef buffer, size_t at) {
  if (at >= 2 && buffer.substr(at - 2, 2) == "*/") return true;
  size_t lineStart = buffer.rfind('\n', at);
  lineStart = lineStart == StringRef::npos ? 0 : lineStart + 1;
  return buffer.slice(lineStart, at).contains("//");
}

size_t startOfLine(StringRef buffer, size_t offset) {
  // StringRef::rfind looks strictly before its position.
  size_t newline = buffer.rfind('\n', offset);
  return newline == StringRef::npos ? 0 : newline + 1;
}

namespace {

// What an edit records about its file: its real path and the hash of the
// content the edit was computed on.
struct FileIdentity {
  std::string path;
  uint64_t hash;
};

// The identities of the files a unit's fixes edit, worked out once per unit:
// every fix has its own SourceEdits, and hashing an 800 kB file again for
// each edit of each fix cost more than the rest of the analysis of the fixes.
// Kept per ASTContext and dropped when it is destroyed; a unit is analysed
// and destroyed on one thread.
class FileIdentities {
public:
  static FileIdentities &of(const ASTContext &ast) {
    std::unique_ptr<FileIdentities> &slot = live()[&ast];
    if (!slot) {
      slot = std::make_unique<FileIdentities>();
      ast.AddDeallocation(&forget, const_cast<ASTContext *>(&ast));
    }
    return *slot;
  }

  const FileIdentity &get(const SourceManager &sm, FileID fid) {
    auto [it, added] = files_.try_emplace(fid);
    if (added) it->second = {realPathOfFile(sm, fid), contentHash(sm.getBufferData(fid))};
    return it->second;
  }

private:
  static llvm::DenseMap<const ASTContext *, std::unique_ptr<FileIdentities>> &live() {
    thread_local llvm::DenseMap<const ASTContext *, std::unique_ptr<FileIdentities>> units;
    return units;
  }
  static void forget(void *ast) { live().erase(static_cast<const ASTContext *>(ast)); }

  llvm::DenseMap<FileID, FileIdentity> files_;
};

}  // namespace

SourceEdits::SourceEdits(ASTContext &ast) : ast_(ast), sm_(ast.getSourceManager()) {}

SourceLocation SourceEdits::writtenAt(SourceLocation loc) const {
  while (loc.isMacroID()) {
    if (!sm_.isMacroArgExpansion(loc)) return {};
    loc = sm_.getImmediateSpellingLoc(loc);
  }
  return loc;
}

std::optional<CharSourceRange> SourceEdits::expressionRange(const Stmt *e) const {
  // An expression written as a macro argument (the call in
  // `Py_NewRef(PyList_GetItem(l, 0))`) is edited where it is written.
  SourceLocation begin = writtenAt(e->getBeginLoc()), last = writtenAt(e->getEndLoc());
  if (begin.isValid() && last.isValid() && (e->getBeginLoc().isMacroID() || e->getEndLoc().isMacroID())) {
    SourceLocation end = Lexer::getLocForEndOfToken(last, 0, sm_, ast_.getLangOpts());
    if (end.isInvalid() || sm_.getFileID(begin) != sm_.getFileID(end) || end < begin) return std::nullopt;
    return CharSourceRange::getCharRange(begin, end);
  }
  // Otherwise the edit covers the whole macro use, which is wrong for a part
  // of what a macro's body writes (a loop in a function the macro defines).
  if (writtenInsideMacroStatement(e, ast_)) return std::nullopt;
  CharSourceRange range = sm_.getExpansionRange(e->getSourceRange());
  if (range.isInvalid()) return std::nullopt;
  SourceLocation end = range.isTokenRange() ? Lexer::getLocForEndOfToken(range.getEnd(), 0, sm_, ast_.getLangOpts())
                                            : range.getEnd();
  if (end.isInvalid() || sm_.getFileID(range.getBegin()) != sm_.getFileID(end)) return std::nullopt;
  return CharSourceRange::getCharRange(range.getBegin(), end);
}

std::optional<CharSourceRange> SourceEdits::statementRange(const Stmt *s) const {
  auto range = expressionRange(s);
  if (!range) return std::nullopt;
  // Statements that end in a block (`if (...) { ... }`) have no `;`; the
  // others end with one right after their last token.
  Token next;
  if (!Lexer::getRawToken(range->getEnd(), next, sm_, ast_.getLangOpts(), /*IgnoreWhiteSpace=*/true) &&
      next.is(tok::semi) && !isa<CompoundStmt>(s))
    range->setEnd(next.getEndLoc());
  return range;
}

std::string SourceEdits::text(CharSourceRange range) const {
  return Lexer::getSourceText(range, sm_, ast_.getLangOpts()).str();
}

std::string SourceEdits::indentOf(SourceLocation loc) const {
  SourceLocation fileLoc = sm_.getExpansionLoc(loc);
  auto [fid, offset] = sm_.getDecomposedLoc(fileLoc);
  StringRef buffer = sm_.getBufferData(fid);
  size_t lineStart = startOfLine(buffer, offset);
  size_t i = lineStart;
  while (i < buffer.size() && (buffer[i] == ' ' || buffer[i] == '\t')) ++i;
  return buffer.slice(lineStart, i).str();
}

std::string SourceEdits::indentStep(const Stmt *body) const {
  const auto *block = dyn_cast_or_null<CompoundStmt>(body);
  if (block && !block->body_empty()) {
    std::string outer = indentOf(block->getLBracLoc());
    std::string inner = indentOf((*block->body_begin())->getBeginLoc());
    if (inner.size() > outer.size() && inner.compare(0, outer.size(), outer) == 0) return inner.substr(outer.size());
  }
  return "    ";
}

bool SourceEdits::fileLocation(SourceLocation loc, unsigned &offset, FileID &fid) const {
  if (loc.isInvalid() || loc.isMacroID()) return false;
  std::tie(fid, offset) = sm_.getDecomposedLoc(loc);
  return fid.isValid() && sm_.getFileEntryRefForID(fid).has_value();
}

bool SourceEdits::add(SourceLocation at, unsigned length, std::string replacement) {
  unsigned offset;
  FileID fid;
  if (!fileLocation(at, offset, fid)) {
    failed_ = true;
    return false;
  }
  const FileIdentity &identity = FileIdentities::of(ast_).get(sm_, fid);
  TextEdit edit;
  edit.file = identity.path;
  edit.offset = offset;
  edit.length = length;
  edit.replacement = std::move(replacement);
  edit.fileHash = identity.hash;
  edits_.push_back(std::move(edit));
  return true;
}

bool SourceEdits::replace(CharSourceRange range, std::string replacement) {
  if (range.isInvalid() || range.getBegin().isMacroID() || range.getEnd().isMacroID() ||
      sm_.getFileID(range.getBegin()) != sm_.getFileID(range.getEnd())) {
    failed_ = true;
    return false;
  }
  unsigned begin = sm_.getFileOffset(range.getBegin()), end = sm_.getFileOffset(range.getEnd());
  return add(range.getBegin(), end - begin, std::move(replacement));
}

bool SourceEdits::insert(SourceLocation at, std::string text) { return add(at, 0, std::move(text)); }

bool SourceEdits::removeStatement(const Stmt *s) {
  auto range = statementRange(s);
  if (!range) {
    failed_ = true;
    return false;
  }
  auto [fid, begin] = sm_.getDecomposedLoc(range->getBegin());
  unsigned end = sm_.getFileOffset(range->getEnd());
  StringRef buffer = sm_.getBufferData(fid);
  size_t lineStart = startOfLine(buffer, begin);
  size_t lineEnd = buffer.find('\n', end);
  bool aloneBefore = buffer.slice(lineStart, begin).trim(" \t").empty();
  bool aloneAfter = buffer.slice(end, lineEnd == StringRef::npos ? buffer.size() : lineEnd).trim(" \t\r").empty();
  if (aloneBefore && aloneAfter && lineEnd != StringRef::npos)
    return add(range->getBegin().getLocWithOffset(-static_cast<int>(begin - lineStart)),
               static_cast<unsigned>(lineEnd + 1 - lineStart), "");
  return replace(*range, "");
}

bool SourceEdits::insertStatementBefore(const Stmt *s, const Stmt *parent, const std::string &statement,
                                        const std::string &step) {
  auto range = statementRange(s);
  if (!range) {
    failed_ = true;
    return false;
  }
  SourceLocation begin = range->getBegin();
  auto [fid, offset] = sm_.getDecomposedLoc(begin);
  StringRef buffer = sm_.getBufferData(fid);
  size_t lineStart = startOfLine(buffer, offset);
  bool startsLine = buffer.slice(lineStart, offset).trim(" \t").empty();

  if (isa<LabelStmt, SwitchCase>(parent)) {
    // Code before a label also runs for every jump to it: not what a fix for
    // one path wants.
    failed_ = true;
    return false;
  }
  if (isa<CompoundStmt>(parent)) {
    if (startsLine) return insert(begin, statement + "\n" + indentOf(begin));
    return insert(begin, statement + " ");
  }
  // A lone statement under if/else/for/while: it becomes a block. The text
  // between the previous token and `s` is replaced so the brace sits on the
  // line of the `if`, as CPython's style has it.
  std::string outer = indentOf(parent->getBeginLoc());
  std::string inner = outer + step;
  size_t gapStart = offset;
  while (gapStart > 0 && (buffer[gapStart - 1] == ' ' || buffer[gapStart - 1] == '\t' ||
                          buffer[gapStart - 1] == '\n' || buffer[gapStart - 1] == '\r'))
    --gapStart;
  // A comment between the condition and the statement stays where it is.
  if (endsInComment(buffer, gapStart)) gapStart = offset;
  if (gapStart == offset) {
    if (!insert(begin, "{\n" + inner + statement + "\n" + inner)) return false;
  } else if (!add(begin.getLocWithOffset(-static_cast<int>(offset - gapStart)), static_cast<unsigned>(offset - gapStart),
                  " {\n" + inner + statement + "\n" + inner)) {
    return false;
  }
  // If the statement was on its own line it keeps its text; its old
  // indentation is replaced above, and the closing brace goes after it.
  return insert(range->getEnd(), "\n" + outer + "}");
}

bool SourceEdits::replaceStatement(const Stmt *s, const Stmt *parent, const std::vector<std::string> &statements,
                                   const std::string &step, bool ownBlock) {
  auto range = statementRange(s);
  if (!range || isa<LabelStmt>(parent) || (isa<SwitchCase>(parent) && !ownBlock)) {
    failed_ = true;
    return false;
  }
  if (isa<CompoundStmt>(parent) || (ownBlock && isa<SwitchCase>(parent))) {
    std::string indent = indentOf(range->getBegin()), text;
    std::string inner = ownBlock ? indent + step : indent;
    for (size_t i = 0; i < statements.size(); ++i) text += (i ? "\n" + inner : "") + statements[i];
    if (ownBlock) text = "{\n" + inner + text + "\n" + indent + "}";
    return replace(*range, text);
  }
  // As in insertStatementBefore: the lone statement becomes a block.
  std::string outer = indentOf(parent->getBeginLoc()), inner = outer + step;
  auto [fid, offset] = sm_.getDecomposedLoc(range->getBegin());
  StringRef buffer = sm_.getBufferData(fid);
  size_t gapStart = offset;
  while (gapStart > 0 && StringRef(" \t\r\n").contains(buffer[gapStart - 1])) --gapStart;
  if (endsInComment(buffer, gapStart)) gapStart = offset;
  std::string text = gapStart == offset ? "{" : " {";
  for (const auto &st : statements) text += "\n" + inner + st;
  text += "\n" + outer + "}";
  unsigned end = sm_.getFileOffset(range->getEnd());
  return add(range->getBegin().getLocWithOffset(-static_cast<int>(offset - gapStart)),
             static_cast<unsigned>(end - gapStart), text);
}

bool SourceEdits::insertStatementAfter(const Stmt *s, const std::string &statement) {
  auto range = statementRange(s);
  if (!range) {
    failed_ = true;
    return false;
  }
  // After `error: Py_XDECREF(x);` the new line lines up with the statement,
  // not with the label.
  while (const auto *label = dyn_cast<LabelStmt>(s)) s = label->getSubStmt();
  // `(void)a; (void)b;`: more code follows on the line, so the release
  // joins it there rather than splitting the line.
  auto [fid, end] = sm_.getDecomposedLoc(range->getEnd());
  StringRef buffer = sm_.getBufferData(fid);
  size_t lineEnd = buffer.find('\n', end);
  StringRef rest = buffer.slice(end, lineEnd == StringRef::npos ? buffer.size() : lineEnd).trim(" \t\r");
  if (!rest.empty() && !rest.starts_with("//") && !rest.starts_with("/*")) return insert(range->getEnd(), " " + statement);
  // A trailing comment stays with the statement it explains.
  if (rest.starts_with("//") && lineEnd != StringRef::npos) {
    size_t cut = lineEnd;
    if (cut > end && buffer[cut - 1] == '\r') --cut;
    return insert(range->getEnd().getLocWithOffset(static_cast<int>(cut - end)),
                  "\n" + indentOf(s->getBeginLoc()) + statement);
  }
  return insert(range->getEnd(), "\n" + indentOf(s->getBeginLoc()) + statement);
}

bool SourceEdits::renameCallee(const CallExpr *call, const std::string &name) {
  SourceLocation at = writtenAt(call->getCallee()->IgnoreImpCasts()->getBeginLoc());
  if (at.isInvalid()) {
    failed_ = true;
    return false;
  }
  return replace(CharSourceRange::getCharRange(at, Lexer::getLocForEndOfToken(at, 0, sm_, ast_.getLangOpts())), name);
}

std::vector<TextEdit> SourceEdits::take() {
  // In file order, whatever order the analysis visited the places in (edits
  // at one offset keep theirs), so that output is the same from run to run.
  std::stable_sort(edits_.begin(), edits_.end(), [](const TextEdit &a, const TextEdit &b) {
    return std::tie(a.file, a.offset) < std::tie(b.file, b.offset);
  });
  return std::move(edits_);
}

}  // namespace ftlint
