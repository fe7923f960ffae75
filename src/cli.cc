#include "cli.h"

#include <CLI/CLI.hpp>
#include <cstdlib>
#include <iostream>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "config.h"
#include "tfmend/diff.h"
#include "tfmend/document.h"
#include "tfmend/engine.h"
#include "tfmend/file_io.h"
#include "tfmend/registry.h"
#include "tfmend/report.h"

namespace tfmend {

namespace {

/// Options shared by `check` and `fix`.
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
  // fix only
  bool unsafeFixes = false;
  bool diff = false;
  bool showFixes = false;
  bool exitNonZeroOnFix = false;
};

void addRunOptions(CLI::App* cmd, RunOptions& o) {
  cmd->add_option("paths", o.paths, "files or folders (searched for *.tf.json); - for stdin")->configurable(false);
  cmd->add_option("--select", o.select, "rules to run, by ID, ID prefix or name (default: all)")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--ignore", o.ignore, "rules not to run, by ID, ID prefix or name")
      ->delimiter(',')
      ->allow_extra_args(false)
      ->multi_option_policy(CLI::MultiOptionPolicy::TakeAll);
  cmd->add_option("--format", o.format, "output format")
      ->check(CLI::IsMember({"text", "json", "sarif", "github"}));
  cmd->add_option("--env-suffix", o.envSuffix, "environment suffix that names must end with (default: inferred)");
  cmd->add_option("--replication-lag-threshold-ms", o.settings.replicationLagThresholdMs,
                  "Aurora global replication lag alarm threshold, in ms");
  cmd->add_option("--memory-threshold-percent", o.settings.memoryThresholdPercent,
                  "ECS memory utilisation alarm threshold, in percent");
  cmd->add_option("--replication-latency-threshold-s", o.settings.replicationLatencyThresholdSeconds,
                  "S3 replication latency alarm threshold, in seconds");
  cmd->add_option("--config", o.config, "read options from this file instead of the nearest tfmend.toml")
      ->configurable(false);
  cmd->add_flag("--isolated", o.isolated, "ignore tfmend.toml files")->configurable(false);
  cmd->add_flag("--exit-zero", o.exitZero, "exit 0 even when findings remain");
  cmd->add_flag("--show-secrets", o.showSecrets, "print secret values instead of ******** (diffs then apply verbatim)")
      ->configurable(false);
  cmd->add_flag("-v,--verbose", o.verbose, "more logging on stderr (repeat for more)")->configurable(false);
  cmd->add_flag("-q,--quiet", o.quiet, "only errors on stderr")->configurable(false);
}

void setUpLogging(const RunOptions& o) {
  if (!spdlog::get("tfmend")) {
    auto logger = spdlog::stderr_logger_st("tfmend");
    logger->set_pattern("%l: %v");
    spdlog::set_default_logger(logger);
  }
  spdlog::set_level(o.quiet ? spdlog::level::err : o.verbose >= 1 ? spdlog::level::debug : spdlog::level::warn);
}

bool colorOn(int fd) { return ::isatty(fd) && std::getenv("NO_COLOR") == nullptr; }

/// Processes every input and reports; returns the exit code.
int run(RunOptions& o, bool fixing) {
  auto rules = selectRules(allRules(), o.select, o.ignore);
  if (!rules) {
    std::cerr << "tfmend: error: " << rules.error().message << "\n";
    return 2;
  }
  if (!o.envSuffix.empty()) o.settings.envSuffix = o.envSuffix;
  if (o.paths.empty()) o.paths.push_back(".");
  EngineOptions engine;
  engine.fixMode = !fixing ? FixMode::None : o.unsafeFixes ? FixMode::Unsafe : FixMode::Safe;

  ReportContext ctx;
  ctx.rules = *rules;
  ctx.fixMode = engine.fixMode;
  ctx.fixing = fixing;
  ctx.diffOnly = o.diff;
  ctx.showFixes = o.showFixes;
  ctx.showSecrets = o.showSecrets;

  std::vector<FileReport> reports;
  std::string diffs;
  std::string stdoutFixed;
  bool anyError = false, anyFixed = false, anyFindings = false;
  for (const auto& input : expandPaths(o.paths)) {
    FileReport report;
    report.path = input.path;
    auto fail = [&](const std::string& message) {
      report.error = message;
      anyError = true;
      spdlog::debug("{}", message);
      reports.push_back(std::move(report));
    };
    if (!input.error.empty()) { fail(input.error); continue; }
    auto text = readInput(input.path);
    if (!text) { fail(text.error().message); continue; }
    auto doc = parseDocument(input.path, std::move(*text));
    if (!doc) { fail(doc.error().message); continue; }
    if (!doc->roundTrips) spdlog::debug("{}: not in cdktf's layout; a fix rewrites the whole file in its detected indentation", doc->path);
    auto outcome = runEngine(*doc, *rules, o.settings, engine);
    if (!outcome) { fail(outcome.error().message); continue; }
    for (const auto& s : outcome->skipped) {
      spdlog::warn("{}: {}: fix of {} not applied: {}", input.path, s.finding.address, s.finding.rule, s.reason);
    }
    bool written = false;
    if (fixing && outcome->changed) {
      if (o.diff) {
        std::string d = unifiedDiff(input.path == "-" ? "stdin" : input.path, doc->text, outcome->fixedText);
        diffs += o.showSecrets ? d : redact(d, outcome->secrets);
      } else if (input.path == "-") {
        stdoutFixed += outcome->fixedText;
        written = true;
      } else if (auto s = writeAtomically(input.path, outcome->fixedText); !s) {
        fail(s.error().message);
        continue;
      } else {
        written = true;
      }
    } else if (fixing && input.path == "-" && !o.diff) {
      stdoutFixed += doc->text;
    }
    std::vector<std::string> pointers;
    for (const auto& f : outcome->findings) pointers.push_back(f.pointer);
    report.lines = linesOf(written ? outcome->fixed : doc->root, doc->style, pointers);
    report.findings = std::move(outcome->findings);
    report.fixed = std::move(outcome->applied);
    report.skipped = std::move(outcome->skipped);
    report.secrets = std::move(outcome->secrets);
    anyFixed = anyFixed || !report.fixed.empty();
    anyFindings = anyFindings || !report.findings.empty();
    reports.push_back(std::move(report));
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
  } else {
    for (const auto& r : reports) {
      if (!r.error.empty()) std::cerr << "error: " << r.error << "\n";
    }
    if (!o.quiet || anyFindings) reportOut << formatText(reports, ctx);
  }
  reportOut.flush();
  if (anyError) return 2;
  if (o.exitZero) return 0;
  if (anyFindings) return 1;
  if (fixing && o.diff && !diffs.empty()) return 1;
  if (fixing && o.exitNonZeroOnFix && anyFixed) return 1;
  return 0;
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

}  // namespace

int runCli(int argc, char** argv) {
  CLI::App app{"tfmend: finds and repairs known failure patterns in Terraform JSON (cdktf's cdk.tf.json)", "tfmend"};
  app.set_version_flag("--version", std::string("tfmend ") + TFMEND_VERSION);
  app.require_subcommand(1);
  app.option_defaults()->multi_option_policy(CLI::MultiOptionPolicy::TakeLast);

  RunOptions checkOpts, fixOpts;
  CLI::App* check = app.add_subcommand("check", "report findings; change nothing");
  addRunOptions(check, checkOpts);
  CLI::App* fix = app.add_subcommand("fix", "apply safe fixes in place (and unsafe ones with --unsafe-fixes)");
  addRunOptions(fix, fixOpts);
  fix->add_flag("--unsafe-fixes", fixOpts.unsafeFixes, "also apply unsafe fixes (they may replace resources)");
  fix->add_flag("--diff", fixOpts.diff, "print the fixes as a unified diff on stdout and write nothing");
  fix->add_flag("--show-fixes", fixOpts.showFixes, "list every fix applied");
  fix->add_flag("--exit-non-zero-on-fix", fixOpts.exitNonZeroOnFix, "exit 1 when anything was fixed");

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

  bool fixing = fix->parsed();
  CLI::App* cmd = fixing ? fix : check;
  RunOptions& o = fixing ? fixOpts : checkOpts;
  setUpLogging(o);
  std::optional<std::string> configPath;
  if (!o.config.empty()) configPath = o.config;
  else if (!o.isolated) configPath = findConfigFile();
  if (configPath) {
    if (!o.config.empty() && !std::filesystem::is_regular_file(*configPath)) {
      std::cerr << "tfmend: error: " << *configPath << ": cannot read config file\n";
      return 2;
    }
    spdlog::debug("reading options from {}", *configPath);
    if (auto s = applyConfigFile(*cmd, *configPath); !s) {
      std::cerr << "tfmend: error: " << s.error().message << "\n";
      return 2;
    }
  }
  return run(o, fixing);
}

}  // namespace tfmend
