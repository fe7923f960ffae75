#pragma once
/// tfmend.toml: the same options as the command line, found upward from the
/// working directory. Values given on the command line win.

#include <CLI/CLI.hpp>
#include <optional>
#include <string>

#include "tfmend/result.h"

namespace tfmend {

/// The nearest tfmend.toml in the working directory or one of its parents.
std::optional<std::string> findConfigFile();

/// Sets the options of `command` that the config file names and the command
/// line did not; an unknown key is an error naming the file and the key.
Status applyConfigFile(CLI::App& command, const std::string& path);

}  // namespace tfmend
