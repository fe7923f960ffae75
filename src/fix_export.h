#pragma once
/// Fixes that travel: `tfmend fix --export-fixes FILE` records every fix as
/// JSON Patch data with a SHA-256 of the content it was computed on;
/// `tfmend apply FILE...` applies such exports later (several at once, from
/// several CI jobs), as clang-apply-replacements does, and refuses a file whose
/// content has changed since.

#include <ostream>
#include <string>
#include <vector>

#include "tfmend/json.h"
#include "tfmend/result.h"

namespace tfmend {

/// The export document for the per-file records that processFile made.
Json exportDocument(const std::vector<Json>& files);

/// Writes an export document atomically.
Status writeExport(const std::string& path, const Json& document);

struct ApplyOptions {
  bool diffOnly = false;
  bool showSecrets = false;
};

/// Applies the exports; prints diffs (with diffOnly) on `out` and the report on
/// `err`. Returns the exit code: 0 applied, 2 something was refused or failed.
int applyExports(const std::vector<std::string>& exportFiles, const ApplyOptions& options, std::ostream& out,
                 std::ostream& err);

}  // namespace tfmend
