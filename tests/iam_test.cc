#include "tfmend/iam.h"

#include <gtest/gtest.h>

namespace tfmend {
namespace {

StackModel modelOf(const Json& root) {
  auto m = StackModel::build(root);
  EXPECT_TRUE(m) << m.error().message;
  return std::move(*m);
}

TEST(Iam, TrustedServicesReadTheTrustPolicy) {
  Json root = Json::parse(R"({"resource": {"aws_iam_role": {"r": {"assume_role_policy":
    "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":{\"Service\":[\"s3.amazonaws.com\",\"batchoperations.s3.amazonaws.com\"]},\"Action\":\"sts:AssumeRole\"}]}"}}}})");
  StackModel m = modelOf(root);
  EXPECT_EQ(trustedServices(m, *m.find("aws_iam_role.r")),
            (std::set<std::string>{"batchoperations.s3.amazonaws.com", "s3.amazonaws.com"}));
}

TEST(Iam, ManagedPolicyArnsAreInTheRegionsPartition) {
  Json root = Json::parse(R"({"provider": {"aws": [{"region": "cn-north-1"}, {"alias": "gov", "region": "us-gov-west-1"},
    {"alias": "somewhere", "region": "${var.region}"}, {"alias": "other", "region": "${var.region}"}]},
    "variable": {"region": {"type": "string"}},
    "resource": {"aws_iam_role": {"a": {"name": "a"}, "b": {"name": "b", "provider": "aws.somewhere"}},
                 "aws_sqs_queue": {"q": {"name": "q", "provider": "aws.other"}}},
    "data": {"aws_partition": {"current": {"provider": "aws.other"}}}})");
  StackModel m = modelOf(root);
  PatchBuilder b(m);
  EXPECT_EQ(managedPolicyArn(b, m, "aws", "cn-north-1", "AWSCodeDeployRoleForECS"), "arn:aws-cn:iam::aws:policy/AWSCodeDeployRoleForECS");
  EXPECT_EQ(managedPolicyArn(b, m, "aws.gov", "us-gov-west-1", "service-role/AWSLambdaBasicExecutionRole"),
            "arn:aws-us-gov:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
  EXPECT_EQ(managedPolicyArn(b, m, "aws", "eu-west-1", "AWSCodeDeployRoleForECS"), "arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS");
  EXPECT_EQ(b.ops(), Json::array());
  // The region unknown: the provider's own data.aws_partition, the stack's or a new one.
  EXPECT_EQ(managedPolicyArn(b, m, "aws.other", "", "AWSCodeDeployRoleForECS"),
            "arn:${data.aws_partition.current.partition}:iam::aws:policy/AWSCodeDeployRoleForECS");
  EXPECT_EQ(b.ops(), Json::array());
  EXPECT_EQ(managedPolicyArn(b, m, "aws.somewhere", "", "AWSCodeDeployRoleForECS"),
            "arn:${data.aws_partition.partition.partition}:iam::aws:policy/AWSCodeDeployRoleForECS");
  EXPECT_EQ(b.ops().dump(), R"([{"op":"add","path":"/data/aws_partition/partition","value":{"provider":"aws.somewhere"}}])");
}

}  // namespace
}  // namespace tfmend
