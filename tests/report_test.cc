#include "tfmend/report.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <sstream>

#include "tfmend/registry.h"
#include "tfmend/suppression.h"

namespace tfmend {
namespace {

std::vector<FileReport> sample() {
  FileReport ok;
  ok.path = "cdktf.out/stacks/app/cdk.tf.json";
  Finding f;
  f.rule = "TFM100";
  f.message = "suppression of TFM003 matches no finding";
  f.address = "aws_vpc.main";
  f.pointer = "/resource/aws_vpc/main/~1~1/tfmend/ignore/0";
  f.constructPath = "app/main";
  Fix fix;
  fix.title = "remove the unused suppression of TFM003";
  f.fix = fix;
  ok.findings = {f};
  ok.lines = {7};
  FileReport bad;
  bad.path = "broken.tf.json";
  bad.error = "broken.tf.json:1:2: invalid JSON: object key - unexpected end of input; expected string literal";
  return {ok, bad};
}

ReportContext context() {
  ReportContext ctx;
  ctx.rules = allRules();
  return ctx;
}

TEST(Report, JsonFollowsTheContract) {
  Json j = formatJson(sample(), context());
  EXPECT_EQ(j["tool"]["name"], "tfmend");
  ASSERT_EQ(j["files"].size(), 2u);
  const Json& f = j["files"][0]["findings"][0];
  for (const char* key : {"rule", "name", "severity", "message", "address", "pointer", "construct_path", "fix"}) {
    EXPECT_TRUE(f.contains(key)) << key;
  }
  EXPECT_EQ(f["name"], "unused-suppression");
  EXPECT_EQ(f["severity"], "low");
  EXPECT_EQ(f["fix"]["applicability"], "safe");
  EXPECT_EQ(j["files"][0]["error"], nullptr);
  EXPECT_EQ(j["files"][1]["error"], sample()[1].error);
  EXPECT_EQ(j["files"][1]["findings"], Json::array());
  EXPECT_EQ(j["summary"], Json::parse(R"({"files": 2, "findings": 1, "fixable": 1, "errors": 1})"));
}

TEST(Report, TextLikeRuff) {
  EXPECT_EQ(formatText(sample(), context()),
            "cdktf.out/stacks/app/cdk.tf.json:7:1: TFM100 [low] aws_vpc.main: suppression of TFM003 matches no finding\n"
            "  construct: app/main\n"
            "  fix (safe): remove the unused suppression of TFM003\n"
            "found 1 finding in 1 file, 1 error: 1 fixable with `tfmend fix`\n");
}

/// A file's lines written ahead (on the worker that processed it) are the
/// lines the report would have written; written to a stream, the report is
/// the same text.
TEST(Report, TextWrittenAheadOrStreamedIsTheSame) {
  auto files = sample();
  ReportContext ctx = context();
  ctx.showFixes = true;
  files[0].fixed = {files[0].findings[0]};
  const std::string whole = formatText(files, ctx);
  for (auto& f : files) f.text = formatTextFile(f, ctx);
  EXPECT_EQ(*files[1].text, "");  // a file that failed has no lines of its own
  EXPECT_EQ(formatText(files, ctx), whole);
  // What is written ahead is what is printed, not made again.
  files[0].text = "ahead\n";
  EXPECT_EQ(formatText(files, ctx).substr(0, 6), "ahead\n");
  files[0].text.reset();
  for (const char* format : {"text", "concise", "json", "sarif", "github", "jsonl"}) {
    std::ostringstream out;
    writeReport(out, format, files, ctx, false);
    EXPECT_EQ(out.str(), formatReport(format, files, ctx, false)) << format;
  }
}

TEST(Report, ConciseAndColumns) {
  auto files = sample();
  files[0].columns = {11};
  ReportContext ctx = context();
  ctx.concise = true;
  ctx.baselined = 3;
  EXPECT_EQ(formatText(files, ctx),
            "cdktf.out/stacks/app/cdk.tf.json:7:11: TFM100 [low] aws_vpc.main: suppression of TFM003 matches no finding\n"
            "found 1 finding in 1 file, 1 error: 1 fixable with `tfmend fix`; 3 findings in the baseline not shown\n");
  Json j = formatJson(files, ctx);
  EXPECT_EQ(j["files"][0]["findings"][0]["line"], 7);
  EXPECT_EQ(j["files"][0]["findings"][0]["column"], 11);
  EXPECT_EQ(j["files"][0]["findings"][0]["url"], "https://github.com/tfmend/tfmend/blob/main/docs/rules/TFM100-unused-suppression.md");
  EXPECT_EQ(j["summary"]["baselined"], 3);
}

TEST(Report, SarifCarriesRulesAndLocations) {
  Json s = formatSarif(sample(), context());
  EXPECT_EQ(s["version"], "2.1.0");
  const Json& run = s["runs"][0];
  EXPECT_EQ(run["tool"]["driver"]["rules"].size(), allRules().size());
  const Json& r = run["results"][0];
  EXPECT_EQ(r["ruleId"], "TFM100");
  EXPECT_EQ(r["level"], "note");
  EXPECT_EQ(r["locations"][0]["physicalLocation"]["region"]["startLine"], 7);
  EXPECT_EQ(r["locations"][0]["physicalLocation"]["region"]["startColumn"], 1);
  EXPECT_EQ(r["locations"][0]["physicalLocation"]["artifactLocation"]["uriBaseId"], "%SRCROOT%");
  EXPECT_FALSE(r.contains("fixes"));  // no edits were computed for it
  EXPECT_EQ(run["tool"]["driver"]["rules"][11]["helpUri"],
            "https://github.com/tfmend/tfmend/blob/main/docs/rules/TFM100-unused-suppression.md");
  EXPECT_EQ(run["tool"]["driver"]["rules"][11]["fullDescription"]["text"],
            "A suppression in a resource's cdktf metadata that no longer matches a finding.");
  EXPECT_EQ(r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"], "aws_vpc.main");
  EXPECT_EQ(run["invocations"][0]["executionSuccessful"], false);
}

TEST(Report, SarifFixesAreTheEditsOfEachFix) {
  auto files = sample();
  files[0].fixEdits = {{TextEdit{5, 1, 15, 1, ""}}};
  ReportContext ctx = context();
  ctx.sourceRoot = std::filesystem::current_path().string();
  Json r = formatSarif(files, ctx)["runs"][0]["results"][0];
  EXPECT_EQ(r["fixes"], Json::parse(R"([{"description": {"text": "remove the unused suppression of TFM003"},
      "artifactChanges": [{"artifactLocation": {"uri": "cdktf.out/stacks/app/cdk.tf.json", "uriBaseId": "%SRCROOT%"},
        "replacements": [{"deletedRegion": {"startLine": 5, "startColumn": 1, "endLine": 15, "endColumn": 1},
                          "insertedContent": {"text": ""}}]}]}])"));
}

TEST(Report, GithubAnnotations) {
  EXPECT_EQ(formatGithub(sample(), context()),
            "::notice file=cdktf.out/stacks/app/cdk.tf.json,line=7,title=TFM100 unused-suppression::aws_vpc.main: "
            "suppression of TFM003 matches no finding\n"
            "::error file=broken.tf.json,title=tfmend::broken.tf.json:1:2: invalid JSON: object key - unexpected end "
            "of input; expected string literal\n");
}

}  // namespace
}  // namespace tfmend
