#pragma once
/// `tfmend merge`: the outputs of runs split with `--shard K/N` made one again.
/// JSON reports (`--format json`) merge into the report one unsharded run
/// prints, in any format the report's data suffices for; fix exports
/// (`--export-fixes`) merge into one export that `apply` reads. Shards that
/// do not belong together (another version, another command, other rules or
/// settings, a file in two shards) are refused, with the file and the place.

#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "tfmend/json.h"
#include "tfmend/report.h"
#include "tfmend/result.h"

namespace tfmend {

/// What `tfmend merge` is asked to do.
struct MergeOptions {
  std::vector<std::string> inputs;  ///< the shards' files
  std::string format = "text";      ///< of a merged report
  std::string output;               ///< -o: written atomically; empty or "-": stdout
  Severity failOn = Severity::Low;
  bool exitZero = false;
  bool quiet = false;
  /// What the JSON report does not record about the shards' command line,
  /// restated as the shards had it: the rules that ran (SARIF lists them),
  /// --unsafe-fixes, --diff (or --export-fixes: a dry run), --show-fixes.
  std::span<const Rule* const> rules;
  bool unsafeFixes = false;
  bool diff = false;
  bool showFixes = false;
  std::string sourceRoot;  ///< SARIF's %SRCROOT%
};

/// One shard's output, parsed.
struct ShardOutput {
  std::string file;
  Json root;
};

/// The reports of several shards as one run's: the files in the order one run
/// gives them (by path), and what the report context takes from the reports.
struct MergedReport {
  std::vector<FileReport> files;
  bool fixing = false;           ///< reports of `fix` (each file has "fixed")
  bool anyDiff = false;          ///< a file carries its diff: a `fix --diff` run
  std::size_t baselined = 0;     ///< summed over the shards
  std::string docsBaseUrl = std::string(kDefaultDocsBaseUrl);  ///< read back from the rule URLs
};

/// A file's record of a JSON report (as formatJsonRecord writes it) read back;
/// `where` is "file: /files/3". Messages were redacted when written: the
/// report keeps them as they are, with no secrets to redact again.
Result<FileReport> fileReportFromJson(const Json& record, const std::string& where);

/// Merges JSON reports of tfmend TFMEND_VERSION.
Result<MergedReport> mergeReports(const std::vector<ShardOutput>& shards);

/// Merges fix exports of one run into one export (files sorted by path).
Result<Json> mergeExports(const std::vector<ShardOutput>& shards);

/// `tfmend merge`: reads, merges and writes; returns the exit code (for a
/// report, as `check` would have exited; 2 for a refused input).
int runMerge(const MergeOptions& options, std::ostream& out, std::ostream& err);

}  // namespace tfmend
