#include "tool/fix/VersionGuard.h"

#include "tool/engine/CompatHeader.h"
#include "tool/fix/SourceEdits.h"

#include "clang/AST/RecursiveASTVisitor.h"
#include "clang/Basic/SourceManager.h"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <optional>
#include <regex>

namespace ftlint {

using namespace clang;

namespace {

unsigned long versionHex(int minor) { return 0x03000000UL | (static_cast<unsigned long>(minor) << 16); }

// `Py_GIL_DISABLED` or `defined(Py_GIL_DISABLED)`, not negated.
bool testsFreeThreaded(std::string_view condition) {
  static const std::regex use(R"((!\s*)?(defined\s*\(?\s*)?\bPy_GIL_DISABLED\b)");
  std::string text(condition);
  for (std::sregex_iterator it(text.begin(), text.end(), use), end; it != end; ++it)
    if (!(*it)[1].matched) return true;
  return false;
}

// Whether every build that takes a branch with this condition is a Python
// of at least `minor`; `negated` reads it as the condition of its `#else`.
bool impliesAtLeast(std::string_view condition, int minor, bool negated) {
  std::string text(condition);
  if (text.find("||") != std::string::npos) return false;
  static const std::regex comparison(R"(PY_VERSION_HEX\s*(>=|>|<|<=)\s*(0x[0-9A-Fa-f]+))");
  for (std::sregex_iterator it(text.begin(), text.end(), comparison), end; it != end; ++it) {
    std::string op = (*it)[1];
    unsigned long value = std::stoul((*it)[2], nullptr, 16);
    if (negated) op = op == ">=" ? "<" : op == ">" ? "<=" : op == "<" ? ">=" : ">";
    if ((op == ">=" && value >= versionHex(minor)) || (op == ">" && value >= versionHex(minor) - 1)) return true;
  }
  // Free-threaded builds exist from 3.13 on.
  return !negated && minor <= 13 && testsFreeThreaded(text);
}

struct Block {
  const CompoundStmt *stmt = nullptr;
  size_t open = 0, close = 0;  // offsets of `{` and `}`
};

// The blocks of the function bodies in one file, to find the one that holds
// a fix.
class BlockFinder : public RecursiveASTVisitor<BlockFinder> {
public:
  BlockFinder(const SourceManager &sm, FileID fid) : sm_(sm), fid_(fid) {}
  bool VisitCompoundStmt(CompoundStmt *s) {
    SourceLocation open = s->getLBracLoc(), close = s->getRBracLoc();
    if (open.isMacroID() || close.isMacroID() || sm_.getFileID(open) != fid_ || sm_.getFileID(close) != fid_)
      return true;
    blocks.push_back({s, sm_.getFileOffset(open), sm_.getFileOffset(close)});
    return true;
  }
  std::vector<Block> blocks;

private:
  const SourceManager &sm_;
  FileID fid_;
};

size_t endOfLine(std::string_view text, size_t offset) {
  size_t newline = text.find('\n', offset);
  return newline == std::string_view::npos ? text.size() : newline + 1;
}

// Only blanks or a comment between `from` and the end of its line.
bool restOfLineIsQuiet(std::string_view text, size_t from) {
  std::string_view rest = llvm::StringRef(text.substr(from, endOfLine(text, from) - from)).trim();
  if (rest.empty() || rest.substr(0, 2) == "//") return true;
  return rest.substr(0, 2) == "/*" && rest.find("*/") == rest.size() - 2;
}

struct Guarded {
  std::optional<TextEdit> edit;
  std::string whyNot;
};

Guarded guard(ASTContext &ast, const std::vector<TextEdit> &edits, int minor, const std::vector<Block> &blocks,
              FileID fid) {
  const SourceManager &sm = ast.getSourceManager();
  std::string_view text = sm.getBufferData(fid);
  size_t first = edits.front().offset, last = 0;
  for (const TextEdit &e : edits) {
    first = std::min<size_t>(first, e.offset);
    last = std::max<size_t>(last, e.offset + e.length);
  }
  if (insideVersionBranch(text, first, minor)) return {};
  const Block *holder = nullptr;
  for (const Block &b : blocks)
    if (b.open < first && last <= b.close && (!holder || b.close - b.open < holder->close - holder->open))
      holder = &b;
  Guarded refused;
  refused.whyNot = "the version guard needs the fixed statements to be whole lines of one block";
  if (!holder) return refused;

  // Widen to the whole statements of that block the edits touch.
  SourceEdits positions(ast);
  size_t begin = startOfLine(text, first), end = endOfLine(text, last == first ? last : last - 1);
  size_t firstStatement = std::string::npos, lastStatementEnd = 0;
  for (const Stmt *child : holder->stmt->body()) {
    auto range = positions.statementRange(child);
    if (!range) return refused;
    size_t b = sm.getFileOffset(range->getBegin()), e = sm.getFileOffset(range->getEnd());
    if (endOfLine(text, e == b ? e : e - 1) <= begin || startOfLine(text, b) >= end) continue;
    firstStatement = std::min(firstStatement, b);
    lastStatementEnd = std::max(lastStatementEnd, e);
  }
  if (firstStatement == std::string::npos) return refused;
  begin = std::min(begin, startOfLine(text, firstStatement));
  end = std::max(end, endOfLine(text, lastStatementEnd - 1));
  if (!llvm::StringRef(text.substr(begin, firstStatement - begin)).trim().empty() || !restOfLineIsQuiet(text, lastStatementEnd))
    return refused;
  if (begin <= holder->open || end > holder->close) return refused;

  // The same order of edits as applying the fix unguarded would give.
  std::string fixed = applyEdits(text.substr(begin, end - begin), edits, begin);
  std::string original(text.substr(begin, end - begin));
  std::string newline = original.find("\r\n") != std::string::npos ? "\r\n" : "\n";
  if (fixed.empty() || fixed.back() != '\n') fixed += newline;
  if (original.back() != '\n') original += newline;

  TextEdit edit = edits.front();
  edit.offset = static_cast<unsigned>(begin);
  edit.length = static_cast<unsigned>(end - begin);
  edit.replacement = fmt::format("#if PY_VERSION_HEX >= 0x{:08X}{}{}#else{}{}#endif{}", versionHex(minor), newline,
                                 fixed, newline, original, newline);
  return {edit, ""};
}

}  // namespace

bool insideVersionBranch(std::string_view text, size_t offset, int minor) {
  struct Branch {
    std::string condition;  // of the #if (for its #else)
    bool newEnough;
  };
  std::vector<Branch> open;
  size_t at = 0;
  while (at < offset && at < text.size()) {
    size_t next = endOfLine(text, at);
    std::string_view line = llvm::StringRef(text.substr(at, next - at)).trim();
    at = next;
    if (line.empty() || line[0] != '#') continue;
    line = llvm::StringRef(line.substr(1)).trim();
    size_t wordEnd = 0;
    while (wordEnd < line.size() && std::isalpha(static_cast<unsigned char>(line[wordEnd]))) ++wordEnd;
    std::string_view word = line.substr(0, wordEnd), rest = llvm::StringRef(line.substr(wordEnd)).trim();
    if (word == "if") {
      open.push_back({std::string(rest), impliesAtLeast(rest, minor, false)});
    } else if (word == "ifdef") {
      open.push_back({"defined(" + std::string(rest) + ")", impliesAtLeast(rest, minor, false)});
    } else if (word == "ifndef") {
      open.push_back({"", false});
    } else if (word == "elif" && !open.empty()) {
      open.back() = {"", impliesAtLeast(rest, minor, false)};
    } else if (word == "else" && !open.empty()) {
      open.back().newEnough = !open.back().condition.empty() && impliesAtLeast(open.back().condition, minor, true);
    } else if (word == "endif" && !open.empty()) {
      open.pop_back();
    }
  }
  return std::any_of(open.begin(), open.end(), [](const Branch &b) { return b.newEnough; });
}

void guardFixesByVersion(ASTContext &ast, std::vector<Finding> &findings, int targetMinor) {
  const SourceManager &sm = ast.getSourceManager();
  std::map<std::string, std::pair<FileID, std::vector<Block>>> files;
  for (Finding &f : findings) {
    if (!f.fix || f.fix->edits.empty()) continue;
    std::string replaced, written;
    for (const TextEdit &e : f.fix->edits) written += e.replacement + "\n";
    const TextEdit &front = f.fix->edits.front();
    bool oneFile = std::all_of(f.fix->edits.begin(), f.fix->edits.end(),
                               [&](const TextEdit &e) { return e.file == front.file; });
    auto entry = files.find(front.file);
    if (entry == files.end()) {
      FileID fid;
      if (auto file = sm.getFileManager().getOptionalFileRef(front.file)) fid = sm.translateFile(*file);
      std::vector<Block> blocks;
      if (fid.isValid()) {
        BlockFinder finder(sm, fid);
        finder.TraverseAST(ast);
        blocks = std::move(finder.blocks);
      }
      entry = files.emplace(front.file, std::make_pair(fid, std::move(blocks))).first;
    }
    auto &[fid, blocks] = entry->second;
    if (!fid.isValid()) continue;
    std::string_view text = sm.getBufferData(fid);
    for (const TextEdit &e : f.fix->edits)
      if (e.offset + e.length <= text.size()) replaced += std::string(text.substr(e.offset, e.length)) + "\n";
    int needed = newestApiAdded(replaced, written);
    if (needed <= targetMinor) continue;
    Guarded g = oneFile ? guard(ast, f.fix->edits, needed, blocks, fid)
                        : Guarded{std::nullopt, "the fix edits more than one file"};
    if (g.edit) {
      f.fix->edits = {*g.edit};
      f.fix->description += fmt::format(", under #if PY_VERSION_HEX >= 0x{:08X}", versionHex(needed));
    } else if (!g.whyNot.empty()) {
      f.fix.reset();
      attachFix(f, {std::nullopt, g.whyNot});
    }
  }
}

}  // namespace ftlint
