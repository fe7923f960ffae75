#pragma once
/// `tfmend completion bash`: a bash completion script made from the command
/// line's own definition, so that it cannot fall behind it.

#include <CLI/CLI.hpp>
#include <map>
#include <string>
#include <vector>

namespace tfmend {

/// The script for `app`: subcommands, each one's options, and for an option in
/// `choices` its values (comma-separated lists complete element by element);
/// other option values and paths complete as files.
std::string bashCompletion(const CLI::App& app, const std::map<std::string, std::vector<std::string>>& choices);

}  // namespace tfmend
