#pragma once
/// Reading inputs and writing results: whole files, atomically.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "tfmend/result.h"

namespace tfmend {

/// The default limit on the size of one input: larger than any real stack,
/// small enough that /dev/zero-like input cannot exhaust memory.
constexpr std::uint64_t kDefaultMaxInputBytes = 256ull << 20;

/// What a file was when it was read, to notice before replacing it that
/// someone changed it meanwhile.
struct FileStamp {
  std::uint64_t device = 0, inode = 0, size = 0;
  std::int64_t mtimeNs = 0;
  std::uint64_t hash = 0;  ///< a hash of the bytes read (not cryptographic)
};

/// An input's bytes, and its stamp (none for standard input).
struct InputFile {
  std::string text;
  std::optional<FileStamp> stamp;
};

/// The bytes of `path`, or of standard input for "-". Reads only regular files
/// (a FIFO or a device is refused, never waited on) of at most `maxBytes`.
Result<InputFile> readFile(const std::string& path, std::uint64_t maxBytes = kDefaultMaxInputBytes);

/// readFile() without the stamp.
Result<std::string> readInput(const std::string& path, std::uint64_t maxBytes = kDefaultMaxInputBytes);

/// Replaces `path` with `content` atomically: a temporary file in the same
/// folder, fsync, the original's mode and owner, rename. A symbolic link is
/// written through (its target is replaced, the link kept). Refuses a
/// read-only file, and, given `unchanged`, a file that is no longer as it was
/// read (checked just before the rename). On failure the original is
/// untouched and no temporary file is left.
Status writeAtomically(const std::string& path, const std::string& content,
                       const std::optional<FileStamp>& unchanged = std::nullopt);

/// Removes the temporary files that writeAtomically() left in `folder` when
/// its process was killed: only names of its exact pattern, owned by this
/// user, whose process is gone or that are older than ten minutes.
void sweepTemporaries(const std::string& folder);

/// One input to process: a file path, "-" for stdin, or a path that could not
/// be expanded (with the error to report for it).
struct InputPath {
  std::string path;
  std::string error;
};

/// Files named, and `*.tf.json` files under folders named (skipping
/// node_modules, .terraform, .git and the folders in `exclude`), sorted within
/// each folder. A subfolder that cannot be read is an input with its error.
/// Each real file comes once, under the first name it was found by.
/// `threads` read folders at once; the result is the same whatever their number.
std::vector<InputPath> expandPaths(const std::vector<std::string>& paths, const std::vector<std::string>& exclude = {},
                                   int threads = 1);

}  // namespace tfmend
