#include "tool/analysis/AstHelpers.h"
#include "tool/analysis/Parents.h"

#include "llvm/Support/VirtualFileSystem.h"

#include "llvm/Support/Path.h"

#include "llvm/Support/FileSystem.h"

#include "clang/AST/ExprCXX.h"
#include "clang/Basic/SourceManager.h"
#include "clang/AST/ParentMapContext.h"
#include "clang/AST/StmtCXX.h"
#include "clang/Basic/CharInfo.h"
#include "clang/Lex/Lexer.h"

using namespace clang;

namespace ftlint {

const Expr *stripCasts(const Expr *e) {
  while (e) {
    const Expr *next = e->IgnoreParenCasts();
    if (const auto *bo = dyn_cast<BinaryOperator>(next); bo && bo->getOpcode() == BO_Comma)
      next = bo->getRHS();
    if (next == e) break;
    e = next;
  }
  return e;
}

std::string calleeName(const CallExpr *call) { return calleeIdentifier(call).str(); }

StringRef calleeIdentifier(const CallExpr *call) {
  if (const FunctionDecl *fd = call->getDirectCallee())
    if (const IdentifierInfo *ii = fd->getIdentifier()) return ii->getName();
  return {};
}

bool writtenInsideMacroStatement(const Stmt *s, ASTContext &ctx) {
  const SourceManager &sm = ctx.getSourceManager();
  SourceLocation begin = s->getBeginLoc(), end = s->getEndLoc();
  if (!begin.isMacroID() || sm.isMacroArgExpansion(begin)) return false;
  // All of one macro use: the expression the macro stands for.
  if (Lexer::isAtStartOfMacroExpansion(begin, sm, ctx.getLangOpts()) &&
      (!end.isMacroID() || Lexer::isAtEndOfMacroExpansion(end, sm, ctx.getLangOpts())))
    return false;
  SourceLocation use = sm.getExpansionLoc(begin);
  for (const Stmt *p = parentStatement(ctx, s, true); p; p = parentStatement(ctx, p, true)) {
    // Something outside the use encloses it: the use is part of an expression.
    if (sm.getExpansionLoc(p->getBeginLoc()) != use || sm.getExpansionLoc(p->getEndLoc()) != use) return false;
    if (!isa<Expr>(p)) return true;
  }
  return true;  // a declaration the macro writes holds it
}

std::string sourceText(const Expr *e, const ASTContext &ctx) {
  const SourceManager &sm = ctx.getSourceManager();
  CharSourceRange range = sm.getExpansionRange(e->getSourceRange());
  // Inside a macro argument the spelling is what the user wrote. An
  // expression the macro's own body makes (PyTuple_GET_ITEM(t, 0) is
  // `t->ob_item[0]`) is the whole macro use instead, unless it is only a
  // part of what the macro writes (`dict` in a function a macro defines):
  // that is spelled in the macro's body.
  if (e->getBeginLoc().isMacroID()) {
    SourceLocation b = sm.getFileLoc(e->getBeginLoc()), en = sm.getFileLoc(e->getEndLoc());
    bool oneMacroUse = b == en && !sm.isMacroArgExpansion(e->getBeginLoc());
    if (!oneMacroUse && sm.getFileID(b) == sm.getFileID(en) && !(en < b)) {
      range = CharSourceRange::getTokenRange(b, en);
    } else if (oneMacroUse && writtenInsideMacroStatement(e, const_cast<ASTContext &>(ctx))) {
      SourceLocation sb = sm.getSpellingLoc(e->getBeginLoc()), se = sm.getSpellingLoc(e->getEndLoc());
      if (sm.getFileID(sb) == sm.getFileID(se) && !(se < sb)) range = CharSourceRange::getTokenRange(sb, se);
    }
  }
  return Lexer::getSourceText(range, sm, ctx.getLangOpts()).str();
}

namespace {

// Where the name of the macro whose expansion produced `loc` is written. For
// a macro argument that is the macro it was passed to, unless the argument's
// tokens came out of another macro written inside it.
SourceLocation immediateMacroNameSpelling(SourceLocation loc, const SourceManager &sm) {
  while (true) {
    const SrcMgr::ExpansionInfo &expansion = sm.getSLocEntry(sm.getFileID(loc)).getExpansion();
    loc = expansion.getExpansionLocStart();
    if (!expansion.isMacroArgExpansion()) break;
    loc = sm.getImmediateExpansionRange(loc).getBegin();
    SourceLocation spelled = expansion.getSpellingLoc();
    if (spelled.isFileID() || sm.isInFileID(spelled, sm.getFileID(loc))) break;
    loc = spelled;
  }
  return sm.getSpellingLoc(loc);
}

// The immediate macro's name. Analyses ask this of every level of every
// macro around the nodes they look at: reading the identifier's characters
// costs far less than lexing it, which only a name broken by a
// backslash-newline or a trigraph needs.
StringRef immediateMacroName(SourceLocation loc, const SourceManager &sm, const LangOptions &lo) {
  auto [fid, offset] = sm.getDecomposedLoc(immediateMacroNameSpelling(loc, sm));
  bool invalid = false;
  StringRef buffer = sm.getBufferData(fid, &invalid);
  if (invalid || offset >= buffer.size()) return Lexer::getImmediateMacroName(loc, sm, lo);
  size_t end = offset;
  while (end < buffer.size() && isAsciiIdentifierContinue(buffer[end], lo.DollarIdents)) ++end;
  if (end == offset || (end < buffer.size() && (buffer[end] == '\\' || buffer[end] == '?')))
    return Lexer::getImmediateMacroName(loc, sm, lo);
  return buffer.slice(offset, end);
}

}  // namespace

llvm::SmallVector<llvm::StringRef, 4> macroChain(SourceLocation loc, const SourceManager &sm, const LangOptions &lo) {
  llvm::SmallVector<llvm::StringRef, 4> names;
  while (loc.isMacroID()) {
    StringRef name = immediateMacroName(loc, sm, lo);
    if (!name.empty() && (names.empty() || names.back() != name)) names.push_back(name);
    loc = sm.getImmediateMacroCallerLoc(loc);
  }
  return names;
}

bool expandedFromMacro(SourceLocation loc, llvm::StringRef name, const ASTContext &ast) {
  for (const auto &m : macroChain(loc, ast.getSourceManager(), ast.getLangOpts()))
    if (m == name) return true;
  return false;
}

bool isNullPointer(const Expr *e, ASTContext &ast) {
  return e->IgnoreParenCasts()->isNullPointerConstant(ast, Expr::NPC_ValueDependentIsNotNull) != Expr::NPCK_NotNull;
}

std::string absolutePathOf(const SourceManager &sm, FileEntryRef entry) {
  llvm::StringRef known = entry.getFileEntry().tryGetRealPathName();
  llvm::SmallString<256> path(known.empty() ? entry.getName() : known);
  if (!llvm::sys::path::is_absolute(path)) sm.getFileManager().getVirtualFileSystem().makeAbsolute(path);
  llvm::sys::path::remove_dots(path, true);
  return std::string(path);
}

namespace {
std::string fullyResolved(llvm::StringRef path) {
  llvm::SmallString<256> real;
  return llvm::sys::fs::real_path(path, real) ? std::string() : std::string(real);
}
}  // namespace

std::string RealPathCache::resolve(llvm::StringRef path) {
  auto [it, added] = files_.try_emplace(path);
  if (added) it->second = resolveOnce(path);
  return it->second;
}

std::string RealPathCache::resolveOnce(llvm::StringRef path) {
  namespace fs = llvm::sys::fs;
  llvm::StringRef dir = llvm::sys::path::parent_path(path), name = llvm::sys::path::filename(path);
  fs::file_status status;
  // A link as the last component, or a name that needs more than a lookup
  // in its directory, gets the full resolution.
  if (dir.empty() || name == "." || name == ".." || fs::status(path, status, /*Follow=*/false) ||
      status.type() == fs::file_type::symlink_file)
    return fullyResolved(path);
  auto [it, added] = directories_.try_emplace(dir);
  if (added) it->second = fullyResolved(dir);
  if (it->second.empty()) return fullyResolved(path);
  llvm::SmallString<256> resolved(it->second);
  llvm::sys::path::append(resolved, name);
  return std::string(resolved);
}

std::string realPathOfFile(const SourceManager &sm, FileID fid, RealPathCache *cache) {
  auto entry = sm.getFileEntryRefForID(fid);
  if (!entry) return "";
  std::string path = absolutePathOf(sm, *entry);
  std::string real = cache ? cache->resolve(path) : fullyResolved(path);
  return real.empty() ? path : real;
}

unsigned fileOffset(const SourceManager &sm, SourceLocation loc) {
  return sm.getFileOffset(sm.getExpansionLoc(loc));
}

unsigned fileLine(const SourceManager &sm, SourceLocation loc) {
  return sm.getExpansionLineNumber(loc);
}

namespace {

// Literals, signed or complemented, in lists of lists of them.
bool onlyLiterals(const Expr *e) {
  e = e->IgnoreParenImpCasts();
  if (const auto *list = dyn_cast<InitListExpr>(e)) {
    for (const Expr *item : list->inits())
      if (!onlyLiterals(item)) return false;
    return true;
  }
  if (const auto *u = dyn_cast<UnaryOperator>(e))
    return (u->getOpcode() == UO_Minus || u->getOpcode() == UO_Plus || u->getOpcode() == UO_Not) &&
           onlyLiterals(u->getSubExpr());
  return isa<IntegerLiteral, FloatingLiteral, CharacterLiteral, StringLiteral, ImplicitValueInitExpr>(e);
}

}  // namespace

bool isLiteralDataTable(const Decl *d, const ASTContext &ctx) {
  const auto *var = dyn_cast<VarDecl>(d);
  if (!var || !var->getType()->isArrayType() || !ctx.getBaseElementType(var->getType())->isArithmeticType())
    return false;
  const auto *init = dyn_cast_or_null<InitListExpr>(var->getInit());
  return init && onlyLiterals(init);
}

bool isPythonObjectRecord(const RecordDecl *record) {
  if (!record) return false;
  if (record->getName() == "_object") return true;
  auto first = record->field_begin();
  return first != record->field_end() && (first->getName() == "ob_base" || first->getName() == "ob_refcnt");
}

bool isPythonObjectPointer(QualType type) {
  return type->isPointerType() && isPythonObjectRecord(type->getPointeeType()->getAsRecordDecl());
}

const Expr *fieldInitializer(const InitListExpr *init, const RecordDecl *record, llvm::StringRef field) {
  if (const InitListExpr *completed = init->getSemanticForm()) init = completed;
  unsigned index = 0;
  for (const FieldDecl *fd : record->fields()) {
    if (fd->getName() == field) return index < init->getNumInits() ? init->getInit(index) : nullptr;
    ++index;
  }
  return nullptr;
}

template <typename Visit>
static void forEachAncestor(DynTypedNode node, ASTContext &ctx, Visit visit) {
  for (int depth = 0; depth < 512; ++depth) {
    auto parents = parentsOf(node, ctx);
    if (parents.empty()) return;
    node = parents[0];
    if (!visit(node)) return;
  }
}

const FunctionDecl *enclosingFunction(const Stmt *s, ASTContext &ctx) {
  const FunctionDecl *found = nullptr;
  forEachAncestor(DynTypedNode::create(*s), ctx, [&](const DynTypedNode &n) {
    if (const auto *fd = n.get<FunctionDecl>()) { found = fd; return false; }
    return true;
  });
  return found;
}

std::vector<const Stmt *> enclosingLoops(const Stmt *s, ASTContext &ctx) {
  std::vector<const Stmt *> loops;
  forEachAncestor(DynTypedNode::create(*s), ctx, [&](const DynTypedNode &n) {
    if (n.get<FunctionDecl>()) return false;
    if (const auto *st = n.get<Stmt>())
      if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(st)) loops.push_back(st);
    return true;
  });
  return loops;
}

const Stmt *parentStatement(ASTContext &ctx, const Stmt *s, bool throughDeclarations) {
  auto parents = parentsOf(*s, ctx);
  if (parents.empty()) return nullptr;
  if (const auto *stmt = parents[0].get<Stmt>()) return stmt;
  if (const auto *decl = parents[0].get<Decl>(); decl && throughDeclarations) {
    auto declParents = parentsOf(*decl, ctx);
    return declParents.empty() ? nullptr : declParents[0].get<Stmt>();
  }
  return nullptr;
}

const DeclStmt *declarationStatement(const VarDecl *var, ASTContext &ctx) {
  auto parents = parentsOf(*var, ctx);
  return parents.empty() ? nullptr : parents[0].get<DeclStmt>();
}

bool isWithin(ASTContext &ctx, const Stmt *s, const Stmt *outer) {
  for (const Stmt *p = s; p; p = parentStatement(ctx, p, true))
    if (p == outer) return true;
  return false;
}

const Stmt *jumpTarget(ASTContext &ctx, const Stmt *jump) {
  for (const Stmt *p = parentStatement(ctx, jump, true); p; p = parentStatement(ctx, p, true)) {
    if (isa<ForStmt, WhileStmt, DoStmt, CXXForRangeStmt>(p)) return p;
    if (isa<BreakStmt>(jump) && isa<SwitchStmt>(p)) return p;
  }
  return nullptr;
}

ParentLink meaningfulParent(const Expr *e, ASTContext &ctx) {
  ParentLink link;
  link.child = e;
  DynTypedNode node = DynTypedNode::create(*e);
  for (int depth = 0; depth < 64; ++depth) {
    auto parents = parentsOf(node, ctx);
    if (parents.empty()) return link;
    const DynTypedNode &p = parents[0];
    if (const auto *pe = p.get<Expr>()) {
      if (isa<ParenExpr, ImplicitCastExpr, ExplicitCastExpr, MaterializeTemporaryExpr>(pe)) {
        link.child = pe;
        node = p;
        continue;
      }
    }
    link.parent = p.get<Stmt>();
    link.parentDecl = p.get<Decl>();
    return link;
  }
  return link;
}

}  // namespace ftlint
