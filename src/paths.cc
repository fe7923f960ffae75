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

/// The `*.tf.json` files under `root`, and the folders that could not be read
/// (with their error). An explicit stack of folders: a deep tree cannot
/// overflow anything, and one unreadable folder does not hide its siblings.
std::vector<InputPath> walk(const std::string& root, const std::set<std::string>& excluded) {
  std::vector<InputPath> found;
  std::vector<fs::path> pending{fs::path(root)};
  while (!pending.empty()) {
    fs::path dir = std::move(pending.back());
    pending.pop_back();
    std::error_code ec;
    fs::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      std::error_code kind;
      fs::file_status own = it->symlink_status(kind);
      if (fs::is_directory(own)) {
        // Folders reached through links are not followed, as before.
        if (name == "node_modules" || name == ".terraform" || name == ".git") continue;
        if (excluded.count(realPath(it->path().string()))) continue;
        pending.push_back(it->path());
        continue;
      }
      if (endsWith(name, ".tf.json") && fs::is_regular_file(it->status(kind))) found.push_back({it->path().string(), ""});
    }
    if (ec) found.push_back({dir.string(), dir.string() + ": cannot read: " + ec.message()});
  }
  std::sort(found.begin(), found.end(), [](const InputPath& a, const InputPath& b) { return a.path < b.path; });
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
  auto add = [&](InputPath in) {
    if (in.error.empty() && in.path != "-" && !seen.insert(realPath(in.path)).second) return;
    out.push_back(std::move(in));
  };
  for (const auto& p : paths) {
    std::error_code ec;
    if (p == "-" || !fs::is_directory(p, ec)) {
      add({p, ""});  // a missing file is reported when it is read
      continue;
    }
    for (auto& f : walk(p, excluded)) add(std::move(f));
  }
  return out;
}

}  // namespace tfmend
