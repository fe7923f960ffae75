#include "tfmend/suppression.h"

#include <gtest/gtest.h>

#include "tfmend/engine.h"
#include "tfmend/registry.h"
#include "test_support.h"

namespace tfmend {
namespace {

std::vector<Finding> run(const std::string& text, FixMode mode = FixMode::None, std::string* fixed = nullptr) {
  auto d = parseDocument("s.tf.json", text);
  EXPECT_TRUE(d);
  const Rule* rules[] = {&test::missingNameTagRule(), &unusedSuppressionRule(), &invalidSuppressionRule()};
  EngineOptions o;
  o.fixMode = mode;
  auto out = runEngine(*d, rules, Settings{}, o);
  EXPECT_TRUE(out) << out.error().message;
  if (fixed) *fixed = out->fixedText;
  return out->findings;
}

TEST(Suppression, SilencesTheRuleForThatResource) {
  auto f = run(R"({"resource": {"aws_vpc": {
    "a": {"//": {"tfmend": {"ignore": [{"rule": "TST001", "reason": "shared VPC, named elsewhere"}]}}},
    "b": {}}}})");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].address, "aws_vpc.b");
}

TEST(Suppression, RulesAreNamedAsOnTheCommandLine) {
  auto f = run(R"({"resource": {"aws_vpc": {
    "a": {"//": {"tfmend": {"ignore": [{"rule": "missing-name-tag", "reason": "named elsewhere"}]}}},
    "b": {"//": {"tfmend": {"ignore": [{"rule": "tst001", "reason": "named elsewhere"}]}}},
    "c": {"//": {"tfmend": {"ignore": [{"rule": "missing-name-tags", "reason": "r"}]}}}}}})");
  ASSERT_EQ(f.size(), 2u);  // in document order: c's suppression, then c's missing tag
  EXPECT_EQ(f[0].rule, "TFM101");
  EXPECT_EQ(f[0].message, "suppression names unknown rule \"missing-name-tags\" (did you mean \"missing-name-tag\"?)");
  EXPECT_EQ(f[1].address, "aws_vpc.c");
  EXPECT_EQ(f[1].rule, "TST001");
  // An unused one names the rule by its ID.
  f = run(R"({"resource": {"aws_vpc": {"a": {"tags": {"Name": "x"}, "//": {"tfmend": {"ignore": [{"rule": "missing-name-tag", "reason": "r"}]}}}}}})");
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].message, "suppression of TST001 matches no finding");
}

TEST(Suppression, ReasonIsRequiredAndRulesMustExist) {
  auto f = run(R"({"resource": {"aws_vpc": {"a": {"tags": {"Name": "x"}, "//": {"tfmend": {"ignore": [
    {"rule": "TST001"}, {"rule": "TFM999", "reason": "r"}, "TST001"]}}}}}})");
  ASSERT_EQ(f.size(), 3u);
  EXPECT_EQ(f[0].rule, "TFM101");
  EXPECT_EQ(f[0].message, "suppression of TST001 gives no reason");
  EXPECT_EQ(f[1].message, "suppression names unknown rule \"TFM999\"");
  EXPECT_EQ(f[2].message, "suppression must be {\"rule\": \"TFMxxx\", \"reason\": \"...\"}");
}

TEST(Suppression, ASuppressionOfADormantRuleIsKept) {
  // TFM001 on a stack without a naming convention, TFM009 on a stack that
  // raises no alarms: the rules cannot judge, so the suppressions are not
  // "unused" and no fix removes the decision they record.
  const std::string text = R"({"provider": {"aws": [{"region": "us-east-1"}]}, "resource": {
    "aws_ecs_cluster": {"shared": {"name": "shared",
      "//": {"tfmend": {"ignore": [{"rule": "TFM001", "reason": "shared by every environment"}]}}}},
    "aws_ecs_service": {"batch": {"name": "batch", "cluster": "${aws_ecs_cluster.shared.id}",
      "//": {"tfmend": {"ignore": [{"rule": "TFM009", "reason": "batch jobs are memory-bound by design"}]}}}}}})";
  auto d = parseDocument("s.tf.json", text);
  ASSERT_TRUE(d);
  std::vector<const Rule*> rules;
  for (const Rule* r : allRules()) rules.push_back(r);
  EngineOptions o;
  o.fixMode = FixMode::Unsafe;
  auto out = runEngine(*d, rules, Settings{}, o);
  ASSERT_TRUE(out) << out.error().message;
  for (const auto& f : out->findings) EXPECT_NE(f.rule, "TFM100") << f.message;
  EXPECT_FALSE(out->changed);
  // Once the premise is there (the user names the suffix), TFM001's suppression is judged again.
  Settings withSuffix;
  withSuffix.envSuffix = "dev";
  auto judged = runEngine(*d, rules, withSuffix, EngineOptions{});
  ASSERT_TRUE(judged);
  bool used = true;
  for (const auto& f : judged->findings) used = used && !(f.rule == "TFM100" && f.address == "aws_ecs_cluster.shared");
  EXPECT_TRUE(used);  // it suppresses the missing suffix on "shared"
}

TEST(Suppression, UnusedSuppressionIsReportedAndRemovedByItsFix) {
  std::string text = R"({"resource": {"aws_vpc": {"a": {"//": {"metadata": {}, "tfmend": {"ignore": [{"rule": "TST001", "reason": "r"}]}}, "tags": {"Name": "x"}}}}})";
  auto f = run(text);
  ASSERT_EQ(f.size(), 1u);
  EXPECT_EQ(f[0].rule, "TFM100");
  EXPECT_EQ(f[0].message, "suppression of TST001 matches no finding");
  EXPECT_EQ(f[0].pointer, "/resource/aws_vpc/a/~1~1/tfmend/ignore/0");
  std::string fixed;
  EXPECT_TRUE(run(text, FixMode::Safe, &fixed).empty());
  EXPECT_EQ(fixed, R"({"resource":{"aws_vpc":{"a":{"//":{"metadata":{}},"tags":{"Name":"x"}}}}})");
}

}  // namespace
}  // namespace tfmend
