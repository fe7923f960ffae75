#include "runner.h"

#include <algorithm>
#include <atomic>
#include <condition_variable>
#include <filesystem>
#include <mutex>
#include <thread>

#include <spdlog/spdlog.h>

#include "fix_export.h"
#include "sha256.h"
#include "tfmend/secrets.h"
#include "tfmend/diff.h"
#include "tfmend/names.h"

namespace tfmend {

Result<std::string> outputPathFor(const std::string& dir, const std::string& path) {
  namespace fs = std::filesystem;
  fs::path relative = fs::path(path).lexically_normal();
  if (relative.is_absolute()) relative = relative.relative_path();
  for (const auto& part : relative) {
    if (part == "..") return Error{path + ": cannot write under --output-dir: the path leaves the folder"};
  }
  return (fs::path(dir) / relative).string();
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
  // A bug in one rule must fail one file, not a fleet of thousands.
  try {
    return processFileUnguarded(input, config);
  } catch (const std::exception& e) {
    FileResult result;
    result.report.path = input.path;
    result.report.status = FileStatus::Failed;
    result.report.error = input.path + ": internal error (please report it): " + e.what();
    return result;
  }
}

namespace {

FileResult processFileUnguarded(const InputPath& input, const RunConfig& config) {
  FileResult result;
  FileReport& report = result.report;
  report.path = input.path;
  auto fail = [&](const std::string& message) {
    report.error = message;
    report.status = FileStatus::Failed;
    return std::move(result);
  };
  if (!input.error.empty()) return fail(input.error);
  auto text = readInput(input.path);
  if (!text) return fail(text.error().message);
  result.bytes = text->size();
  auto doc = parseDocument(input.path, std::move(*text));
  if (!doc) return fail(doc.error().message);
  if (!doc->roundTrips) {
    spdlog::debug("{}: not in cdktf's layout; a fix rewrites the whole file in its detected indentation", doc->path);
  }
  EngineOptions engine;
  engine.fixMode = config.fixMode;
  auto outcome = runEngine(*doc, config.rules, config.settings, engine);
  if (!outcome) return fail(outcome.error().message);
  // Whatever sits at a secret-bearing key is redacted, whichever rules ran.
  outcome->secrets = documentSecrets(doc->root, std::move(outcome->secrets));
  for (const auto& s : outcome->skipped) {
    spdlog::warn("{}: {}: fix of {} not applied: {}", input.path, s.finding.address, s.finding.rule, s.reason);
  }
  bool written = false;
  if (config.fixing && config.exportOnly) {
    result.exported = exportRecord(*doc, *outcome);
  }
  if (config.fixing && (config.diffOnly || config.wantDiff) && outcome->changed) {
    std::string d = unifiedDiff(input.path == "-" ? "stdin" : input.path, doc->text, outcome->fixedText);
    report.diff = config.showSecrets ? d : redact(d, outcome->secrets);
  }
  if (config.fixing && (config.exportOnly || config.diffOnly || !outcome->ruleFailures.empty())) {
    // nothing is written
  } else if (config.fixing && input.path == "-") {
    result.stdoutText = outcome->fixedText;
    written = outcome->changed;
  } else if (config.fixing && (outcome->changed || !config.outputDir.empty())) {
    std::string target = input.path;
    if (!config.outputDir.empty()) {
      auto out = outputPathFor(config.outputDir, input.path);
      if (!out) return fail(out.error().message);
      target = *out;
      std::error_code ec;
      std::filesystem::create_directories(std::filesystem::path(target).parent_path(), ec);
    }
    if (auto s = writeAtomically(target, outcome->fixedText); !s) return fail(s.error().message);
    written = outcome->changed;
  }
  std::vector<std::string> pointers;
  for (const auto& f : outcome->findings) pointers.push_back(f.pointer);
  report.lines = linesOf(written ? outcome->fixed : doc->root, doc->style, pointers);
  report.findings = std::move(outcome->findings);
  report.fixed = std::move(outcome->applied);
  report.skipped = std::move(outcome->skipped);
  report.secrets = std::move(outcome->secrets);
  report.ruleFailures = std::move(outcome->ruleFailures);
  report.status = !report.ruleFailures.empty() ? FileStatus::Failed
                  : !report.findings.empty()   ? FileStatus::Findings
                  : !report.fixed.empty()      ? FileStatus::Fixed
                                               : FileStatus::Clean;
  return result;
}

}  // namespace

void processAll(const std::vector<InputPath>& inputs, const RunConfig& config, int jobs,
                const std::function<void(std::size_t, FileResult&)>& done) {
  if (jobs <= 1 || inputs.size() <= 1) {
    for (std::size_t i = 0; i < inputs.size(); ++i) {
      FileResult r = processFile(inputs[i], config);
      done(i, r);
    }
    return;
  }
  std::vector<std::optional<FileResult>> results(inputs.size());
  std::atomic<std::size_t> next{0};
  std::mutex mutex;
  std::condition_variable ready;
  std::vector<std::thread> workers;
  for (int w = 0; w < jobs; ++w) {
    workers.emplace_back([&] {
      for (std::size_t i = next++; i < inputs.size(); i = next++) {
        FileResult r = processFile(inputs[i], config);
        std::lock_guard<std::mutex> lock(mutex);
        results[i] = std::move(r);
        ready.notify_one();
      }
    });
  }
  // Hand results back in input order, each as soon as it and all before it are done.
  for (std::size_t i = 0; i < inputs.size(); ++i) {
    std::unique_lock<std::mutex> lock(mutex);
    ready.wait(lock, [&] { return results[i].has_value(); });
    FileResult r = std::move(*results[i]);
    results[i].reset();
    lock.unlock();
    done(i, r);
  }
  for (auto& t : workers) t.join();
}

}  // namespace tfmend
