#pragma once
/// Checks of option values, shared by the command line and tfmend.toml (which
/// feeds its values through the same options): a value that would write
/// something absurd into a stack is refused before any file is read.

#include <CLI/CLI.hpp>
#include <optional>
#include <string>
#include <utility>

namespace tfmend {

/// A finite number greater than `low` and at most `high` (`nan`, `inf`,
/// `1e400` and `-5` are refused).
CLI::Validator numberAbove(double low, double high);

/// An environment suffix: lowercase letters and digits, hyphens only inside
/// (it is appended to names after a hyphen), at most 32 characters.
CLI::Validator envSuffixFragment();

/// A Terraform identifier (a letter or underscore, then letters, digits,
/// underscores and hyphens).
CLI::Validator terraformIdentifier();

/// "K/N" with 1 <= K <= N, digits only.
CLI::Validator shardSpec();

/// An http:// or https:// URL.
CLI::Validator httpUrl();

/// K and N of a "K/N" that shardSpec() accepted.
std::optional<std::pair<int, int>> parseShard(const std::string& spec);

}  // namespace tfmend
