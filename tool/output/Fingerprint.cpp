#include "tool/output/Fingerprint.h"

#include "tool/output/Report.h"

#include <cctype>
#include <cstdint>
#include <map>
#include <string_view>
#include <tuple>

namespace ftlint {
namespace {

// 64-bit FNV-1a. Written out here rather than taken from a library so the
// values can never change under us with a dependency upgrade: fingerprints
// are stored by code scanning services between runs.
class Fnv1a64 {
public:
  void add(std::string_view bytes) {
    for (unsigned char c : bytes) {
      state_ ^= c;
      state_ *= 0x100000001b3ULL;
    }
  }
  // Fields are followed by a byte that cannot occur in any of them, so
  // ("ab", "c") and ("a", "bc") hash differently.
  void field(std::string_view bytes) {
    add(bytes);
    add(std::string_view("\0", 1));
  }
  uint64_t value() const { return state_; }

private:
  uint64_t state_ = 0xcbf29ce484222325ULL;
};

std::string withoutWhitespace(const std::string &text) {
  std::string out;
  out.reserve(text.size());
  for (unsigned char c : text)
    if (!std::isspace(c)) out.push_back(static_cast<char>(c));
  return out;
}

std::string hex16(uint64_t v) {
  static const char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; --i, v >>= 4) out[i] = digits[v & 0xf];
  return out;
}

}  // namespace

std::string findingFingerprint(const Finding &f, const std::string &relativePath, unsigned occurrence) {
  Fnv1a64 h;
  h.field("ftlint/v1");
  h.field(f.code);
  h.field(relativePath);
  h.field(withoutWhitespace(f.sourceLine));
  h.field(std::to_string(occurrence));
  return hex16(h.value());
}

std::vector<std::string> fingerprintsFor(const std::vector<Finding> &findings, const std::string &projectRoot) {
  std::vector<std::string> out;
  out.reserve(findings.size());
  std::map<std::tuple<std::string, std::string, std::string>, unsigned> seen;
  for (const auto &f : findings) {
    std::string path = relativeTo(f.file, projectRoot);
    unsigned &count = seen[{f.code, path, withoutWhitespace(f.sourceLine)}];
    out.push_back(findingFingerprint(f, path, count));
    ++count;
  }
  return out;
}

}  // namespace ftlint
