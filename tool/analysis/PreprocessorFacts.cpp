#include "tool/analysis/PreprocessorFacts.h"

#include "clang/Lex/Lexer.h"

#include "clang/Basic/SourceManager.h"
#include "clang/Lex/MacroArgs.h"
#include "clang/Lex/Preprocessor.h"

#include <algorithm>
#include <cctype>

using namespace clang;

namespace ftlint {
namespace {

bool isIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool isIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

const std::string_view kBeginMacros[] = {"Py_BEGIN_CRITICAL_SECTION", "Py_BEGIN_CRITICAL_SECTION2",
                                         "Py_BEGIN_CRITICAL_SECTION_MUTEX",
                                         "Py_BEGIN_CRITICAL_SECTION2_MUTEX"};
const std::string_view kEndMacros[] = {"Py_END_CRITICAL_SECTION", "Py_END_CRITICAL_SECTION2"};
// Macros whose uses the rules ask about.
const std::string_view kOtherTrackedMacros[] = {"Py_BEGIN_ALLOW_THREADS", "Py_END_ALLOW_THREADS",
                                                "PYBIND11_MODULE", "NB_MODULE"};

template <size_t N>
bool contains(const std::string_view (&list)[N], std::string_view name) {
  return std::find(std::begin(list), std::end(list), name) != std::end(list);
}

}  // namespace

// Splits the text after a macro name, "(a, f(b, c))", into its arguments.
std::vector<std::string> readMacroArguments(std::string_view text) {
  std::vector<std::string> args;
  size_t i = 0;
  while (i < text.size() && std::isspace(static_cast<unsigned char>(text[i]))) ++i;
  if (i >= text.size() || text[i] != '(') return args;
  int depth = 0;
  std::string current;
  for (; i < text.size(); ++i) {
    char c = text[i];
    if (c == '(' && depth++ == 0) continue;
    if (c == ')' && --depth == 0) {
      if (!current.empty() || !args.empty()) args.push_back(current);
      return args;
    }
    if (c == ',' && depth == 1) {
      args.push_back(current);
      current.clear();
      continue;
    }
    current.push_back(c);
  }
  return {};  // unbalanced: not a use we understand
}


std::string normaliseObjectText(std::string_view text) {
  std::string s;
  for (char c : text)
    if (!std::isspace(static_cast<unsigned char>(c))) s.push_back(c);
  auto enclosedBy = [](const std::string &t, size_t open) {  // t[open]=='(' matches the last char
    int depth = 0;
    for (size_t i = open; i < t.size(); ++i) {
      if (t[i] == '(') ++depth;
      if (t[i] == ')' && --depth == 0) return i == t.size() - 1;
    }
    return false;
  };
  for (bool changed = true; changed;) {
    changed = false;
    if (s.size() > 2 && s.front() == '(' && enclosedBy(s, 0)) {
      s = s.substr(1, s.size() - 2);
      changed = true;
      continue;
    }
    for (std::string_view wrapper : {"_PyObject_CAST(", "_Py_CAST(PyObject*,"}) {
      if (s.rfind(wrapper, 0) == 0 && enclosedBy(s, wrapper.size() - 1)) {
        s = s.substr(wrapper.size(), s.size() - wrapper.size() - 1);
        changed = true;
      }
    }
    // A leading C cast: "(PyObject*)x" or "(PyDictObject*)x".
    if (s.size() > 3 && s.front() == '(') {
      size_t close = s.find(')');
      if (close != std::string::npos && close > 1 && s[close - 1] == '*' &&
          close + 1 < s.size()) {
        s = s.substr(close + 1);
        changed = true;
      }
    }
  }
  return s;
}

// ---------------------------------------------------------------- queries ---

static std::pair<FileID, unsigned> filePosition(const SourceManager &sm, SourceLocation loc) {
  return sm.getDecomposedLoc(sm.getExpansionLoc(loc));
}

// A section opened and closed by one use of a macro (at `offset`), around
// `loc` in the same use: `loc` is written between BEGIN and END in the
// macro's body.
static bool withinOneExpansion(const SourceManager &sm, const CriticalSection &cs, unsigned offset,
                               SourceLocation loc) {
  if (cs.begin != offset || cs.end != offset || !loc.isMacroID()) return false;
  auto [file, position] = sm.getDecomposedLoc(sm.getSpellingLoc(loc));
  auto [beginFile, begin] = sm.getDecomposedLoc(cs.beginSpelling);
  auto [endFile, end] = sm.getDecomposedLoc(cs.endSpelling);
  return file == beginFile && file == endFile && begin < position && position < end;
}

const std::vector<const ConditionalBranch *> &PreprocessorFacts::branchesIn(FileID file) const {
  // Indexed by file on first use (and again if branches were added since).
  if (indexedBranches_ != branches.size()) {
    branchesByFile_.clear();
    for (const auto &b : branches) branchesByFile_[b.file].push_back(&b);
    indexedBranches_ = branches.size();
  }
  static const std::vector<const ConditionalBranch *> none;
  auto it = branchesByFile_.find(file);
  return it == branchesByFile_.end() ? none : it->second;
}

bool PreprocessorFacts::deadInFreeThreadedBuild(const SourceManager &sm, SourceLocation loc) const {
  auto [fid, offset] = filePosition(sm, loc);
  for (const ConditionalBranch *b : branchesIn(fid))
    if (b->begin <= offset && offset < b->end && b->freeThreaded == Tri::False) return true;
  return false;
}

bool PreprocessorFacts::excludedFromDefaultBuild(const SourceManager &sm, SourceLocation loc) const {
  auto [fid, offset] = filePosition(sm, loc);
  for (const ConditionalBranch *b : branchesIn(fid))
    if (b->begin <= offset && offset < b->end && b->defaultBuild == Tri::False) return true;
  return false;
}

std::vector<const CriticalSection *> PreprocessorFacts::criticalSectionsAround(
    const SourceManager &sm, SourceLocation loc) const {
  auto [fid, offset] = filePosition(sm, loc);
  std::vector<const CriticalSection *> out;
  for (const auto &cs : criticalSections)
    if (cs.file == fid && ((cs.begin < offset && offset < cs.end) || withinOneExpansion(sm, cs, offset, loc)))
      out.push_back(&cs);
  std::sort(out.begin(), out.end(),
            [](const CriticalSection *a, const CriticalSection *b) { return a->begin < b->begin; });
  return out;
}

const CriticalSection *PreprocessorFacts::criticalSectionOn(const SourceManager &sm, SourceLocation loc,
                                                            std::string_view object) const {
  std::string wanted = normaliseObjectText(object);
  auto around = criticalSectionsAround(sm, loc);
  for (auto it = around.rbegin(); it != around.rend(); ++it)
    for (const auto &o : (*it)->objects)
      if (o == wanted) return *it;
  return nullptr;
}

void PreprocessorFacts::forEachLiveSkippedIdentifier(
    const SourceManager &sm, const std::function<void(const SkippedIdentifier &)> &visit) const {
  if (!liveSkipped_) scanSkippedText(sm);
  for (const SkippedIdentifier &id : *liveSkipped_) visit(id);
}

void PreprocessorFacts::scanSkippedText(const SourceManager &sm) const {
  liveSkipped_.emplace();
  auto visit = [&](SkippedIdentifier id) { liveSkipped_->push_back(id); };
  for (const auto &range : skipped) {
    if (projectFile && !projectFile(range.file)) continue;
    bool invalid = false;
    StringRef buffer = sm.getBufferData(range.file, &invalid);
    if (invalid || range.end > buffer.size() || range.begin >= range.end) continue;
    std::string_view text(buffer.data() + range.begin, range.end - range.begin);

    // The first line is the directive that opened the skipped branch.
    size_t firstNewline = text.find('\n');
    if (firstNewline == std::string_view::npos) continue;
    SourceLocation bodyLoc = sm.getComposedLoc(range.file, range.begin + firstNewline + 1);
    Tri outer = deadInFreeThreadedBuild(sm, bodyLoc) ? Tri::False : Tri::Unknown;
    Tri outerDefault = excludedFromDefaultBuild(sm, bodyLoc) ? Tri::False : Tri::Unknown;
    for (const ConditionalBranch *b : branchesIn(range.file))
      if (b->begin <= range.begin + firstNewline && range.begin + firstNewline < b->end) {
        outer = b->freeThreaded;
        outerDefault = b->defaultBuild;
      }
    if (outer == Tri::False) continue;

    // Nested conditionals inside the skipped text, for both builds.
    struct Nested {
      BranchChain freeThreaded, defaultBuild;
      Tri current, currentDefault;
    };
    std::vector<Nested> nested;
    auto live = [&] { return nested.empty() ? outer : nested.back().current; };
    auto liveDefault = [&] { return nested.empty() ? outerDefault : nested.back().currentDefault; };
    bool inBlockComment = false;
    size_t i = firstNewline + 1;
    while (i < text.size()) {
      // One logical line at a time.
      size_t lineStart = i;
      size_t j = i;
      while (j < text.size() && !(text[j] == '\n' && (j == 0 || text[j - 1] != '\\'))) ++j;
      std::string_view line = text.substr(lineStart, j - lineStart);
      i = j + 1;

      size_t k = 0;
      while (k < line.size() && std::isspace(static_cast<unsigned char>(line[k]))) ++k;
      if (!inBlockComment && k < line.size() && line[k] == '#') {
        ++k;
        while (k < line.size() && std::isspace(static_cast<unsigned char>(line[k]))) ++k;
        size_t kw = k;
        while (k < line.size() && isIdentChar(line[k])) ++k;
        std::string_view keyword = line.substr(kw, k - kw);
        std::string_view rest = line.substr(k);
        std::string restName;
        for (char c : rest)
          if (isIdentChar(c)) restName.push_back(c);
          else if (!restName.empty()) break;
        auto condition = [&](Build build) {
          if (keyword == "else") return Tri::True;
          if (keyword == "ifdef") return isDefinedIn(restName, build);
          if (keyword == "ifndef") return triNot(isDefinedIn(restName, build));
          return evaluateCondition(rest, build);
        };
        if (keyword == "if" || keyword == "ifdef" || keyword == "ifndef") {
          Nested n;
          n.freeThreaded.enclosing = live();
          n.defaultBuild.enclosing = liveDefault();
          n.current = n.freeThreaded.next(condition(Build::FreeThreaded));
          n.currentDefault = n.defaultBuild.next(condition(Build::Default));
          nested.push_back(n);
        } else if (!nested.empty() && (keyword == "elif" || keyword == "else")) {
          nested.back().current = nested.back().freeThreaded.next(condition(Build::FreeThreaded));
          nested.back().currentDefault = nested.back().defaultBuild.next(condition(Build::Default));
        } else if (keyword == "endif") {
          if (nested.empty()) break;  // closes the skipped branch itself
          nested.pop_back();
        } else if (nested.empty() && (keyword == "elif" || keyword == "else")) {
          break;
        }
        continue;
      }
      if (live() == Tri::False) continue;

      for (size_t p = 0; p < line.size();) {
        if (inBlockComment) {
          size_t close = line.find("*/", p);
          if (close == std::string_view::npos) { p = line.size(); break; }
          inBlockComment = false;
          p = close + 2;
          continue;
        }
        char c = line[p];
        if (c == '/' && p + 1 < line.size() && line[p + 1] == '/') break;
        if (c == '/' && p + 1 < line.size() && line[p + 1] == '*') { inBlockComment = true; p += 2; continue; }
        if (c == '"' || c == '\'') {
          size_t q = p + 1;
          while (q < line.size() && line[q] != c) q += (line[q] == '\\') ? 2 : 1;
          p = q + 1;
          continue;
        }
        if (isIdentStart(c)) {
          size_t q = p;
          while (q < line.size() && isIdentChar(line[q])) ++q;
          unsigned offset = range.begin + static_cast<unsigned>(lineStart + p);
          visit(SkippedIdentifier{line.substr(p, q - p), sm.getComposedLoc(range.file, offset), liveDefault()});
          p = q;
          continue;
        }
        ++p;
      }
    }
  }
}

void PreprocessorFacts::buildCriticalSections(const SourceManager &sm) {
  struct Event {
    FileID file;
    unsigned offset;
    SourceLocation loc, spelling;
    std::string name;
    std::vector<std::string> args;
  };
  std::vector<Event> events;
  for (const auto &use : macroUses) {
    if (!contains(kBeginMacros, use.name) && !contains(kEndMacros, use.name)) continue;
    auto [fid, off] = sm.getDecomposedLoc(use.loc);
    events.push_back({fid, off, use.loc, use.spelling.isValid() ? use.spelling : use.loc, use.name, use.arguments});
  }
  forEachLiveSkippedIdentifier(sm, [&](const SkippedIdentifier &id) {
    std::string_view ident = id.name;
    SourceLocation loc = id.loc;
    if (!contains(kBeginMacros, ident) && !contains(kEndMacros, ident)) return;
    auto [fid, off] = sm.getDecomposedLoc(loc);
    StringRef buffer = sm.getBufferData(fid);
    std::string_view after(buffer.data() + off + ident.size(), buffer.size() - off - ident.size());
    events.push_back({fid, off, loc, loc, std::string(ident), readMacroArguments(after.substr(0, 4096))});
  });
  // Stable: a macro that opens and closes a section puts BEGIN and END at one
  // offset, in the order it expanded them.
  std::stable_sort(events.begin(), events.end(), [](const Event &a, const Event &b) {
    return a.file < b.file || (a.file == b.file && a.offset < b.offset);
  });

  std::vector<const Event *> open;
  FileID current;
  for (const auto &e : events) {
    if (e.file != current) {
      open.clear();
      current = e.file;
    }
    if (contains(kBeginMacros, e.name)) {
      open.push_back(&e);
      continue;
    }
    if (open.empty()) continue;
    const Event *begin = open.back();
    open.pop_back();
    CriticalSection cs;
    cs.file = e.file;
    cs.begin = begin->offset;
    cs.end = e.offset;
    cs.beginLoc = begin->loc;
    cs.endLoc = e.loc;
    cs.beginSpelling = begin->spelling;
    cs.endSpelling = e.spelling;
    cs.macro = begin->name;
    if (begin->name.find("MUTEX") == std::string::npos)
      for (const auto &a : begin->args) cs.objects.push_back(normaliseObjectText(a));
    criticalSections.push_back(std::move(cs));
  }
}

// ---------------------------------------------------------------- tracker ---

std::string_view PreprocessorTracker::directiveText(SourceLocation keywordLoc) {
  const SourceManager &sm = pp_.getSourceManager();
  auto [fid, offset] = sm.getDecomposedLoc(keywordLoc);
  bool invalid = false;
  StringRef buffer = sm.getBufferData(fid, &invalid);
  if (invalid) return {};
  size_t begin = offset;
  while (begin < buffer.size() && isIdentChar(buffer[begin])) ++begin;  // the keyword
  size_t end = buffer.find('\n', begin);
  if (end == StringRef::npos) end = buffer.size();
  std::string_view line(buffer.data() + begin, end - begin);
  // Most directives are one line: the text is read in place.
  if (line.empty() || line.back() != '\\') return line;
  directiveScratch_.clear();
  for (size_t i = begin; i < buffer.size(); ++i) {
    if (buffer[i] == '\\' && i + 1 < buffer.size() && buffer[i + 1] == '\n') { ++i; continue; }
    if (buffer[i] == '\n') break;
    directiveScratch_.push_back(buffer[i]);
  }
  return directiveScratch_;
}

void PreprocessorTracker::openBranch(SourceLocation loc, bool parsed, Tri freeThreaded, Tri defaultBuild) {
  OpenConditional &c = stack_.back();
  ConditionalBranch b;
  b.file = c.file;
  b.begin = pp_.getSourceManager().getFileOffset(loc);
  b.end = b.begin;
  b.parsed = parsed && c.enclosingParsed && !c.anyParsed;
  b.freeThreaded = c.freeThreaded.next(freeThreaded);
  b.defaultBuild = c.defaultBuild.next(defaultBuild);
  if (b.parsed) c.anyParsed = true;
  c.current = facts_.branches.size();
  facts_.branches.push_back(b);
}

PreprocessorTracker::PreprocessorTracker(Preprocessor &pp, PreprocessorFacts &facts) : pp_(pp), facts_(facts) {
  // Every macro expansion is tested against these: by identity, not by name.
  auto track = [&](const auto &names) {
    for (std::string_view name : names) trackedMacros_.push_back(pp.getIdentifierInfo({name.data(), name.size()}));
  };
  track(kBeginMacros);
  track(kEndMacros);
  track(kOtherTrackedMacros);
}

void PreprocessorTracker::openIfBranch(SourceLocation loc, bool parsed) {
  BuildTruths truths = evaluateInBothBuilds(directiveText(loc));
  openBranch(loc, parsed, truths.freeThreaded, truths.defaultBuild);
}

void PreprocessorTracker::closeBranch(SourceLocation loc) {
  if (stack_.empty()) return;
  facts_.branches[stack_.back().current].end = pp_.getSourceManager().getFileOffset(loc);
}


static std::string macroName(const Token &name) {
  const IdentifierInfo *ii = name.getIdentifierInfo();
  return ii ? ii->getName().str() : std::string();
}

void PreprocessorTracker::openDefinedBranch(SourceLocation loc, bool parsed, const Token &name, bool negate) {
  auto defined = [&](Build build) {
    Tri t = isDefinedIn(macroName(name), build);
    return negate ? triNot(t) : t;
  };
  openBranch(loc, parsed, defined(Build::FreeThreaded), defined(Build::Default));
}

void PreprocessorTracker::pushConditional(SourceLocation loc) {
  OpenConditional c;
  c.file = pp_.getSourceManager().getFileID(loc);
  // The innermost open conditional of the same file encloses this one.
  for (auto it = stack_.rbegin(); it != stack_.rend(); ++it) {
    if (it->file != c.file) continue;
    const ConditionalBranch &outer = facts_.branches[it->current];
    c.enclosingParsed = outer.parsed;
    c.freeThreaded.enclosing = outer.freeThreaded;
    c.defaultBuild.enclosing = outer.defaultBuild;
    break;
  }
  stack_.push_back(c);
}

void PreprocessorTracker::If(SourceLocation loc, SourceRange, ConditionValueKind value) {
  pushConditional(loc);
  openIfBranch(loc, value == CVK_True);
}

void PreprocessorTracker::Ifdef(SourceLocation loc, const Token &name, const MacroDefinition &md) {
  pushConditional(loc);
  openDefinedBranch(loc, static_cast<bool>(md), name, false);
}

void PreprocessorTracker::Ifndef(SourceLocation loc, const Token &name, const MacroDefinition &md) {
  pushConditional(loc);
  openDefinedBranch(loc, !static_cast<bool>(md), name, true);
}

void PreprocessorTracker::Elif(SourceLocation loc, SourceRange, ConditionValueKind value, SourceLocation) {
  if (stack_.empty()) return;
  closeBranch(loc);
  openIfBranch(loc, value == CVK_True);
}

void PreprocessorTracker::Elifdef(SourceLocation loc, const Token &name, const MacroDefinition &md) {
  if (stack_.empty()) return;
  closeBranch(loc);
  openDefinedBranch(loc, static_cast<bool>(md), name, false);
}

void PreprocessorTracker::Elifdef(SourceLocation loc, SourceRange, SourceLocation) {
  if (stack_.empty()) return;
  closeBranch(loc);
  openBranch(loc, false, Tri::Unknown, Tri::Unknown);
}

void PreprocessorTracker::Elifndef(SourceLocation loc, const Token &name, const MacroDefinition &md) {
  if (stack_.empty()) return;
  closeBranch(loc);
  openDefinedBranch(loc, !static_cast<bool>(md), name, true);
}

void PreprocessorTracker::Elifndef(SourceLocation loc, SourceRange, SourceLocation) {
  if (stack_.empty()) return;
  closeBranch(loc);
  openBranch(loc, false, Tri::Unknown, Tri::Unknown);
}

void PreprocessorTracker::Else(SourceLocation loc, SourceLocation) {
  if (stack_.empty()) return;
  closeBranch(loc);
  openBranch(loc, true, Tri::True, Tri::True);
}

void PreprocessorTracker::Endif(SourceLocation loc, SourceLocation) {
  if (stack_.empty()) return;
  closeBranch(loc);
  stack_.pop_back();
}

void PreprocessorTracker::SourceRangeSkipped(SourceRange range, SourceLocation) {
  const SourceManager &sm = pp_.getSourceManager();
  auto [fid, begin] = sm.getDecomposedLoc(range.getBegin());
  auto [endFid, end] = sm.getDecomposedLoc(range.getEnd());
  if (fid != endFid || end <= begin) return;
  facts_.skipped.push_back({fid, begin, end});
}

void PreprocessorTracker::MacroExpands(const Token &name, const MacroDefinition &, SourceRange,
                                       const MacroArgs *args) {
  const IdentifierInfo *ii = name.getIdentifierInfo();
  if (!ii || !llvm::is_contained(trackedMacros_, ii)) return;
  MacroUse use;
  use.name = ii->getName().str();
  use.loc = pp_.getSourceManager().getExpansionLoc(name.getLocation());
  use.spelling = pp_.getSourceManager().getSpellingLoc(name.getLocation());
  if (args) {
    for (unsigned i = 0, n = args->getNumMacroArguments(); i < n; ++i) {
      std::string text;
      for (const Token *t = args->getUnexpArgument(i); t && t->isNot(tok::eof); ++t) {
        if (!text.empty() && t->hasLeadingSpace()) text.push_back(' ');
        text += pp_.getSpelling(*t);
      }
      use.arguments.push_back(std::move(text));
    }
  }
  facts_.macroUses.push_back(std::move(use));
}

void PreprocessorTracker::FileChanged(SourceLocation loc, FileChangeReason reason, SrcMgr::CharacteristicKind kind,
                                      FileID) {
  if (reason != EnterFile || kind != SrcMgr::C_User) return;
  FileID fid = pp_.getSourceManager().getFileID(loc);
  if (fid.isValid() && std::find(userFiles_.begin(), userFiles_.end(), fid) == userFiles_.end())
    userFiles_.push_back(fid);
}

void PreprocessorTracker::recordUndefinedCriticalSectionUses() {
  for (std::string_view name : kBeginMacros)
    if (pp_.isMacroDefined(llvm::StringRef(name.data(), name.size()))) return;
  for (std::string_view name : kEndMacros)
    if (pp_.isMacroDefined(llvm::StringRef(name.data(), name.size()))) return;
  const SourceManager &sm = pp_.getSourceManager();
  for (FileID fid : userFiles_) {
    if (facts_.projectFile && !facts_.projectFile(fid)) continue;
    bool invalid = false;
    StringRef buffer = sm.getBufferData(fid, &invalid);
    if (invalid || !buffer.contains("_CRITICAL_SECTION")) continue;
    Lexer lexer(fid, sm.getBufferOrFake(fid), sm, pp_.getLangOpts());
    Token token;
    while (!lexer.LexFromRawLexer(token)) {
      if (!token.is(tok::raw_identifier)) continue;
      StringRef ident = token.getRawIdentifier();
      if (!contains(kBeginMacros, ident) && !contains(kEndMacros, ident)) continue;
      unsigned offset = sm.getFileOffset(token.getLocation());
      bool skipped = std::any_of(facts_.skipped.begin(), facts_.skipped.end(), [&](const SkippedRange &r) {
        return r.file == fid && r.begin <= offset && offset < r.end;
      });
      if (skipped) continue;  // read by forEachLiveSkippedIdentifier
      MacroUse use;
      use.name = ident.str();
      use.loc = token.getLocation();
      use.arguments = readMacroArguments(std::string_view(buffer.data() + offset + ident.size(),
                                                          std::min<size_t>(4096, buffer.size() - offset - ident.size())));
      facts_.macroUses.push_back(std::move(use));
    }
  }
}

void PreprocessorTracker::finish() {
  if (finished_) return;
  finished_ = true;
  recordUndefinedCriticalSectionUses();
  auto intMacro = [&](const char *name) {
    const MacroInfo *mi = pp_.getMacroInfo(pp_.getIdentifierInfo(name));
    if (!mi || mi->getNumTokens() != 1) return 0;
    return std::atoi(pp_.getSpelling(mi->tokens().front()).c_str());
  };
  facts_.headers.major = intMacro("PY_MAJOR_VERSION");
  facts_.headers.minor = intMacro("PY_MINOR_VERSION");
  facts_.headers.gilDisabled = pp_.isMacroDefined("Py_GIL_DISABLED");
  facts_.buildCriticalSections(pp_.getSourceManager());
}

void PreprocessorTracker::EndOfMainFile() { finish(); }

}  // namespace ftlint
