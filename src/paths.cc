#include <algorithm>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <set>
#include <system_error>
#include <thread>

#include "tfmend/file_io.h"

namespace tfmend {

namespace fs = std::filesystem;

namespace {

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

/// The real path of `p` (links and `..` resolved), or `p` itself when it does not exist.
std::string realPath(const std::string& p) {
  std::error_code ec;
  fs::path real = fs::canonical(p, ec);
  return ec ? p : real.string();
}

/// The most threads that read folders at once: the walk waits on the file
/// system, and more threads than this only cost their start (-j goes to 1024).
constexpr int kMostWalkThreads = 8;

/// A file found by the walk, and its real path.
struct Found {
  InputPath input;
  std::string real;
};

/// A folder still to read: its path as found, and its real path.
struct Folder {
  fs::path path;
  fs::path real;
};

/// Reads one folder: its `*.tf.json` files go to `found`, its subfolders to
/// `subfolders`. Folders reached through links are not followed, so the real
/// path of what is found is its folder's real path and its name, except for a
/// link to a file: only those (and the walk's root) are resolved on disk.
void readFolder(const Folder& folder, const std::set<std::string>& excluded, std::vector<Found>& found,
                std::vector<Folder>& subfolders) {
  std::error_code ec;
  fs::directory_iterator it(folder.path, ec), end;
  for (; !ec && it != end; it.increment(ec)) {
    std::string name = it->path().filename().string();
    // The entry's own type, as the folder listing gave it: no call to the disk.
    std::error_code kind;
    const bool link = it->is_symlink(kind);
    if (!link && it->is_directory(kind)) {
      if (name == "node_modules" || name == ".terraform" || name == ".git") continue;
      fs::path real = folder.real / name;
      if (excluded.count(real.string())) continue;
      subfolders.push_back({it->path(), std::move(real)});
      continue;
    }
    if (endsWith(name, ".tf.json") && it->is_regular_file(kind)) {
      std::string path = it->path().string();
      std::string real = link ? realPath(path) : (folder.real / name).string();
      found.push_back({{std::move(path), ""}, std::move(real)});
    }
  }
  if (ec) {
    std::string path = folder.path.string();
    found.push_back({{path, path + ": cannot read: " + ec.message()}, ""});
  }
}

/// The `*.tf.json` files under `root`, and the folders that could not be read
/// (with their error), sorted by path. An explicit list of folders still to
/// read: a deep tree cannot overflow anything, and one unreadable folder does
/// not hide its siblings. `threads` read folders at once (a large tree is
/// mostly waiting on the file system, and the run's workers are idle then).
std::vector<Found> walk(const std::string& root, const std::set<std::string>& excluded, int threads) {
  std::vector<Found> found;
  std::vector<Folder> pending{{fs::path(root), fs::path(realPath(root))}};
  std::mutex mutex;
  std::condition_variable changed;
  int reading = 0;  // folders being read now; their subfolders are not yet in `pending`
  auto work = [&] {
    std::vector<Found> mine;
    std::vector<Folder> subfolders;
    std::unique_lock<std::mutex> lock(mutex);
    while (true) {
      // Done when no folder is left and none is being read (which could add more).
      changed.wait(lock, [&] { return !pending.empty() || reading == 0; });
      if (pending.empty()) break;
      Folder folder = std::move(pending.back());
      pending.pop_back();
      ++reading;
      lock.unlock();
      readFolder(folder, excluded, mine, subfolders);
      lock.lock();
      --reading;
      for (auto& sub : subfolders) pending.push_back(std::move(sub));
      subfolders.clear();
      changed.notify_all();
    }
    for (auto& f : mine) found.push_back(std::move(f));
  };
  std::vector<std::thread> helpers;
  for (int t = 1; t < std::min(threads, kMostWalkThreads); ++t) helpers.emplace_back(work);
  work();
  for (auto& t : helpers) t.join();
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.input.path < b.input.path; });
  return found;
}

}  // namespace

std::vector<InputPath> expandPaths(const std::vector<std::string>& paths, const std::vector<std::string>& exclude,
                                   int threads) {
  std::set<std::string> excluded;
  for (const auto& e : exclude) {
    if (!e.empty()) excluded.insert(realPath(e));
  }
  std::vector<InputPath> out;
  std::set<std::string> seen;  // real paths: a file named twice, or by a link and by its folder, comes once
  auto add = [&](InputPath in, const std::string& real) {
    if (in.error.empty() && in.path != "-" && !seen.insert(real).second) return;
    out.push_back(std::move(in));
  };
  for (const auto& p : paths) {
    std::error_code ec;
    if (p == "-" || !fs::is_directory(p, ec)) {
      add({p, ""}, p == "-" ? p : realPath(p));  // a missing file is reported when it is read
      continue;
    }
    for (auto& f : walk(p, excluded, threads)) add(std::move(f.input), f.real);
  }
  return out;
}

}  // namespace tfmend
