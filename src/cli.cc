#include "cli.h"

#include <CLI/CLI.hpp>
#include <cstdio>
#include <cstdlib>
#include <iostream>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <thread>
#include <unistd.h>

#include "config.h"
#include "fix_export.h"
#include "progress.h"
#include "review.h"
#include "runner.h"
#include "tfmend/diff.h"
#include "tfmend/document.h"
#include "tfmend/overrides.h"
#include "tfmend/secrets.h"
#include "tfmend/registry.h"
#include "tfmend/report.h"

namespace tfmend {

namespace {

/// Options of `check`, `fix` and `review`.
struct RunOptions {
  std::vector<std::string> paths;
  std::vector<std::string> select, ignore;
  std::string format = "text";
  std::string config;
  bool isolated = false;
  bool exitZero = false;
  bool showSecrets = false;
  int verbose = 0;
  bool quiet = false;
  std::string envSuffix;
  Settings settings;
  int jobs = 0;
  std::string shard;
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
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
}

/// The options that choose rules and tune them: every command that runs rules has them.
void addRuleOptions(CLI::App* cmd, RunOptions& o) {
  addListOption(cmd, "--select", o.select, "rules to run, by ID, ID prefix or name (default: all)");
  addListOption(cmd, "--ignore", o.ignore, "rules not to run, by ID, ID prefix or name");
  cmd->add_option("--env-suffix", o.envSuffix, "environment suffix that names must end with (default: inferred)");
  cmd->add_flag("--require-cmk", o.settings.requireCmk,
                "TFM003: also require a customer-managed KMS key where AWS encrypts with its own (S3, DynamoDB, RDS default keys)");
  cmd->add_option("--phase-variable", o.settings.phaseVariable,
                  "TFM011: the variable that holds the migration phase (default: migration_phase)");
  cmd->add_option("--replication-lag-threshold-ms", o.settings.replicationLagThresholdMs,
                  "Aurora global replication lag alarm threshold, in ms");
  cmd->add_option("--memory-threshold-percent", o.settings.memoryThresholdPercent,
                  "ECS memory utilisation alarm threshold, in percent");
  cmd->add_option("--replication-latency-threshold-s", o.settings.replicationLatencyThresholdSeconds,
                  "S3 replication latency alarm threshold, in seconds");
  cmd->add_option("--config", o.config, "read options from this file instead of the nearest tfmend.toml")
      ->configurable(false);
  cmd->add_flag("--isolated", o.isolated, "ignore tfmend.toml files")->configurable(false);
  cmd->add_flag("--show-secrets", o.showSecrets, "print secret values instead of ******** (diffs then apply verbatim)")
      ->configurable(false);
  cmd->add_flag("-v,--verbose", o.verbose, "more logging on stderr (repeat for more)")->configurable(false);
  cmd->add_flag("-q,--quiet", o.quiet, "only errors on stderr")->configurable(false);
}

void addRunOptions(CLI::App* cmd, RunOptions& o) {
  cmd->add_option("paths", o.paths, "files or folders (searched for *.tf.json); - for stdin")->configurable(false);
  addRuleOptions(cmd, o);
  cmd->add_option("--format", o.format, "output format")
      ->check(CLI::IsMember({"text", "json", "jsonl", "sarif", "github", "html"}));
  cmd->add_flag("--exit-zero", o.exitZero, "exit 0 even when findings remain");
  cmd->add_option("-j,--jobs", o.jobs, "files processed in parallel (default: the number of cores)")
      ->check(CLI::Range(1, 1024));
  cmd->add_option("--shard", o.shard, "process only share K of N (K/N, K from 1 to N), for splitting a fleet")
      ->configurable(false);
  cmd->add_flag("--no-progress", o.noProgress, "no progress bar, even on a terminal");
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

/// The inputs of a run: expanded folders, then the shard, if any.
Result<std::vector<InputPath>> inputsOf(RunOptions& o) {
  if (o.paths.empty()) o.paths.push_back(".");
  auto inputs = expandPaths(o.paths);
  if (o.shard.empty()) return inputs;
  int k = 0, n = 0;
  char slash = 0;
  if (std::sscanf(o.shard.c_str(), "%d%c%d", &k, &slash, &n) != 3 || slash != '/' || n < 1 || k < 1 || k > n) {
    return Error{"--shard " + o.shard + ": expected K/N with 1 <= K <= N"};
  }
  return shard(inputs, k, n);
}

/// Processes every input and reports; returns the exit code.
int run(RunOptions& o, bool fixing) {
  auto rules = selectRules(allRules(), o.select, o.ignore);
  if (!rules) {
    std::cerr << "tfmend: error: " << rules.error().message << "\n";
    return 2;
  }
  if (!o.envSuffix.empty()) o.settings.envSuffix = o.envSuffix;
  auto inputs = inputsOf(o);
  if (!inputs) {
    std::cerr << "tfmend: error: " << inputs.error().message << "\n";
    return 2;
  }
  if (!o.outputDir.empty() && (o.diff || !o.exportFixes.empty())) {
    std::cerr << "tfmend: error: --output-dir writes files; it does not go with --diff or --export-fixes\n";
    return 2;
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

  ReportContext ctx;
  ctx.rules = *rules;
  ctx.fixMode = config.fixMode;
  ctx.fixing = fixing;
  ctx.diffOnly = o.diff || config.exportOnly;
  ctx.showFixes = o.showFixes;
  ctx.showSecrets = o.showSecrets;

  int jobs = o.jobs > 0 ? o.jobs : static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  Progress progress(inputs->size(), !o.noProgress && !o.quiet && ::isatty(STDERR_FILENO));
  std::vector<FileReport> reports;
  std::vector<Json> exported;
  std::string diffs, stdoutFixed;
  bool anyError = false, anyFixed = false, anyFindings = false;
  const bool diffOnStdout = o.diff;
  processAll(*inputs, config, jobs, [&](std::size_t, FileResult& r) {
    progress.step(r.report.findings.size() + r.report.fixed.size());
    anyError = anyError || !r.report.error.empty() || !r.report.ruleFailures.empty();
    anyFixed = anyFixed || !r.report.fixed.empty();
    anyFindings = anyFindings || !r.report.findings.empty();
    if (diffOnStdout) diffs += r.report.diff;
    stdoutFixed += r.stdoutText;
    if (config.exportOnly && !r.exported.is_null()) exported.push_back(std::move(r.exported));
    if (o.format == "jsonl") {
      progress.finish();
      std::cout << formatJsonRecord(r.report, ctx).dump() << "\n" << std::flush;
    }
    reports.push_back(std::move(r.report));
  });
  progress.finish();
  if (config.exportOnly) {
    if (auto s = writeExport(o.exportFixes, exportDocument(exported, config.rules, config.settings, config.fixMode), std::cout); !s) {
      std::cerr << "error: " << s.error().message << "\n";
      anyError = true;
    }
  }

  // With --diff or stdin fixing, stdout carries the patch or the fixed JSON and
  // the report goes to stderr.
  bool reportToStderr = fixing && (o.diff || !stdoutFixed.empty());
  std::ostream& reportOut = reportToStderr ? std::cerr : std::cout;
  if (!diffs.empty()) std::cout << (colorOn(STDOUT_FILENO) ? colorizeDiff(diffs) : diffs);
  std::cout << stdoutFixed;
  if (o.format == "json") {
    reportOut << formatJson(reports, ctx).dump(2) << "\n";
  } else if (o.format == "sarif") {
    reportOut << formatSarif(reports, ctx).dump(2) << "\n";
  } else if (o.format == "github") {
    reportOut << formatGithub(reports, ctx);
  } else if (o.format == "html") {
    reportOut << formatHtml(reports, ctx);
  } else if (o.format == "text") {
    for (const auto& r : reports) {
      if (!r.error.empty()) std::cerr << "error: " << r.error << "\n";
      for (const auto& rf : r.ruleFailures) std::cerr << "error: " << r.path << ": rule " << rf.rule << " failed: " << rf.message << "\n";
    }
    if (!o.quiet || anyFindings) {
      reportOut << formatText(reports, ctx);
      if (reports.size() > 1 && !o.quiet) reportOut << formatSummary(reports, ctx);
    }
  }
  reportOut.flush();
  if (anyError) return 2;
  if (o.exitZero) return 0;
  if (anyFindings) return 1;
  if (fixing && o.diff && !diffs.empty()) return 1;
  if (fixing && o.exitNonZeroOnFix && anyFixed) return 1;
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
    auto text = in.error.empty() ? readInput(in.path) : Result<std::string>(Error{in.error});
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
    stacks.push_back({docs[i].path, &docs[i].root, &outcomes[i].fixed, outcomes[i].applied,
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
  if (!rules) {
    std::cerr << "tfmend: error: " << rules.error().message << "\n";
    return 2;
  }
  if (!o.envSuffix.empty()) o.settings.envSuffix = o.envSuffix;
  for (const auto& p : o.paths) {
    if (p == "-") {
      std::cerr << "tfmend: error: review reads its answers from stdin; name the files to review\n";
      return 2;
    }
  }
  auto inputs = inputsOf(o);
  if (!inputs) {
    std::cerr << "tfmend: error: " << inputs.error().message << "\n";
    return 2;
  }
  ReviewOptions options;
  options.rules = *rules;
  options.settings = o.settings;
  options.fixMode = o.unsafeFixes ? FixMode::Unsafe : FixMode::Safe;
  options.showSecrets = o.showSecrets;
  options.color = colorOn(STDOUT_FILENO);
  auto answers = ::isatty(STDIN_FILENO) ? terminalAnswers(STDIN_FILENO) : lineAnswers(std::cin);
  return runReview(*inputs, options, *answers, std::cout, std::cerr);
}

int listRules(const std::string& format) {
  if (format == "json") {
    Json out = Json::array();
    for (const Rule* r : allRules()) {
      out.push_back({{"id", std::string(r->id)}, {"name", std::string(r->name)}, {"severity", toString(r->severity)},
                     {"fix", std::string(r->fixApplicability)}, {"summary", std::string(r->summary)}});
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

int explain(const std::string& id) {
  const Rule* rule = findRule(id);
  if (!rule) {
    for (const Rule* r : allRules()) {
      if (r->name == id) rule = r;
    }
  }
  if (!rule) {
    std::cerr << "tfmend: error: unknown rule \"" << id << "\" (see `tfmend rules`)\n";
    return 2;
  }
  std::string_view doc = ruleDoc(rule->id);
  if (doc.empty()) {
    std::cout << rule->id << " " << rule->name << "\n\n" << rule->summary << "\n";
  } else {
    std::cout << doc;
  }
  return 0;
}

/// Reads tfmend.toml (or --config) into `cmd`'s options; false on error.
bool readConfig(CLI::App& cmd, const RunOptions& o) {
  std::optional<std::string> configPath;
  if (!o.config.empty()) configPath = o.config;
  else if (!o.isolated) configPath = findConfigFile();
  if (!configPath) return true;
  if (!o.config.empty() && !std::filesystem::is_regular_file(*configPath)) {
    std::cerr << "tfmend: error: " << *configPath << ": cannot read config file\n";
    return false;
  }
  spdlog::debug("reading options from {}", *configPath);
  if (auto s = applyConfigFile(cmd, *configPath); !s) {
    std::cerr << "tfmend: error: " << s.error().message << "\n";
    return false;
  }
  return true;
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
  CLI::App* fix = app.add_subcommand("fix", "apply safe fixes in place (and unsafe ones with --unsafe-fixes)");
  addRunOptions(fix, fixOpts);
  fix->add_flag("--unsafe-fixes", fixOpts.unsafeFixes, "also apply unsafe fixes (they may replace resources)");
  fix->add_flag("--diff", fixOpts.diff, "print the fixes as a unified diff on stdout and write nothing");
  fix->add_flag("--show-fixes", fixOpts.showFixes, "list every fix applied");
  fix->add_flag("--exit-non-zero-on-fix", fixOpts.exitNonZeroOnFix, "exit 1 when anything was fixed");
  fix->add_option("--output-dir", fixOpts.outputDir, "write fixed copies under this folder, mirroring the inputs")
      ->configurable(false);
  fix->add_option("--export-fixes", fixOpts.exportFixes, "write the fixes as JSON to this file and change no file")
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

  std::vector<std::string> exportFiles;
  ApplyOptions applyOptions;
  CLI::App* applyCmd = app.add_subcommand("apply", "apply fixes exported by `tfmend fix --export-fixes`");
  applyCmd->add_option("exports", exportFiles, "export files (from one or several runs)")->required();
  applyCmd->add_flag("--diff", applyOptions.diffOnly, "print the fixes as a unified diff and write nothing");
  applyCmd->add_flag("--show-secrets", applyOptions.showSecrets, "print secret values in the diff");

  std::string rulesFormat = "text";
  CLI::App* rules = app.add_subcommand("rules", "list the rules");
  rules->add_option("--format", rulesFormat, "output format")->check(CLI::IsMember({"text", "json"}));
  std::string explainId;
  CLI::App* explainCmd = app.add_subcommand("explain", "print a rule's documentation");
  explainCmd->add_option("rule", explainId, "rule ID or name, e.g. TFM001")->required();

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << "tfmend: error: " << e.what() << "\n";
    std::cerr << "run `tfmend --help` for usage\n";
    return 2;
  }
  if (rules->parsed()) return listRules(rulesFormat);
  if (explainCmd->parsed()) return explain(explainId);
  if (applyCmd->parsed()) return applyExports(exportFiles, applyOptions, std::cout, std::cerr);

  CLI::App* cmd = fix->parsed() ? fix : reviewCmd->parsed() ? reviewCmd : check;
  RunOptions& o = fix->parsed() ? fixOpts : reviewCmd->parsed() ? reviewOpts : checkOpts;
  setUpLogging(o);
  if (!readConfig(*cmd, o)) return 2;
  if (reviewCmd->parsed()) return review(o);
  if (fix->parsed() && !fixOpts.emitOverrides.empty()) return emitOverridesFile(o);
  return run(o, fix->parsed());
}

}  // namespace tfmend
