#include "tool/analysis/BuildCondition.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cctype>
#include <cstdint>
#include <cstring>
#include <limits>
#include <optional>

namespace ftlint {
namespace {

// A value is an interval of the integers it may take: what we know of
// PY_VERSION_HEX under "3.13 or newer" is a range, not a number.
struct Range {
  int64_t lo, hi;
  static Range exactly(int64_t v) { return {v, v}; }
  static Range anything() {
    return {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::max()};
  }
  static Range boolean(Tri t) {
    return t == Tri::True ? exactly(1) : t == Tri::False ? exactly(0) : Range{0, 1};
  }
  Tri truth() const {
    if (lo == 0 && hi == 0) return Tri::False;
    if (lo > 0 || hi < 0) return Tri::True;
    return Tri::Unknown;
  }
};

// 3.13.0 final. Free-threaded pre-releases of 3.13 are nobody's target, and
// compatibility shims (pythoncapi_compat.h) guard by the alpha that added an
// API: `#if PY_VERSION_HEX < 0x030D00A1` is code for older Pythons only.
constexpr int64_t kMinFreeThreadedHex = 0x030D00F0;
constexpr int64_t kMaxVersionHex = 0x7FFFFFFF;

// Macros whose value or presence the build fixes.
std::optional<Range> knownValue(std::string_view name, Build build) {
  if (name == "Py_GIL_DISABLED") return build == Build::FreeThreaded ? Range::exactly(1) : Range::exactly(0);
  if (name == "PY_MAJOR_VERSION") return Range::exactly(3);
  if (build == Build::Default) return std::nullopt;
  if (name == "PY_VERSION_HEX") return Range{kMinFreeThreadedHex, kMaxVersionHex};
  if (name == "PY_MINOR_VERSION") return Range{13, 99};
  return std::nullopt;
}

Tri knownDefined(std::string_view name, Build build) {
  if (name == "Py_GIL_DISABLED") return build == Build::FreeThreaded ? Tri::True : Tri::False;
  static const std::string_view always[] = {"PY_VERSION_HEX", "PY_MAJOR_VERSION", "PY_MINOR_VERSION"};
  for (auto d : always)
    if (d == name) return Tri::True;
  if (build == Build::Default) return Tri::Unknown;
  // Defined by every free-threaded 3.13+ build's headers.
  static const std::string_view since313[] = {
      "Py_mod_gil", "Py_MOD_GIL_USED", "Py_MOD_GIL_NOT_USED",
      "Py_BEGIN_CRITICAL_SECTION", "Py_END_CRITICAL_SECTION",
      "Py_BEGIN_CRITICAL_SECTION2", "Py_END_CRITICAL_SECTION2"};
  for (auto d : since313)
    if (d == name) return Tri::True;
  return Tri::Unknown;
}

struct Token {
  enum Kind { Ident, Number, Punct, End } kind;
  std::string_view text;  // into the condition: the tokens never outlive it
  int64_t value = 0;
};

bool isIdentStart(char c) { return std::isalpha(static_cast<unsigned char>(c)) || c == '_'; }
bool isIdentChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

int digitValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return 99;
}

// An integer literal as the preprocessor reads it: 0x hex, leading-0 octal,
// decimal, u/l suffixes. Anything else (a digit the base does not have, a
// float, a value past 64 bits) is not a number we understand.
std::optional<int64_t> parseInteger(std::string_view text) {
  while (!text.empty() && std::strchr("uUlL", text.back())) text.remove_suffix(1);
  unsigned base = 10;
  size_t i = 0;
  if (text.size() > 1 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X') && text.size() > 2 &&
      digitValue(text[2]) < 16) {
    base = 16;
    i = 2;
  } else if (text.size() > 1 && text[0] == '0') {
    base = 8;
  }
  uint64_t value = 0;
  size_t first = i;
  for (; i < text.size() && digitValue(text[i]) < int(base); ++i) {
    uint64_t digit = uint64_t(digitValue(text[i]));
    if (value > (std::numeric_limits<uint64_t>::max() - digit) / base) return std::nullopt;
    value = value * base + digit;
  }
  if (i == first || i != text.size()) return std::nullopt;
  return static_cast<int64_t>(value);
}

// Directives are evaluated for every #if the headers hold, so this makes no
// allocation beyond the token list.
void tokenize(std::string_view s, llvm::SmallVectorImpl<Token> &out) {
  size_t i = 0;
  while (i < s.size()) {
    char c = s[i];
    if (c == '\\' || std::isspace(static_cast<unsigned char>(c))) { ++i; continue; }
    if (s.substr(i, 2) == "//") break;
    if (s.substr(i, 2) == "/*") {
      size_t end = s.find("*/", i + 2);
      i = end == std::string_view::npos ? s.size() : end + 2;
      continue;
    }
    if (isIdentStart(c)) {
      size_t j = i;
      while (j < s.size() && isIdentChar(s[j])) ++j;
      out.push_back({Token::Ident, s.substr(i, j - i)});
      i = j;
      continue;
    }
    if (std::isdigit(static_cast<unsigned char>(c))) {
      size_t j = i;
      while (j < s.size() && std::isalnum(static_cast<unsigned char>(s[j]))) ++j;
      std::string_view text = s.substr(i, j - i);
      std::optional<int64_t> value = parseInteger(text);
      // Not a number we understand: a punctuator poisons the parse.
      out.push_back({value ? Token::Number : Token::Punct, text, value.value_or(0)});
      i = j;
      continue;
    }
    static constexpr std::string_view twoChar[] = {"&&", "||", "==", "!=", "<=", ">="};
    size_t width = 1;
    for (std::string_view op : twoChar)
      if (s.substr(i, 2) == op) width = 2;
    out.push_back({Token::Punct, s.substr(i, width)});
    i += width;
  }
  out.push_back({Token::End, {}});
}

// Recursive descent over ||, &&, comparisons, !, defined, parentheses.
// Anything else (arithmetic, function-like macros) makes the parse fail,
// and a failed parse is Unknown: ftlint then trusts the real preprocessor.
class Parser {
public:
  Parser(llvm::ArrayRef<Token> toks, Build build) : toks_(toks), build_(build) {}

  std::optional<Range> parse() {
    auto r = parseOr();
    if (!r || peek().kind != Token::End) return std::nullopt;
    return r;
  }

private:
  const Token &peek() const { return toks_[pos_]; }
  bool accept(std::string_view punct) {
    if (peek().kind == Token::Punct && peek().text == punct) { ++pos_; return true; }
    return false;
  }

  std::optional<Range> parseOr() {
    auto lhs = parseAnd();
    while (lhs && accept("||")) {
      auto rhs = parseAnd();
      if (!rhs) return std::nullopt;
      Tri a = lhs->truth(), b = rhs->truth();
      Tri t = (a == Tri::True || b == Tri::True) ? Tri::True
              : (a == Tri::False && b == Tri::False) ? Tri::False : Tri::Unknown;
      lhs = Range::boolean(t);
    }
    return lhs;
  }

  std::optional<Range> parseAnd() {
    auto lhs = parseCompare();
    while (lhs && accept("&&")) {
      auto rhs = parseCompare();
      if (!rhs) return std::nullopt;
      Tri a = lhs->truth(), b = rhs->truth();
      Tri t = (a == Tri::False || b == Tri::False) ? Tri::False
              : (a == Tri::True && b == Tri::True) ? Tri::True : Tri::Unknown;
      lhs = Range::boolean(t);
    }
    return lhs;
  }

  std::optional<Range> parseCompare() {
    auto lhs = parseUnary();
    static const std::string_view ops[] = {"==", "!=", "<=", ">=", "<", ">"};
    while (lhs) {
      std::string_view op;
      for (auto o : ops)
        if (accept(o)) { op = o; break; }
      if (op.empty()) break;
      auto rhs = parseUnary();
      if (!rhs) return std::nullopt;
      lhs = Range::boolean(compare(*lhs, op, *rhs));
    }
    return lhs;
  }

  static Tri compare(Range a, std::string_view op, Range b) {
    auto less = [](Range x, Range y) {  // x < y
      if (x.hi < y.lo) return Tri::True;
      if (x.lo >= y.hi) return Tri::False;
      return Tri::Unknown;
    };
    if (op == "<") return less(a, b);
    if (op == ">") return less(b, a);
    if (op == ">=") return triNot(less(a, b));
    if (op == "<=") return triNot(less(b, a));
    Tri eq = (a.lo == a.hi && b.lo == b.hi) ? (a.lo == b.lo ? Tri::True : Tri::False)
             : (a.hi < b.lo || b.hi < a.lo) ? Tri::False : Tri::Unknown;
    return op == "==" ? eq : triNot(eq);
  }

  std::optional<Range> parseUnary() {
    if (accept("!")) {
      auto r = parseUnary();
      if (!r) return std::nullopt;
      return Range::boolean(triNot(r->truth()));
    }
    return parsePrimary();
  }

  std::optional<Range> parsePrimary() {
    if (accept("(")) {
      auto r = parseOr();
      if (!r || !accept(")")) return std::nullopt;
      return r;
    }
    const Token t = peek();
    if (t.kind == Token::Number) { ++pos_; return Range::exactly(t.value); }
    if (t.kind != Token::Ident) return std::nullopt;
    ++pos_;
    if (t.text == "defined") {
      bool paren = accept("(");
      if (peek().kind != Token::Ident) return std::nullopt;
      std::string_view name = peek().text;
      ++pos_;
      if (paren && !accept(")")) return std::nullopt;
      return Range::boolean(knownDefined(name, build_));
    }
    if (peek().kind == Token::Punct && peek().text == "(") return std::nullopt;  // macro call
    if (auto v = knownValue(t.text, build_)) return v;
    return Range::anything();
  }

  llvm::ArrayRef<Token> toks_;
  Build build_;
  size_t pos_ = 0;
};

}  // namespace

Tri triNot(Tri t) {
  return t == Tri::True ? Tri::False : t == Tri::False ? Tri::True : Tri::Unknown;
}

Tri evaluateCondition(std::string_view condition, Build build) {
  llvm::SmallVector<Token, 32> tokens;
  tokenize(condition, tokens);
  auto r = Parser(tokens, build).parse();
  return r ? r->truth() : Tri::Unknown;
}

// Without a number or a macro whose value a build fixes (they all begin
// "Py_" or "PY_") nothing in a condition is known, so neither is its value:
// most of the headers' conditions (`defined(__GNUC__)`) are settled here.
static bool mayBeDecided(std::string_view condition) {
  for (char c : condition)
    if (std::isdigit(static_cast<unsigned char>(c))) return true;
  return condition.find("Py_") != std::string_view::npos || condition.find("PY_") != std::string_view::npos;
}

BuildTruths evaluateInBothBuilds(std::string_view condition) {
  if (!mayBeDecided(condition)) return {Tri::Unknown, Tri::Unknown};
  llvm::SmallVector<Token, 32> tokens;
  tokenize(condition, tokens);
  auto truth = [&](Build build) {
    auto r = Parser(tokens, build).parse();
    return r ? r->truth() : Tri::Unknown;
  };
  return {truth(Build::FreeThreaded), truth(Build::Default)};
}

Tri isDefinedIn(std::string_view macroName, Build build) { return knownDefined(macroName, build); }

Tri BranchChain::next(Tri condition) {
  Tri compiled = anyTrue ? Tri::False
                 : allFalse ? condition
                            : (condition == Tri::False ? Tri::False : Tri::Unknown);
  if (compiled == Tri::True) anyTrue = true;
  if (condition != Tri::False) allFalse = false;
  if (enclosing == Tri::False) return Tri::False;
  if (enclosing == Tri::Unknown && compiled == Tri::True) return Tri::Unknown;
  return compiled;
}

}  // namespace ftlint
