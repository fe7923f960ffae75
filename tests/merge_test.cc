// `tfmend merge`, end to end through the binary: a fleet checked in three
// shards and merged gives the unsharded run's output byte for byte; the CI
// recipes in docs/examples/ run as written.
#include <algorithm>
#include <filesystem>
#include <gtest/gtest.h>
#include <regex>
#include <sstream>

#include "merge.h"
#include "test_support.h"

namespace tfmend {
namespace {

namespace fs = std::filesystem;
using test::runTfmend;

const std::vector<std::string> kShards = {"1/3", "2/3", "3/3"};

/// A fleet under `dir`/`name`: every golden stack (16) under team0/.
void makeFleet(const std::string& dir, const std::string& name) {
  for (const auto& p : test::goldenStacks()) {
    test::writeFile(dir + "/" + name + "/team0/" + fs::path(p).parent_path().filename().string() + "/cdk.tf.json", test::readFile(p));
  }
}

/// Runs `args` with `--shard K/3` for each K in `dir`, writing stdout to `prefix`K.json; their names.
std::vector<std::string> runShards(const std::string& dir, std::vector<std::string> args, const std::string& prefix) {
  std::vector<std::string> files;
  for (std::size_t k = 0; k < kShards.size(); ++k) {
    std::vector<std::string> a = args;
    a.insert(a.end() - 1, {"--shard", kShards[k]});
    auto r = runTfmend(a, "", dir);
    EXPECT_LE(r.exitCode, 1) << r.err;
    std::string name = prefix + std::to_string(k + 1) + ".json";
    test::writeFile(dir + "/" + name, r.out);
    // Every shard holds some of the fleet: otherwise this would test little.
    EXPECT_FALSE(Json::parse(r.out)["files"].empty()) << kShards[k];
    files.push_back(name);
  }
  return files;
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

/// The SARIF without `fixes[]`, which a JSON report cannot give back.
std::string withoutFixes(const std::string& sarif, std::size_t& removed) {
  Json j = Json::parse(sarif);
  removed = 0;
  for (auto& result : j["runs"][0]["results"]) removed += result.erase("fixes");
  return j.dump(2) + "\n";
}

TEST(Merge, ShardedChecksMergeToTheUnshardedReportInEveryFormat) {
  std::string dir = test::tempDir();
  makeFleet(dir, "fleet");
  auto shards = runShards(dir, {"check", "--isolated", "--format", "json", "fleet"}, "shard");
  for (std::string format : {"json", "jsonl", "text", "full", "concise", "github", "html"}) {
    auto whole = runTfmend({"check", "--isolated", "--format", format, "fleet"}, "", dir);
    auto merged = runTfmend(concat({"merge", "--format", format}, shards), "", dir);
    EXPECT_EQ(whole.exitCode, 1) << format;
    EXPECT_EQ(merged.exitCode, whole.exitCode) << format;
    EXPECT_EQ(merged.out, whole.out) << format;
    EXPECT_EQ(merged.err, "") << format;
  }
  // The default format is text, as for check.
  EXPECT_EQ(runTfmend(concat({"merge"}, shards), "", dir).out, runTfmend({"check", "--isolated", "fleet"}, "", dir).out);

  // SARIF: the same, but for the fixes[] that check computes from the files.
  auto sarif = runTfmend({"check", "--isolated", "--format", "sarif", "fleet"}, "", dir);
  auto mergedSarif = runTfmend(concat({"merge", "--format", "sarif"}, shards), "", dir);
  std::size_t fixesInCheck = 0, fixesInMerge = 0;
  EXPECT_EQ(withoutFixes(mergedSarif.out, fixesInMerge), mergedSarif.out);
  EXPECT_EQ(fixesInMerge, 0u);
  EXPECT_EQ(withoutFixes(sarif.out, fixesInCheck), mergedSarif.out);
  EXPECT_EQ(fixesInCheck, 59u);  // of 66 findings

  // -o writes the file and nothing on stdout.
  auto json = runTfmend({"check", "--isolated", "--format", "json", "fleet"}, "", dir);
  auto toFile = runTfmend(concat({"merge", "--format", "json", "-o", "merged.json"}, shards), "", dir);
  EXPECT_EQ(toFile.exitCode, 1);
  EXPECT_EQ(toFile.out, "");
  EXPECT_EQ(test::readFile(dir + "/merged.json"), json.out);

  // The shards' order on the command line does not matter.
  auto reversed = runTfmend({"merge", "--format", "json", shards[2], shards[0], shards[1]}, "", dir);
  EXPECT_EQ(reversed.out, json.out);

  // The exit code follows check's rule.
  for (std::string failOn : {"low", "medium", "high"}) {
    auto c = runTfmend({"check", "--isolated", "--fail-on", failOn, "fleet"}, "", dir);
    auto m = runTfmend(concat({"merge", "--fail-on", failOn}, shards), "", dir);
    EXPECT_EQ(m.exitCode, c.exitCode) << failOn;
  }
  EXPECT_EQ(runTfmend(concat({"merge", "--exit-zero"}, shards), "", dir).exitCode, 0);
}

TEST(Merge, SelectedRulesAndABaselineMergeToo) {
  std::string dir = test::tempDir();
  makeFleet(dir, "fleet");
  auto baseline = runTfmend({"check", "--isolated", "--format", "json", "--select", "TFM001", "fleet/team0/failure-01"}, "", dir);
  test::writeFile(dir + "/baseline.json", baseline.out);
  std::vector<std::string> run = {"check", "--isolated", "--select", "TFM001,TFM003", "--baseline", "baseline.json", "--format", "json", "fleet"};
  auto shards = runShards(dir, run, "shard");
  for (std::string format : {"json", "text", "sarif"}) {
    run[7] = format;
    auto whole = runTfmend(run, "", dir);
    auto merged = runTfmend(concat({"merge", "--select", "TFM001,TFM003", "--format", format}, shards), "", dir);
    std::size_t removed = 0;
    EXPECT_EQ(merged.out, format == "sarif" ? withoutFixes(whole.out, removed) : whole.out) << format;
    EXPECT_EQ(merged.exitCode, whole.exitCode) << format;
  }
  // SARIF lists the rules that ran: without --select, every rule.
  auto all = runTfmend(concat({"merge", "--format", "sarif"}, shards), "", dir);
  EXPECT_EQ(Json::parse(all.out)["runs"][0]["tool"]["driver"]["rules"].size(), allRules().size());
  EXPECT_NE(runTfmend(concat({"merge", "--format", "json"}, shards), "", dir).out.find("\"baselined\": "), std::string::npos);
}

TEST(Merge, ShardedDryRunFixReportsMergeWithTheirDiffs) {
  std::string dir = test::tempDir();
  makeFleet(dir, "fleet");
  auto shards = runShards(dir, {"fix", "--isolated", "--diff", "--format", "json", "fleet"}, "fix");
  auto whole = runTfmend({"fix", "--isolated", "--diff", "--format", "json", "fleet"}, "", dir);
  auto merged = runTfmend(concat({"merge", "--format", "json"}, shards), "", dir);
  EXPECT_EQ(merged.out, whole.out);
  EXPECT_NE(merged.out.find("\"diff\": \"--- a/fleet/"), std::string::npos);
  // Text: the report that `fix --diff` prints on stderr (the diff going to stdout).
  auto text = runTfmend({"fix", "--isolated", "--diff", "fleet"}, "", dir);
  auto mergedText = runTfmend(concat({"merge"}, shards), "", dir);
  EXPECT_EQ(mergedText.out, text.err);
  EXPECT_NE(mergedText.out.find("\nwould fix 19 findings, 47 remaining: 40 with `tfmend fix --unsafe-fixes`\n"), std::string::npos)
      << mergedText.out;
  // A safe run left unsafe fixes: the text says so, unless told the shards ran with --unsafe-fixes.
  EXPECT_NE(runTfmend(concat({"merge", "--unsafe-fixes"}, shards), "", dir).out.find("\nwould fix 19 findings, 47 remaining\n"),
            std::string::npos);
  // Without diffs in the reports, --diff says what kind of run the shards were.
  auto exportReports = runShards(dir, {"fix", "--isolated", "--export-fixes", "x.json", "--format", "json", "fleet"}, "exp");
  EXPECT_NE(runTfmend(concat({"merge"}, exportReports), "", dir).out.find("\nfixed 19 findings, 47 remaining"), std::string::npos);
  EXPECT_NE(runTfmend(concat({"merge", "--diff"}, exportReports), "", dir).out.find("\nwould fix 19 findings, 47 remaining"),
            std::string::npos);
}

TEST(Merge, ShardedExportsMergeToTheUnshardedExportAndApplyAlike) {
  std::string dir = test::tempDir();
  makeFleet(dir, "fleet");
  auto whole = runTfmend({"fix", "--isolated", "--unsafe-fixes", "--export-fixes", "all.json", "fleet"}, "", dir);
  ASSERT_EQ(whole.exitCode, 0) << whole.err;
  std::vector<std::string> shards;
  for (std::size_t k = 0; k < kShards.size(); ++k) {
    std::string name = "fixes" + std::to_string(k + 1) + ".json";
    auto r = runTfmend({"fix", "--isolated", "--unsafe-fixes", "--export-fixes", name, "--shard", kShards[k], "fleet"}, "", dir);
    ASSERT_EQ(r.exitCode, 0) << r.err;
    EXPECT_FALSE(Json::parse(test::readFile(dir + "/" + name))["files"].empty());
    shards.push_back(name);
  }
  auto merged = runTfmend(concat({"merge", "-o", "merged.json"}, shards), "", dir);
  EXPECT_EQ(merged.exitCode, 0) << merged.err;
  EXPECT_EQ(merged.out, "");
  const std::string all = test::readFile(dir + "/all.json");
  EXPECT_EQ(test::readFile(dir + "/merged.json"), all);
  Json exported = Json::parse(all);
  std::size_t fixes = 0;
  for (const auto& f : exported["files"]) fixes += f["fixes"].size();
  EXPECT_EQ(merged.err, "merged 3 exports: " + std::to_string(fixes) + " fixes to " + std::to_string(exported["files"].size()) + " files\n");
  // To stdout without -o.
  EXPECT_EQ(runTfmend(concat({"merge", "--quiet"}, shards), "", dir).out, all);

  // Applying the merged export changes the fleet as applying the unsharded one does.
  std::string other = test::tempDir();
  fs::copy(dir + "/fleet", other + "/fleet", fs::copy_options::recursive);
  fs::copy(dir + "/merged.json", other + "/merged.json");
  auto a = runTfmend({"apply", "all.json"}, "", dir);
  auto b = runTfmend({"apply", "merged.json"}, "", other);
  EXPECT_EQ(a.exitCode, 0) << a.err;
  EXPECT_EQ(b.exitCode, 0) << b.err;
  EXPECT_EQ(a.err, b.err);
  std::size_t compared = 0, changed = 0;
  for (const auto& golden : test::goldenStacks()) {
    std::string rel = "fleet/team0/" + fs::path(golden).parent_path().filename().string() + "/cdk.tf.json";
    EXPECT_EQ(test::readFile(other + "/" + rel), test::readFile(dir + "/" + rel)) << rel;
    ++compared;
    changed += test::readFile(other + "/" + rel) != test::readFile(golden) ? 1 : 0;
  }
  EXPECT_EQ(compared, 16u);
  EXPECT_EQ(changed, exported["files"].size());
}

/// Writes `text` to `dir`/`name`; returns the name.
std::string file(const std::string& dir, const std::string& name, const std::string& text) {
  test::writeFile(dir + "/" + name, text);
  return name;
}

TEST(Merge, RefusesWhatDoesNotBelongTogether) {
  std::string dir = test::tempDir();
  makeFleet(dir, "fleet");
  auto reports = runShards(dir, {"check", "--isolated", "--format", "json", "fleet"}, "r");
  auto refused = [&](const std::vector<std::string>& args, const std::string& message) {
    auto r = runTfmend(concat({"merge"}, args), "", dir);
    EXPECT_EQ(r.exitCode, 2) << message;
    EXPECT_EQ(r.out, "") << message;
    EXPECT_EQ(r.err, "tfmend: error: " + message + "\n");
  };
  refused({"none.json"}, "none.json: cannot read: No such file or directory");
  refused({reports[0], file(dir, "bad.json", "{\n  \"files\": [\n}\n")},
          "bad.json:3:1: invalid JSON: value - unexpected '}'; expected '[', '{', or a literal");
  refused({file(dir, "other.json", "{\"files\": []}")},
          "other.json: not a tfmend JSON report or fix export (written by `tfmend check --format json` or `tfmend fix --export-fixes`)");

  Json old = Json::parse(test::readFile(dir + "/" + reports[1]));
  old["tool"]["version"] = "0.0.9";
  refused({reports[0], file(dir, "old.json", old.dump())},
          "old.json: /tool/version: \"0.0.9\", and this is tfmend " TFMEND_VERSION "; merge reports written by this version");
  refused({reports[0], reports[1], reports[0]},
          reports[0] + ": /files/0/path: " + Json::parse(test::readFile(dir + "/" + reports[0]))["files"][0]["path"].dump() +
              " is also in " + reports[0] + "; each file must come from one shard");

  Json bad = Json::parse(test::readFile(dir + "/" + reports[1]));
  bad["files"][0]["findings"][0]["line"] = "12";
  refused({reports[0], file(dir, "line.json", bad.dump())}, "line.json: /files/0/findings/0/line: expected a line or column number");
  bad = Json::parse(test::readFile(dir + "/" + reports[1]));
  bad["files"][1]["findings"][2]["rule"] = "TFM999";
  refused({file(dir, "rule.json", bad.dump())}, "rule.json: /files/1/findings/2/rule: unknown rule \"TFM999\"");
  bad = Json::parse(test::readFile(dir + "/" + reports[1]));
  bad["files"][0]["status"] = "fine";
  refused({file(dir, "status.json", bad.dump())}, "status.json: /files/0/status: expected \"clean\", \"fixed\", \"findings\" or \"failed\"");
  bad = Json::parse(test::readFile(dir + "/" + reports[1]));
  bad["files"][0]["findings"][0]["url"] = "https://example.com/rules/" + bad["files"][0]["findings"][0]["rule"].get<std::string>() +
                                          "-" + bad["files"][0]["findings"][0]["name"].get<std::string>() + ".md";
  refused({reports[0], file(dir, "url.json", bad.dump())},
          "url.json: /files/0/findings/0/url: rule pages at \"https://example.com/rules/\", and at "
          "\"https://github.com/tfmend/tfmend/blob/main/docs/rules/\" in " + reports[0] +
              "; merge only the outputs of one run split with --shard");

  bad["files"][0]["findings"][0]["url"] = "https://example.com/rules/page.md";
  refused({file(dir, "page.json", bad.dump())},
          "page.json: /files/0/findings/0/url: expected the URL of " + bad["files"][0]["findings"][0]["rule"].get<std::string>() +
              "'s page");

  auto fixReport = runTfmend({"fix", "--isolated", "--diff", "--format", "json", "--shard", "1/3", "fleet"}, "", dir);
  refused({reports[1], file(dir, "fix.json", fixReport.out)},
          "fix.json: /summary: a `fix` report, and " + reports[1] +
              " is a `check` report; merge only the outputs of one run split with --shard");

  // Exports.
  auto e1 = runTfmend({"fix", "--isolated", "--unsafe-fixes", "--export-fixes", "e1.json", "--shard", "1/3", "fleet"}, "", dir);
  auto e2 = runTfmend({"fix", "--isolated", "--unsafe-fixes", "--export-fixes", "e2.json", "--shard", "2/3", "fleet"}, "", dir);
  auto safe = runTfmend({"fix", "--isolated", "--export-fixes", "safe.json", "--shard", "2/3", "fleet"}, "", dir);
  ASSERT_EQ(e1.exitCode, 0) << e1.err;
  refused({"e1.json", reports[1]}, reports[1] + ": a JSON report, and e1.json is a fix export; merge reports or exports, not both");
  refused({"e1.json", "safe.json"},
          "safe.json: /fix_mode: \"safe\", and \"unsafe\" in e1.json; merge only the outputs of one run split with --shard");
  Json other = Json::parse(test::readFile(dir + "/e2.json"));
  other["settings"]["memory_threshold_percent"] = 85;
  refused({"e1.json", file(dir, "settings.json", other.dump())},
          "settings.json: /settings/memory_threshold_percent: 85, and 80.0 in e1.json; merge only the outputs of one run split with --shard");
  other = Json::parse(test::readFile(dir + "/e2.json"));
  other["rules"].erase(other["rules"].size() - 1);
  refused({"e1.json", file(dir, "rules.json", other.dump())},
          "rules.json: /rules/12: nothing, and \"TFM101\" in e1.json; merge only the outputs of one run split with --shard");
  other = Json::parse(test::readFile(dir + "/e2.json"));
  other["tool"]["version"] = "0.0.9";
  refused({"e1.json", file(dir, "oldfixes.json", other.dump())},
          "oldfixes.json: /tool/version: \"0.0.9\", and \"" TFMEND_VERSION "\" in e1.json; merge only the outputs of one run split with --shard");
  Json e1json = Json::parse(test::readFile(dir + "/e1.json"));
  refused({"e1.json", "e2.json", "e1.json"},
          "e1.json: /files/0/path: " + e1json["files"][0]["path"].dump() + " is also in e1.json; each file must come from one shard");
  other = Json::parse(test::readFile(dir + "/e2.json"));
  other["files"][0].erase("sha256");
  refused({"e1.json", file(dir, "shape.json", other.dump())},
          "shape.json: /files/0: expected {\"path\": string, \"sha256\": string, \"fixes\": [...]}");
  // The output is not written when the merge is refused.
  refused({"e1.json", "safe.json", "-o", "out.json"},
          "safe.json: /fix_mode: \"safe\", and \"unsafe\" in e1.json; merge only the outputs of one run split with --shard");
  EXPECT_FALSE(fs::exists(dir + "/out.json"));
  // Nor over a file that is not an export, as --export-fixes would not.
  refused({"e1.json", "e2.json", "-o", "fleet/team0/ideal/cdk.tf.json"},
          "fleet/team0/ideal/cdk.tf.json: refused: the file exists and is not a tfmend fix export");
}

TEST(Merge, AFileRecordReadsBackAsItWasWritten) {
  std::string dir = test::tempDir();
  makeFleet(dir, "fleet");
  auto r = runTfmend({"fix", "--isolated", "--diff", "--format", "json", "fleet/team0/model-output/cdk.tf.json"}, "", dir);
  Json record = Json::parse(r.out)["files"][0];
  auto report = fileReportFromJson(record, "r.json: /files/0");
  ASSERT_TRUE(report) << report.error().message;
  ReportContext ctx;
  ctx.rules = allRules();
  ctx.fixing = true;
  ctx.diffOnly = true;
  EXPECT_EQ(formatJsonRecord(*report, ctx).dump(2), record.dump(2));
  EXPECT_FALSE(report->findings.empty());
  EXPECT_FALSE(report->fixed.empty());
  EXPECT_EQ(fileReportFromJson(Json::array(), "r.json: /files/0").error().message, "r.json: /files/0: expected a file's record (an object)");
}

// --- The CI recipes of docs/examples/, run as written ---

std::string example(const std::string& name) { return test::readFile(std::string(TFMEND_SOURCE_DIR) + "/docs/examples/" + name); }

std::vector<std::string> linesOf(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

/// Runs `script` with bash in `dir`, the built tfmend first on PATH; the exit code, stdout in `dir`/.stdout.
int runScript(const std::string& dir, const std::string& script, const std::string& env = "") {
  test::writeFile(dir + "/.script.sh", script);
  std::string bin = fs::path(TFMEND_BINARY).parent_path().string();
  return test::shell("cd " + dir + " && " + env + " PATH=" + bin + ":$PATH NO_COLOR=1 bash -e .script.sh > .stdout 2> .stderr");
}

TEST(Merge, TheGithubActionsRecipeRunsAsWritten) {
  const std::string yml = example("github-actions-shards.yml");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(yml, m, std::regex(R"(shard: \[([0-9, ]+)\])")));
  const std::string matrix = m[1].str();
  const int n = static_cast<int>(std::count(matrix.begin(), matrix.end(), ',')) + 1;
  EXPECT_EQ(matrix, "1, 2, 3, 4");
  // The `run: tfmend ...` lines: with --shard, a matrix job's; the others, the merge job's.
  std::vector<std::string> shardLines, mergeLines;
  std::size_t mentions = 0;
  for (const auto& line : linesOf(yml)) {
    static const std::regex run(R"(^\s*(?:- )?run: (tfmend .*)$)");
    std::smatch r;
    if (std::regex_search(line, std::regex(R"(^\s*(?:- )?(?:run: )?tfmend )"))) ++mentions;
    if (!std::regex_match(line, r, run)) continue;
    (r[1].str().find("--shard") != std::string::npos ? shardLines : mergeLines).push_back(r[1].str());
  }
  ASSERT_EQ(shardLines.size(), 2u);
  ASSERT_EQ(mergeLines.size(), 3u);
  EXPECT_EQ(mentions, 5u) << "a tfmend line that this test does not run";

  std::string dir = test::tempDir();
  makeFleet(dir, "cdktf.out");
  for (int k = 1; k <= n; ++k) {
    for (std::string line : shardLines) {
      line = std::regex_replace(line, std::regex(R"(\$\{\{ matrix\.shard \}\})"), std::to_string(k));
      line = std::regex_replace(line, std::regex(R"(\$\{\{ strategy\.job-total \}\})"), std::to_string(n));
      ASSERT_EQ(line.find("${{"), std::string::npos) << line;
      EXPECT_EQ(runScript(dir, line + "\n"), 0) << line << "\n" << test::readFile(dir + "/.stderr");
    }
  }
  // download-artifact (merge-multiple, path: .) puts every shard's files in one folder: they are there already.
  std::vector<int> codes;
  std::vector<std::string> outputs;
  for (const auto& line : mergeLines) {
    codes.push_back(runScript(dir, line + "\n"));
    outputs.push_back(test::readFile(dir + "/.stdout"));
    EXPECT_EQ(test::readFile(dir + "/.stderr").find("error"), std::string::npos) << line << test::readFile(dir + "/.stderr");
  }
  EXPECT_EQ(codes, (std::vector<int>{0, 0, 1}));
  // What one unsharded run gives.
  auto fixes = runTfmend({"fix", "--unsafe-fixes", "--export-fixes", "whole-fixes.json", "cdktf.out/"}, "", dir);
  EXPECT_EQ(test::readFile(dir + "/fixes.json"), test::readFile(dir + "/whole-fixes.json"));
  std::size_t removed = 0;
  auto sarif = runTfmend({"check", "--format", "sarif", "cdktf.out/"}, "", dir);
  EXPECT_EQ(test::readFile(dir + "/tfmend.sarif"), withoutFixes(sarif.out, removed));
  auto text = runTfmend({"check", "cdktf.out/"}, "", dir);
  EXPECT_EQ(outputs[2], text.out);
  EXPECT_EQ(text.exitCode, 1);
}

TEST(Merge, TheKubernetesIndexedJobRunsAsWritten) {
  const std::string yaml = example("k8s-indexed-job.yaml");
  std::smatch m;
  ASSERT_TRUE(std::regex_search(yaml, m, std::regex(R"(completionMode: Indexed\n\s*completions: ([0-9]+))")));
  const int n = std::stoi(m[1].str());
  EXPECT_EQ(n, 4);
  // The scripts: each `args:` block scalar (`- |`), dedented.
  std::vector<std::string> scripts;
  auto lines = linesOf(yaml);
  std::size_t mentions = 0;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (std::regex_search(lines[i], std::regex(R"(^\s*tfmend )"))) ++mentions;
    if (lines[i].find("- |") == std::string::npos || i == 0 || lines[i - 1].find("args:") == std::string::npos) continue;
    std::size_t indent = lines[i].find('-') + 2;
    std::string script;
    for (std::size_t j = i + 1; j < lines.size() && lines[j].size() > indent && lines[j].find_first_not_of(' ') >= indent; ++j) {
      script += lines[j].substr(indent) + "\n";
    }
    scripts.push_back(script);
  }
  ASSERT_EQ(scripts.size(), 2u);
  EXPECT_EQ(mentions, 5u);
  EXPECT_NE(scripts[0].find("--shard \"$((JOB_COMPLETION_INDEX + 1))/" + std::to_string(n) + "\""), std::string::npos)
      << "the shard count differs from completions";
  EXPECT_EQ(std::count(scripts[0].begin(), scripts[0].end(), '\n'), 4);
  EXPECT_EQ(std::count(scripts[1].begin(), scripts[1].end(), '\n'), 4);

  std::string dir = test::tempDir();
  makeFleet(dir, "stacks");
  fs::create_directories(dir + "/out");  // the shared volume
  for (int index = 0; index < n; ++index) {
    EXPECT_EQ(runScript(dir, scripts[0], "JOB_COMPLETION_INDEX=" + std::to_string(index)), 0)
        << index << "\n" << test::readFile(dir + "/.stderr");
  }
  EXPECT_EQ(runScript(dir, scripts[1]), 1) << test::readFile(dir + "/.stderr");  // findings remain
  auto report = runTfmend({"check", "--format", "json", "--no-cache", "stacks/"}, "", dir);
  EXPECT_EQ(test::readFile(dir + "/out/report.json"), report.out);
  auto fixes = runTfmend({"fix", "--unsafe-fixes", "--export-fixes", "whole-fixes.json", "stacks/"}, "", dir);
  EXPECT_EQ(test::readFile(dir + "/out/fixes.json"), test::readFile(dir + "/whole-fixes.json"));
  EXPECT_EQ(test::readFile(dir + "/.stdout"), runTfmend({"check", "--no-cache", "stacks/"}, "", dir).out);
}

}  // namespace
}  // namespace tfmend
