// Fuzz target: the suppression-comment parser. The input is a whole source
// file; its markers are parsed, then applied to findings on every line, with
// unused-marker reporting on, as a run applies them.
#include "tool/engine/Suppressions.h"
#include "tool/fuzz/FuzzSupport.h"

#include <map>
#include <string>
#include <vector>

using namespace ftlint;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  std::string text(reinterpret_cast<const char *>(data), size);
  std::vector<Suppression> parsed = parseSuppressions(text);
  for (const Suppression &s : parsed) {
    // A marker covers lines from itself or the next one on, never backwards.
    if (s.firstLine > s.lastLine || s.line == 0) __builtin_trap();
    if (s.offset > text.size()) __builtin_trap();
  }

  // The file is read from memory; the path only has to be absolute.
  const std::string path = "/ftlint-fuzz/suppressions.c";
  std::map<std::string, std::string> overlay{{path, text}};
  std::vector<unsigned> lineStarts{0};
  for (size_t i = 0; i < text.size(); ++i)
    if (text[i] == '\n') lineStarts.push_back(i + 1);
  std::vector<Finding> findings;
  const char *codes[] = {"FT101", "FT201", "FT301", "FT901"};
  for (unsigned line = 1; line <= lineStarts.size() && line <= 400; ++line) {
    Finding f;
    f.code = codes[line % 4];
    f.file = path;
    f.line = line;
    f.column = 1;
    f.offset = lineStarts[line - 1];
    f.message = "fuzz";
    findings.push_back(std::move(f));
  }
  applySuppressions(findings, /*reportUnused=*/true, &overlay);
  return 0;
}
