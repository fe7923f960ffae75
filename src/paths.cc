#include <algorithm>
#include <filesystem>
#include <set>
#include <system_error>

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

/// A file found by the walk, and its real path.
struct Found {
  InputPath input;
  std::string real;
};

/// The `*.tf.json` files under `root`, and the folders that could not be read
/// (with their error). An explicit stack of folders: a deep tree cannot
/// overflow anything, and one unreadable folder does not hide its siblings.
/// Folders reached through links are not followed, so the real path of what
/// the walk finds is its folder's real path and its name, except for a link
/// to a file: only those, and the root, are resolved on disk.
std::vector<Found> walk(const std::string& root, const std::set<std::string>& excluded) {
  std::vector<Found> found;
  std::vector<std::pair<fs::path, fs::path>> pending{{fs::path(root), fs::path(realPath(root))}};
  while (!pending.empty()) {
    auto [dir, realDir] = std::move(pending.back());
    pending.pop_back();
    std::error_code ec;
    fs::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      // The entry's own type, as the folder listing gave it: no call to the disk.
      std::error_code kind;
      const bool link = it->is_symlink(kind);
      if (!link && it->is_directory(kind)) {
        if (name == "node_modules" || name == ".terraform" || name == ".git") continue;
        fs::path real = realDir / name;
        if (excluded.count(real.string())) continue;
        pending.emplace_back(it->path(), std::move(real));
        continue;
      }
      if (endsWith(name, ".tf.json") && it->is_regular_file(kind)) {
        std::string path = it->path().string();
        std::string real = link ? realPath(path) : (realDir / name).string();
        found.push_back({{std::move(path), ""}, std::move(real)});
      }
    }
    if (ec) found.push_back({{dir.string(), dir.string() + ": cannot read: " + ec.message()}, ""});
  }
  std::sort(found.begin(), found.end(), [](const Found& a, const Found& b) { return a.input.path < b.input.path; });
  return found;
}

}  // namespace

std::vector<InputPath> expandPaths(const std::vector<std::string>& paths, const std::vector<std::string>& exclude) {
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
    for (auto& f : walk(p, excluded)) add(std::move(f.input), f.real);
  }
  return out;
}

}  // namespace tfmend
