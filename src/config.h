#pragma once
/// tfmend.toml: the same options as the command line, found upward from the
/// working directory and read strictly (toml++): invalid TOML, an unknown or
/// duplicate key and a value of the wrong type are errors that name the file,
/// line and column. Values go through the same checks as on the command line,
/// and values given on the command line win.

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <vector>

#include "tfmend/result.h"

namespace tfmend {

/// The nearest tfmend.toml in the working directory or one of its parents.
std::optional<std::string> findConfigFile();

/// Sets the options of `command` that the file at `path` names and the command
/// line did not. A key is the long name of a configurable option (`-` or `_`)
/// of any of `commands`; one that `command` does not have is type-checked and
/// left out, so that one file serves `check`, `fix` and `review`.
Status applyConfigFile(CLI::App& command, const std::vector<const CLI::App*>& commands, const std::string& path);

}  // namespace tfmend
