#include "config.h"

#include <algorithm>
#include <filesystem>

namespace tfmend {

std::optional<std::string> findConfigFile() {
  std::error_code ec;
  auto dir = std::filesystem::current_path(ec);
  if (ec) return std::nullopt;
  while (true) {
    auto candidate = dir / "tfmend.toml";
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
    if (!dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
    dir = dir.parent_path();
  }
}

Status applyConfigFile(CLI::App& command, const std::string& path) {
  std::vector<CLI::ConfigItem> items;
  try {
    items = CLI::ConfigTOML().from_file(path);
  } catch (const CLI::Error& e) {
    return Error{path + ": " + e.what()};
  }
  for (const auto& item : items) {
    if (item.name == "++" || item.name == "--") continue;  // section markers
    std::string key = item.name;
    std::replace(key.begin(), key.end(), '_', '-');
    if (!item.parents.empty()) return Error{path + ": unknown section [" + item.parents.front() + "]"};
    CLI::Option* opt = command.get_option_no_throw("--" + key);
    if (!opt || !opt->get_configurable()) {
      return Error{path + ": unknown option \"" + item.name + "\" for `tfmend " + command.get_name() + "`"};
    }
    if (opt->count() > 0) continue;  // the command line wins
    try {
      if (opt->get_expected_min() == 0) {
        opt->add_result(CLI::ConfigTOML().to_flag(item));
      } else {
        opt->add_result(item.inputs);
      }
      opt->run_callback();
    } catch (const CLI::Error& e) {
      return Error{path + ": " + item.name + ": " + e.what()};
    }
  }
  return okStatus();
}

}  // namespace tfmend
