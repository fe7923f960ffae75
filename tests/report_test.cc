#include "tfmend/report.h"

#include <gtest/gtest.h>

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
            "cdktf.out/stacks/app/cdk.tf.json: aws_vpc.main: suppression of TFM003 matches no finding [TFM100]\n"
            "  construct: app/main\n"
            "  fix (safe): remove the unused suppression of TFM003\n"
            "found 1 finding in 1 file, 1 error: 1 fixable with `tfmend fix`\n");
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
  EXPECT_EQ(r["locations"][0]["logicalLocations"][0]["fullyQualifiedName"], "aws_vpc.main");
  EXPECT_EQ(run["invocations"][0]["executionSuccessful"], false);
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
