#include "tfmend/naming.h"

#include <gtest/gtest.h>

#include <deque>

#include "tfmend/names.h"
#include "tfmend/values.h"

namespace tfmend {
namespace {

StackModel modelOf(const Json& root) {
  auto m = StackModel::build(root);
  EXPECT_TRUE(m) << m.error().message;
  return std::move(*m);
}

aws::NameFacts limit(std::size_t n) { return aws::NameFacts{.attribute = "name", .maxLength = n}; }

TEST(Naming, WithSuffixKeepsLimitsAndTheSuffix) {
  Json root = Json::object();
  StackModel m = modelOf(root);
  Suffix s{.text = "dev"};
  EXPECT_EQ(withSuffix(m, "payment-alb", s, limit(32)), "payment-alb-dev");
  std::string longName = withSuffix(m, "customer-facing-web-gateway-alb1", s, limit(32));
  EXPECT_EQ(longName.size(), 32u);
  EXPECT_EQ(longName.substr(longName.size() - 4), "-dev");
  EXPECT_NE(longName, withSuffix(m, "customer-facing-web-gateway-alb2", s, limit(32)));
  Suffix v{.text = "${var.env}", .expression = "var.env", .separator = '_'};
  EXPECT_EQ(withSuffix(m, "app", v, limit(64)), "app_${var.env}");
  Suffix leading{.text = "dev", .leading = true};
  EXPECT_EQ(withSuffix(m, "alias/payments", leading, limit(64)), "alias/dev-payments");
}

TEST(Naming, ANameIsNeverCutInsideAnInterpolation) {
  Json root = Json::parse(R"({"variable": {"environment_suffix": {"type": "string"}}})");
  StackModel m = modelOf(root);
  // An unknown interpolation counts as 8 characters; the tail keeps it whole.
  std::string name = "payment-alb-secondary-region-${var.environment_suffix}";
  std::string fitted = fitName(m, name, aws::facts("aws_lb")->name, "-${var.environment_suffix}");
  EXPECT_EQ(fitted.substr(0, 17), "payment-alb-seco-");
  EXPECT_EQ(fitted.substr(23), "-${var.environment_suffix}");
  EXPECT_LE(renderedLength(m, fitted, kAssumedInterpolationLength), 32u);
  // A name with an interpolation in its middle keeps it whole or leaves it out.
  std::string middle = fitName(m, "a-very-${var.environment_suffix}-long-load-balancer-name", aws::facts("aws_lb")->name);
  EXPECT_NE(middle.find("${var.environment_suffix}"), std::string::npos) << middle;
  EXPECT_NE(middle.back(), '-');
  // Where the variable has a default, its real length counts.
  Json withDefault = Json::parse(R"({"variable": {"environment_suffix": {"default": "development-environment"}}})");
  StackModel md = modelOf(withDefault);
  EXPECT_EQ(renderedLength(md, "x-${var.environment_suffix}", 8), 25u);
}

TEST(Naming, CarriesTheSuffixAsATokenAnywhere) {
  Json root = Json::parse(R"({"variable": {"env": {}, "project": {"default": "shop"}},
    "locals": {"prefix": "${var.project}-${var.env}"}})");
  StackModel m = modelOf(root);
  Suffix s{.text = "dev"};
  // A NameValue views its strings: they are kept here for the test's length.
  std::deque<std::string> kept;
  auto nv = [&](const std::string& value) {
    const std::string& v = kept.emplace_back(value);
    return NameValue{nullptr, nullptr, "name", "", v, kept.emplace_back(expandLocals(m, value))};
  };
  EXPECT_EQ(carries(m, nv("alias/payment-dev"), s), Carries::Yes);
  EXPECT_EQ(carries(m, nv("payment-DEV-logs"), s), Carries::Yes);
  EXPECT_EQ(carries(m, nv("dev-payments-vpc"), s), Carries::Yes);  // environment as a prefix
  EXPECT_EQ(carries(m, nv("payment-devices"), s), Carries::No);
  EXPECT_EQ(carries(m, nv("${var.name}-logs"), s), Carries::Unknown);
  EXPECT_EQ(carries(m, nv("${var.project}-logs"), s), Carries::No);  // the default is known
  Suffix v{.text = "${var.env}", .expression = "var.env"};
  EXPECT_EQ(carries(m, nv("${local.prefix}-bucket"), v), Carries::Yes);  // through a local
  EXPECT_EQ(carries(m, nv("${var.project}-bucket"), v), Carries::No);
}

TEST(Naming, NamerFollowsTheStacksConvention) {
  Json root = Json::parse(R"({"resource": {"aws_sns_topic": {
    "a": {"name": "orders-qa"}, "b": {"name": "payments-qa"}, "c": {"name": "refunds-qa"}}}})");
  StackModel m = modelOf(root);
  Namer namer(m, Settings{});
  EXPECT_EQ(namer.name("Orders-Bucket", "aws_s3_bucket"), "orders-bucket-qa");
  EXPECT_EQ(namer.baseOf("payments-qa"), "payments");
  EXPECT_EQ(namer.baseOf("payments"), "payments");
  // Names built from variables: new names use the same prefix and suffix.
  Json vars = Json::parse(R"({"variable": {"project": {}, "environment": {}}, "resource": {"aws_sqs_queue": {
    "a": {"name": "${var.project}-orders-${var.environment}"}, "b": {"name": "${var.project}-refunds-${var.environment}"},
    "c": {"name": "${var.project}-events-${var.environment}"}}}})");
  StackModel mv = modelOf(vars);
  Namer byVariables(mv, Settings{});
  EXPECT_EQ(byVariables.name("alarms", "aws_sns_topic"), "${var.project}-alarms-${var.environment}");
  EXPECT_EQ(byVariables.baseOf("${var.project}-orders-${var.environment}"), "orders");
}

TEST(Naming, NoConventionNoSuffix) {
  // Trailing tokens that are not environments ("1a", "sg", "role") are no suffix.
  Json root = Json::parse(R"({"resource": {"aws_subnet": {
    "a": {"tags": {"Name": "private-1a"}}, "b": {"tags": {"Name": "private-1b"}}, "c": {"tags": {"Name": "public-1a"}}},
    "aws_security_group": {"d": {"name": "web-sg"}, "e": {"name": "db-sg"}, "f": {"name": "cache-sg"}}}})");
  StackModel m = modelOf(root);
  StringPool expansions;
  EXPECT_FALSE(determineSuffix(m, Settings{}, nameValues(m, expansions)));
}

TEST(Naming, ProviderQualifierTellsProvidersApart) {
  // The default provider keeps the plain name; another carries its region, or
  // its alias where two providers share a region.
  Json root = Json::parse(R"({"provider": {"aws": [{"region": "us-east-1"}, {"alias": "secondary", "region": "us-east-2"},
    {"alias": "audit", "region": "us-east-1"}, {"alias": "anywhere"}]}})");
  StackModel m = modelOf(root);
  Namer namer(m, Settings{});
  EXPECT_EQ(namer.providerQualifier("aws"), "");
  EXPECT_EQ(namer.providerQualifier("aws.secondary"), "us-east-2");
  EXPECT_EQ(namer.providerQualifier("aws.audit"), "audit");
  EXPECT_EQ(namer.providerQualifier("aws.anywhere"), "anywhere");
  // A stack's only provider needs no qualifier, aliased or not.
  StackModel one = modelOf(Json::parse(R"({"provider": {"aws": [{"alias": "main", "region": "eu-west-1"}]}})"));
  EXPECT_EQ(Namer(one, Settings{}).providerQualifier("aws.main"), "");
}

TEST(Naming, UniqueNameAvoidsTheStacksNamesAndThePassesOwn) {
  Json root = Json::parse(R"({"variable": {"environment_suffix": {"default": "dev"}}, "resource": {
    "aws_iam_role": {"a": {"name": "Orders-Role-${var.environment_suffix}"}, "b": {"name": "billing-role-dev"},
                     "c": {"name": "queue-role-dev"}},
    "aws_sqs_queue": {"q": {"name": "reports-role-dev"}}}})");
  StackModel m = modelOf(root);
  Namer namer(m, Settings{});
  ASSERT_TRUE(namer.suffix());
  EXPECT_EQ(namer.uniqueName("payments-role", "aws_iam_role", "x"), "payments-role-${var.environment_suffix}");
  // Taken as written, without case, or once rendered.
  EXPECT_TRUE(namer.nameTaken("orders-role-${var.environment_suffix}", "aws_iam_role"));
  EXPECT_TRUE(namer.nameTaken("billing-role-${var.environment_suffix}", "aws_iam_role"));
  EXPECT_FALSE(namer.nameTaken("reports-role-${var.environment_suffix}", "aws_iam_role"));  // a queue's name
  std::string billing = namer.uniqueName("billing-role", "aws_iam_role", "aws_iam_role.new");
  EXPECT_EQ(billing, "billing-role-" + shortHash("aws_iam_role.new", 4) + "-${var.environment_suffix}");
  // What the same rule named earlier in the pass is taken too.
  std::set<std::string> given;
  EXPECT_EQ(namer.uniqueName("reports-policy", "aws_iam_policy", "aws_iam_role.x", &given), "reports-policy-${var.environment_suffix}");
  EXPECT_EQ(namer.uniqueName("reports-policy", "aws_iam_policy", "aws_iam_role.y", &given),
            "reports-policy-" + shortHash("aws_iam_role.y", 4) + "-${var.environment_suffix}");
}

}  // namespace
}  // namespace tfmend
