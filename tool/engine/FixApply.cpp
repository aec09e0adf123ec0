#include "tool/engine/FixApply.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"

#include <fmt/format.h>

#include <algorithm>
#include <cstdint>
#include <cerrno>
#include <cstring>
#include <map>
#include <set>
#include <string_view>
#include <tuple>
#include <unordered_map>
#include <utility>

#include <csignal>
#include <cstdlib>
#include <fcntl.h>
#include <pthread.h>
#include <sys/stat.h>
#include <unistd.h>

namespace ftlint {

namespace {

// ---------------------------------------------------------------------------
// Paths and files

std::string normalisedRoot(const std::string &root) {
  if (root.empty()) return root;
  llvm::SmallString<256> real;
  std::string r = llvm::sys::fs::real_path(root, real) ? root : std::string(real.str());
  while (r.size() > 1 && r.back() == '/') r.pop_back();
  return r;
}

bool isUnder(const std::string &path, const std::string &root) {
  if (root.empty()) return true;
  if (root == "/") return !path.empty() && path[0] == '/';
  return path.size() >= root.size() && path.compare(0, root.size(), root) == 0 &&
         (path.size() == root.size() || path[root.size()] == '/');
}

// An empty string when `path` cannot be resolved.
std::string realPathOf(const std::string &path) {
  llvm::SmallString<256> real;
  if (llvm::sys::fs::real_path(path, real)) return {};
  return std::string(real.str());
}

std::string errnoText(int err) { return std::strerror(err); }

// Reads the whole file with plain reads rather than a mapping, so a file
// changing underneath cannot change the copy afterwards. Returns an error
// description, empty on success.
std::string readWholeFile(const std::string &path, std::string &out) {
  int fd;
  do fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  while (fd < 0 && errno == EINTR);
  if (fd < 0) return errnoText(errno);
  out.clear();
  char buffer[65536];
  for (;;) {
    ssize_t n = ::read(fd, buffer, sizeof buffer);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return errnoText(err);
    }
    if (n == 0) break;
    out.append(buffer, static_cast<size_t>(n));
  }
  ::close(fd);
  return {};
}

// ---------------------------------------------------------------------------
// Planning

using EditKey = std::tuple<std::string, unsigned, unsigned, std::string>;

struct Candidate {
  const Finding *finding = nullptr;  // the first finding that carried it
  const Fix *fix = nullptr;
  bool unsafe = false;               // unsafe if any TU called it unsafe
  std::vector<EditKey> key;          // its edits, sorted: its identity
  std::string firstFile;
  unsigned firstOffset = 0;
};


struct FileState {
  bool usable = false;
  std::string content;
  bool crlf = false;
  std::vector<TextEdit> placed;  // replacements with the file's line endings
  size_t fixes = 0;
};

// Inside one fix, insertions may share an offset with anything; otherwise
// ranges must be disjoint (touching is fine).
bool overlapsWithinFix(const TextEdit &a, const TextEdit &b) {
  uint64_t aEnd = uint64_t(a.offset) + a.length, bEnd = uint64_t(b.offset) + b.length;
  if (a.length == 0 && b.length == 0) return false;
  if (a.length == 0) return a.offset > b.offset && a.offset < bEnd;
  if (b.length == 0) return b.offset > a.offset && b.offset < aEnd;
  return a.offset < bEnd && b.offset < aEnd;
}

// Between fixes, two insertions at one offset collide too: which text goes
// first would be a guess.
bool overlapsAcrossFixes(const TextEdit &a, unsigned bOffset, unsigned bLength) {
  if (a.length == 0 && bLength == 0) return a.offset == bOffset;
  uint64_t aEnd = uint64_t(a.offset) + a.length, bEnd = uint64_t(bOffset) + bLength;
  if (a.length == 0) return a.offset > bOffset && a.offset < bEnd;
  if (bLength == 0) return bOffset > a.offset && bOffset < aEnd;
  return a.offset < bEnd && bOffset < aEnd;
}

bool usesCrlf(const std::string &text) {
  size_t crlf = 0, lf = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n') continue;
    if (i > 0 && text[i - 1] == '\r') ++crlf;
    else ++lf;
  }
  return crlf > lf;
}

std::string withCrlf(const std::string &text) {
  std::string out;
  out.reserve(text.size() + 8);
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n' && (i == 0 || text[i - 1] != '\r')) out += '\r';
    out += text[i];
  }
  return out;
}

std::string describeFix(const Candidate &c) {
  std::string s = fmt::format("the fix for {} at line {}", c.finding->code, c.finding->line);
  if (!c.fix->description.empty()) s += fmt::format(" ({})", c.fix->description);
  return s;
}

}  // namespace

FixPlan planFixes(const std::vector<Finding> &findings, const FixPlanOptions &options) {
  FixPlan plan;
  plan.projectRoot = normalisedRoot(options.projectRoot);

  // One candidate per distinct set of edits, however many TUs reported it.
  std::vector<Candidate> candidates;
  std::vector<size_t> candidateOf(findings.size(), SIZE_MAX);
  std::map<std::vector<EditKey>, size_t> byKey;
  for (size_t n = 0; n < findings.size(); ++n) {
    const Finding &f = findings[n];
    if (!f.fix || f.fix->edits.empty()) continue;
    std::vector<EditKey> key;
    for (const TextEdit &e : f.fix->edits) key.emplace_back(e.file, e.offset, e.length, e.replacement);
    std::sort(key.begin(), key.end());
    bool unsafe = f.fix->applicability == Applicability::Unsafe;
    auto [it, inserted] = byKey.try_emplace(key, candidates.size());
    candidateOf[n] = it->second;
    if (!inserted) {
      candidates[it->second].unsafe |= unsafe;
      continue;
    }
    Candidate c;
    c.finding = &f;
    c.fix = &*f.fix;
    c.unsafe = unsafe;
    c.firstFile = std::get<0>(key.front());
    c.firstOffset = std::get<1>(key.front());
    c.key = std::move(key);
    candidates.push_back(std::move(c));
  }

  auto isSelected = [&](size_t i) { return !candidates[i].unsafe || options.includeUnsafe; };
  std::vector<size_t> selected;
  for (size_t i = 0; i < candidates.size(); ++i) {
    if (isSelected(i)) selected.push_back(i);
    else ++plan.unsafeLeftOut;
  }

  // The same finding with different edits means the TUs saw the file
  // differently (macros, include paths): neither fix can be trusted, nor can
  // other fixes to a file whose text depends on the build that way.
  std::set<std::string> blocked;
  {
    using Site = std::tuple<std::string, unsigned, std::string>;  // file, offset, code
    std::map<Site, std::pair<unsigned, std::set<size_t>>> bySite;  // line, candidates
    for (size_t n = 0; n < findings.size(); ++n) {
      if (candidateOf[n] == SIZE_MAX || !isSelected(candidateOf[n])) continue;
      const Finding &f = findings[n];
      auto &entry = bySite[{f.file, f.offset, f.code}];
      entry.first = f.line;
      entry.second.insert(candidateOf[n]);
    }
    for (const auto &[site, entry] : bySite) {
      if (entry.second.size() < 2) continue;
      std::set<std::string> touched;
      for (size_t i : entry.second)
        for (const EditKey &k : candidates[i].key) touched.insert(std::get<0>(k));
      for (const std::string &file : touched) {
        plan.problems.push_back(fmt::format(
            "{}: conflicting fixes for {} at line {} from different translation units; not fixed", file,
            std::get<2>(site), entry.first));
        blocked.insert(file);
      }
    }
  }

  std::sort(selected.begin(), selected.end(), [&](size_t a, size_t b) {
    const Candidate &x = candidates[a], &y = candidates[b];
    return std::tie(x.firstFile, x.firstOffset, x.fix->description, x.key) <
           std::tie(y.firstFile, y.firstOffset, y.fix->description, y.key);
  });

  // Every file the remaining fixes edit, with the hashes the analysis saw.
  std::map<std::string, std::set<uint64_t>> hashesByFile;
  for (size_t i : selected)
    for (const TextEdit &e : candidates[i].fix->edits)
      if (!blocked.count(e.file)) {
        auto &hashes = hashesByFile[e.file];
        if (e.fileHash) hashes.insert(e.fileHash);
      }

  std::map<std::string, FileState> files;
  for (const auto &[path, hashes] : hashesByFile) {
    FileState &state = files[path];
    if (!plan.projectRoot.empty()) {
      if (!isUnder(path, plan.projectRoot)) {
        plan.problems.push_back(fmt::format("{}: outside the project root {}; not fixed", path, plan.projectRoot));
        continue;
      }
      std::string real = realPathOf(path);
      if (!real.empty() && !isUnder(real, plan.projectRoot)) {
        plan.problems.push_back(
            fmt::format("{}: resolves to {}, outside the project root {}; not fixed", path, real, plan.projectRoot));
        continue;
      }
    }
    if (options.contents && options.contents->count(path)) {
      state.content = options.contents->at(path);
    } else if (std::string err = readWholeFile(path, state.content); !err.empty()) {
      plan.problems.push_back(fmt::format("{}: cannot be read: {}; not fixed", path, err));
      continue;
    }
    uint64_t now = contentHash(state.content);
    if (std::any_of(hashes.begin(), hashes.end(), [&](uint64_t h) { return h != now; })) {
      plan.problems.push_back(fmt::format("{}: changed since it was analysed; not fixed", path));
      continue;
    }
    state.crlf = usesCrlf(state.content);
    state.usable = true;
  }

  for (size_t i : selected) {
    const Candidate &c = candidates[i];
    const std::vector<TextEdit> &edits = c.fix->edits;

    bool usable = true;
    for (const TextEdit &e : edits) {
      auto it = files.find(e.file);
      if (it == files.end() || !it->second.usable) usable = false;
    }
    if (!usable) continue;  // the file's problem is already reported

    const TextEdit *beyond = nullptr;
    for (const TextEdit &e : edits)
      if (uint64_t(e.offset) + e.length > files[e.file].content.size()) beyond = &e;
    if (beyond) {
      plan.problems.push_back(fmt::format("{}: {} edits bytes {}-{}, past the end of the file ({} bytes); not fixed",
                                          beyond->file, describeFix(c), beyond->offset,
                                          uint64_t(beyond->offset) + beyond->length,
                                          files[beyond->file].content.size()));
      continue;
    }

    const TextEdit *clash = nullptr;
    for (size_t a = 0; a < edits.size() && !clash; ++a)
      for (size_t b = a + 1; b < edits.size() && !clash; ++b)
        if (edits[a].file == edits[b].file && overlapsWithinFix(edits[a], edits[b])) clash = &edits[a];
    if (clash) {
      plan.problems.push_back(
          fmt::format("{}: {} has edits that overlap each other; not fixed", clash->file, describeFix(c)));
      continue;
    }

    // An insertion another fix already makes, word for word, is shared
    // rather than repeated.
    std::vector<bool> shared(edits.size(), false);
    bool collides = false;
    for (size_t k = 0; k < edits.size() && !collides; ++k) {
      const TextEdit &e = edits[k];
      const FileState &state = files[e.file];
      std::string replacement = state.crlf ? withCrlf(e.replacement) : e.replacement;
      for (const TextEdit &p : state.placed) {
        if (e.length == 0 && p.length == 0 && p.offset == e.offset && p.replacement == replacement) {
          shared[k] = true;
          continue;
        }
        if (overlapsAcrossFixes(p, e.offset, e.length)) {
          collides = true;
          break;
        }
      }
    }
    if (collides) {
      ++plan.deferred;
      continue;
    }

    std::set<std::string> touched;
    for (size_t k = 0; k < edits.size(); ++k) {
      const TextEdit &e = edits[k];
      FileState &state = files[e.file];
      touched.insert(e.file);
      if (shared[k]) continue;
      TextEdit placed = e;
      if (state.crlf) placed.replacement = withCrlf(e.replacement);
      state.placed.push_back(std::move(placed));
    }
    for (const std::string &file : touched) ++files[file].fixes;
    ++plan.applied;
  }

  for (auto &[path, state] : files) {
    if (!state.usable || state.placed.empty()) continue;
    FileFix f;
    f.path = path;
    f.fixed = applyEdits(state.content, std::move(state.placed));
    if (f.fixed == state.content) continue;
    f.original = std::move(state.content);
    f.fixes = state.fixes;
    plan.files.push_back(std::move(f));
  }
  return plan;
}

// ---------------------------------------------------------------------------
// Unified diff

namespace {

// Lines keep their terminator, so "x" at the end of a file without a newline
// differs from "x\n".
std::vector<std::string_view> splitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    lines.push_back(text.substr(start, end - start));
    start = end;
  }
  return lines;
}

enum class Op : char { Equal, Delete, Insert };

// Myers' O(ND) shortest edit script between two sequences of line ids. Only
// the diagonals reached at each step are kept, O(D^2) memory, which stays
// small because fixes change few lines.
std::vector<Op> shortestEditScript(const std::vector<int> &a, const std::vector<int> &b) {
  const long n = long(a.size()), m = long(b.size());
  std::vector<std::vector<long>> trace;  // trace[d][k + d]: furthest x on diagonal k
  long endD = -1;
  for (long d = 0; d <= n + m && endD < 0; ++d) {
    std::vector<long> v(size_t(2 * d + 1));
    for (long k = -d; k <= d; k += 2) {
      long x;
      if (d == 0) x = 0;
      else {
        const std::vector<long> &prev = trace[size_t(d - 1)];
        auto at = [&](long kk) { return prev[size_t(kk + d - 1)]; };
        if (k == -d || (k != d && at(k - 1) < at(k + 1))) x = at(k + 1);
        else x = at(k - 1) + 1;
      }
      long y = x - k;
      while (x < n && y < m && a[size_t(x)] == b[size_t(y)]) ++x, ++y;
      v[size_t(k + d)] = x;
      if (x >= n && y >= m) endD = d;
    }
    trace.push_back(std::move(v));
  }

  std::vector<Op> ops;
  long x = n, y = m;
  for (long d = endD; d > 0; --d) {
    const std::vector<long> &prev = trace[size_t(d - 1)];
    auto at = [&](long kk) { return prev[size_t(kk + d - 1)]; };
    long k = x - y;
    bool down = k == -d || (k != d && at(k - 1) < at(k + 1));
    long prevK = down ? k + 1 : k - 1;
    long prevX = at(prevK), prevY = prevX - prevK;
    while (x > prevX && y > prevY) {
      ops.push_back(Op::Equal);
      --x, --y;
    }
    ops.push_back(down ? Op::Insert : Op::Delete);
    if (down) --y;
    else --x;
  }
  while (x > 0 && y > 0) {
    ops.push_back(Op::Equal);
    --x, --y;
  }
  std::reverse(ops.begin(), ops.end());
  return ops;
}

}  // namespace

std::string unifiedDiff(const FileFix &file, const std::string &displayPath) {
  constexpr size_t context = 3;
  std::vector<std::string_view> a = splitLines(file.original), b = splitLines(file.fixed);

  // Common ends never need the quadratic part.
  size_t prefix = 0;
  while (prefix < a.size() && prefix < b.size() && a[prefix] == b[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < a.size() - prefix && suffix < b.size() - prefix &&
         a[a.size() - 1 - suffix] == b[b.size() - 1 - suffix])
    ++suffix;

  std::unordered_map<std::string_view, int> ids;
  auto idsOf = [&](const std::vector<std::string_view> &lines) {
    std::vector<int> out;
    for (size_t i = prefix; i < lines.size() - suffix; ++i)
      out.push_back(ids.try_emplace(lines[i], int(ids.size())).first->second);
    return out;
  };
  std::vector<int> middleA = idsOf(a), middleB = idsOf(b);

  std::vector<Op> ops(prefix, Op::Equal);
  std::vector<Op> middle = shortestEditScript(middleA, middleB);
  // Within a run of changes, deletions first, as git prints them.
  for (size_t i = 0; i < middle.size();) {
    if (middle[i] == Op::Equal) {
      ops.push_back(Op::Equal);
      ++i;
      continue;
    }
    size_t j = i, deletions = 0;
    for (; j < middle.size() && middle[j] != Op::Equal; ++j)
      if (middle[j] == Op::Delete) ++deletions;
    ops.insert(ops.end(), deletions, Op::Delete);
    ops.insert(ops.end(), (j - i) - deletions, Op::Insert);
    i = j;
  }
  ops.insert(ops.end(), suffix, Op::Equal);

  // Line numbers in a and b before each op.
  std::vector<size_t> lineA(ops.size() + 1), lineB(ops.size() + 1);
  for (size_t i = 0; i < ops.size(); ++i) {
    lineA[i + 1] = lineA[i] + (ops[i] != Op::Insert);
    lineB[i + 1] = lineB[i] + (ops[i] != Op::Delete);
  }

  std::string out;
  size_t i = 0;
  while (i < ops.size()) {
    while (i < ops.size() && ops[i] == Op::Equal) ++i;
    if (i == ops.size()) break;
    size_t start = i >= context ? i - context : 0;
    // Extend while the next change is close enough for the contexts to meet.
    size_t lastChange = i;
    for (size_t j = i; j < ops.size(); ++j) {
      if (ops[j] == Op::Equal) {
        if (j - lastChange > 2 * context) break;
        continue;
      }
      lastChange = j;
    }
    size_t end = std::min(ops.size(), lastChange + 1 + context);

    if (out.empty()) out = fmt::format("--- a/{}\n+++ b/{}\n", displayPath, displayPath);
    size_t countA = lineA[end] - lineA[start], countB = lineB[end] - lineB[start];
    auto range = [](size_t first, size_t count) {
      // An empty range names the line before it, as diff and git do.
      size_t shown = count ? first + 1 : first;
      return count == 1 ? fmt::format("{}", shown) : fmt::format("{},{}", shown, count);
    };
    out += fmt::format("@@ -{} +{} @@\n", range(lineA[start], countA), range(lineB[start], countB));
    for (size_t j = start; j < end; ++j) {
      std::string_view line = ops[j] == Op::Insert ? b[lineB[j]] : a[lineA[j]];
      out += ops[j] == Op::Equal ? ' ' : ops[j] == Op::Delete ? '-' : '+';
      out.append(line.data(), line.size());
      if (line.empty() || line.back() != '\n') out += "\n\\ No newline at end of file\n";
    }
    i = end;
  }
  return out;
}

// ---------------------------------------------------------------------------
// Writing

namespace {

// Removes the temporary file unless the rename made it the real one.
struct TemporaryFile {
  std::string path;
  int fd = -1;
  bool committed = false;
  ~TemporaryFile() {
    if (fd >= 0) ::close(fd);
    if (!path.empty() && !committed) ::unlink(path.c_str());
  }
};

// For the tests of interrupted runs only: FTLINT_TEST_INTERRUPT_WRITE=SIG:N
// sends signal SIG to the process halfway through writing the N-th file
// (counted from 1) to its temporary file, as a user or a CI timeout would.
void interruptIfAskedTo(size_t ordinal) {
  const char *spec = std::getenv("FTLINT_TEST_INTERRUPT_WRITE");
  if (!spec || !*spec) return;
  char *rest = nullptr;
  long signal = std::strtol(spec, &rest, 10);
  if (!rest || *rest != ':' || std::strtoul(rest + 1, nullptr, 10) != ordinal) return;
  ::raise(int(signal));
}

std::string writeAll(int fd, std::string_view data) {
  size_t done = 0;
  while (done < data.size()) {
    ssize_t n = ::write(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      return errnoText(errno);
    }
    done += size_t(n);
  }
  return {};
}

// Returns why the file was not written, empty when it was.
std::string writeOne(const FileFix &file, const std::string &root, size_t ordinal) {
  struct stat link;
  if (::lstat(file.path.c_str(), &link) != 0) return "cannot be found: " + errnoText(errno);
  // A symlink (or a symlinked directory) is written through, at its target,
  // so the link itself stays a link; only targets inside the root qualify.
  std::string target = realPathOf(file.path);
  if (target.empty()) return "cannot be resolved";
  if (!isUnder(target, root)) {
    if (S_ISLNK(link.st_mode)) return fmt::format("a symlink to {}, outside the project root", target);
    return fmt::format("resolves to {}, outside the project root", target);
  }

  struct stat st;
  if (::stat(target.c_str(), &st) != 0) return "cannot be found: " + errnoText(errno);
  if (!S_ISREG(st.st_mode)) return "not a regular file";
  // The owner's write bit, not access(): root may write anything, and a file
  // its owner made read-only should stay untouched all the same.
  if (!(st.st_mode & S_IWUSR) || ::access(target.c_str(), W_OK) != 0) return "read-only";

  size_t slash = target.rfind('/');
  std::string dir = slash == 0 ? "/" : target.substr(0, slash);
  std::string pattern = fmt::format("{}/.{}.ftlint-XXXXXX", slash == 0 ? "" : dir, target.substr(slash + 1));
  std::vector<char> name(pattern.begin(), pattern.end());
  name.push_back('\0');

  TemporaryFile tmp;
  tmp.fd = ::mkstemp(name.data());
  if (tmp.fd < 0) return fmt::format("cannot create a temporary file in {}: {}", dir, errnoText(errno));
  tmp.path = name.data();

  std::string_view text = file.fixed;
  size_t half = text.size() / 2;
  if (std::string err = writeAll(tmp.fd, text.substr(0, half)); !err.empty()) return "writing failed: " + err;
  interruptIfAskedTo(ordinal);
  if (std::string err = writeAll(tmp.fd, text.substr(half)); !err.empty()) return "writing failed: " + err;
  // Ownership can only be kept where we are allowed to give it away; the
  // permission bits matter more and must succeed.
  [[maybe_unused]] int owned = ::fchown(tmp.fd, st.st_uid, st.st_gid);
  if (::fchmod(tmp.fd, st.st_mode & 07777) != 0) return "cannot set permissions: " + errnoText(errno);
  if (::fsync(tmp.fd) != 0) return "writing failed: " + errnoText(errno);
  int fd = tmp.fd;
  tmp.fd = -1;
  if (::close(fd) != 0) return "writing failed: " + errnoText(errno);

  // Checked as late as possible, so an editor saving meanwhile is not
  // overwritten; the window left is the rename itself.
  std::string current;
  if (std::string err = readWholeFile(target, current); !err.empty()) return "cannot be read again: " + err;
  if (current != file.original) return "changed since it was read";

  if (::rename(tmp.path.c_str(), target.c_str()) != 0) return "cannot replace it: " + errnoText(errno);
  tmp.committed = true;

  // Makes the rename itself durable; the content already is.
  int dirFd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dirFd >= 0) {
    ::fsync(dirFd);
    ::close(dirFd);
  }
  return {};
}

}  // namespace

// Holds back the signals that ask a process to stop (Ctrl-C, a CI timeout's
// SIGTERM, a closed terminal) while one file is replaced: a signal that
// arrives meanwhile ends the run only once that file is complete and its
// temporary file gone, so every file is either old or new. SIGKILL cannot be
// held back; it leaves the file old and at most one .NAME.ftlint-XXXXXX
// temporary file beside it.
class StopSignalsHeld {
 public:
  StopSignalsHeld() {
    sigset_t stops;
    sigemptyset(&stops);
    for (int signal : {SIGINT, SIGTERM, SIGHUP, SIGQUIT}) sigaddset(&stops, signal);
    ::pthread_sigmask(SIG_BLOCK, &stops, &previous_);
  }
  // Restoring the mask delivers what arrived meanwhile.
  ~StopSignalsHeld() { ::pthread_sigmask(SIG_SETMASK, &previous_, nullptr); }
  StopSignalsHeld(const StopSignalsHeld &) = delete;
  StopSignalsHeld &operator=(const StopSignalsHeld &) = delete;

 private:
  sigset_t previous_;
};

WriteReport writeFixes(const FixPlan &plan) {
  WriteReport report;
  size_t ordinal = 0;
  for (const FileFix &file : plan.files) {
    std::string why;
    {
      StopSignalsHeld held;
      why = writeOne(file, plan.projectRoot, ++ordinal);
    }
    if (why.empty()) report.written.push_back(file.path);
    else report.problems.push_back(fmt::format("{}: {}; not written", file.path, why));
  }
  return report;
}

}  // namespace ftlint
