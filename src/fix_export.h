#pragma once
/// Fixes that travel: `tfmend fix --export-fixes FILE` records every fix as
/// JSON Patch data with the finding it repairs, a SHA-256 of the content it
/// was computed on, and the settings and rules of the run; `tfmend apply
/// FILE...` applies such exports later (several at once, from several CI
/// jobs), as clang-apply-replacements does. It trusts nothing in them: it
/// writes only under the current directory, refuses a file whose content has
/// changed, re-detects every finding and applies only the fix that the rule
/// proposes now, through the same engine step as `fix`.

#include <ostream>
#include <string>
#include <vector>

#include "tfmend/engine.h"
#include "tfmend/json.h"
#include "tfmend/result.h"

namespace tfmend {

/// The per-file record of an export: the fixes applied to `doc`, as data,
/// each with the engine pass it was applied in.
/// The settings as JSON (exports record them; the cache keys on them).
Json settingsJson(const Settings& settings);

Json exportRecord(const Document& doc, const Outcome& outcome);

/// The export document for the per-file records, with the run's rules and settings.
Json exportDocument(const std::vector<Json>& files, std::span<const Rule* const> rules, const Settings& settings, FixMode mode);

/// Writes an export document atomically, or to stdout for "-".
Status writeExport(const std::string& path, const Json& document, std::ostream& stdoutStream);

/// An export document, checked as `apply` reads it.
struct ExportFile {
  std::vector<const Rule*> rules;
  Settings settings;
  FixMode mode = FixMode::Unsafe;
};

/// Checks that `root`, read from `file`, is an export `apply` can read: its
/// kind, format, rules, settings and each file's record. Errors name the file
/// and the place (`fixes.json: /files/3: ...`).
Result<ExportFile> checkExport(const Json& root, const std::string& file);

struct ApplyOptions {
  bool diffOnly = false;
  bool showSecrets = false;
};

/// Applies the exports; prints diffs (with diffOnly) on `out` and the report on
/// `err`. Returns the exit code: 0 applied, 2 something was refused or failed.
int applyExports(const std::vector<std::string>& exportFiles, const ApplyOptions& options, std::ostream& out,
                 std::ostream& err);

}  // namespace tfmend
