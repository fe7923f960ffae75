#pragma once
/// Reading inputs and writing results: whole files, atomically.

#include <string>
#include <vector>

#include "tfmend/result.h"

namespace tfmend {

/// The bytes of `path`, or of standard input for "-".
Result<std::string> readInput(const std::string& path);

/// Replaces `path` with `content` atomically: a temporary file in the same
/// folder, fsync, the original's mode, rename. On failure the original is
/// untouched and no temporary file is left.
Status writeAtomically(const std::string& path, const std::string& content);

/// One input to process: a file path, "-" for stdin, or a path that could not
/// be expanded (with the error to report for it).
struct InputPath {
  std::string path;
  std::string error;
};

/// Files named, and `*.tf.json` files under folders named (skipping
/// node_modules and .terraform), sorted within each folder.
std::vector<InputPath> expandPaths(const std::vector<std::string>& paths);

}  // namespace tfmend
