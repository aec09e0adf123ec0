// The on-disk cache of translation-unit results. An entry is reused when the
// tool, the run's options, the TU's compile arguments and the content of
// every file the TU read last time are all unchanged; checking that costs
// reading and hashing those files, not parsing them. Entries that are
// unreadable, truncated or from another tool build are ignored and rewritten.
// Writes go to a temporary file first, so concurrent runs never see half an
// entry.
#pragma once

#include "tool/engine/Runner.h"

#include <map>
#include <mutex>
#include <optional>
#include <string>

namespace ftlint {

class ResultCache {
public:
  // `dir` is created on first store. `optionsKey` names everything about the
  // run that changes a TU's result besides its compile arguments (which
  // include the extra flags and clang's resource directory): rules, scope...
  ResultCache(std::string dir, std::string optionsKey);

  std::optional<TuResult> lookup(const CompileCommand &command, const std::vector<std::string> &arguments);
  // Failed TUs are not stored: they are analysed again next time.
  void store(const CompileCommand &command, const std::vector<std::string> &arguments, const TuResult &result);

  const std::string &directory() const { return dir_; }

private:
  std::string entryPath(const std::string &key) const;
  std::optional<uint64_t> currentHash(const std::string &path);

  std::string dir_;
  std::string optionsKey_;
  std::mutex mutex_;
  std::map<std::string, std::optional<uint64_t>> hashes_;  // per run: a file is hashed once
};

// Where the cache lives by default: next to the compile database, or the
// user's cache directory for plain files.
std::string defaultCacheDirectory(const std::string &databasePath);

// The options that change TU results, and the include directories clang
// takes from the environment (CPATH, ...), as one string for ResultCache.
std::string cacheOptionsKey(const RunOptions &options);

// Deletes a cache directory ftlint made (it holds CACHEDIR.TAG); false, with
// `error` set, for anything else.
bool clearCache(const std::string &dir, std::string &error);

// A unit's findings packed small while a run holds every unit's results for
// the report (MessagePack, compressed with zstd when LLVM has it), and back.
// A run that cannot unpack what it packed has a bug: unpacking throws.
std::string packFindings(const std::vector<Finding> &findings);
std::vector<Finding> unpackFindings(const std::string &packed);

// What identifies this build of ftlint: its version and a hash of its
// executable, so a rebuilt binary never trusts an older one's results.
const std::string &toolIdentity();

}  // namespace ftlint
