#include "tfmend/regions.h"

#include <gtest/gtest.h>

namespace tfmend {
namespace {

TEST(Regions, WordsFromConstructPathsElseTheRegionName) {
  Json root = Json::parse(R"({
    "provider": {"aws": [{"region": "us-east-1"}, {"alias": "dr", "region": "us-east-2"}, {"alias": "x", "region": "eu-west-1"}]},
    "resource": {"aws_vpc": {
      "a": {"//": {"metadata": {"path": "s/net/primary-vpc"}}},
      "b": {"//": {"metadata": {"path": "s/net/dr-vpc"}}, "provider": "aws.dr"},
      "c": {"provider": "aws.x"}}}})");
  auto model = StackModel::build(root);
  ASSERT_TRUE(model);
  RegionWords words(*model);
  EXPECT_EQ(words.of("us-east-1"), "primary");
  EXPECT_EQ(words.of("us-east-2"), "dr");
  EXPECT_EQ(words.of("eu-west-1"), "eu-west-1");
}

TEST(Regions, SwapWordsAsTokensAndRegionNamesAnywhere) {
  EXPECT_EQ(swapWord("payment-alb-primary-dev", "primary", "secondary"), "payment-alb-secondary-dev");
  EXPECT_EQ(swapWord("primaryish-primary", "primary", "dr"), "primaryish-dr");
  EXPECT_EQ(swapWord("\"awslogs-region\" = \"us-east-1\"", "us-east-1", "us-east-2"), "\"awslogs-region\" = \"us-east-2\"");
  EXPECT_TRUE(isSideWord("secondary"));
  EXPECT_FALSE(isSideWord("blue"));
}

}  // namespace
}  // namespace tfmend
