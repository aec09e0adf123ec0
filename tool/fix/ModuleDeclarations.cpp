#include "tool/fix/ModuleDeclarations.h"

#include "tool/analysis/AstHelpers.h"
#include "tool/fix/SourceEdits.h"

#include "clang/Basic/SourceManager.h"
#include "clang/Lex/Lexer.h"

#include <fmt/format.h>

using namespace clang;

namespace ftlint {
namespace {

// The line break the file uses.
std::string newlineOf(StringRef buffer) { return buffer.contains("\r\n") ? "\r\n" : "\n"; }

DeclarationFix noFix(std::string why) {
  DeclarationFix d;
  d.whyNot = std::move(why);
  return d;
}

DeclarationFix fixOf(SourceEdits &edits, Applicability applicability, std::string description) {
  DeclarationFix d;
  if (edits.failed()) return noFix("the place to edit is inside a macro");
  d.fix = Fix{applicability, std::move(description), edits.take()};
  return d;
}

// True when `s` always leaves the function (return, goto), possibly in a block.
bool alwaysLeaves(const Stmt *s) {
  if (!s) return false;
  if (isa<ReturnStmt, GotoStmt>(s)) return true;
  if (const auto *block = dyn_cast<CompoundStmt>(s)) return !block->body_empty() && alwaysLeaves(block->body_back());
  return false;
}

}  // namespace

DeclarationFix addGilSlot(ASTContext &ast, const VarDecl *slots) {
  const SourceManager &sm = ast.getSourceManager();
  const auto *array = slots && slots->hasInit() ? dyn_cast<InitListExpr>(slots->getInit()->IgnoreImplicit()) : nullptr;
  if (!array || array->getNumInits() == 0) return noFix("the slots array has no initialiser ftlint can edit");
  const Expr *terminator = array->getInit(array->getNumInits() - 1);
  SourceLocation at = terminator->getBeginLoc();
  if (at.isMacroID()) return noFix("the slots array's terminator is written by a macro");
  auto [fid, offset] = sm.getDecomposedLoc(at);
  StringRef buffer = sm.getBufferData(fid);
  size_t lineStart = startOfLine(buffer, offset);
  if (!buffer.slice(lineStart, offset).trim(" \t").empty())
    return noFix("the slots array's terminator does not start its own line");
  std::string nl = newlineOf(buffer);
  std::string indent = buffer.slice(lineStart, offset).str();
  SourceEdits edits(ast);
  edits.insert(at.getLocWithOffset(-static_cast<int>(offset - lineStart)),
               "#ifdef Py_mod_gil" + nl + indent + "{Py_mod_gil, Py_MOD_GIL_NOT_USED}," + nl + "#endif" + nl);
  return fixOf(edits, Applicability::Unsafe,
               "declare the module free-threading-safe with a Py_mod_gil slot (review its shared state first)");
}

DeclarationFix addSetGilCall(ASTContext &ast, const CallExpr *create) {
  ParentLink link = meaningfulParent(create, ast);
  const VarDecl *module = nullptr;
  const Stmt *statement = nullptr;
  if (const auto *decl = dyn_cast_or_null<VarDecl>(link.parentDecl)) {
    module = decl;
    statement = declarationStatement(decl, ast);
  } else if (const auto *assign = dyn_cast_or_null<BinaryOperator>(link.parent);
             assign && assign->getOpcode() == BO_Assign) {
    if (const auto *ref = dyn_cast<DeclRefExpr>(assign->getLHS()->IgnoreParenImpCasts()))
      module = dyn_cast<VarDecl>(ref->getDecl());
    statement = assign;
  }
  if (!module || !statement)
    return noFix("the module object is not stored in a variable; store it and check it for NULL first");
  const auto *block = dyn_cast_or_null<CompoundStmt>(parentStatement(ast, statement));
  if (!block) return noFix("PyModule_Create() is not a statement of its own");
  // The declaration goes after the NULL check that follows the creation.
  const Stmt *check = nullptr;
  for (auto it = block->body_begin(); it != block->body_end(); ++it)
    if (*it == statement && it + 1 != block->body_end()) check = *(it + 1);
  const auto *ifStmt = dyn_cast_or_null<IfStmt>(check);
  bool isNullCheck = false;
  if (ifStmt && !ifStmt->getElse() && alwaysLeaves(ifStmt->getThen())) {
    const Expr *cond = stripCasts(ifStmt->getCond());
    auto isModule = [&](const Expr *e) {
      const auto *r = dyn_cast<DeclRefExpr>(stripCasts(e));
      return r && r->getDecl() == module;
    };
    if (const auto *u = dyn_cast<UnaryOperator>(cond); u && u->getOpcode() == UO_LNot) isNullCheck = isModule(u->getSubExpr());
    if (const auto *b = dyn_cast<BinaryOperator>(cond); b && b->getOpcode() == BO_EQ)
      isNullCheck = (isModule(b->getLHS()) && isNullPointer(b->getRHS(), ast)) ||
                    (isModule(b->getRHS()) && isNullPointer(b->getLHS(), ast));
  }
  if (!isNullCheck) return noFix("no NULL check follows PyModule_Create(), so there is no safe place for the call");
  SourceEdits edits(ast);
  auto range = edits.statementRange(ifStmt);
  if (!range) return noFix("the NULL check is written inside a macro");
  const SourceManager &sm = ast.getSourceManager();
  std::string nl = newlineOf(sm.getBufferData(sm.getFileID(range->getEnd())));
  std::string indent = edits.indentOf(ifStmt->getBeginLoc());
  edits.insert(range->getEnd(), nl + "#ifdef Py_GIL_DISABLED" + nl + indent + "PyUnstable_Module_SetGIL(" +
                                    module->getName().str() + ", Py_MOD_GIL_NOT_USED);" + nl + "#endif");
  return fixOf(edits, Applicability::Unsafe,
               "declare the module free-threading-safe with PyUnstable_Module_SetGIL() (review its shared state "
               "first)");
}

DeclarationFix addPybind11Tag(ASTContext &ast, SourceLocation use) {
  const SourceManager &sm = ast.getSourceManager();
  use = sm.getExpansionLoc(use);
  auto [fid, offset] = sm.getDecomposedLoc(use);
  StringRef buffer = sm.getBufferData(fid);
  size_t open = buffer.find('(', offset);
  if (open == StringRef::npos || !buffer.slice(offset, open).trim(" \t").starts_with("PYBIND11_MODULE"))
    return noFix("the PYBIND11_MODULE use is not plain source text");
  int depth = 0;
  size_t commas = 0, close = StringRef::npos;
  for (size_t i = open; i < buffer.size(); ++i) {
    char c = buffer[i];
    if (c == '(') ++depth;
    else if (c == ')' && --depth == 0) {
      close = i;
      break;
    } else if (c == ',' && depth == 1) {
      ++commas;
    }
  }
  if (close == StringRef::npos) return noFix("the PYBIND11_MODULE use is not plain source text");
  if (commas != 1) return noFix("PYBIND11_MODULE already has extra arguments; add the tag by hand");
  size_t lineStart = startOfLine(buffer, offset);
  if (!buffer.slice(lineStart, offset).trim(" \t").empty())
    return noFix("PYBIND11_MODULE does not start its own line");
  // pybind11 before 2.13 rejects the third argument: both spellings, chosen
  // by version, keep the module building with either.
  size_t body = close + 1;
  while (body < buffer.size() && StringRef(" \t\r\n").contains(buffer[body])) ++body;
  std::string nl = newlineOf(buffer);
  std::string use_ = buffer.slice(offset, close).str();
  std::string indent = buffer.slice(lineStart, offset).str();
  SourceEdits edits(ast);
  edits.insert(use.getLocWithOffset(-static_cast<int>(offset - lineStart)),
               "#if PYBIND11_VERSION_HEX >= 0x020D0000" + nl + indent + use_ + ", pybind11::mod_gil_not_used())" + nl +
                   "#else" + nl);
  edits.replace(CharSourceRange::getCharRange(use.getLocWithOffset(static_cast<int>(close + 1 - offset)),
                                              use.getLocWithOffset(static_cast<int>(body - offset))),
                nl + "#endif" + nl + indent);
  return fixOf(edits, Applicability::Unsafe,
               "declare the module free-threading-safe with pybind11::mod_gil_not_used() where pybind11 has it "
               "(2.13+; review its shared state first)");
}

DeclarationFix guardLineForFreeThreading(ASTContext &ast, SourceLocation name) {
  const SourceManager &sm = ast.getSourceManager();
  if (name.isMacroID()) return noFix("the call is written inside a macro");
  auto [fid, offset] = sm.getDecomposedLoc(name);
  StringRef buffer = sm.getBufferData(fid);
  size_t lineStart = startOfLine(buffer, offset);
  if (!buffer.slice(lineStart, offset).trim(" \t").empty()) return noFix("the call does not start its own line");
  // Read as text: the line before must end a statement or open a block, or
  // the call may be the lone body of an `if` or loop.
  for (size_t end = lineStart; end > 0;) {
    size_t prevStart = startOfLine(buffer, end - 1);
    StringRef prev = buffer.slice(prevStart, end).trim(" \t\r\n");
    end = prevStart;
    if (prev.empty() || prev.starts_with("#") || prev.starts_with("//") || prev.starts_with("/*") ||
        prev.starts_with("*"))
      continue;
    if (size_t comment = prev.find("//"); comment != StringRef::npos) prev = prev.substr(0, comment).rtrim(" \t");
    if (!prev.ends_with(";") && !prev.ends_with("{") && !prev.ends_with("}"))
      return noFix("the call may be the lone body of an if or a loop");
    break;
  }
  size_t open = buffer.find('(', offset);
  if (open == StringRef::npos) return noFix("the call is not plain source text");
  int depth = 0;
  size_t i = open;
  for (; i < buffer.size(); ++i) {
    if (buffer[i] == '(') ++depth;
    else if (buffer[i] == ')' && --depth == 0) break;
  }
  size_t semi = i + 1;
  while (semi < buffer.size() && (buffer[semi] == ' ' || buffer[semi] == '\t')) ++semi;
  if (i >= buffer.size() || semi >= buffer.size() || buffer[semi] != ';')
    return noFix("the call is part of a larger statement");
  size_t lineEnd = buffer.find('\n', semi);
  StringRef rest = buffer.slice(semi + 1, lineEnd == StringRef::npos ? buffer.size() : lineEnd).trim(" \t\r");
  if (!rest.empty() && !rest.starts_with("//")) return noFix("the statement shares its lines with other code");
  std::string nl = newlineOf(buffer);
  SourceEdits edits(ast);
  edits.insert(name.getLocWithOffset(-static_cast<int>(offset - lineStart)), "#ifdef Py_GIL_DISABLED" + nl);
  if (lineEnd == StringRef::npos) edits.insert(name.getLocWithOffset(static_cast<int>(buffer.size() - offset)), nl + "#endif" + nl);
  else edits.insert(name.getLocWithOffset(static_cast<int>(lineEnd + 1 - offset)), "#endif" + nl);
  return fixOf(edits, Applicability::Safe, "compile the call only for free-threaded builds");
}

DeclarationFix guardForFreeThreading(ASTContext &ast, const CallExpr *call) {
  // A call statement on lines of its own is guarded as text, so the fix is
  // the same whether the headers in use parse the call or skip it. Not as
  // the lone body of an `if`: the #ifdef would hand the body to the next line.
  if (SourceLocation name = call->getBeginLoc(); name.isFileID() && isa_and_nonnull<CompoundStmt>(parentStatement(ast, call))) {
    DeclarationFix byLine = guardLineForFreeThreading(ast, name);
    if (byLine.fix) return byLine;
  }
  // The statement holding the call, directly in a block.
  const Stmt *statement = call;
  const Stmt *parent = parentStatement(ast, statement);
  while (parent && !isa<CompoundStmt>(parent)) {
    if (isa<IfStmt, ForStmt, WhileStmt, DoStmt, SwitchStmt>(parent) &&
        !isa_and_nonnull<CompoundStmt>(parentStatement(ast, parent)))
      return noFix("the call is not in a statement of its own");
    statement = parent;
    parent = parentStatement(ast, statement);
  }
  if (!parent) return noFix("the call is not inside a function body");
  SourceEdits edits(ast);
  auto range = edits.statementRange(statement);
  if (!range) return noFix("the call is written inside a macro");
  const SourceManager &sm = ast.getSourceManager();
  auto [fid, begin] = sm.getDecomposedLoc(range->getBegin());
  StringRef buffer = sm.getBufferData(fid);
  size_t lineStart = startOfLine(buffer, begin);
  unsigned end = sm.getFileOffset(range->getEnd());
  size_t lineEnd = buffer.find('\n', end);
  StringRef rest = buffer.slice(end, lineEnd == StringRef::npos ? buffer.size() : lineEnd).trim(" \t\r");
  if (!buffer.slice(lineStart, begin).trim(" \t").empty() || (!rest.empty() && !rest.starts_with("//")))
    return noFix("the statement shares its lines with other code");
  std::string nl = newlineOf(buffer);
  edits.insert(range->getBegin().getLocWithOffset(-static_cast<int>(begin - lineStart)), "#ifdef Py_GIL_DISABLED" + nl);
  // After the whole line, so a trailing comment stays with the call.
  if (lineEnd == StringRef::npos) edits.insert(range->getEnd().getLocWithOffset(static_cast<int>(buffer.size() - end)), nl + "#endif" + nl);
  else edits.insert(range->getEnd().getLocWithOffset(static_cast<int>(lineEnd + 1 - end)), "#endif" + nl);
  return fixOf(edits, Applicability::Safe, "compile the call only for free-threaded builds");
}

}  // namespace ftlint
