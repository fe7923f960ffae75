#pragma once
/// Running `check` and `fix` over many files: one file's whole path (read,
/// parse, engine, write or diff or export), and a pool of workers that hands
/// results back in input order, so that every report is the same whatever -j is.

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "cache.h"
#include "tfmend/engine.h"
#include "tfmend/file_io.h"
#include "tfmend/report.h"

namespace tfmend {

/// What each file is processed with.
struct RunConfig {
  std::vector<const Rule*> rules;
  Settings settings;
  FixMode fixMode = FixMode::None;
  bool fixing = false;
  bool diffOnly = false;     ///< --diff: make the diff, write nothing
  bool exportOnly = false;   ///< --export-fixes: record the fixes, write nothing
  bool showSecrets = false;
  bool wantDiff = false;     ///< make the diff even when writing (for the HTML report)
  std::string outputDir;     ///< --output-dir: write fixed copies here instead of in place
  std::uint64_t maxFileBytes = kDefaultMaxInputBytes;  ///< a larger input is refused (--max-file-size)
  /// `check` only: reports of unchanged files come from here (null: --no-cache).
  const CheckCache* cache = nullptr;
};

/// Everything one file produced.
struct FileResult {
  FileReport report;
  std::string stdoutText;  ///< the fixed JSON, for stdin
  Json exported;           ///< the file's fixes as data, with --export-fixes
  std::size_t bytes = 0;
};

/// What a run's exit code depends on, gathered file by file: `check`, `fix`
/// and `merge` (for the reports of several shards) decide it alike.
struct RunTally {
  Severity failOn = Severity::Low;  ///< --fail-on: findings below it do not fail the run
  bool anyError = false;     ///< a file or a rule failed
  bool anyFixed = false;
  bool anyFindings = false;
  bool failing = false;      ///< a finding at or above failOn remains

  /// Counts one file's report.
  void add(const FileReport& report, const ReportContext& ctx);
  /// 2 when a file or a rule failed; else 0 with --exit-zero; else 1 when a
  /// finding at or above --fail-on remains; else 0. (`fix` adds its own reasons for 1.)
  int exitCode(bool exitZero) const;
};

/// Processes one input file.
FileResult processFile(const InputPath& input, const RunConfig& config);

/// Processes `inputs` with `jobs` workers; calls `done(i, result)` for each,
/// in input order, one call at a time, as soon as every earlier one is done.
/// `prepare(i, result)`, when given, runs first, on the worker that processed
/// the file and beside the other workers: what a report needs of one file
/// alone (its text, its SARIF edits) is made there rather than in `done`,
/// which runs one file at a time. It must touch nothing shared unguarded.
void processAll(const std::vector<InputPath>& inputs, const RunConfig& config, int jobs,
                const std::function<void(std::size_t, FileResult&)>& done,
                const std::function<void(std::size_t, FileResult&)>& prepare = {});

/// Where `--output-dir` puts the fixed copy of `path`, or an error when that
/// would be outside `dir`, also through a symbolic link inside `dir`.
Result<std::string> outputPathFor(const std::string& dir, const std::string& path);

/// The inputs of shard `k` of `n` (k from 1 to n): a deterministic share by a
/// hash of each path, so that shards stay stable as files come and go.
std::vector<InputPath> shard(const std::vector<InputPath>& inputs, int k, int n);

}  // namespace tfmend
