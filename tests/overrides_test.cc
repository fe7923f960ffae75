#include "tfmend/overrides.h"

#include <cstdlib>
#include <gtest/gtest.h>

#include "test_support.h"

namespace tfmend {
namespace {

std::string describe(const std::vector<Override>& overrides) {
  std::string out;
  for (const auto& o : overrides) {
    out += (o.stackLevel ? std::string("stack") : o.constructPath) + " " + o.path + " = " + (o.remove ? "<remove>" : o.value.dump()) +
           (o.rule.empty() ? "" : " [" + o.rule + "]") + "\n";
  }
  return out;
}

TEST(Overrides, DeepestPathsElementByElementAndRemovals) {
  Json before = Json::parse(R"({"//": {"metadata": {"stackName": "s"}}, "resource": {"aws_ecs_service": {"svc": {
    "//": {"metadata": {"path": "s/svc", "uniqueId": "svc"}},
    "deployment_controller": {"type": "ECS"}, "lifecycle": {"ignore_changes": ["desired_count"]},
    "master_username": "admin", "name": "svc"}}}})");
  Json after = Json::parse(R"({"//": {"metadata": {"stackName": "s"}}, "resource": {"aws_ecs_service": {"svc": {
    "//": {"metadata": {"path": "s/svc", "uniqueId": "svc"}},
    "deployment_controller": {"type": "CODE_DEPLOY"}, "lifecycle": {"ignore_changes": ["desired_count", "task_definition"]},
    "name": "svc"}}, "aws_iam_role": {"r": {"name": "r"}}}, "variable": {"v": {"type": "string"}}})");
  auto o = computeOverrides({"x", &before, &after, {}, {}});
  ASSERT_TRUE(o) << o.error().message;
  // An array is appended to by cdktf, so it changes element by element; a
  // removed key is deleted; what is new is added at the stack.
  EXPECT_EQ(describe(*o),
            "s/svc deployment_controller.type = \"CODE_DEPLOY\"\n"
            "s/svc lifecycle.ignore_changes.1 = \"task_definition\"\n"
            "s/svc master_username = <remove>\n"
            "stack resource.aws_iam_role.r = {\"name\":\"r\"}\n"
            "stack variable = {\"v\":{\"type\":\"string\"}}\n");
}

TEST(Overrides, WhatNoOverrideCanDo) {
  Json before = Json::parse(R"({"resource": {"aws_vpc": {"v": {"tags": {"a.b": "x"}}}}})");
  Json after = Json::parse(R"({"resource": {"aws_vpc": {"v": {"tags": {"a.b": "y"}}}}})");
  auto o = computeOverrides({"x", &before, &after, {}, {}});
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().message, "x: resource.aws_vpc.v has no cdktf construct path, so no override can reach it");
  before["resource"]["aws_vpc"]["v"]["//"] = {{"metadata", {{"path", "s/v"}}}};
  after["resource"]["aws_vpc"]["v"]["//"] = {{"metadata", {{"path", "s/v"}}}};
  o = computeOverrides({"x", &before, &after, {}, {}});
  ASSERT_FALSE(o);
  EXPECT_EQ(o.error().message, "x: a key with a \".\" (a.b) cannot be an override path");
}

TEST(Overrides, TheEmittedSourceNamesRuleConstructAndFix) {
  Document doc = test::load(std::string(TFMEND_SOURCE_DIR) + "/golden/payment-migration/stacks/failure-04/cdk.tf.json");
  auto r = test::runTfmend({"fix", "--isolated", "--unsafe-fixes", "--emit-overrides", "typescript", "-",
                            std::string(TFMEND_SOURCE_DIR) + "/golden/payment-migration/stacks/failure-04/cdk.tf.json"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("  // TFM003 · failure-04/database/global-cluster: encrypt at rest, together with "
                       "aws_rds_cluster.database_primary-cluster_62F23CC4 (with aws_kms_key.security_primary-kms-key_1F87EDB4)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("  element(stack, \"failure-04/database/global-cluster\").addOverride(\"storage_encrypted\", true);\n"),
            std::string::npos);
  EXPECT_NE(r.out.find("export function applyTfmendFixes(stack: TerraformStack): void {"), std::string::npos);
  auto py = test::runTfmend({"fix", "--isolated", "--unsafe-fixes", "--emit-overrides", "python", "-",
                             std::string(TFMEND_SOURCE_DIR) + "/golden/payment-migration/stacks/failure-03/cdk.tf.json"});
  EXPECT_EQ(py.exitCode, 0) << py.err;
  EXPECT_NE(py.out.find("def apply_tfmend_fixes(stack: TerraformStack) -> None:"), std::string::npos) << py.out;
  EXPECT_NE(py.out.find("the literal secret still sits in the app's source"), std::string::npos);
  EXPECT_EQ(py.out.find("ChangeMe"), std::string::npos);  // the password never reaches source
  auto bad = test::runTfmend({"fix", "--isolated", "--emit-overrides", "java", "-", "x.tf.json"});
  EXPECT_EQ(bad.exitCode, 2);
  EXPECT_EQ(bad.err, "tfmend: error: --emit-overrides java: expected typescript or python\n");
}

/// The proof: the golden app, given the emitted TypeScript overrides,
/// re-synthesizes exactly tfmend's fixed stacks, which re-check clean; the
/// Python overrides compile and encode the same overrides. Needs node and npm
/// (CI has them).
TEST(Overrides, FixesSurviveCdktfSynth) {
  if (std::system("command -v node >/dev/null 2>&1 && command -v npm >/dev/null 2>&1 && command -v python3 >/dev/null 2>&1") != 0) {
    if (const char* ci = std::getenv("CI"); ci && std::string(ci) == "true") FAIL() << "CI must run this: node, npm or python3 is missing";
    GTEST_SKIP() << "node, npm or python3 is missing; CI runs this";
  }
  std::string log = test::tempDir() + "/resynth.log";
  int code = test::shell("TFMEND=" + std::string(TFMEND_BINARY) + " bash " + TFMEND_SOURCE_DIR +
                         "/scripts/resynth-golden-fixes.sh > " + log + " 2>&1");
  std::string out = test::readFile(log);
  EXPECT_EQ(code, 0) << out;
  EXPECT_NE(out.find("15 stacks re-synthesized with "), std::string::npos) << out;
  EXPECT_NE(out.find("; 0 failures\nevery re-synthesized stack re-checks clean\n"), std::string::npos) << out;
}

}  // namespace
}  // namespace tfmend
