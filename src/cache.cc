#include "cache.h"

#include <sys/stat.h>

#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "fix_export.h"
#include "sha256.h"
#include "tfmend/diff.h"
#include "tfmend/file_io.h"
#include "tfmend/json.h"
#include "tfmend/secrets.h"

namespace tfmend {

namespace fs = std::filesystem;

namespace {

/// Writes an entry as a whole (temporary file, rename), without the fsyncs of
/// writeAtomically(): a cache entry lost or torn by a crash is only a miss.
void writeEntry(const std::string& path, const std::string& content) {
  static std::atomic<unsigned> counter{0};
  std::string tmp = path + ".tmp-" + std::to_string(::getpid()) + "-" + std::to_string(counter++);
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << content;
    if (!out.flush()) {
      std::error_code ec;
      fs::remove(tmp, ec);
      return;
    }
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) fs::remove(tmp, ec);
}

/// Bumped when the entry's layout changes (the binary's hash changes too).
constexpr int kEntryFormat = 1;

Json findingJson(const Finding& f, const Redactor& hide) {
  Json j = {{"rule", f.rule},
            {"message", hide(f.message)},
            {"address", f.address},
            {"pointer", f.pointer},
            {"construct_path", f.constructPath}};
  if (f.fix) {
    j["fix"] = {{"applicability", toString(f.fix->applicability)},
                {"title", hide(f.fix->title)},
                {"forces_replacement", f.fix->forcesReplacement}};
  } else {
    j["fix"] = nullptr;
    j["no_fix_reason"] = hide(f.noFixReason);
  }
  return j;
}

Finding findingFrom(const Json& j) {
  Finding f;
  f.rule = j.at("rule").get<std::string>();
  f.message = j.at("message").get<std::string>();
  f.address = j.at("address").get<std::string>();
  f.pointer = j.at("pointer").get<std::string>();
  f.constructPath = j.at("construct_path").get<std::string>();
  const Json& fix = j.at("fix");
  if (fix.is_null()) {
    f.noFixReason = j.at("no_fix_reason").get<std::string>();
  } else {
    Fix x;
    x.applicability = fix.at("applicability").get<std::string>() == "safe" ? Applicability::Safe : Applicability::Unsafe;
    x.title = fix.at("title").get<std::string>();
    x.forcesReplacement = fix.at("forces_replacement").get<bool>();
    f.fix = std::move(x);
  }
  return f;
}

FileStatus statusFrom(const std::string& s) {
  return s == "clean" ? FileStatus::Clean : s == "findings" ? FileStatus::Findings : FileStatus::Failed;
}

}  // namespace

/// What a file's status says about its bytes; empty if it cannot be read.
std::string statusLine(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0 || !S_ISREG(st.st_mode)) return "";
  auto ns = [](const timespec& t) { return std::to_string(t.tv_sec) + "." + std::to_string(t.tv_nsec); };
  return std::to_string(st.st_dev) + " " + std::to_string(st.st_ino) + " " + std::to_string(st.st_size) + " " +
         ns(st.st_mtim) + " " + ns(st.st_ctim);
}

/// True if the file's last change is at least two seconds old: a change made
/// in the same tick as the record could otherwise go unseen (git's "racy" files).
bool settled(const std::string& path) {
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return false;
  return std::max(st.st_mtim.tv_sec, st.st_ctim.tv_sec) + 2 <= ::time(nullptr);
}

const std::string& buildFingerprint() {
  // The executable's identity (its status: a rebuilt or reinstalled binary
  // differs), with the version; hashing the binary itself would cost more
  // than a warm check.
  static const std::string fingerprint = "tfmend " TFMEND_VERSION " " + statusLine("/proc/self/exe");
  return fingerprint;
}

CheckCache::CheckCache(std::string folder, std::span<const Rule* const> rules, const Settings& settings)
    : folder_(std::move(folder)) {
  Json key = {{"format", kEntryFormat}, {"tfmend", TFMEND_VERSION}, {"build", buildFingerprint()},
              {"settings", settingsJson(settings)}, {"rules", Json::array()}};
  for (const Rule* r : rules) key["rules"].push_back(std::string(r->id));
  runKey_ = sha256Hex(key.dump());
}

std::string CheckCache::keyOf(const std::string& text) const { return sha256Hex(runKey_ + '\n' + text); }

std::string CheckCache::entryPath(const std::string& key) const {
  return (fs::path(folder_) / key.substr(0, 2) / (key.substr(2) + ".json")).string();
}

std::optional<FileReport> CheckCache::find(const std::string& key) const { return load(entryPath(key)); }

std::optional<FileReport> CheckCache::findUnchanged(const std::string& path) const {
  std::string status = statusLine(path);
  if (status.empty()) return std::nullopt;
  std::string h = sha256Hex(runKey_ + "\npath\n" + fs::absolute(path).lexically_normal().string());
  auto record = readInput((fs::path(folder_) / "paths" / (h + ".txt")).string(), 4096);
  if (!record) return std::nullopt;
  auto newline = record->find('\n');
  if (newline == std::string::npos || record->substr(0, newline) != status) return std::nullopt;
  std::string key = record->substr(newline + 1);
  if (key.size() != 64) return std::nullopt;
  return load(entryPath(key));
}

void CheckCache::rememberUnchanged(const std::string& path, const std::string& key,
                                   const std::optional<FileStamp>& read) const {
  struct stat st {};
  if (!read || ::stat(path.c_str(), &st) != 0) return;
  const std::int64_t mtimeNs = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
  if (static_cast<std::uint64_t>(st.st_dev) != read->device || static_cast<std::uint64_t>(st.st_ino) != read->inode ||
      static_cast<std::uint64_t>(st.st_size) != read->size || mtimeNs != read->mtimeNs) {
    return;  // changed since it was read: these bytes are not the file's
  }
  if (!settled(path)) return;
  std::string status = statusLine(path);
  if (status.empty()) return;
  ensureFolder();
  std::string h = sha256Hex(runKey_ + "\npath\n" + fs::absolute(path).lexically_normal().string());
  std::error_code ec;
  fs::create_directories(fs::path(folder_) / "paths", ec);
  if (ec) return;
  writeEntry((fs::path(folder_) / "paths" / (h + ".txt")).string(), status + "\n" + key);
}

std::optional<FileReport> CheckCache::load(const std::string& entryFile) const {
  auto entry = readInput(entryFile, 64ull << 20);
  if (!entry) return std::nullopt;
  try {
    Json j = Json::parse(*entry);
    if (j.at("format").get<int>() != kEntryFormat) return std::nullopt;
    FileReport r;
    for (const auto& f : j.at("findings")) r.findings.push_back(findingFrom(f));
    r.lines = j.at("lines").get<std::vector<int>>();
    r.columns = j.at("columns").get<std::vector<int>>();
    r.status = statusFrom(j.at("status").get<std::string>());
    if (r.lines.size() != r.findings.size()) return std::nullopt;
    return r;
  } catch (const std::exception&) {
    return std::nullopt;  // a damaged entry is a miss; the next store replaces it
  }
}

void CheckCache::store(const std::string& key, const FileReport& report) const {
  if (!report.error.empty() || !report.ruleFailures.empty()) return;
  Json j = {{"format", kEntryFormat}, {"findings", Json::array()}, {"lines", report.lines},
            {"columns", report.columns}, {"status", toString(report.status)}};
  const Redactor hide(report.secrets);
  for (const auto& f : report.findings) j["findings"].push_back(findingJson(f, hide));
  ensureFolder();
  std::error_code ec;
  std::string path = entryPath(key);
  fs::create_directories(fs::path(path).parent_path(), ec);
  if (ec) return;
  writeEntry(path, j.dump());
}

void CheckCache::ensureFolder() const {
  std::error_code ec;
  if (fs::exists(folder_, ec)) return;
  fs::create_directories(folder_, ec);
  if (ec) return;
  // As ruff's cache folder: ignored by git, and marked as a cache for backup tools.
  std::ofstream(fs::path(folder_) / ".gitignore") << "# Automatically created by tfmend.\n*\n";
  std::ofstream(fs::path(folder_) / "CACHEDIR.TAG")
      << "Signature: 8a477f597d28d172789f06886806bc55\n# This file is a cache directory tag created by tfmend.\n";
}

}  // namespace tfmend
