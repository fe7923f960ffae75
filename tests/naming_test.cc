#include "tfmend/naming.h"

#include <gtest/gtest.h>

namespace tfmend {
namespace {

TEST(Naming, WithSuffixKeepsLimitsAndTheSuffix) {
  Suffix s{"dev", "", '-', ""};
  EXPECT_EQ(withSuffix("payment-alb", s, 32), "payment-alb-dev");
  std::string longName = withSuffix("customer-facing-web-gateway-alb1", s, 32);
  EXPECT_EQ(longName.size(), 32u);
  EXPECT_EQ(longName.substr(longName.size() - 4), "-dev");
  EXPECT_NE(longName, withSuffix("customer-facing-web-gateway-alb2", s, 32));
  Suffix v{"${var.env}", "env", '_', ""};
  EXPECT_EQ(withSuffix("app", v, 64), "app_${var.env}");
}

TEST(Naming, CarriesTheSuffixAsAToken) {
  Suffix s{"dev", "", '-', ""};
  EXPECT_TRUE(carries("alias/payment-dev", s));
  EXPECT_TRUE(carries("payment-DEV-logs", s));
  EXPECT_FALSE(carries("payment-devices", s));
  EXPECT_FALSE(carries("payment", s));
}

TEST(Naming, NamerAppendsTheInferredSuffix) {
  Json root = Json::parse(R"({"resource": {"aws_sns_topic": {
    "a": {"name": "orders-qa"}, "b": {"name": "payments-qa"}, "c": {"name": "refunds-qa"}}}})");
  auto model = StackModel::build(root);
  ASSERT_TRUE(model);
  Settings settings;
  Namer namer(RuleContext{*model, settings});
  EXPECT_EQ(namer.name("Orders-Bucket", "aws_s3_bucket"), "orders-bucket-qa");
  EXPECT_EQ(namer.baseOf("payments-qa"), "payments");
  EXPECT_EQ(namer.baseOf("payments"), "payments");
  EXPECT_NE(nameAttributeOf("aws_lb"), nullptr);
  EXPECT_EQ(nameAttributeOf("aws_lb")->maxLength, 32u);
  EXPECT_EQ(nameAttributeOf("aws_route53_record"), nullptr);
}

}  // namespace
}  // namespace tfmend
