// Turning AST positions into text edits that read like the surrounding code:
// statements are inserted on their own line with the indentation of their
// neighbours, a lone statement under an `if` gains braces when a second one
// joins it, and positions inside macro expansions are refused rather than
// guessed.
#pragma once

#include "tool/core/Finding.h"

#include "clang/AST/ASTContext.h"
#include "clang/AST/Stmt.h"

#include <optional>
#include <string>
#include <vector>

namespace ftlint {

// Byte offset of the first character of the line holding `offset`.
size_t startOfLine(llvm::StringRef buffer, size_t offset);

class SourceEdits {
public:
  explicit SourceEdits(clang::ASTContext &ast);

  // The file range the user wrote for `s` (a macro use counts as written),
  // including a `;` that ends the statement; nullopt when it is not one
  // contiguous range of one file.
  std::optional<clang::CharSourceRange> statementRange(const clang::Stmt *s) const;
  std::optional<clang::CharSourceRange> expressionRange(const clang::Stmt *e) const;

  // Where the user wrote the token at `loc`: itself, or for a macro
  // argument the place in the macro use; invalid for tokens that come from a
  // macro's body.
  clang::SourceLocation writtenAt(clang::SourceLocation loc) const;

  // The text of a file range.
  std::string text(clang::CharSourceRange range) const;

  // Leading whitespace of the line holding `loc`.
  std::string indentOf(clang::SourceLocation loc) const;
  // One level of indentation in `function`'s body (its first statement's
  // indentation minus the function's); four spaces when it cannot tell.
  std::string indentStep(const clang::Stmt *body) const;

  // Edits; each returns false (and records nothing) when the position is not
  // a plain file position.
  bool replace(clang::CharSourceRange range, std::string replacement);
  bool insert(clang::SourceLocation at, std::string text);
  // Removes a whole statement; the line too when nothing else is on it.
  bool removeStatement(const clang::Stmt *s);
  // Adds `statement` (without newline or indentation) to run just before `s`,
  // which `parent` contains; braces are added when `parent` is not a block.
  bool insertStatementBefore(const clang::Stmt *s, const clang::Stmt *parent, const std::string &statement,
                             const std::string &step);
  // Replaces the statement `s` (in `parent`) with several, one per line;
  // braces are added when `parent` is not a block.
  bool replaceStatement(const clang::Stmt *s, const clang::Stmt *parent, const std::vector<std::string> &statements,
                        const std::string &step, bool ownBlock = false);
  // Adds `statement` on a new line just after `s` (a statement of a block).
  bool insertStatementAfter(const clang::Stmt *s, const std::string &statement);

  // Replaces the name of the function `call` calls (where the user wrote it).
  bool renameCallee(const clang::CallExpr *call, const std::string &name);

  bool failed() const { return failed_; }
  std::vector<TextEdit> take();

private:
  bool fileLocation(clang::SourceLocation loc, unsigned &offset, clang::FileID &fid) const;
  bool add(clang::SourceLocation at, unsigned length, std::string replacement);

  clang::ASTContext &ast_;
  const clang::SourceManager &sm_;
  std::vector<TextEdit> edits_;
  bool failed_ = false;
};

}  // namespace ftlint
