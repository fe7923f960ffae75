#include "tfmend/expression.h"

#include <gtest/gtest.h>

namespace tfmend {
namespace {

std::vector<std::string> targets(const std::string& s) {
  std::vector<std::string> out;
  for (const auto& t : referencesInTemplate(s)) out.push_back(t.target + (t.attribute.empty() ? "" : "#" + t.attribute));
  return out;
}

using V = std::vector<std::string>;

TEST(Expression, PlainAndEmbeddedReferences) {
  EXPECT_EQ(targets("${aws_vpc.main.id}"), V{"aws_vpc.main#id"});
  EXPECT_EQ(targets("${aws_s3_bucket.logs.arn}/*"), V{"aws_s3_bucket.logs#arn"});
  EXPECT_EQ(targets("arn:${data.aws_partition.p.partition}:s3:::${var.name}-${local.x}"),
            (V{"data.aws_partition.p#partition", "var.name", "local.x"}));
  EXPECT_EQ(targets("${aws_vpc.networking_primary-vpc_B06A8CA8.id}"), V{"aws_vpc.networking_primary-vpc_B06A8CA8#id"});
}

TEST(Expression, FunctionsNestedTemplatesAndStrings) {
  EXPECT_EQ(targets("${jsonencode({\"Resource\" = [\"${aws_s3_bucket.a.arn}/*\", aws_kms_key.k.arn]})}"),
            (V{"aws_s3_bucket.a#arn", "aws_kms_key.k#arn"}));
  EXPECT_EQ(targets("${lookup(lookup(local.traffic_weights, var.migration_phase), \"primary\")}"),
            (V{"local.traffic_weights", "var.migration_phase"}));
  EXPECT_EQ(targets("${local.w[var.phase].primary}"), (V{"local.w#primary", "var.phase"}));
  // The attribute after an index or a splat is read too.
  EXPECT_EQ(targets("${aws_iam_role.x[0].name}"), V{"aws_iam_role.x#name"});
  EXPECT_EQ(targets("${aws_iam_role.x[count.index].arn}"), V{"aws_iam_role.x#arn"});
  EXPECT_EQ(targets("${one(aws_iam_role.x[*].arn)}"), V{"aws_iam_role.x#arn"});
  EXPECT_EQ(targets("${element(aws_subnet.a.*.id, 0)}"), V{"aws_subnet.a#id"});
  EXPECT_EQ(targets("${\"aws_vpc.not_a_ref\"}"), V{});
  EXPECT_EQ(targets("${[for s in aws_subnet.private : s.id]}"), V{"aws_subnet.private"});
  EXPECT_EQ(targets("${[for sub_net in aws_subnet.private : sub_net.id]}"), V{"aws_subnet.private"});
}

TEST(Expression, EscapesAndNonReferences) {
  EXPECT_EQ(targets("$${aws_vpc.main.id}"), V{});
  EXPECT_EQ(targets("plain text aws_vpc.main.id"), V{});
  EXPECT_EQ(targets("${count.index} ${each.key} ${path.module} ${self.id} ${1.5e3}"), V{});
  EXPECT_EQ(targets("${provider::aws::arn_parse(var.arn).region}"), V{"var.arn"});
}

TEST(Expression, BareExpressionsAndSoleReference) {
  auto refs = referencesInExpression("aws_s3_bucket_versioning.v");
  ASSERT_EQ(refs.size(), 1u);
  EXPECT_EQ(refs[0].target, "aws_s3_bucket_versioning.v");
  EXPECT_EQ(soleReference("${aws_kms_key.k.arn}").target, "aws_kms_key.k");
  EXPECT_EQ(soleReference("${aws_kms_key.k.arn}/x").target, "");
  EXPECT_EQ(soleReference("${upper(var.x)}").target, "");
}

}  // namespace
}  // namespace tfmend
