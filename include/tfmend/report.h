#pragma once
/// Emitters: what tfmend prints about the files it processed, as text (like
/// ruff and clang-tidy: `path:line:col: RULE [severity] message`), JSON (the
/// catalogue's contract), SARIF 2.1.0 and GitHub workflow annotations. They
/// format; they decide nothing.

#include <optional>
#include <ostream>
#include <span>
#include <string>
#include <vector>

#include "tfmend/engine.h"
#include "tfmend/fix_edits.h"
#include "tfmend/json.h"
#include "tfmend/registry.h"
#include "tfmend/rule.h"

namespace tfmend {

/// What became of one input file.
enum class FileStatus { Clean, Fixed, Findings, Failed };
/// "clean", "fixed", "findings" or "failed".
const char* toString(FileStatus s);

/// All that is reported about one input file.
struct FileReport {
  std::string path;
  std::string error;              ///< one-line message; empty when the file went through
  std::vector<Finding> findings;  ///< left to report
  std::vector<int> lines;         ///< the line of each finding's pointer in the written file
  std::vector<int> columns;       ///< its column; column 1 where not given
  std::vector<Finding> fixed;     ///< applied (or, with --diff, would be applied)
  std::vector<SkippedFix> skipped;
  std::vector<std::string> secrets;
  std::vector<RuleFailure> ruleFailures;  ///< rules that failed on this file (its other findings are kept)
  FileStatus status = FileStatus::Clean;
  std::string diff;    ///< the unified diff of the fixes (with --diff, and for HTML)
  /// Per finding, the text edits of its fix (for SARIF `fixes[]`); empty where not computed.
  std::vector<std::vector<TextEdit>> fixEdits;
  /// Its lines of the text report (formatTextFile), when they were written
  /// ahead of the report, on the thread that processed the file.
  std::optional<std::string> text;
};

/// How the run was invoked, as far as the report needs to know.
struct ReportContext {
  std::span<const Rule* const> rules;  ///< the selected rules, for names and severities
  FixMode fixMode = FixMode::None;
  bool fixing = false;      ///< `tfmend fix` (with or without --diff)
  bool diffOnly = false;    ///< --diff: nothing was written
  bool showFixes = false;   ///< --show-fixes
  bool showSecrets = false; ///< --show-secrets
  bool concise = false;     ///< --output-format concise: one line a finding
  std::string docsBaseUrl = std::string(kDefaultDocsBaseUrl);  ///< --docs-base-url
  /// The folder SARIF's %SRCROOT% stands for (absolute; the repository's root);
  /// empty: the working directory.
  std::string sourceRoot;
  std::size_t baselined = 0;  ///< findings left out because the baseline has them
};

/// ruff-like text: `path:line:col: RULE [severity] address: message`, then
/// (unless concise) the construct path and the fix or why there is none; then a summary.
std::string formatText(const std::vector<FileReport>& files, const ReportContext& ctx);
/// formatText, written to `out` a file at a time.
void writeText(std::ostream& out, const std::vector<FileReport>& files, const ReportContext& ctx);
/// The lines of one file in formatText (its findings, and with --show-fixes
/// its fixes), without the summary; nothing for a file that failed.
std::string formatTextFile(const FileReport& file, const ReportContext& ctx);
/// The JSON document of rule-catalog.md's output contract.
Json formatJson(const std::vector<FileReport>& files, const ReportContext& ctx);
/// SARIF 2.1.0, as GitHub code scanning accepts it.
Json formatSarif(const std::vector<FileReport>& files, const ReportContext& ctx);
/// GitHub Actions workflow commands (`::warning file=...::...`).
std::string formatGithub(const std::vector<FileReport>& files, const ReportContext& ctx);

/// One JSON object for one file (a line of `--format jsonl`).
Json formatJsonRecord(const FileReport& file, const ReportContext& ctx);
/// The closing summary of a run over several files: per rule found, fixed and
/// left; files by status; the failures with their reasons.
std::string formatSummary(const std::vector<FileReport>& files, const ReportContext& ctx);
/// One self-contained HTML page: findings per rule as a chart, the files with
/// their status, each file's diff (collapsible).
std::string formatHtml(const std::vector<FileReport>& files, const ReportContext& ctx);

/// The report of a whole run in `format` (text, full, concise, json, jsonl,
/// sarif, github, html), as `check` and `fix` print it at the end and `merge`
/// prints it for the reports of several shards. `quiet`: the text formats print
/// nothing when nothing was found, and no summary table. (`check` streams jsonl
/// as files complete instead; the records are the same.)
std::string formatReport(std::string_view format, const std::vector<FileReport>& files, const ReportContext& ctx, bool quiet);
/// formatReport, written to `out` (the text formats a file at a time).
void writeReport(std::ostream& out, std::string_view format, const std::vector<FileReport>& files,
                 const ReportContext& ctx, bool quiet);
/// The lines the text formats print on stderr: each file that failed, each rule that failed.
std::string formatErrors(const std::vector<FileReport>& files);

/// The rule with `id` among ctx.rules or the registry (never null for a finding's rule).
const Rule* ruleFor(const ReportContext& ctx, std::string_view id);

/// The line and column of the i-th finding of `file` (1 where unknown).
std::pair<int, int> positionOf(const FileReport& file, std::size_t i);

}  // namespace tfmend
