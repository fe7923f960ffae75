// The binary end to end: exit codes, stdout and stderr, exactly.
#include <filesystem>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "test_support.h"

namespace tfmend {
namespace {

using test::runTfmend;

const std::string kClean = "{\n  \"resource\": {\n    \"aws_vpc\": {\n      \"a\": {\n        \"cidr_block\": \"10.0.0.0/16\"\n      }\n    }\n  }\n}";
const std::string kUnusedSuppression =
    "{\n  \"resource\": {\n    \"aws_vpc\": {\n      \"a\": {\n        \"//\": {\n          \"tfmend\": {\n"
    "            \"ignore\": [\n              {\n                \"reason\": \"r\",\n                \"rule\": \"TFM100\"\n"
    "              }\n            ]\n          }\n        },\n        \"cidr_block\": \"10.0.0.0/16\"\n      }\n    }\n  }\n}";

TEST(Cli, Version) {
  auto r = runTfmend({"--version"});
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_EQ(r.out, "tfmend " TFMEND_VERSION "\n");
}

TEST(Cli, HelpOnEverySubcommand) {
  for (std::string sub : {"check", "fix", "review", "apply", "merge", "rules", "explain", "completion"}) {
    auto r = runTfmend({sub, "--help"});
    EXPECT_EQ(r.exitCode, 0) << sub;
    EXPECT_NE(r.out.find("Usage:"), std::string::npos) << sub;
  }
}

TEST(Cli, UsageErrorsExitTwo) {
  auto r = runTfmend({"check", "--format", "xml", "x"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err,
            "tfmend: error: --format: xml not in {text,full,concise,json,jsonl,sarif,github,html}\n"
            "run `tfmend check --help` for usage\n");
  r = runTfmend({"check", "--select", "NOPE", "x"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err, "tfmend: error: unknown rule selector \"NOPE\" (see `tfmend rules`)\n");
}

TEST(Cli, CleanFileExitsZero) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/cdk.tf.json", kClean);
  auto r = runTfmend({"check", "--isolated", dir + "/cdk.tf.json"});
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_EQ(r.out, "all checks passed\n");
  EXPECT_EQ(r.err, "");
}

TEST(Cli, InvalidJsonIsOneLineExitTwoAndOthersGoOn) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/a/cdk.tf.json", "{\n  \"resource\": {\n}");
  test::writeFile(dir + "/b/cdk.tf.json", kClean);
  auto r = runTfmend({"fix", "--isolated", dir});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err, "error: " + dir + "/a/cdk.tf.json:3:2: invalid JSON: object - unexpected end of input; expected '}'\n");
  EXPECT_EQ(r.out, "fixed 0 findings, 0 remaining, 1 error\n\nfiles: 2 (1 clean, 1 failed)\n  failed: " + dir +
                       "/a/cdk.tf.json:3:2: invalid JSON: object - unexpected end of input; expected '}'\n");
  EXPECT_EQ(test::readFile(dir + "/a/cdk.tf.json"), "{\n  \"resource\": {\n}");
}

TEST(Cli, MissingFileAndWrongShape) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/shape.tf.json", "{\"resource\": {\"aws_vpc\": []}}");
  auto r = runTfmend({"check", "--isolated", "--format", "json", dir + "/none.tf.json", dir + "/shape.tf.json"});
  EXPECT_EQ(r.exitCode, 2);
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["files"][0]["error"], dir + "/none.tf.json: cannot read: No such file or directory");
  EXPECT_EQ(j["files"][1]["error"], dir + "/shape.tf.json: /resource/aws_vpc: expected an object, found an array");
  EXPECT_EQ(j["summary"]["errors"], 2);
}

TEST(Cli, FixDiffWritesNothingAndTheDiffApplies) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/stack/cdk.tf.json", kUnusedSuppression);
  auto r = runTfmend({"fix", "--isolated", "--diff", "stack/cdk.tf.json"}, "", dir);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(test::readFile(dir + "/stack/cdk.tf.json"), kUnusedSuppression);
  EXPECT_EQ(r.err, "would fix 1 finding, 0 remaining\n");
  test::writeFile(dir + "/p.diff", r.out);
  ASSERT_EQ(test::shell("cd " + dir + " && git init -q . && git apply p.diff"), 0) << r.out;
  auto after = runTfmend({"fix", "--isolated", "stack/cdk.tf.json"}, "", dir);
  EXPECT_EQ(after.exitCode, 0);
  EXPECT_EQ(after.out, "fixed 0 findings, 0 remaining\n");
}

TEST(Cli, FixInPlaceKeepsModeAndExitNonZeroOnFix) {
  std::string dir = test::tempDir();
  std::string path = dir + "/cdk.tf.json";
  test::writeFile(path, kUnusedSuppression);
  ::chmod(path.c_str(), 0600);
  auto r = runTfmend({"fix", "--isolated", "--show-fixes", "--exit-non-zero-on-fix", path});
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(r.out, path + ": aws_vpc.a: fixed: remove the unused suppression of TFM100 [TFM100]\nfixed 1 finding, 0 remaining\n");
  // The last suppression takes its "//" with it.
  EXPECT_EQ(test::readFile(path), "{\n  \"resource\": {\n    \"aws_vpc\": {\n      \"a\": {\n"
                                  "        \"cidr_block\": \"10.0.0.0/16\"\n      }\n    }\n  }\n}");
  struct stat st {};
  ::stat(path.c_str(), &st);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(Cli, StdinFixPrintsTheFixedJson) {
  auto r = runTfmend({"fix", "--isolated", "-"}, kUnusedSuppression);
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_EQ(r.out, "{\n  \"resource\": {\n    \"aws_vpc\": {\n      \"a\": {\n        \"cidr_block\": \"10.0.0.0/16\"\n      }\n    }\n  }\n}");
  EXPECT_EQ(r.err, "fixed 1 finding, 0 remaining\n");
}

TEST(Cli, ConfigFileFoundUpwardAndCommandLineWins) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/tfmend.toml", "ignore = [\"TFM100\"]\n");
  test::writeFile(dir + "/sub/cdk.tf.json", kUnusedSuppression);
  auto r = runTfmend({"check", "cdk.tf.json"}, "", dir + "/sub");
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_EQ(r.out, "all checks passed\n");
  r = runTfmend({"check", "--ignore", "TFM101", "cdk.tf.json"}, "", dir + "/sub");
  EXPECT_EQ(r.exitCode, 1);
  test::writeFile(dir + "/tfmend.toml", "colour = true\n");
  r = runTfmend({"check", "cdk.tf.json"}, "", dir + "/sub");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err, "tfmend: error: " + dir + "/tfmend.toml:1:1: unknown key \"colour\"\n");
}

TEST(Cli, RulesAndExplain) {
  auto r = runTfmend({"rules"});
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_NE(r.out.find("TFM100  unused-suppression"), std::string::npos);
  r = runTfmend({"explain", "TFM100"});
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_EQ(r.out.rfind("# TFM100 unused-suppression", 0), 0u) << r.out;
  r = runTfmend({"explain", "TFM999"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err, "tfmend: error: unknown rule \"TFM999\" (see `tfmend rules`)\n");
}

TEST(Cli, SarifAndGithubFormats) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/cdk.tf.json", kUnusedSuppression);
  auto r = runTfmend({"check", "--isolated", "--format", "sarif", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(r.exitCode, 1);
  Json s = Json::parse(r.out);
  EXPECT_EQ(s["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"], 8);
  r = runTfmend({"check", "--isolated", "--format", "github", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(r.out, "::notice file=cdk.tf.json,line=8,title=TFM100 unused-suppression::aws_vpc.a: suppression of TFM100 matches no finding\n");
}

TEST(Cli, TextIsPathLineColumnRuleSeverityThenConstructAndFix) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/cdk.tf.json", kUnusedSuppression);
  auto r = runTfmend({"check", "--isolated", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(r.out,
            "cdk.tf.json:8:15: TFM100 [low] aws_vpc.a: suppression of TFM100 matches no finding\n"
            "  fix (safe): remove the unused suppression of TFM100\n"
            "found 1 finding in 1 file: 1 fixable with `tfmend fix`\n");
  // One line a finding, as ruff's concise output; --output-format is --format.
  r = runTfmend({"check", "--isolated", "--output-format", "concise", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(r.out,
            "cdk.tf.json:8:15: TFM100 [low] aws_vpc.a: suppression of TFM100 matches no finding\n"
            "found 1 finding in 1 file: 1 fixable with `tfmend fix`\n");
}

TEST(Cli, LinesAndColumnsAreThoseOfTheFileInAnyLayout) {
  // The same stack minified onto one line, and with CRLF and tabs: the place
  // given is where the key is in that text, not in cdktf's layout.
  std::string dir = test::tempDir();
  auto doc = Json::parse(kUnusedSuppression);
  test::writeFile(dir + "/min.tf.json", doc.dump());
  std::string tabbed = doc.dump(1, '\t');
  std::string crlf;
  for (char c : tabbed) crlf += c == '\n' ? std::string("\r\n") : std::string(1, c);
  test::writeFile(dir + "/crlf.tf.json", crlf);
  auto r = runTfmend({"check", "--isolated", "--no-cache", "--output-format", "concise", "min.tf.json", "crlf.tf.json"}, "", dir);
  EXPECT_EQ(r.exitCode, 1);
  std::string at = doc.dump();
  std::size_t column = at.find("\"ignore\":[") + std::string("\"ignore\":[").size() + 1;  // the element
  EXPECT_EQ(r.out.substr(0, r.out.find(" TFM100")), "min.tf.json:1:" + std::to_string(column) + ":") << r.out;
  EXPECT_NE(r.out.find("crlf.tf.json:8:8: TFM100"), std::string::npos) << r.out;  // seven tabs in
}

TEST(Cli, TextSaysWhyThereIsNoFix) {
  std::string stack = std::string(TFMEND_SOURCE_DIR) + "/golden/payment-migration/stacks/failure-10/cdk.tf.json";
  auto r = runTfmend({"check", "--isolated", "--select", "TFM010", stack});
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(r.out, stack +
                       ":840:7: TFM010 [medium] aws_route53_record.dns_primary-record_D1106F72: weighted routing set "
                       "\"api.payments-dev.example.com\" has no record for us-east-2, which belongs to the stack's regions\n"
                       "  construct: failure-10/dns/primary-record\n"
                       "  no fix: us-east-2 has no load balancer to route to yet; this fix follows TFM008's "
                       "(region-missing-compute)\n"
                       "found 1 finding in 1 file\n");
}

TEST(Cli, SelectTakesCommaListsInAnyCaseAndSuggests) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/cdk.tf.json", kUnusedSuppression);
  auto r = runTfmend({"check", "--isolated", "--select", "tfm001,Unused-Suppression", "--format", "json", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(Json::parse(r.out)["summary"]["findings"], 1);
  r = runTfmend({"check", "--isolated", "--ignore", "tfm1", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_EQ(r.out, "all checks passed\n");
  r = runTfmend({"check", "--select", "TFM001,TFM0022", "x"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err, "tfmend: error: unknown rule selector \"TFM0022\" (did you mean \"TFM002\"?)\n");
  r = runTfmend({"check", "--help"});
  EXPECT_NE(r.out.find("--select RULE[,RULE...]"), std::string::npos) << r.out;
}

TEST(Cli, DidYouMeanForCommandsAndOptions) {
  auto r = runTfmend({"chek", "x"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err, "tfmend: error: unknown command \"chek\" (did you mean \"check\"?)\nrun `tfmend --help` for usage\n");
  r = runTfmend({"check", "--selct", "TFM001", "x"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err,
            "tfmend: error: unknown option \"--selct\" for `tfmend check` (did you mean \"--select\"?)\n"
            "run `tfmend check --help` for usage\n");
  r = runTfmend({"explain", "unencrypted-data-stor"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err, "tfmend: error: unknown rule \"unencrypted-data-stor\" (did you mean \"unencrypted-data-store\"?)\n");
}

TEST(Cli, ValuesAreCheckedOnTheCommandLine) {
  auto refused = [](const std::vector<std::string>& args, const std::string& message) {
    auto r = runTfmend(args);
    EXPECT_EQ(r.exitCode, 2) << args[1];
    EXPECT_EQ(r.err, "tfmend: error: " + message + "\nrun `tfmend check --help` for usage\n");
  };
  for (std::string bad : {"nan", "inf", "1e400", "-5", "0", "101"}) {
    refused({"check", "--memory-threshold-percent", bad, "x"},
            "--memory-threshold-percent: must be a number greater than 0 and at most 100, not " + bad);
  }
  refused({"check", "--replication-lag-threshold-ms", "NaN", "x"},
          "--replication-lag-threshold-ms: must be a number greater than 0 and at most 86400000, not NaN");
  refused({"check", "--env-suffix", "-dev", "x"},
          "--env-suffix: \"-dev\" is not a name fragment: lowercase letters and digits, hyphens only inside, at most 32 "
          "characters (e.g. \"dev\", \"prod-eu\")");
  refused({"check", "--shard", "1/3x", "x"}, "--shard: \"1/3x\" is not K/N with 1 <= K <= N");
  refused({"check", "--shard", "4/3", "x"}, "--shard: \"4/3\" is not K/N with 1 <= K <= N");
  refused({"check", "--phase-variable", "9phase", "x"},
          "--phase-variable: \"9phase\" is not a Terraform identifier (a letter or _, then letters, digits, _ and -)");
  refused({"check", "--docs-base-url", "docs/rules", "x"}, "--docs-base-url: \"docs/rules\" is not an http:// or https:// URL");
  refused({"check", "--fail-on", "severe", "x"}, "--fail-on: severe not in {low,medium,high}");
}

TEST(Cli, NoInputFoundIsAnError) {
  std::string dir = test::tempDir();
  auto r = runTfmend({"check", "--isolated", dir});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err, "tfmend: error: no *.tf.json file found in \"" + dir + "\"\n");
  EXPECT_EQ(r.out, "");
  test::writeFile(dir + "/main.tf", "resource \"aws_vpc\" \"a\" {}\n");
  test::writeFile(dir + "/other/x.json", "{}");
  r = runTfmend({"fix", "--isolated", "."}, "", dir);
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err, "tfmend: error: no *.tf.json file found in \".\"\n");
  r = runTfmend({"review", "--isolated"}, "", dir);
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err, "tfmend: error: no *.tf.json file found in \".\"\n");
}

TEST(Cli, MaxFileSizeRefusesLargerInputs) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/a.tf.json", kClean);
  for (std::string sub : {"check", "fix", "review"}) {
    auto r = runTfmend({sub, "--isolated", "--max-file-size", "10", dir + "/a.tf.json"}, "");
    EXPECT_EQ(r.exitCode, 2) << sub;
    EXPECT_NE(r.err.find(dir + "/a.tf.json: cannot read: larger than the limit of 10 bytes"), std::string::npos)
        << sub << r.err;
  }
  EXPECT_EQ(runTfmend({"check", "--isolated", "--max-file-size", "1000", dir + "/a.tf.json"}).exitCode, 0);
  EXPECT_EQ(runTfmend({"check", "--isolated", "--max-file-size", "0", dir}).exitCode, 2);
  EXPECT_EQ(test::readFile(dir + "/a.tf.json"), kClean);
}

TEST(Cli, TheOutputFolderIsNeverReadAsInput) {
  // fix --output-dir out . twice: the second run must not find out/ under "."
  std::string dir = test::tempDir();
  test::writeFile(dir + "/a.tf.json", kUnusedSuppression);
  for (int run = 0; run < 2; ++run) {
    auto r = runTfmend({"fix", "--isolated", "--output-dir", "out", "."}, "", dir);
    EXPECT_EQ(r.exitCode, 0) << r.err;
    EXPECT_EQ(r.out, "fixed 1 finding, 0 remaining\n") << run;
  }
  EXPECT_FALSE(std::filesystem::exists(dir + "/out/out"));
}

TEST(Cli, FailOnCountsOnlyFindingsAtOrAboveTheSeverity) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/cdk.tf.json", kUnusedSuppression);  // TFM100 is low
  auto r = runTfmend({"check", "--isolated", "--fail-on", "medium", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_EQ(r.out.rfind("cdk.tf.json:8:15: TFM100 [low]", 0), 0u) << r.out;  // still reported
  r = runTfmend({"check", "--isolated", "--fail-on", "low", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(r.exitCode, 1);
  std::string stack = std::string(TFMEND_SOURCE_DIR) + "/golden/payment-migration/stacks/failure-04/cdk.tf.json";
  r = runTfmend({"check", "--isolated", "--fail-on", "high", stack});  // TFM003 is high
  EXPECT_EQ(r.exitCode, 1);
}

TEST(Cli, DocsUrlInExplainJsonAndRules) {
  auto r = runTfmend({"explain", "--isolated", "tfm003"});
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_EQ(r.out.rfind("# TFM003 unencrypted-data-store\n", 0), 0u);
  const std::string tail = "\nOnline: https://github.com/tfmend/tfmend/blob/main/docs/rules/TFM003-unencrypted-data-store.md\n";
  ASSERT_GE(r.out.size(), tail.size());
  EXPECT_EQ(r.out.substr(r.out.size() - tail.size()), tail);
  r = runTfmend({"explain", "--isolated", "--docs-base-url", "https://docs.example.com/tfmend", "unencrypted-data-store"});
  EXPECT_NE(r.out.find("\nOnline: https://docs.example.com/tfmend/TFM003-unencrypted-data-store.md\n"), std::string::npos);

  std::string dir = test::tempDir();
  test::writeFile(dir + "/cdk.tf.json", kUnusedSuppression);
  test::writeFile(dir + "/tfmend.toml", "docs-base-url = \"https://wiki.example.com/tfmend/\"\n");
  r = runTfmend({"check", "--format", "json", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(Json::parse(r.out)["files"][0]["findings"][0]["url"], "https://wiki.example.com/tfmend/TFM100-unused-suppression.md");
  r = runTfmend({"rules", "--format", "json"}, "", dir);
  EXPECT_EQ(Json::parse(r.out)[0]["url"], "https://wiki.example.com/tfmend/TFM001-missing-environment-suffix.md");
  r = runTfmend({"explain", "TFM100"}, "", dir);
  EXPECT_NE(r.out.find("\nOnline: https://wiki.example.com/tfmend/TFM100-unused-suppression.md\n"), std::string::npos);
}

TEST(Cli, StructuredFormatsGoToStdoutOnADryRun) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/cdk.tf.json", kUnusedSuppression);
  auto r = runTfmend({"fix", "--isolated", "--diff", "--format", "sarif", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(r.exitCode, 1);  // fixes would be applied
  EXPECT_EQ(r.err, "");
  EXPECT_EQ(Json::parse(r.out)["version"], "2.1.0");
  r = runTfmend({"fix", "--isolated", "--diff", "--format", "json", "cdk.tf.json"}, "", dir);
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["files"][0]["fixed"][0]["rule"], "TFM100");
  EXPECT_EQ(j["files"][0]["diff"].get<std::string>().rfind("--- a/cdk.tf.json\n+++ b/cdk.tf.json\n@@ -2,16 +2,6 @@\n", 0), 0u);
  EXPECT_EQ(test::readFile(dir + "/cdk.tf.json"), kUnusedSuppression);
}

TEST(Cli, HtmlOnADryRunSaysWouldFixAndListsFindings) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/cdk.tf.json", kUnusedSuppression);
  auto r = runTfmend({"fix", "--isolated", "--diff", "--format", "html", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_NE(r.out.find(": 1 file (dry run: nothing was written)</h1>"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("<summary>cdk.tf.json (would fix 1, 0 left)</summary>"), std::string::npos);
  EXPECT_NE(r.out.find("<li class=\"fixed\">would fix: TFM100 aws_vpc.a: suppression of TFM100 matches no finding</li>"),
            std::string::npos);
  EXPECT_EQ(r.out.find(">fixed<"), std::string::npos);
  r = runTfmend({"check", "--isolated", "--format", "html", "cdk.tf.json"}, "", dir);
  EXPECT_NE(r.out.find("<li class=\"findings\">TFM100 aws_vpc.a: suppression of TFM100 matches no finding</li>"),
            std::string::npos);
}

TEST(Cli, ExportFixesToStdout) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/cdk.tf.json", kUnusedSuppression);
  auto r = runTfmend({"fix", "--isolated", "--export-fixes", "-", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(r.exitCode, 0);
  Json exported = Json::parse(r.out);  // only the export is on stdout
  EXPECT_EQ(exported["kind"], "tfmend-fixes");
  EXPECT_EQ(exported["files"][0]["path"], "cdk.tf.json");
  EXPECT_EQ(r.err, "would fix 1 finding, 0 remaining\n");
  EXPECT_EQ(test::readFile(dir + "/cdk.tf.json"), kUnusedSuppression);
  test::writeFile(dir + "/fixes.json", r.out);
  auto applied = runTfmend({"apply", "fixes.json"}, "", dir);
  EXPECT_EQ(applied.exitCode, 0) << applied.err;
  EXPECT_EQ(test::readFile(dir + "/cdk.tf.json").find("tfmend"), std::string::npos);
}

TEST(Cli, SuppressionsNameRulesAsTheCommandLineDoes) {
  std::string stack = test::readFile(std::string(TFMEND_SOURCE_DIR) + "/golden/payment-migration/stacks/failure-01/cdk.tf.json");
  Json doc = Json::parse(stack);
  doc["resource"]["aws_vpc"]["networking_primary-vpc_B06A8CA8"]["//"]["tfmend"] =
      Json::parse(R"({"ignore": [{"rule": "Missing-Environment-Suffix", "reason": "shared VPC, named by the network team"}]})");
  doc["resource"]["aws_vpc"]["networking_secondary-vpc_07AC8E58"]["//"]["tfmend"] =
      Json::parse(R"({"ignore": [{"rule": "tfm0011", "reason": "typo"}]})");
  std::string dir = test::tempDir();
  test::writeFile(dir + "/cdk.tf.json", doc.dump(2));
  auto r = runTfmend({"check", "--isolated", "--output-format", "concise", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(r.exitCode, 1);
  // The first VPC's finding is suppressed by name; the second's suppression names no rule.
  EXPECT_NE(r.out.find(": TFM101 [medium] aws_vpc.networking_secondary-vpc_07AC8E58: suppression names unknown rule "
                       "\"tfm0011\" (did you mean \"TFM001\"?)\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("TFM001 [medium] aws_vpc.networking_primary-vpc"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("TFM001 [medium] aws_vpc.networking_secondary-vpc"), std::string::npos) << r.out;
}

}  // namespace
}  // namespace tfmend

#include <poll.h>
#include <pty.h>
#include <sys/wait.h>

namespace tfmend {
namespace {

/// Runs tfmend on a pseudo-terminal and returns what the terminal showed.
std::string onTerminal(const std::vector<std::string>& args, bool noColor) {
  int master = -1;
  pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  if (pid == 0) {
    if (noColor) ::setenv("NO_COLOR", "1", 1);
    else ::unsetenv("NO_COLOR");
    std::vector<char*> argv{const_cast<char*>(TFMEND_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(TFMEND_BINARY, argv.data());
    ::_exit(127);
  }
  std::string screen;
  char buf[4096];
  while (true) {
    pollfd p{master, POLLIN, 0};
    if (::poll(&p, 1, 2000) <= 0) break;
    ssize_t n = ::read(master, buf, sizeof buf);
    if (n <= 0) break;
    screen.append(buf, static_cast<std::size_t>(n));
  }
  ::waitpid(pid, nullptr, 0);
  ::close(master);
  return screen;
}

TEST(Cli, DiffIsColouredOnATerminalUnlessNoColor) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/cdk.tf.json", kUnusedSuppression);
  std::string coloured = onTerminal({"fix", "--isolated", "--diff", dir + "/cdk.tf.json"}, false);
  EXPECT_NE(coloured.find("\033[31m-"), std::string::npos) << coloured;
  std::string plain = onTerminal({"fix", "--isolated", "--diff", dir + "/cdk.tf.json"}, true);
  EXPECT_EQ(plain.find("\033["), std::string::npos) << plain;
  EXPECT_NE(plain.find("-          \"tfmend\": {"), std::string::npos) << plain;
}

}  // namespace
}  // namespace tfmend

namespace tfmend {
namespace {

TEST(Cli, TheSecretIsNeverPrintedUnlessAsked) {
  std::string stack = std::string(TFMEND_SOURCE_DIR) + "/golden/payment-migration/stacks/failure-03/cdk.tf.json";
  const std::string secret = "ChangeMe12345!";
  for (const char* format : {"text", "concise", "json", "jsonl", "sarif", "github", "html"}) {
    auto r = runTfmend({"check", "--isolated", "-v", "--format", format, stack});
    EXPECT_EQ(r.out.find(secret), std::string::npos) << format;
    EXPECT_EQ(r.err.find(secret), std::string::npos) << format;
  }
  for (const char* format : {"sarif", "json", "html"}) {
    auto r = runTfmend({"fix", "--isolated", "--unsafe-fixes", "--diff", "--format", format, stack});
    EXPECT_EQ(r.out.find(secret), std::string::npos) << format;
  }
  auto diff = runTfmend({"fix", "--isolated", "-v", "--unsafe-fixes", "--diff", stack});
  EXPECT_EQ(diff.out.find(secret), std::string::npos);
  EXPECT_EQ(diff.err.find(secret), std::string::npos);
  EXPECT_NE(diff.out.find("\"master_password\": \"********\""), std::string::npos);
  auto shown = runTfmend({"fix", "--isolated", "--unsafe-fixes", "--diff", "--show-secrets", stack});
  EXPECT_NE(shown.out.find("-        \"master_password\": \"ChangeMe12345!\","), std::string::npos);
}

}  // namespace
}  // namespace tfmend
