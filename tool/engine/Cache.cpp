#include "tool/engine/Cache.h"

#include "tool/core/Finding.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Object/BuildID.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/Compression.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>

namespace ftlint {

namespace fs = llvm::sys::fs;
using nlohmann::json;

namespace {

// Bump when the entry layout changes.
constexpr int kEntryFormat = 2;
constexpr const char *kTagName = "CACHEDIR.TAG";
constexpr const char *kTag = "Signature: 8a477f597d28d172789f06886806bc55\n"
                             "# This directory holds ftlint's cache of analysis results.\n"
                             "# It can be deleted at any time (ftlint cache clear).\n";

std::string hex(uint64_t v) { return fmt::format("{:016x}", v); }

json toJson(const TextEdit &e) {
  return {{"file", e.file}, {"offset", e.offset}, {"length", e.length}, {"replacement", e.replacement},
          {"hash", hex(e.fileHash)}};
}

TextEdit editFrom(const json &j) {
  TextEdit e;
  e.file = j.at("file").get<std::string>();
  e.offset = j.at("offset").get<unsigned>();
  e.length = j.at("length").get<unsigned>();
  e.replacement = j.at("replacement").get<std::string>();
  e.fileHash = std::stoull(j.at("hash").get<std::string>(), nullptr, 16);
  return e;
}

json toJson(const Finding &f) {
  json j = {{"code", f.code},
            {"message", f.message},
            {"file", f.file},
            {"pos", {f.line, f.column, f.endLine, f.endColumn, f.offset}},
            {"severity", static_cast<int>(f.severity)},
            {"confidence", confidenceName(f.confidence)},
            {"source", f.sourceLine},
            {"notes", f.notes},
            {"no_fix", f.noFixReason},
            {"init_only", f.initOnlyUnlessUsr}};
  if (f.fix) {
    json edits = json::array();
    for (const TextEdit &e : f.fix->edits) edits.push_back(toJson(e));
    j["fix"] = {{"safe", f.fix->applicability == Applicability::Safe},
                {"description", f.fix->description},
                {"edits", edits}};
  }
  return j;
}

Finding findingFrom(const json &j) {
  Finding f;
  f.code = j.at("code").get<std::string>();
  f.message = j.at("message").get<std::string>();
  f.file = j.at("file").get<std::string>();
  const json &pos = j.at("pos");
  f.line = pos.at(0).get<unsigned>();
  f.column = pos.at(1).get<unsigned>();
  f.endLine = pos.at(2).get<unsigned>();
  f.endColumn = pos.at(3).get<unsigned>();
  f.offset = pos.at(4).get<unsigned>();
  int severity = j.at("severity").get<int>();
  if (severity < 0 || severity > static_cast<int>(Severity::Error)) throw std::runtime_error("bad severity");
  f.severity = static_cast<Severity>(severity);
  auto confidence = parseConfidence(j.at("confidence").get<std::string>());
  if (!confidence) throw std::runtime_error("bad confidence");
  f.confidence = *confidence;
  f.sourceLine = j.at("source").get<std::string>();
  f.notes = j.at("notes").get<std::vector<std::string>>();
  f.noFixReason = j.at("no_fix").get<std::string>();
  f.initOnlyUnlessUsr = j.at("init_only").get<std::string>();
  if (j.contains("fix")) {
    const json &x = j.at("fix");
    Fix fix;
    fix.applicability = x.at("safe").get<bool>() ? Applicability::Safe : Applicability::Unsafe;
    fix.description = x.at("description").get<std::string>();
    for (const json &e : x.at("edits")) fix.edits.push_back(editFrom(e));
    f.fix = std::move(fix);
  }
  return f;
}

json toJson(const TuResult &r) {
  json findings = json::array();
  for (const Finding &f : r.findings) findings.push_back(toJson(f));
  json modules = json::array();
  for (const ModuleSummary &m : r.modules)
    modules.push_back({{"name", m.name}, {"kind", m.kind}, {"declaration", m.declaration},
                       {"declared", m.declared}, {"file", m.file}, {"line", m.line}, {"target", m.target}});
  return {{"findings", findings},
          {"calls", {{"edges", r.callGraph.edges}, {"roots", r.callGraph.initRoots},
                     {"indirect", r.callGraph.indirect}}},
          {"modules", modules},
          {"headers", {r.headers.major, r.headers.minor, r.headers.gilDisabled}}};
}

TuResult resultFrom(const json &j) {
  TuResult r;
  for (const json &f : j.at("findings")) r.findings.push_back(findingFrom(f));
  const json &calls = j.at("calls");
  r.callGraph.edges = calls.at("edges").get<std::vector<std::pair<std::string, std::string>>>();
  r.callGraph.initRoots = calls.at("roots").get<std::vector<std::string>>();
  r.callGraph.indirect = calls.at("indirect").get<std::vector<std::string>>();
  for (const json &m : j.at("modules")) {
    ModuleSummary s;
    s.name = m.at("name").get<std::string>();
    s.kind = m.at("kind").get<std::string>();
    s.declaration = m.at("declaration").get<std::string>();
    s.declared = m.at("declared").get<bool>();
    s.file = m.at("file").get<std::string>();
    s.line = m.at("line").get<unsigned>();
    s.target = m.at("target").get<std::string>();
    r.modules.push_back(std::move(s));
  }
  const json &h = j.at("headers");
  r.headers.major = h.at(0).get<int>();
  r.headers.minor = h.at(1).get<int>();
  r.headers.gilDisabled = h.at(2).get<bool>();
  return r;
}

// Environment variables clang's driver reads include directories from.
constexpr const char *kIncludePathVariables[] = {"CPATH", "C_INCLUDE_PATH", "CPLUS_INCLUDE_PATH",
                                                 "OBJC_INCLUDE_PATH", "OBJCPLUS_INCLUDE_PATH"};

// Everything that names one TU's entry.
std::string entryKey(const std::string &optionsKey, const CompileCommand &command,
                     const std::vector<std::string> &arguments) {
  std::string key = toolIdentity() + "\n" + optionsKey + "\n" + command.directory + "\n" + command.file + "\n";
  for (const auto &a : arguments) key += a + "\n";
  return key;
}

// The file's bytes, or null when it cannot be read.
std::unique_ptr<llvm::MemoryBuffer> readFile(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false, /*RequiresNullTerminator=*/false);
  return buffer ? std::move(*buffer) : nullptr;
}

}  // namespace

const std::string &toolIdentity() {
  static const std::string identity = [] {
    std::string exe = fs::getMainExecutable(nullptr, reinterpret_cast<void *>(&toolIdentity));
    // The linker's build ID names the binary's content without reading all
    // of it (with debug information it is hundreds of megabytes).
    if (auto binary = llvm::object::ObjectFile::createObjectFile(exe)) {
      llvm::object::BuildIDRef id = llvm::object::getBuildID(binary->getBinary());
      if (!id.empty()) return fmt::format("ftlint {} build-id {}", FTLINT_VERSION, llvm::toHex(id, true));
    } else {
      llvm::consumeError(binary.takeError());
    }
    // Without one: its size and modification time.
    fs::file_status status;
    if (!exe.empty() && !fs::status(exe, status))
      return fmt::format("ftlint {} {} {}", FTLINT_VERSION, status.getSize(),
                         status.getLastModificationTime().time_since_epoch().count());
    return fmt::format("ftlint {} unknown-build", FTLINT_VERSION);
  }();
  return identity;
}

ResultCache::ResultCache(std::string dir, std::string optionsKey)
    : dir_(std::move(dir)), optionsKey_(std::move(optionsKey)) {}

std::string ResultCache::entryPath(const std::string &key) const {
  llvm::SmallString<256> p(dir_);
  llvm::sys::path::append(p, "tu", hex(contentHash(key)) + ".json");
  return std::string(p);
}

std::optional<uint64_t> ResultCache::currentHash(const std::string &path) {
  {
    std::lock_guard<std::mutex> lock(mutex_);
    if (auto it = hashes_.find(path); it != hashes_.end()) return it->second;
  }
  std::optional<uint64_t> hash;
  if (auto content = readFile(path)) hash = contentHash(content->getBuffer());
  std::lock_guard<std::mutex> lock(mutex_);
  hashes_.emplace(path, hash);
  return hash;
}

std::optional<TuResult> ResultCache::lookup(const CompileCommand &command, const std::vector<std::string> &arguments) {
  std::string key = entryKey(optionsKey_, command, arguments);
  auto text = readFile(entryPath(key));
  if (!text) return std::nullopt;
  try {
    json entry = json::parse(text->getBuffer().begin(), text->getBuffer().end());
    if (entry.at("format").get<int>() != kEntryFormat || entry.at("key").get<std::string>() != key) return std::nullopt;
    for (const json &input : entry.at("inputs")) {
      auto now = currentHash(input.at(0).get<std::string>());
      if (!now || hex(*now) != input.at(1).get<std::string>()) return std::nullopt;
    }
    TuResult result = resultFrom(entry.at("result"));
    result.inputs.clear();
    for (const json &input : entry.at("inputs"))
      result.inputs.emplace_back(input.at(0).get<std::string>(),
                                 std::stoull(input.at(1).get<std::string>(), nullptr, 16));
    return result;
  } catch (const std::exception &) {
    return std::nullopt;  // a damaged entry: analyse again and overwrite it
  }
}

void ResultCache::store(const CompileCommand &command, const std::vector<std::string> &arguments,
                        const TuResult &result) {
  if (result.failure || result.inputs.empty()) return;
  std::string key = entryKey(optionsKey_, command, arguments);
  json inputs = json::array();
  for (const auto &[path, hash] : result.inputs) inputs.push_back({path, hex(hash)});
  json entry = {{"format", kEntryFormat}, {"key", key}, {"inputs", inputs}, {"result", toJson(result)}};

  std::string path = entryPath(key);
  llvm::SmallString<256> tu(llvm::sys::path::parent_path(path));
  if (fs::create_directories(tu)) return;
  llvm::SmallString<256> tag(dir_);
  llvm::sys::path::append(tag, kTagName);
  if (!fs::exists(tag)) {
    std::ofstream(std::string(tag)) << kTag;
    llvm::SmallString<256> ignore(dir_);
    llvm::sys::path::append(ignore, ".gitignore");
    std::ofstream(std::string(ignore)) << "# Created by ftlint.\n*\n";
  }
  // Only what reads back exactly is stored: a finding's source line or a
  // path that is not UTF-8 cannot be, so that unit is analysed every time.
  std::string text;
  try {
    text = entry.dump();
  } catch (const nlohmann::json::type_error &) {
    return;
  }
  // Written beside the entry, then renamed over it: readers see the old
  // entry or the new one, never a partial one.
  llvm::SmallString<256> temp;
  int fd;
  if (fs::createUniqueFile(path + ".%%%%%%.tmp", fd, temp)) return;
  {
    llvm::raw_fd_ostream out(fd, /*shouldClose=*/true);
    out << text;
    out.close();
    if (out.has_error()) {
      out.clear_error();
      fs::remove(temp);
      return;
    }
  }
  if (fs::rename(temp, path)) fs::remove(temp);
}

std::string defaultCacheDirectory(const std::string &databasePath) {
  llvm::SmallString<256> dir;
  if (!databasePath.empty()) {
    dir = llvm::sys::path::parent_path(databasePath);
    if (dir.empty()) dir = ".";
    llvm::sys::path::append(dir, ".ftlint-cache");
    return std::string(dir);
  }
  if (const char *xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) dir = xdg;
  else if (!llvm::sys::path::cache_directory(dir)) dir = llvm::sys::path::get_separator();
  llvm::sys::path::append(dir, "ftlint");
  return std::string(dir);
}

std::string cacheOptionsKey(const RunOptions &options) {
  std::ostringstream key;
  auto list = [&](const char *name, const std::vector<std::string> &items) {
    key << name << ":";
    for (const auto &i : items) key << i << ",";
    key << "\n";
  };
  list("select", options.selection.select);
  list("extend-select", options.selection.extendSelect);
  list("ignore", options.selection.ignore);
  key << "root:" << options.scope.root() << "\n";
  list("excluded", options.scope.excludedDirs());
  list("foreign", options.scope.foreignNames());
  key << "guard:" << options.versionGuardTarget << "\n";
  key << "skip:" << options.skipForeignCode << "\n";
  // clang's driver adds these directories to every unit's include path, so
  // they decide which headers a unit reads as much as its -I flags do. A
  // unit whose old headers are all still there unchanged would otherwise be
  // reused after the variable pointed it at other ones.
  for (const char *name : kIncludePathVariables)
    if (const char *value = std::getenv(name)) key << "env " << name << "=" << value << "\n";
  return key.str();
}

// Packed: one byte saying how ('m' MessagePack, 'z' zstd-compressed
// MessagePack), then for 'z' the unpacked size as 8 bytes, then the data.
std::string packFindings(const std::vector<Finding> &findings) {
  json list = json::array();
  for (const Finding &f : findings) list.push_back(toJson(f));
  std::vector<uint8_t> plain = json::to_msgpack(list);
  if (!llvm::compression::zstd::isAvailable()) return "m" + std::string(plain.begin(), plain.end());
  llvm::SmallVector<uint8_t, 0> compressed;
  llvm::compression::zstd::compress(plain, compressed, llvm::compression::zstd::BestSpeedCompression);
  std::string out = "z";
  uint64_t size = plain.size();
  out.append(reinterpret_cast<const char *>(&size), sizeof size);
  out.append(compressed.begin(), compressed.end());
  return out;
}

std::vector<Finding> unpackFindings(const std::string &packed) {
  if (packed.empty()) return {};
  llvm::ArrayRef<uint8_t> bytes(reinterpret_cast<const uint8_t *>(packed.data()) + 1, packed.size() - 1);
  llvm::SmallVector<uint8_t, 0> plain;
  if (packed[0] == 'z') {
    uint64_t size = 0;
    if (bytes.size() < sizeof size) throw std::runtime_error("packed findings: truncated");
    std::memcpy(&size, bytes.data(), sizeof size);
    if (llvm::Error e = llvm::compression::zstd::decompress(bytes.drop_front(sizeof size), plain, size))
      throw std::runtime_error("packed findings: " + llvm::toString(std::move(e)));
    bytes = plain;
  }
  std::vector<Finding> findings;
  for (const json &f : json::from_msgpack(bytes.begin(), bytes.end())) findings.push_back(findingFrom(f));
  return findings;
}

bool clearCache(const std::string &dir, std::string &error) {
  if (!fs::exists(dir)) return true;
  llvm::SmallString<256> tag(dir);
  llvm::sys::path::append(tag, kTagName);
  if (!fs::exists(tag)) {
    error = fmt::format("{}: not an ftlint cache (no {}); not deleting it", dir, kTagName);
    return false;
  }
  if (std::error_code ec = fs::remove_directories(dir)) {
    error = fmt::format("{}: cannot delete: {}", dir, ec.message());
    return false;
  }
  return true;
}

}  // namespace ftlint
