// `--baseline FILE` through the binary: a saved JSON report hides the findings
// it has; new ones are reported and fail the run.
#include <gtest/gtest.h>

#include "test_support.h"

namespace tfmend {
namespace {

using test::runTfmend;

std::string golden(const std::string& name) {
  return test::readFile(std::string(TFMEND_SOURCE_DIR) + "/golden/payment-migration/stacks/" + name + "/cdk.tf.json");
}

TEST(Baseline, OnlyNewFindingsAreReported) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/stacks/a/cdk.tf.json", golden("failure-01"));  // two TFM001
  auto saved = runTfmend({"check", "--isolated", "--format", "json", "stacks"}, "", dir);
  ASSERT_EQ(saved.exitCode, 1);
  test::writeFile(dir + "/tfmend-baseline.json", saved.out);

  auto r = runTfmend({"check", "--isolated", "--baseline", "tfmend-baseline.json", "stacks"}, "", dir);
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_EQ(r.out, "all checks passed; 2 findings in the baseline not shown\n");
  // ./stacks/a and stacks/a are the same file.
  r = runTfmend({"check", "--isolated", "--baseline", "tfmend-baseline.json", "./stacks/a/cdk.tf.json"}, "", dir);
  EXPECT_EQ(r.exitCode, 0) << r.out;

  // A new stack with the same failures is new: its findings are reported.
  test::writeFile(dir + "/stacks/b/cdk.tf.json", golden("failure-03"));
  r = runTfmend({"check", "--isolated", "--baseline", "tfmend-baseline.json", "--output-format", "concise", "stacks"}, "", dir);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(r.out,
            "stacks/b/cdk.tf.json:1025:9: TFM002 [high] aws_rds_cluster.database_primary-cluster_62F23CC4: master_password "
            "is a literal value\n"
            "found 1 finding in 1 file: 1 with `tfmend fix --unsafe-fixes`; 2 findings in the baseline not shown\n");
  r = runTfmend({"check", "--isolated", "--baseline", "tfmend-baseline.json", "--format", "json", "stacks"}, "", dir);
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["summary"]["findings"], 1);
  EXPECT_EQ(j["summary"]["baselined"], 2);
  EXPECT_EQ(j["files"][0]["status"], "clean");
  r = runTfmend({"check", "--isolated", "--baseline", "tfmend-baseline.json", "--format", "jsonl", "stacks"}, "", dir);
  EXPECT_EQ(r.out.find("TFM001"), std::string::npos) << r.out;
}

TEST(Baseline, AnUnreadableOrWrongBaselineIsAnError) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/cdk.tf.json", golden("failure-01"));
  auto r = runTfmend({"check", "--isolated", "--baseline", "none.json", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err, "tfmend: error: --baseline none.json: cannot read: No such file or directory\n");
  r = runTfmend({"check", "--isolated", "--baseline", "cdk.tf.json", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err, "tfmend: error: cdk.tf.json: not a tfmend JSON report (write one with `tfmend check --format json`)\n");
  EXPECT_EQ(r.out, "");
}

}  // namespace
}  // namespace tfmend
