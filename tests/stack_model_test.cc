#include "tfmend/stack_model.h"

#include <cstdlib>
#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <optional>

#include "test_support.h"

namespace tfmend {
namespace {

/// "region type" -> count of managed resources, for a stack.
std::map<std::string, int> countsByRegionAndType(const StackModel& m) {
  std::map<std::string, int> counts;
  for (const auto& r : m.resources()) {
    if (!r.isData) counts[(r.region.empty() ? "global" : r.region) + " " + r.type]++;
  }
  return counts;
}

TEST(StackModel, PaymentStacksHaveTheirResourcesPerRegion) {
  for (const auto& path : test::goldenStacks()) {
    Document doc = test::load(path);
    auto model = StackModel::build(doc.root);
    ASSERT_TRUE(model) << model.error().message;
    auto c = countsByRegionAndType(*model);
    std::string name = std::filesystem::path(path).parent_path().filename();
    SCOPED_TRACE(name);
    EXPECT_EQ(model->regions(), (std::vector<std::string>{"us-east-1", "us-east-2"}));
    EXPECT_EQ(c["us-east-1 aws_vpc"], 1);
    EXPECT_EQ(c["us-east-2 aws_vpc"], 1);
    EXPECT_EQ(c["us-east-1 aws_s3_bucket"], 2);
    EXPECT_EQ(c["us-east-2 aws_s3_bucket"], 2);
    EXPECT_EQ(c["us-east-1 aws_rds_cluster"], 1);
    EXPECT_EQ(c["us-east-2 aws_rds_cluster"], 1);
    EXPECT_EQ(c["us-east-1 aws_rds_global_cluster"], 1);
    EXPECT_EQ(c["us-east-1 aws_ecs_service"], 1);
    bool modelOutput = name.rfind("model-output", 0) == 0;  // with the suffix literal or as a variable
    bool secondaryCompute = !modelOutput && name != "failure-10";
    EXPECT_EQ(c["us-east-2 aws_ecs_service"], secondaryCompute ? 1 : 0);
    EXPECT_EQ(c["us-east-2 aws_lb"], secondaryCompute ? 1 : 0);
    EXPECT_EQ(c["us-east-2 aws_lb_target_group"], secondaryCompute ? 2 : 0);
    bool replicated = !modelOutput && name != "failure-06";
    EXPECT_EQ(c["us-east-1 aws_s3_bucket_replication_configuration"], replicated ? 2 : 0);
    bool secondaryDns = secondaryCompute && name != "failure-12";
    EXPECT_EQ(c["us-east-1 aws_route53_record"], secondaryDns ? 2 : 1);
    EXPECT_TRUE(model->unresolved().empty()) << model->unresolved().front()->traversal.target;
    // The full table is pinned in golden/payment-migration/counts/ for review.
    std::string table;
    for (const auto& [k, v] : c) table += k + " " + std::to_string(v) + "\n";
    std::string expected = std::string(TFMEND_SOURCE_DIR) + "/golden/payment-migration/counts/" + name + ".txt";
    if (std::getenv("TFMEND_UPDATE_GOLDEN")) test::writeFile(expected, table);
    EXPECT_EQ(table, test::readFile(expected));
  }
}

TEST(StackModel, RegionsProvidersAndConstructPaths) {
  Document doc = test::load(std::string(TFMEND_SOURCE_DIR) + "/golden/payment-migration/stacks/model-output/cdk.tf.json");
  auto model = StackModel::build(doc.root);
  ASSERT_TRUE(model);
  auto vpcs = model->ofType("aws_vpc");
  ASSERT_EQ(vpcs.size(), 2u);
  EXPECT_EQ(vpcs[0]->constructPath, "model-output/networking/primary-vpc");
  EXPECT_EQ(vpcs[0]->provider, "aws");
  EXPECT_EQ(vpcs[1]->provider, "aws.secondary");
  EXPECT_EQ(vpcs[1]->region, "us-east-2");
  EXPECT_EQ(model->providerKeyFor("us-east-2"), "aws.secondary");
  // Who uses the primary VPC: subnets, IGW, route table, security groups, target groups.
  auto users = model->usersOf(vpcs[0]->address);
  EXPECT_GE(users.size(), 8u);
  // The model output keeps a literal password, so it has no generated one.
  EXPECT_TRUE(model->dataOfType("aws_secretsmanager_random_password").empty());
}

TEST(StackModel, ArrayFormBlocksAndRegionArgument) {
  Json root = Json::parse(R"({
    "provider": {"aws": {"region": "eu-west-1"}},
    "variable": {"region": {"default": "ap-south-1"}},
    "resource": {
      "aws_vpc": {"a": [{"cidr_block": "10.0.0.0/16"}], "b": {"region": "${var.region}"}},
      "aws_subnet": {"s": [{"vpc_id": "${aws_vpc.a.id}", "depends_on": ["aws_vpc.b"]}]}
    }})");
  auto model = StackModel::build(root);
  ASSERT_TRUE(model) << model.error().message;
  EXPECT_EQ(model->find("aws_vpc.a")->pointer, "/resource/aws_vpc/a/0");
  EXPECT_EQ(model->find("aws_vpc.a")->region, "eu-west-1");
  EXPECT_EQ(model->find("aws_vpc.b")->region, "ap-south-1");
  EXPECT_EQ(model->usersOf("aws_vpc.b").size(), 1u);
  EXPECT_EQ(model->usesBy("aws_subnet.s").size(), 2u);
}

TEST(StackModel, WrongShapesNameThePlace) {
  EXPECT_EQ(StackModel::build(Json::array()).error().message, "/: expected an object, found an array");
  EXPECT_EQ(StackModel::build(Json::parse(R"({"resource": []})")).error().message,
            "/resource: expected an object, found an array");
  EXPECT_EQ(StackModel::build(Json::parse(R"({"resource": {"aws_vpc": {"a": "x"}}})")).error().message,
            "/resource/aws_vpc/a: expected an object or an array of objects, found a string");
  EXPECT_EQ(StackModel::build(Json::parse(R"({"resource": {"aws_vpc": {"a": [1]}}})")).error().message,
            "/resource/aws_vpc/a/0: expected an object, found a number");
}

TEST(StackModel, UnresolvedReferences) {
  auto model = StackModel::build(Json::parse(R"({"resource": {"aws_subnet": {"s": {"vpc_id": "${aws_vpc.gone.id}"}}}})"));
  ASSERT_TRUE(model);
  ASSERT_EQ(model->unresolved().size(), 1u);
  EXPECT_EQ(model->unresolved()[0]->pointer, "/resource/aws_subnet/s/vpc_id");
}

TEST(StringPool, KeptStringsStayWhereTheyAreAsThePoolGrows) {
  StringPool pool;
  std::vector<std::pair<std::string_view, std::string>> kept;
  for (int i = 0; i < 20000; ++i) {
    std::string s = "/resource/aws_s3_bucket/b" + std::to_string(i) + "/tags/Name";
    kept.push_back({pool.keep(s), s});
  }
  std::string large(100000, 'x');  // more than a block: a block of its own
  std::string_view big = pool.keep(large);
  kept.push_back({pool.keep("after the large one"), "after the large one"});
  kept.push_back({pool.keep(""), ""});
  for (const auto& [view, original] : kept) EXPECT_EQ(view, original);
  EXPECT_EQ(big, large);
  StringPool moved = std::move(pool);  // the blocks move, the strings do not
  EXPECT_EQ(kept.front().first, kept.front().second);
  EXPECT_EQ(big.size(), 100000u);
}

TEST(StackModel, AMovedModelKeepsItsReferencesAndIndexes) {
  std::optional<StackModel> first;
  {
    auto built = StackModel::build(Json::parse(R"({
      "resource": {"aws_vpc": {"main": {"cidr_block": "10.0.0.0/16"}},
                   "aws_subnet": {"a_subnet_with_a_long_logical_name": {"vpc_id": "${aws_vpc.main.id}"}}},
      "output": {"vpc": {"value": "${aws_vpc.main.arn}"}}})"));
    ASSERT_TRUE(built);
    first.emplace(std::move(*built));
  }
  StackModel m = std::move(*first);
  first.reset();
  auto users = m.usersOf("aws_vpc.main");
  ASSERT_EQ(users.size(), 2u);
  EXPECT_EQ(users[0]->from, "aws_subnet.a_subnet_with_a_long_logical_name");
  EXPECT_EQ(users[0]->pointer, "/resource/aws_subnet/a_subnet_with_a_long_logical_name/vpc_id");
  EXPECT_EQ(users[1]->from, "output.vpc");
  EXPECT_EQ(m.usesBy("output.vpc").size(), 1u);
  ASSERT_NE(m.find("aws_subnet.a_subnet_with_a_long_logical_name"), nullptr);
  EXPECT_TRUE(m.defines("aws_vpc.main"));
}

}  // namespace
}  // namespace tfmend
