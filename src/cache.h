#pragma once
/// The check cache, as ruff's: a file whose bytes, tfmend build, rules and
/// settings are those of an earlier `check` gets that check's report without
/// being parsed or checked again. Entries live in a folder (default
/// `.tfmend_cache` in the working directory), one file per entry, written
/// atomically, so that concurrent runs and `-j` workers can share it. Nothing
/// is trusted across builds: the key holds a hash of the tfmend binary itself.
/// Entries hold reports as printed (secrets already redacted) and no fix
/// operations, so no secret value ever reaches the cache.

#include <optional>
#include <span>
#include <string>

#include "tfmend/file_io.h"
#include "tfmend/report.h"
#include "tfmend/rule.h"
#include "tfmend/settings.h"

namespace tfmend {

class CheckCache {
 public:
  /// A cache in `folder` for runs of these rules and settings. The folder is
  /// made on first write; a folder that cannot be written costs only the cache.
  CheckCache(std::string folder, std::span<const Rule* const> rules, const Settings& settings);

  /// The key of a file with these bytes under this run's build, rules and
  /// settings (a SHA-256: computed once per file, it is the cost of a warm run).
  std::string keyOf(const std::string& text) const;
  /// The report stored under `key`, if an earlier run stored one (its path is
  /// the caller's to set).
  std::optional<FileReport> find(const std::string& key) const;
  /// Stores the report under `key`; only a file that went through (no error,
  /// no rule failure). Failures to write are ignored.
  void store(const std::string& key, const FileReport& report) const;

  /// The fast path, as git's index: the report of `path` without reading it,
  /// when its device, inode, size, modification and change times are those
  /// recorded after an earlier check of its bytes. A file changed in the
  /// same second as it was recorded is not trusted this way.
  std::optional<FileReport> findUnchanged(const std::string& path) const;
  /// Records `path`'s status now as that of the file whose key is `key`, read
  /// with `read`'s stamp; nothing if the file changed since it was read.
  void rememberUnchanged(const std::string& path, const std::string& key, const std::optional<FileStamp>& read) const;

  const std::string& folder() const { return folder_; }

 private:
  std::string entryPath(const std::string& key) const;
  std::optional<FileReport> load(const std::string& entry) const;
  void ensureFolder() const;
  std::string folder_;
  std::string runKey_;
};

/// The hex SHA-256 of the running executable (/proc/self/exe), computed once.
const std::string& buildFingerprint();

}  // namespace tfmend
