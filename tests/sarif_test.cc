// SARIF as code scanning reads it, through the binary: locations relative to
// %SRCROOT% wherever tfmend runs from, every rule described and linked, and
// fixes that, applied as SARIF says, give what `tfmend fix` writes.
#include <filesystem>
#include <gtest/gtest.h>

#include "test_support.h"

namespace tfmend {
namespace {

using test::runTfmend;

/// Offset of (line, column) in `text`, both from 1.
std::size_t offsetOf(const std::string& text, int line, int column) {
  std::size_t at = 0;
  for (int l = 1; l < line; ++l) {
    std::size_t nl = text.find('\n', at);
    if (nl == std::string::npos) return text.size();
    at = nl + 1;
  }
  return at + static_cast<std::size_t>(column - 1);
}

/// `text` with the replacements of SARIF fixes applied (from the last one back,
/// so that earlier regions keep their place).
std::string applyFixes(std::string text, const std::vector<Json>& fixes) {
  std::vector<Json> replacements;
  for (const Json& fix : fixes) {
    for (const Json& change : fix["artifactChanges"]) {
      for (const Json& r : change["replacements"]) replacements.push_back(r);
    }
  }
  std::sort(replacements.begin(), replacements.end(), [](const Json& a, const Json& b) {
    return a["deletedRegion"]["startLine"].get<int>() > b["deletedRegion"]["startLine"].get<int>();
  });
  for (const Json& r : replacements) {
    const Json& d = r["deletedRegion"];
    std::size_t from = offsetOf(text, d["startLine"], d["startColumn"]);
    std::size_t to = offsetOf(text, d["endLine"], d["endColumn"]);
    text.replace(from, to - from, r["insertedContent"]["text"].get<std::string>());
  }
  return text;
}

std::string goldenStack(const std::string& name) {
  return std::string(TFMEND_SOURCE_DIR) + "/golden/payment-migration/stacks/" + name + "/cdk.tf.json";
}

TEST(Sarif, UrisAreRelativeToTheRepositoryRootFromAnywhere) {
  std::string repo = test::tempDir();
  ASSERT_EQ(test::shell("git init -q " + repo), 0);
  test::writeFile(repo + "/infra/stacks/app/cdk.tf.json", test::readFile(goldenStack("failure-01")));
  const Json expected = {{"uri", "infra/stacks/app/cdk.tf.json"}, {"uriBaseId", "%SRCROOT%"}};
  for (auto [cwd, path] : std::vector<std::pair<std::string, std::string>>{
           {repo, "infra/stacks/app/cdk.tf.json"},
           {repo + "/infra", "./stacks/app"},
           {repo + "/infra/stacks/app", "cdk.tf.json"},
           {repo + "/infra/stacks", repo + "/infra/stacks/app/cdk.tf.json"},
           {repo + "/infra/stacks", "../stacks/app/../app/cdk.tf.json"}}) {
    auto r = runTfmend({"check", "--isolated", "--format", "sarif", path}, "", cwd);
    ASSERT_EQ(r.exitCode, 1) << cwd << " " << path << r.err;
    Json run = Json::parse(r.out)["runs"][0];
    EXPECT_EQ(run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"], expected) << cwd << " " << path;
    EXPECT_EQ(run["originalUriBaseIds"]["%SRCROOT%"]["uri"], "file://" + std::filesystem::canonical(repo).string() + "/");
  }
  // Outside any repository the root is the working directory; a file outside it has an absolute URI.
  std::string elsewhere = test::tempDir();
  test::writeFile(elsewhere + "/a b/cdk.tf.json", test::readFile(goldenStack("failure-01")));
  auto r = runTfmend({"check", "--isolated", "--format", "sarif", elsewhere + "/a b/cdk.tf.json"}, "", repo + "/infra");
  Json location = Json::parse(r.out)["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"];
  EXPECT_EQ(location, Json({{"uri", "file://" + std::filesystem::canonical(elsewhere).string() + "/a%20b/cdk.tf.json"}}));
}

TEST(Sarif, EveryRuleHasAFullDescriptionAndItsPage) {
  auto r = runTfmend({"check", "--isolated", "--format", "sarif", goldenStack("failure-01")});
  const Json sarif = Json::parse(r.out);
  const Json& rules = sarif["runs"][0]["tool"]["driver"]["rules"];
  ASSERT_EQ(rules.size(), 13u);
  for (const Json& rule : rules) {
    EXPECT_FALSE(rule["fullDescription"]["text"].get<std::string>().empty()) << rule["id"];
    EXPECT_EQ(rule["helpUri"], "https://github.com/tfmend/tfmend/blob/main/docs/rules/" + rule["id"].get<std::string>() + "-" +
                                   rule["name"].get<std::string>() + ".md");
  }
  EXPECT_EQ(rules[2]["fullDescription"]["text"], "A data store that is not encrypted at rest, or whose KMS key is of another region.");
  r = runTfmend({"check", "--isolated", "--format", "sarif", "--docs-base-url", "https://example.com/r", goldenStack("failure-01")});
  EXPECT_EQ(Json::parse(r.out)["runs"][0]["tool"]["driver"]["rules"][0]["helpUri"],
            "https://example.com/r/TFM001-missing-environment-suffix.md");
}

TEST(Sarif, FixesAppliedAsSarifSaysGiveWhatFixWrites) {
  // Two renames each, each its own fix: a VPC's Name tag (safe), a KMS alias
  // (unsafe: it replaces the alias).
  for (auto [stack, mode] : std::vector<std::pair<std::string, std::string>>{{"failure-01", "--select=TFM001"},
                                                                             {"failure-02", "--select=TFM001"}}) {
    std::string dir = test::tempDir();
    std::string original = test::readFile(goldenStack(stack));
    test::writeFile(dir + "/cdk.tf.json", original);
    auto r = runTfmend({"check", "--isolated", mode, "--format", "sarif", "cdk.tf.json"}, "", dir);
    ASSERT_EQ(r.exitCode, 1) << r.err;
    std::vector<Json> fixes;
    const Json sarif = Json::parse(r.out);
    for (const Json& result : sarif["runs"][0]["results"]) {
      ASSERT_TRUE(result.contains("fixes")) << result.dump();
      EXPECT_EQ(result["fixes"][0]["artifactChanges"][0]["artifactLocation"]["uri"], "cdk.tf.json");
      fixes.push_back(result["fixes"][0]);
    }
    ASSERT_FALSE(fixes.empty());
    auto fixed = runTfmend({"fix", "--isolated", "--unsafe-fixes", mode, "cdk.tf.json"}, "", dir);
    EXPECT_EQ(applyFixes(original, fixes), test::readFile(dir + "/cdk.tf.json")) << stack;
    EXPECT_NE(test::readFile(dir + "/cdk.tf.json"), original) << stack;
  }
}

TEST(Sarif, AnUnsafeFixIsItsOwnWholeChange) {
  std::string dir = test::tempDir();
  std::string original = test::readFile(goldenStack("failure-03"));
  test::writeFile(dir + "/cdk.tf.json", original);
  auto r = runTfmend({"check", "--isolated", "--select", "TFM002", "--format", "sarif", "cdk.tf.json"}, "", dir);
  Json result = Json::parse(r.out)["runs"][0]["results"][0];
  ASSERT_TRUE(result.contains("fixes"));
  EXPECT_EQ(result["properties"]["applicability"], "unsafe");
  std::string afterSarif = applyFixes(original, {result["fixes"][0]});
  auto fixed = runTfmend({"fix", "--isolated", "--unsafe-fixes", "--select", "TFM002", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(afterSarif, test::readFile(dir + "/cdk.tf.json"));
  EXPECT_EQ(afterSarif.find("ChangeMe12345!"), std::string::npos);
}

TEST(Sarif, AFindingWithoutAFixSaysWhy) {
  auto r = runTfmend({"check", "--isolated", "--select", "TFM010", "--format", "sarif", goldenStack("failure-10")});
  Json result = Json::parse(r.out)["runs"][0]["results"][0];
  EXPECT_FALSE(result.contains("fixes"));
  EXPECT_EQ(result["properties"]["noFixReason"],
            "us-east-2 has no load balancer to route to yet; this fix follows TFM008's (region-missing-compute)");
}

}  // namespace
}  // namespace tfmend
