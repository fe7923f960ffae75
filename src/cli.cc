#include "cli.h"

#include <CLI/CLI.hpp>
#include <atomic>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <mutex>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <thread>
#include <unistd.h>

#include "baseline.h"
#include "completion.h"
#include "config.h"
#include "fix_export.h"
#include "merge.h"
#include "progress.h"
#include "review.h"
#include "runner.h"
#include "tfmend/diff.h"
#include "tfmend/document.h"
#include "tfmend/overrides.h"
#include "tfmend/secrets.h"
#include "tfmend/fix_edits.h"
#include "tfmend/registry.h"
#include "tfmend/report.h"
#include "tfmend/suggest.h"
#include "validators.h"

namespace tfmend {

namespace {

/// `--format` values; text and full are the same.
const std::vector<std::string> kFormats = {"text", "full", "concise", "json", "jsonl", "sarif", "github", "html"};
const std::vector<std::string> kSeverities = {"low", "medium", "high"};

/// Where options come from besides the command line.
struct ConfigChoice {
  std::string config;
  bool isolated = false;
};

/// Options of `check`, `fix` and `review`.
struct RunOptions {
  std::vector<std::string> paths;
  std::vector<std::string> select, ignore;
  std::string format = "text";
  ConfigChoice configChoice;
  bool exitZero = false;
  std::string failOn = "low";
  std::string baseline;
  bool showSecrets = false;
  int verbose = 0;
  bool quiet = false;
  std::string envSuffix;
  std::string docsBaseUrl = std::string(kDefaultDocsBaseUrl);
  Settings settings;
  int jobs = 0;
  std::uint64_t maxFileBytes = kDefaultMaxInputBytes;
  std::string shard;
  // check only
  bool noCache = false;
  std::string cacheDir = ".tfmend_cache";
  bool noProgress = false;
  // fix only
  bool unsafeFixes = false;
  bool diff = false;
  bool showFixes = false;
  bool exitNonZeroOnFix = false;
  std::string outputDir;
  std::string exportFixes;
  std::vector<std::string> emitOverrides;  ///< LANGUAGE FILE
};

CLI::Option* addListOption(CLI::App* cmd, const std::string& name, std::vector<std::string>& into, const std::string& help) {
  return cmd->add_option(name, into, help)
      ->delimiter(',')
      ->allow_extra_args(false)
      ->type_name("RULE[,RULE...]")
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

void addConfigOptions(CLI::App* cmd, ConfigChoice& c) {
  cmd->add_option("--config", c.config, "read options from this file instead of the nearest tfmend.toml")
      ->type_name("FILE")
      ->configurable(false);
  cmd->add_flag("--isolated", c.isolated, "ignore tfmend.toml files")->configurable(false);
}

void addDocsOption(CLI::App* cmd, std::string& into) {
  cmd->add_option("--docs-base-url", into, "where rule pages are published (default: " + std::string(kDefaultDocsBaseUrl) + ")")
      ->type_name("URL")
      ->check(httpUrl());
}

/// The options that choose rules and tune them: every command that runs rules has them.
void addRuleOptions(CLI::App* cmd, RunOptions& o) {
  addListOption(cmd, "--select", o.select,
                "rules to run: IDs, ID prefixes (TFM00), names or ALL, any case, comma-separated or repeated (default: all)");
  addListOption(cmd, "--ignore", o.ignore, "rules not to run, as --select names them");
  cmd->add_option("--env-suffix", o.envSuffix, "environment suffix that names must end with, e.g. dev (default: inferred)")
      ->type_name("SUFFIX")
      ->check(envSuffixFragment());
  cmd->add_flag("--require-cmk", o.settings.requireCmk,
                "TFM003: also require a customer-managed KMS key where AWS encrypts with its own (S3, DynamoDB, RDS default keys)");
  cmd->add_option("--phase-variable", o.settings.phaseVariable,
                  "TFM011: the variable that holds the migration phase (default: migration_phase)")
      ->type_name("NAME")
      ->check(terraformIdentifier());
  cmd->add_option("--replication-lag-threshold-ms", o.settings.replicationLagThresholdMs,
                  "Aurora global replication lag alarm threshold, in ms (above 0, at most 86400000; default 1000)")
      ->check(numberAbove(0, 86400000));
  cmd->add_option("--memory-threshold-percent", o.settings.memoryThresholdPercent,
                  "ECS memory utilisation alarm threshold, in percent (above 0, at most 100; default 80)")
      ->check(numberAbove(0, 100));
  cmd->add_option("--replication-latency-threshold-s", o.settings.replicationLatencyThresholdSeconds,
                  "S3 replication latency alarm threshold, in seconds (above 0, at most 86400; default 900)")
      ->check(numberAbove(0, 86400));
  addDocsOption(cmd, o.docsBaseUrl);
  addConfigOptions(cmd, o.configChoice);
  cmd->add_flag("--show-secrets", o.showSecrets, "print secret values instead of ******** (diffs then apply verbatim)")
      ->configurable(false);
  cmd->add_flag("-v,--verbose", o.verbose, "more logging on stderr (repeat for more)")->configurable(false);
  cmd->add_flag("-q,--quiet", o.quiet, "only errors on stderr")->configurable(false);
}

void addMaxFileSizeOption(CLI::App* cmd, std::uint64_t& into) {
  cmd->add_option("--max-file-size", into,
                  "refuse inputs larger than this many bytes (default: " + std::to_string(kDefaultMaxInputBytes) + ")")
      ->type_name("BYTES")
      ->check(CLI::Range(std::uint64_t{1}, std::uint64_t{1} << 40));
}

void addRunOptions(CLI::App* cmd, RunOptions& o) {
  cmd->add_option("paths", o.paths, "files or folders (searched for *.tf.json); - for stdin")->configurable(false);
  addRuleOptions(cmd, o);
  cmd->add_option("--format,--output-format", o.format,
                  "output format: text (or full), concise (one line a finding), json, jsonl, sarif, github, html")
      ->check(CLI::IsMember(kFormats));
  cmd->add_flag("--exit-zero", o.exitZero, "exit 0 even when findings remain");
  cmd->add_option("--fail-on", o.failOn, "exit 1 only for findings of this severity or higher (default: low)")
      ->check(CLI::IsMember(kSeverities));
  cmd->add_option("--baseline", o.baseline, "a saved `--format json` report: report only findings it does not have")
      ->type_name("FILE");
  cmd->add_option("-j,--jobs", o.jobs, "files processed in parallel (default: the number of cores)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--shard", o.shard, "process only share K of N (K/N, K from 1 to N), for splitting a fleet")
      ->type_name("K/N")
      ->check(shardSpec())
      ->configurable(false);
  cmd->add_flag("--no-progress", o.noProgress, "no progress bar, even on a terminal");
  addMaxFileSizeOption(cmd, o.maxFileBytes);
}

void setUpLogging(const RunOptions& o) {
  if (!spdlog::get("tfmend")) {
    auto logger = spdlog::stderr_logger_mt("tfmend");
    logger->set_pattern("%l: %v");
    spdlog::set_default_logger(logger);
  }
  spdlog::set_level(o.quiet ? spdlog::level::err : o.verbose >= 1 ? spdlog::level::debug : spdlog::level::warn);
}

bool colorOn(int fd) { return ::isatty(fd) && std::getenv("NO_COLOR") == nullptr; }

int usageError(const std::string& message) {
  std::cerr << "tfmend: error: " << message << "\n";
  return 2;
}

/// -j, or the number of cores.
int jobsOf(const RunOptions& o) {
  return o.jobs > 0 ? o.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
}

/// The inputs of a run: expanded folders, then the shard, if any. Nothing to
/// read is an error: a mistyped folder must not pass as a clean run.
Result<std::vector<InputPath>> inputsOf(RunOptions& o) {
  if (o.paths.empty()) o.paths.push_back(".");
  // Never read back what this run writes: the output folder is left out.
  auto inputs = expandPaths(o.paths, {o.outputDir}, jobsOf(o));
  if (inputs.empty()) {
    std::string where;
    for (const auto& p : o.paths) where += (where.empty() ? "\"" : ", \"") + p + "\"";
    return Error{"no *.tf.json file found in " + where};
  }
  if (o.shard.empty()) return inputs;
  auto kn = parseShard(o.shard);
  return shard(inputs, kn->first, kn->second);
}

/// The folder SARIF's %SRCROOT% stands for: the root of the git work tree
/// around the working directory, or the working directory.
std::string sourceRoot() {
  namespace fs = std::filesystem;
  std::error_code ec;
  fs::path cwd = fs::current_path(ec);
  for (fs::path dir = cwd; !dir.empty(); dir = dir.parent_path()) {
    if (fs::exists(dir / ".git", ec)) return dir.string();
    if (dir == dir.parent_path()) break;
  }
  return cwd.string();
}

Severity severityNamed(const std::string& name) {
  return name == "high" ? Severity::High : name == "medium" ? Severity::Medium : Severity::Low;
}

/// Processes every input and reports; returns the exit code.
int run(RunOptions& o, bool fixing) {
  auto rules = selectRules(allRules(), o.select, o.ignore);
  if (!rules) return usageError(rules.error().message);
  if (!o.envSuffix.empty()) o.settings.envSuffix = o.envSuffix;
  if (!o.outputDir.empty() && (o.diff || !o.exportFixes.empty())) {
    return usageError("--output-dir writes files; it does not go with --diff or --export-fixes");
  }
  auto inputs = inputsOf(o);
  if (!inputs) return usageError(inputs.error().message);
  std::optional<Baseline> baseline;
  if (!o.baseline.empty()) {
    auto b = Baseline::load(o.baseline);
    if (!b) return usageError(b.error().message);
    baseline = std::move(*b);
  }
  RunConfig config;
  config.rules = *rules;
  config.settings = o.settings;
  config.fixMode = !fixing ? FixMode::None : o.unsafeFixes ? FixMode::Unsafe : FixMode::Safe;
  config.fixing = fixing;
  config.diffOnly = o.diff;
  config.exportOnly = !o.exportFixes.empty();
  config.showSecrets = o.showSecrets;
  config.wantDiff = o.format == "html";
  config.outputDir = o.outputDir;
  config.maxFileBytes = o.maxFileBytes;
  std::optional<CheckCache> cache;
  // SARIF re-detects each file for its fixes[] (and redacts them with the
  // file's secrets, which cached reports do not keep): it reads no cache.
  if (!fixing && !o.noCache && o.format != "sarif") {
    cache.emplace(o.cacheDir, config.rules, config.settings);
    config.cache = &*cache;
  }

  ReportContext ctx;
  ctx.rules = *rules;
  ctx.fixMode = config.fixMode;
  ctx.fixing = fixing;
  ctx.diffOnly = o.diff || config.exportOnly;
  ctx.showFixes = o.showFixes;
  ctx.showSecrets = o.showSecrets;
  ctx.concise = o.format == "concise";
  ctx.docsBaseUrl = o.docsBaseUrl;
  ctx.sourceRoot = sourceRoot();

  // Stdout carries one thing. The report goes there, unless stdout carries the
  // fixed JSON (stdin), the export (--export-fixes -) or, in text, the diff;
  // the other formats carry the diff inside (JSON "diff", SARIF fixes, HTML).
  const bool text = o.format == "text" || o.format == "full" || o.format == "concise";
  bool stdinFix = false;
  for (const auto& p : o.paths) stdinFix = stdinFix || (fixing && p == "-" && !o.diff && !config.exportOnly);
  const bool diffOnStdout = fixing && o.diff && text;
  const bool reportToStderr = stdinFix || o.exportFixes == "-" || diffOnStdout;
  std::ostream& reportOut = reportToStderr ? std::cerr : std::cout;

  const int jobs = jobsOf(o);
  Progress progress(inputs->size(), !o.noProgress && !o.quiet && ::isatty(STDERR_FILENO));
  std::vector<FileReport> reports;
  std::vector<Json> exported;
  std::string diffs, stdoutFixed;
  RunTally tally;
  tally.failOn = severityNamed(o.failOn);
  // What each file's report needs of that file alone is made on the worker
  // that processed it (processAll's `prepare`); `done` below runs one file at a time.
  std::mutex baselineLock;  // the baseline's counts are shared by the workers
  std::atomic<std::size_t> baselined{0};
  auto prepare = [&](std::size_t, FileResult& r) {
    FileReport& report = r.report;
    // SARIF carries each fix as text edits of the file as it now is on disk.
    if (o.format == "sarif" && report.error.empty() && report.path != "-" && o.outputDir.empty()) {
      if (auto current = readInput(report.path)) {
        report.fixEdits = fixEdits(report.path, *current, report.findings, config.rules, config.settings);
      }
    }
    if (baseline) {
      std::lock_guard<std::mutex> lock(baselineLock);
      baselined += baseline->filter(report);
    }
    // No report shows a fix's operations (an export has its own copy, in r.exported).
    for (auto& f : report.findings) f.dropOps();
    for (auto& f : report.fixed) f.dropOps();
    if (text) report.text = formatTextFile(report, ctx);
  };
  processAll(*inputs, config, jobs, [&](std::size_t, FileResult& r) {
    progress.step(r.report.findings.size() + r.report.fixed.size());
    FileReport& report = r.report;
    tally.add(report, ctx);
    if (diffOnStdout) diffs += report.diff;
    stdoutFixed += r.stdoutText;
    if (config.exportOnly && !r.exported.is_null()) exported.push_back(std::move(r.exported));
    if (o.format == "jsonl") {
      progress.finish();
      reportOut << formatJsonRecord(report, ctx).dump() << "\n" << std::flush;
    }
    reports.push_back(std::move(report));
  }, prepare);
  ctx.baselined = baselined;
  progress.finish();
  if (config.exportOnly) {
    if (auto s = writeExport(o.exportFixes, exportDocument(exported, config.rules, config.settings, config.fixMode), std::cout); !s) {
      std::cerr << "error: " << s.error().message << "\n";
      tally.anyError = true;
    }
  }

  if (!diffs.empty()) std::cout << (colorOn(STDOUT_FILENO) ? colorizeDiff(diffs) : diffs);
  std::cout << stdoutFixed;
  // jsonl went out record by record above.
  if (o.format != "jsonl") {
    if (text) std::cerr << formatErrors(reports);
    writeReport(reportOut, o.format, reports, ctx, o.quiet);
  }
  reportOut.flush();
  if (int code = tally.exitCode(o.exitZero); code != 0 || o.exitZero) return code;
  if (fixing && o.diff && tally.anyFixed) return 1;
  if (fixing && o.exitNonZeroOnFix && tally.anyFixed) return 1;
  return 0;
}

/// `fix --emit-overrides LANGUAGE FILE`: the fixes as cdktf overrides in one
/// source file; no stack is written.
int emitOverridesFile(RunOptions& o) {
  auto rules = selectRules(allRules(), o.select, o.ignore);
  if (!rules) {
    std::cerr << "tfmend: error: " << rules.error().message << "\n";
    return 2;
  }
  if (!o.envSuffix.empty()) o.settings.envSuffix = o.envSuffix;
  const std::string& lang = o.emitOverrides[0];
  if (lang != "typescript" && lang != "python") {
    std::cerr << "tfmend: error: --emit-overrides " << lang << ": expected typescript or python\n";
    return 2;
  }
  auto inputs = inputsOf(o);
  if (!inputs) {
    std::cerr << "tfmend: error: " << inputs.error().message << "\n";
    return 2;
  }
  std::vector<Document> docs;
  std::vector<Outcome> outcomes;
  docs.reserve(inputs->size());
  outcomes.reserve(inputs->size());
  EngineOptions engine;
  engine.fixMode = o.unsafeFixes ? FixMode::Unsafe : FixMode::Safe;
  for (const auto& in : *inputs) {
    auto text = in.error.empty() ? readInput(in.path, o.maxFileBytes) : Result<std::string>(Error{in.error});
    if (!text) {
      std::cerr << "error: " << text.error().message << "\n";
      return 2;
    }
    auto doc = parseDocument(in.path, std::move(*text));
    if (!doc) {
      std::cerr << "error: " << doc.error().message << "\n";
      return 2;
    }
    docs.push_back(std::move(*doc));
    auto outcome = runEngine(docs.back(), *rules, o.settings, engine);
    if (!outcome) {
      std::cerr << "error: " << outcome.error().message << "\n";
      return 2;
    }
    outcomes.push_back(std::move(*outcome));
  }
  std::vector<StackFixes> stacks;
  std::size_t fixes = 0;
  for (std::size_t i = 0; i < docs.size(); ++i) {
    stacks.push_back({docs[i].path, &docs[i].root, outcomes[i].applied.empty() ? &docs[i].root : &outcomes[i].fixed, outcomes[i].applied,
                      documentSecrets(docs[i].root, outcomes[i].secrets)});
    fixes += outcomes[i].applied.size();
  }
  auto source = emitOverrides(stacks, lang == "typescript" ? OverrideLanguage::TypeScript : OverrideLanguage::Python);
  if (!source) {
    std::cerr << "error: " << source.error().message << "\n";
    return 2;
  }
  const std::string& file = o.emitOverrides[1];
  if (file == "-") {
    std::cout << *source;
  } else if (auto s = writeAtomically(file, *source); !s) {
    std::cerr << "error: " << s.error().message << "\n";
    return 2;
  }
  std::cerr << "wrote " << fixes << " fix" << (fixes == 1 ? "" : "es") << " of " << docs.size() << " stack"
            << (docs.size() == 1 ? "" : "s") << " as cdktf overrides to " << file << "\n";
  return 0;
}

int review(RunOptions& o) {
  auto rules = selectRules(allRules(), o.select, o.ignore);
  if (!rules) return usageError(rules.error().message);
  if (!o.envSuffix.empty()) o.settings.envSuffix = o.envSuffix;
  for (const auto& p : o.paths) {
    if (p == "-") return usageError("review reads its answers from stdin; name the files to review");
  }
  auto inputs = inputsOf(o);
  if (!inputs) return usageError(inputs.error().message);
  ReviewOptions options;
  options.rules = *rules;
  options.settings = o.settings;
  options.fixMode = o.unsafeFixes ? FixMode::Unsafe : FixMode::Safe;
  options.showSecrets = o.showSecrets;
  options.color = colorOn(STDOUT_FILENO);
  options.maxFileBytes = o.maxFileBytes;
  if (!o.emitOverrides.empty()) {
    const std::string& lang = o.emitOverrides[0];
    if (lang != "typescript" && lang != "python") {
      return usageError("--emit-overrides " + lang + ": expected typescript or python");
    }
    if (o.emitOverrides[1] == "-") return usageError("review --emit-overrides needs a file: stdout carries the questions");
    options.emitOverrides.push_back(
        {lang == "typescript" ? OverrideLanguage::TypeScript : OverrideLanguage::Python, o.emitOverrides[1]});
  }
  auto answers = ::isatty(STDIN_FILENO) ? terminalAnswers(STDIN_FILENO) : lineAnswers(std::cin);
  return runReview(*inputs, options, *answers, std::cout, std::cerr);
}

int listRules(const std::string& format, const std::string& docsBaseUrl) {
  if (format == "json") {
    Json out = Json::array();
    for (const Rule* r : allRules()) {
      out.push_back({{"id", std::string(r->id)}, {"name", std::string(r->name)}, {"severity", toString(r->severity)},
                     {"fix", std::string(r->fixApplicability)}, {"summary", std::string(r->summary)},
                     {"url", ruleUrl(*r, docsBaseUrl)}});
    }
    std::cout << out.dump(2) << "\n";
    return 0;
  }
  for (const Rule* r : allRules()) {
    std::string name(r->name);
    name.resize(std::max<std::size_t>(name.size(), 32), ' ');
    std::string sev = toString(r->severity);
    sev.resize(7, ' ');
    std::string fix(r->fixApplicability);
    fix.resize(std::max<std::size_t>(fix.size(), 15), ' ');
    std::cout << r->id << "  " << name << "  " << sev << "  " << fix << "  " << r->summary << "\n";
  }
  return 0;
}

int explain(const std::string& id, const std::string& docsBaseUrl) {
  const Rule* rule = findRuleByIdOrName(allRules(), id);
  if (!rule) {
    std::string hint = didYouMean(id, ruleKeys(allRules()));
    return usageError("unknown rule \"" + id + "\"" + (hint.empty() ? " (see `tfmend rules`)" : hint));
  }
  std::string_view doc = ruleDoc(rule->id);
  if (doc.empty()) {
    std::cout << rule->id << " " << rule->name << "\n\n" << rule->summary << "\n";
  } else {
    std::cout << doc;
  }
  std::cout << "\nOnline: " << ruleUrl(*rule, docsBaseUrl) << "\n";
  return 0;
}

/// Reads tfmend.toml (or --config) into `cmd`'s options; false on error.
bool readConfig(CLI::App& cmd, const std::vector<const CLI::App*>& commands, const ConfigChoice& c) {
  std::optional<std::string> configPath;
  if (!c.config.empty()) configPath = c.config;
  else if (!c.isolated) configPath = findConfigFile();
  if (!configPath) return true;
  if (!c.config.empty() && !std::filesystem::is_regular_file(*configPath)) {
    usageError(*configPath + ": cannot read config file");
    return false;
  }
  spdlog::debug("reading options from {}", *configPath);
  if (auto s = applyConfigFile(cmd, commands, *configPath); !s) {
    usageError(s.error().message);
    return false;
  }
  return true;
}

std::vector<CLI::App*> subcommandsOf(CLI::App& app) {
  return app.get_subcommands([](CLI::App*) { return true; });
}

CLI::App* subcommandNamed(CLI::App& app, const std::string& name) {
  for (CLI::App* sub : subcommandsOf(app)) {
    if (sub->get_name() == name) return sub;
  }
  return nullptr;
}

/// For arguments CLI11 did not expect: the first option the command does not
/// have, named with the closest one it does.
std::optional<std::string> unknownOption(CLI::App& app, int argc, char** argv) {
  CLI::App* cmd = argc > 1 ? subcommandNamed(app, argv[1]) : nullptr;
  if (!cmd) return std::nullopt;
  std::vector<std::string> names;
  for (const CLI::Option* opt : cmd->get_options()) {
    for (const auto& n : opt->get_lnames()) names.push_back("--" + n);
  }
  for (int i = 2; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--") break;
    if (arg.size() < 2 || arg[0] != '-') continue;
    std::string name = arg.substr(0, arg.find('='));
    if (cmd->get_option_no_throw(name)) continue;
    return "unknown option \"" + name + "\" for `tfmend " + cmd->get_name() + "`" + didYouMean(name, names);
  }
  return std::nullopt;
}

}  // namespace

int runCli(int argc, char** argv) {
  CLI::App app{"tfmend: finds and repairs known failure patterns in Terraform JSON (cdktf's cdk.tf.json)", "tfmend"};
  app.set_version_flag("--version", std::string("tfmend ") + TFMEND_VERSION);
  app.require_subcommand(1);
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);

  RunOptions checkOpts, fixOpts, reviewOpts;
  CLI::App* check = app.add_subcommand("check", "report findings; change nothing");
  addRunOptions(check, checkOpts);
  check->add_flag("--no-cache", checkOpts.noCache, "check every file afresh; read and write no cache");
  check->add_option("--cache-dir", checkOpts.cacheDir,
                    "where reports of unchanged files are kept (default: .tfmend_cache in the working directory)")
      ->type_name("DIR");
  CLI::App* fix = app.add_subcommand("fix", "apply safe fixes in place (and unsafe ones with --unsafe-fixes)");
  addRunOptions(fix, fixOpts);
  fix->add_flag("--unsafe-fixes", fixOpts.unsafeFixes, "also apply unsafe fixes (they may replace resources)");
  fix->add_flag("--diff", fixOpts.diff, "write nothing; print the fixes as a unified diff (text) or in the report")
      ->configurable(false);
  fix->add_flag("--show-fixes", fixOpts.showFixes, "list every fix applied");
  fix->add_flag("--exit-non-zero-on-fix", fixOpts.exitNonZeroOnFix, "exit 1 when anything was fixed");
  fix->add_option("--output-dir", fixOpts.outputDir, "write fixed copies under this folder, mirroring the inputs")
      ->type_name("DIR")
      ->configurable(false);
  fix->add_option("--export-fixes", fixOpts.exportFixes, "write the fixes as JSON to this file (- for stdout) and change no file")
      ->type_name("FILE")
      ->configurable(false);
  fix->add_option("--emit-overrides", fixOpts.emitOverrides,
                  "write the fixes as cdktf overrides (LANGUAGE: typescript or python) to FILE and change no stack")
      ->expected(2)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
      ->type_name("LANGUAGE FILE")
      ->configurable(false);

  CLI::App* reviewCmd = app.add_subcommand("review", "go through the fixes one by one and choose which to apply");
  reviewCmd->add_option("paths", reviewOpts.paths, "files or folders (searched for *.tf.json)")->configurable(false);
  addRuleOptions(reviewCmd, reviewOpts);
  reviewCmd->add_flag("--unsafe-fixes", reviewOpts.unsafeFixes, "also offer unsafe fixes");
  addMaxFileSizeOption(reviewCmd, reviewOpts.maxFileBytes);
  reviewCmd->add_option("--emit-overrides", reviewOpts.emitOverrides,
                        "write the accepted fixes as cdktf overrides (typescript or python) to FILE; stacks stay as they are")
      ->expected(2)
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeLast)
      ->type_name("LANGUAGE FILE")
      ->configurable(false);

  std::vector<std::string> exportFiles;
  ApplyOptions applyOptions;
  CLI::App* applyCmd = app.add_subcommand("apply", "apply fixes exported by `tfmend fix --export-fixes`");
  applyCmd->add_option("exports", exportFiles, "export files (from one or several runs)")->required();
  applyCmd->add_flag("--diff", applyOptions.diffOnly, "print the fixes as a unified diff and write nothing");
  applyCmd->add_flag("--show-secrets", applyOptions.showSecrets, "print secret values in the diff");

  MergeOptions mergeOpts;
  std::vector<std::string> mergeSelect, mergeIgnore;
  std::string mergeFailOn = "low";
  CLI::App* mergeCmd = app.add_subcommand("merge", "merge the JSON reports or the fix exports of `--shard K/N` runs into one");
  mergeCmd->add_option("files", mergeOpts.inputs, "the shards' JSON reports (--format json) or fix exports (--export-fixes)")
      ->required();
  mergeCmd->add_option("--format,--output-format", mergeOpts.format,
                       "format of a merged report: text (or full), concise, json, jsonl, sarif, github, html")
      ->check(CLI::IsMember(kFormats));
  mergeCmd->add_option("-o,--output", mergeOpts.output, "write to this file (atomically) instead of stdout")->type_name("FILE");
  mergeCmd->add_option("--fail-on", mergeFailOn, "exit 1 only for findings of this severity or higher (default: low)")
      ->check(CLI::IsMember(kSeverities));
  mergeCmd->add_flag("--exit-zero", mergeOpts.exitZero, "exit 0 even when findings remain");
  addListOption(mergeCmd, "--select", mergeSelect, "the rules the shards ran, as they selected them (SARIF lists them)");
  addListOption(mergeCmd, "--ignore", mergeIgnore, "the rules the shards left out");
  mergeCmd->add_flag("--unsafe-fixes", mergeOpts.unsafeFixes, "the shards ran `fix --unsafe-fixes` (the text suggests it no more)");
  mergeCmd->add_flag("--diff", mergeOpts.diff, "the shards ran `fix --diff` or `--export-fixes`: say \"would fix\"");
  mergeCmd->add_flag("--show-fixes", mergeOpts.showFixes, "list every fix the shards applied (text)");
  mergeCmd->add_flag("-q,--quiet", mergeOpts.quiet, "only errors on stderr; no summary when nothing is found");

  std::string rulesFormat = "text", rulesDocs = std::string(kDefaultDocsBaseUrl);
  ConfigChoice rulesConfig;
  CLI::App* rules = app.add_subcommand("rules", "list the rules");
  rules->add_option("--format", rulesFormat, "output format")->check(CLI::IsMember({"text", "json"}))->configurable(false);
  addDocsOption(rules, rulesDocs);
  addConfigOptions(rules, rulesConfig);

  std::string explainId, explainDocs = std::string(kDefaultDocsBaseUrl);
  ConfigChoice explainConfig;
  CLI::App* explainCmd = app.add_subcommand("explain", "print a rule's documentation");
  explainCmd->add_option("rule", explainId, "rule ID or name, e.g. TFM001")->required()->configurable(false);
  addDocsOption(explainCmd, explainDocs);
  addConfigOptions(explainCmd, explainConfig);

  std::string shell = "bash";
  CLI::App* completionCmd = app.add_subcommand("completion", "print a shell completion script (bash)");
  completionCmd->add_option("shell", shell, "the shell (bash)")->check(CLI::IsMember({"bash"}));

  // A mistyped command: name the one that was meant.
  if (argc > 1 && argv[1][0] != '-' && !subcommandNamed(app, argv[1])) {
    std::vector<std::string> names;
    for (CLI::App* sub : subcommandsOf(app)) names.push_back(sub->get_name());
    usageError("unknown command \"" + std::string(argv[1]) + "\"" + didYouMean(argv[1], names));
    std::cerr << "run `tfmend --help` for usage\n";
    return 2;
  }
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::string message = e.what();
    if (dynamic_cast<const CLI::ExtrasError*>(&e)) {
      if (auto unknown = unknownOption(app, argc, argv)) message = *unknown;
    }
    usageError(message);
    CLI::App* cmd = argc > 1 ? subcommandNamed(app, argv[1]) : nullptr;
    std::cerr << "run `tfmend" << (cmd ? " " + cmd->get_name() : std::string()) << " --help` for usage\n";
    return 2;
  }
  if (completionCmd->parsed()) {
    std::vector<std::string> ruleWords = ruleKeys(allRules());
    ruleWords.push_back("ALL");
    std::cout << bashCompletion(app, {{"--format", kFormats},
                                      {"--output-format", kFormats},
                                      {"--fail-on", kSeverities},
                                      {"--select", ruleWords},
                                      {"--ignore", ruleWords}});
    return 0;
  }
  if (applyCmd->parsed()) return applyExports(exportFiles, applyOptions, std::cout, std::cerr);
  if (mergeCmd->parsed()) {
    auto mergeRules = selectRules(allRules(), mergeSelect, mergeIgnore);
    if (!mergeRules) return usageError(mergeRules.error().message);
    mergeOpts.rules = *mergeRules;
    mergeOpts.failOn = severityNamed(mergeFailOn);
    mergeOpts.sourceRoot = sourceRoot();
    return runMerge(mergeOpts, std::cout, std::cerr);
  }
  // One tfmend.toml serves every command that reads it.
  const std::vector<const CLI::App*> configured = {check, fix, reviewCmd, rules, explainCmd};
  if (rules->parsed()) return readConfig(*rules, configured, rulesConfig) ? listRules(rulesFormat, rulesDocs) : 2;
  if (explainCmd->parsed()) return readConfig(*explainCmd, configured, explainConfig) ? explain(explainId, explainDocs) : 2;

  CLI::App* cmd = fix->parsed() ? fix : reviewCmd->parsed() ? reviewCmd : check;
  RunOptions& o = fix->parsed() ? fixOpts : reviewCmd->parsed() ? reviewOpts : checkOpts;
  setUpLogging(o);
  if (!readConfig(*cmd, configured, o.configChoice)) return 2;
  if (reviewCmd->parsed()) return review(o);
  if (fix->parsed() && !fixOpts.emitOverrides.empty()) return emitOverridesFile(o);
  return run(o, fix->parsed());
}

}  // namespace tfmend
