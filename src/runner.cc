#include "runner.h"

#include <algorithm>
#include <atomic>
#include <map>
#include <filesystem>
#include <mutex>
#include <optional>
#include <set>
#include <thread>

#include <spdlog/spdlog.h>

#include "fix_export.h"
#include "sha256.h"
#include "tfmend/secrets.h"
#include "tfmend/diff.h"
#include "tfmend/locate.h"
#include "tfmend/memory.h"
#include "tfmend/names.h"

namespace tfmend {

namespace {

/// Copies `v`'s elements to new blocks and frees the old ones.
template <class T>
void toFreshBlocks(std::vector<T>& v) {
  std::vector<T> fresh(v.begin(), v.end());
  v = std::move(fresh);
}

/// What an outcome keeps once its tree is gone, moved to fresh blocks: a
/// large fix's applied findings were made pass by pass among the tree's
/// blocks, and a few scattered blocks keep whole pages (on the 8.5 MB stack
/// of bench/, built without the allocator's lists: 61 MB resident after the
/// trim, and 41 MB with the move).
void moveToFreshBlocks(Outcome& outcome) {
  toFreshBlocks(outcome.findings);
  toFreshBlocks(outcome.applied);
  toFreshBlocks(outcome.skipped);
  toFreshBlocks(outcome.secrets);
}

}  // namespace

Result<std::string> outputPathFor(const std::string& dir, const std::string& path) {
  namespace fs = std::filesystem;
  fs::path relative = fs::path(path).lexically_normal();
  if (relative.is_absolute()) relative = relative.relative_path();
  for (const auto& part : relative) {
    if (part == "..") return Error{path + ": cannot write under --output-dir: the path leaves the folder"};
  }
  fs::path target = fs::path(dir) / relative;
  // A symbolic link inside the folder (to a file or to a folder on the way)
  // must not carry the write outside it.
  std::error_code ec;
  fs::path root = fs::weakly_canonical(fs::path(dir), ec);
  fs::path real = target;
  if (std::error_code none; fs::is_symlink(target, none)) {
    // A link to a file that does not exist yet would be created outside.
    fs::path to = fs::read_symlink(target, ec);
    real = to.is_absolute() ? to : target.parent_path() / to;
  }
  real = ec ? fs::path() : fs::weakly_canonical(real, ec);
  if (ec) return Error{path + ": cannot write under --output-dir: " + ec.message()};
  auto rel = real.lexically_relative(root);
  if (rel.empty() || *rel.begin() == "..") {
    return Error{path + ": cannot write under --output-dir: a symbolic link leads outside the folder"};
  }
  return target.string();
}

void RunTally::add(const FileReport& report, const ReportContext& ctx) {
  anyError = anyError || !report.error.empty() || !report.ruleFailures.empty();
  anyFixed = anyFixed || !report.fixed.empty();
  anyFindings = anyFindings || !report.findings.empty();
  for (const auto& f : report.findings) {
    const Rule* rule = ruleFor(ctx, f.rule);
    failing = failing || (rule ? rule->severity : Severity::Medium) >= failOn;
  }
}

int RunTally::exitCode(bool exitZero) const {
  if (anyError) return 2;
  if (exitZero) return 0;
  return failing ? 1 : 0;
}

std::vector<InputPath> shard(const std::vector<InputPath>& inputs, int k, int n) {
  std::vector<InputPath> out;
  for (const auto& in : inputs) {
    if (static_cast<int>(fnv1a(in.path) % static_cast<std::uint64_t>(n)) == k - 1) out.push_back(in);
  }
  return out;
}

namespace {
FileResult processFileUnguarded(const InputPath& input, const RunConfig& config);
}  // namespace

FileResult processFile(const InputPath& input, const RunConfig& config) {
  FileResult result;
  // A bug in one rule must fail one file, not a fleet of thousands.
  try {
    result = processFileUnguarded(input, config);
  } catch (const std::exception& e) {
    result = FileResult{};
    result.report.status = FileStatus::Failed;
    result.report.error = input.path + ": internal error (please report it): " + e.what();
  }
  // Every format must be able to print what comes back: one line per error,
  // valid UTF-8 everywhere (a file name may hold any byte).
  FileReport& report = result.report;
  report.path = toValidUtf8(input.path);
  if (!report.error.empty()) report.error = oneLine(report.error);
  for (auto& rf : report.ruleFailures) rf.message = oneLine(rf.message);
  return result;
}

namespace {

/// True if every text of the report can go into JSON output.
bool printable(const FileReport& report) {
  auto ok = [](const Finding& f) {
    bool fixOk = !f.fix || (isValidUtf8(f.fix->title));
    return fixOk && isValidUtf8(f.message) && isValidUtf8(f.address) && isValidUtf8(f.pointer) &&
           isValidUtf8(f.constructPath) && isValidUtf8(f.noFixReason);
  };
  for (const auto& f : report.findings) {
    if (!ok(f)) return false;
  }
  for (const auto& f : report.fixed) {
    if (!ok(f)) return false;
  }
  for (const auto& s : report.skipped) {
    if (!ok(s.finding) || !isValidUtf8(s.reason)) return false;
  }
  return isValidUtf8(report.diff);
}

FileResult processFileUnguarded(const InputPath& input, const RunConfig& config) {
  FileResult result;
  FileReport& report = result.report;
  report.path = input.path;
  auto fail = [&](const std::string& message) {
    FileResult failed;
    failed.report.path = input.path;
    failed.report.error = message;
    failed.report.status = FileStatus::Failed;
    failed.bytes = result.bytes;
    return failed;
  };
  if (!input.error.empty()) return fail(input.error);
  const bool cached = config.cache && !config.fixing && !config.showSecrets && input.path != "-";
  if (cached) {
    if (auto hit = config.cache->findUnchanged(input.path)) {
      report = std::move(*hit);
      report.path = input.path;
      return result;
    }
  }
  auto file = readFile(input.path, config.maxFileBytes);
  if (!file) return fail(file.error().message);
  result.bytes = file->text.size();
  std::string cacheKey;
  if (cached) {
    cacheKey = config.cache->keyOf(file->text);
    if (auto hit = config.cache->find(cacheKey)) {
      report = std::move(*hit);
      report.path = input.path;
      config.cache->rememberUnchanged(input.path, cacheKey, file->stamp);
      return result;
    }
  }
  auto doc = parseDocument(input.path, std::move(file->text));
  if (!doc) return fail(doc.error().message);
  EngineOptions engine;
  engine.fixMode = config.fixMode;
  engine.keepAppliedOps = config.exportOnly;
  // A large file's text goes while the passes run and is read again after
  // them, checked against what was parsed: it would sit beside the tree and
  // its model at the peak (docs/performance.md). Standard input cannot be read
  // twice and keeps it.
  const bool textAside = config.fixing && file->stamp && doc->text.size() >= memory::kGiveBackFrom;
  auto readAgain = [&]() -> Result<std::string> {
    auto again = readFile(input.path, config.maxFileBytes);
    if (!again) return again.error();
    if (!again->stamp || again->stamp->size != file->stamp->size || again->stamp->hash != file->stamp->hash) {
      return Error{oneLine(input.path) + ": the file changed while tfmend ran; nothing written"};
    }
    return std::move(again->text);
  };
  // Whatever sits at a secret-bearing key of the input is redacted, whichever rules ran.
  std::vector<std::string> inputSecrets = documentSecrets(doc->root);
  if (config.fixing && spdlog::should_log(spdlog::level::debug) && !roundTrips(*doc)) {
    spdlog::debug("{}: not in cdktf's layout; if a fix applies, the whole file is rewritten in its detected indentation", oneLine(doc->path));
  }
  if (textAside) {
    engine.textAside = TextAside{doc->text.size(), readAgain};
    std::string().swap(doc->text);
  }
  // Nothing below reads the input's tree: a fix may take it rather than copy it.
  auto outcome = config.fixing ? runEngineInPlace(*doc, config.rules, config.settings, engine)
                               : runEngine(*doc, config.rules, config.settings, engine);
  if (!outcome) return fail(outcome.error().message);
  outcome->fixed = Json();  // its text is all this run needs; the tree would only raise peak memory
  doc->root = Json();
  outcome->secrets.insert(outcome->secrets.end(), std::make_move_iterator(inputSecrets.begin()),
                          std::make_move_iterator(inputSecrets.end()));
  inputSecrets = {};
  // glibc keeps the pages of a large freed tree; the output and the diff made
  // next would take new ones beside them.
  if (result.bytes >= memory::kGiveBackFrom) {
    // What outlives the tree was allocated among its blocks, and would keep
    // their pages: it moves to fresh blocks before the freed pages go back.
    moveToFreshBlocks(*outcome);
    memory::giveBack();
  }
  if (textAside) {
    auto again = readAgain();
    if (!again) return fail(again.error().message);
    doc->text = std::move(*again);
  }
  if (config.fixing) spdlog::debug("{}: settled after {} passes", oneLine(input.path), outcome->passes);
  for (const auto& s : outcome->skipped) {
    spdlog::warn("{}: {}: fix of {} not applied: {}", oneLine(input.path), s.finding.address, s.finding.rule,
                 config.showSecrets ? s.reason : redact(s.reason, outcome->secrets));
  }
  if (outcome->changed) {
    // Never write what tfmend could not read back: a fix that produced
    // invalid UTF-8, a duplicate key or anything else the parser refuses.
    if (auto again = checkParses(input.path, outcome->fixedText); !again) {
      return fail(input.path + ": internal error (please report it): the fixed file would not parse at " +
                  again.error().message.substr(oneLine(input.path).size() + 1) + "; nothing written");
    }
  }
  bool written = false;
  if (config.fixing && config.exportOnly) {
    result.exported = exportRecord(*doc, *outcome);
  }
  if (config.fixing && (config.diffOnly || config.wantDiff) && outcome->changed) {
    std::string d = unifiedDiff(input.path == "-" ? "stdin" : input.path, doc->text, outcome->fixedText);
    report.diff = config.showSecrets ? std::move(d) : redact(std::move(d), outcome->secrets);
  }
  report.findings = std::move(outcome->findings);
  report.fixed = std::move(outcome->applied);
  report.skipped = std::move(outcome->skipped);
  if (!printable(report)) return fail(input.path + ": a finding or a fix holds text that is not valid UTF-8; nothing written");
  if (config.fixing && (config.exportOnly || config.diffOnly || !outcome->ruleFailures.empty())) {
    // nothing is written
  } else if (config.fixing && input.path == "-") {
    result.stdoutText = outcome->fixedText;
    written = outcome->changed;
  } else if (config.fixing && (outcome->changed || !config.outputDir.empty())) {
    std::string target = input.path;
    std::optional<FileStamp> unchanged = file->stamp;
    if (!config.outputDir.empty()) {
      auto out = outputPathFor(config.outputDir, input.path);
      if (!out) return fail(out.error().message);
      target = *out;
      unchanged.reset();  // a copy elsewhere: the input itself is not replaced
      std::error_code ec;
      std::filesystem::create_directories(std::filesystem::path(target).parent_path(), ec);
    }
    if (auto s = writeAtomically(target, outcome->fixedText, unchanged); !s) return fail(s.error().message);
    written = outcome->changed;
  }
  // Lines and columns are those of the file as written (or as read), in any layout.
  std::vector<std::string> pointers;
  for (const auto& f : report.findings) pointers.push_back(f.pointer);
  for (const TextPosition& at : locate(written ? outcome->fixedText : doc->text, pointers)) {
    report.lines.push_back(at.line);
    report.columns.push_back(at.column);
  }
  report.secrets = std::move(outcome->secrets);
  report.ruleFailures = std::move(outcome->ruleFailures);
  report.status = !report.ruleFailures.empty() ? FileStatus::Failed
                  : !report.findings.empty()   ? FileStatus::Findings
                  : !report.fixed.empty()      ? FileStatus::Fixed
                                               : FileStatus::Clean;
  if (cached) {
    config.cache->store(cacheKey, report);
    config.cache->rememberUnchanged(input.path, cacheKey, file->stamp);
  }
  return result;
}

/// The folders that a fix run writes into: where a killed run may have left
/// temporary files.
std::vector<std::string> foldersWritten(const std::vector<InputPath>& inputs, const RunConfig& config) {
  std::set<std::string> folders;
  if (!config.fixing || config.diffOnly || config.exportOnly) return {};
  for (const auto& in : inputs) {
    if (in.path == "-" || !in.error.empty()) continue;
    std::string target = in.path;
    if (!config.outputDir.empty()) {
      auto out = outputPathFor(config.outputDir, in.path);
      if (!out) continue;
      target = *out;
    }
    folders.insert(std::filesystem::path(target).parent_path().string());
  }
  return {folders.begin(), folders.end()};
}

}  // namespace

void processAll(const std::vector<InputPath>& inputs, const RunConfig& config, int jobs,
                const std::function<void(std::size_t, FileResult&)>& done,
                const std::function<void(std::size_t, FileResult&)>& prepare) {
  for (const auto& folder : foldersWritten(inputs, config)) sweepTemporaries(folder);
  if (jobs <= 1 || inputs.size() <= 1) {
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      FileResult r = processFile(inputs[i], config);
      if (prepare) prepare(i, r);
      done(i, r);
    }
    return;
  }
  // The calling thread is one of the `jobs` workers. Results are handed back
  // in input order by whichever worker finds the next one ready, under the
  // lock that keeps `done` to one thread at a time: no thread only waits.
  std::vector<std::optional<FileResult>> results(inputs.size());
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::size_t delivered = 0;
  auto work = [&] {
    for (std::size_t i = next++; i < inputs.size(); i = next++) {
      FileResult r = processFile(inputs[i], config);
      if (prepare) prepare(i, r);
      std::lock_guard<std::mutex> lock(mutex);
      results[i] = std::move(r);
      for (; delivered < results.size() && results[delivered]; ++delivered) {
        done(delivered, *results[delivered]);
        results[delivered].reset();
      }
    }
  };
  std::vector<std::thread> workers;
  for (int w = 1; w < jobs; ++w) workers.emplace_back(work);
  work();
  for (auto& t : workers) t.join();
}

}  // namespace tfmend
