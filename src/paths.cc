#include <algorithm>
#include <filesystem>
#include <system_error>

#include "tfmend/file_io.h"

namespace tfmend {

namespace fs = std::filesystem;

namespace {

bool endsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

}  // namespace

std::vector<InputPath> expandPaths(const std::vector<std::string>& paths) {
  std::vector<InputPath> out;
  for (const auto& p : paths) {
    std::error_code ec;
    if (p == "-" || !fs::is_directory(p, ec)) {
      out.push_back({p, ""});  // a missing file is reported when it is read
      continue;
    }
    std::vector<std::string> found;
    fs::recursive_directory_iterator it(p, fs::directory_options::skip_permission_denied, ec), end;
    if (ec) {
      out.push_back({p, p + ": cannot read: " + ec.message()});
      continue;
    }
    for (; it != end; it.increment(ec)) {
      if (ec) {
        out.push_back({p, p + ": cannot read: " + ec.message()});
        break;
      }
      std::string name = it->path().filename().string();
      if (it->is_directory(ec) && (name == "node_modules" || name == ".terraform" || name == ".git")) {
        it.disable_recursion_pending();
        continue;
      }
      if (endsWith(name, ".tf.json") && it->is_regular_file(ec)) found.push_back(it->path().string());
    }
    std::sort(found.begin(), found.end());
    for (auto& f : found) out.push_back({std::move(f), ""});
  }
  return out;
}

}  // namespace tfmend
