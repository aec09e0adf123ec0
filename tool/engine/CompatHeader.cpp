#include "tool/engine/CompatHeader.h"

#include "llvm/ADT/StringRef.h"

#include <algorithm>
#include <cctype>
#include <string_view>

namespace ftlint {
namespace {

struct ApiVersion {
  std::string_view name;
  int minor;
};

// The APIs fixes write and the Python 3 minor version that added each.
constexpr ApiVersion kFixApis[] = {
    {"PyList_GetItemRef", 13},       {"PyDict_GetItemRef", 13},
    {"PyDict_GetItemStringRef", 13}, {"PyDict_SetDefaultRef", 13},
    {"PyImport_AddModuleRef", 13},   {"PyWeakref_GetRef", 13},
    {"Py_BEGIN_CRITICAL_SECTION", 13}, {"Py_BEGIN_CRITICAL_SECTION2", 13},
    {"PyUnstable_Object_IsUniquelyReferenced", 14}, {"Py_NewRef", 10},
    {"Py_XNewRef", 10},              {"Py_SET_REFCNT", 9},
};

bool isIdentifierChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

size_t countWord(const std::string &text, std::string_view word) {
  size_t n = 0;
  for (size_t at = text.find(word); at != std::string::npos; at = text.find(word, at + word.size())) {
    bool before = at > 0 && isIdentifierChar(text[at - 1]);
    bool after = at + word.size() < text.size() && isIdentifierChar(text[at + word.size()]);
    if (!before && !after) ++n;
  }
  return n;
}

bool isInclude(std::string_view line) {
  line = llvm::StringRef(line).trim();
  if (line.empty() || line[0] != '#') return false;
  line = llvm::StringRef(line.substr(1)).trim();
  return line.substr(0, 7) == "include";
}

}  // namespace

int newestApiAdded(const std::string &original, const std::string &fixed) {
  int newest = 0;
  for (const auto &api : kFixApis)
    if (countWord(fixed, api.name) > countWord(original, api.name)) newest = std::max(newest, api.minor);
  return newest;
}

std::string withCompatInclude(const std::string &original, const std::string &fixed, int targetMinor,
                              const std::string &header) {
  if (newestApiAdded(original, fixed) <= targetMinor) return fixed;
  // Already included (as "header" or <header>, perhaps under a directory).
  size_t lineStart = 0;
  size_t insertAt = std::string::npos, pythonH = std::string::npos;
  bool inIncludeBlock = true;
  while (lineStart < fixed.size()) {
    size_t lineEnd = fixed.find('\n', lineStart);
    size_t next = lineEnd == std::string::npos ? fixed.size() : lineEnd + 1;
    std::string_view line(fixed.data() + lineStart, next - lineStart);
    if (isInclude(line)) {
      if (line.find(header) != std::string_view::npos) return fixed;
      if (line.find("Python.h") != std::string_view::npos && pythonH == std::string::npos) pythonH = next;
      if (inIncludeBlock) insertAt = next;
    } else {
      std::string_view t = llvm::StringRef(line).trim();
      bool quiet = t.empty() || t[0] == '#' || t.substr(0, 2) == "//" || t.substr(0, 2) == "/*" || t[0] == '*';
      if (!quiet && insertAt != std::string::npos) inIncludeBlock = false;
    }
    lineStart = next;
  }
  if (pythonH != std::string::npos) insertAt = pythonH;
  if (insertAt == std::string::npos) insertAt = 0;
  bool crlf = fixed.find("\r\n") != std::string::npos;
  std::string text = "#include \"" + header + "\"" + (crlf ? "\r\n" : "\n");
  std::string out = fixed;
  // A last line without a newline gets one before the include.
  if (insertAt == out.size() && !out.empty() && out.back() != '\n') text = (crlf ? "\r\n" : "\n") + text;
  out.insert(insertAt, text);
  return out;
}

}  // namespace ftlint
