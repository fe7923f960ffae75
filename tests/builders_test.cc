#include "tfmend/builders.h"

#include <gtest/gtest.h>

#include "tfmend/finding.h"
#include "tfmend/names.h"
#include "tfmend/patch.h"

namespace tfmend {
namespace {

const char* kStack = R"({
  "provider": {"aws": [{"region": "us-east-1"}, {"alias": "west", "region": "us-west-2"}]},
  "resource": {
    "aws_kms_key": {"app_key_1": {"//": {"metadata": {"path": "stack/app/key", "uniqueId": "app_key_1"}}}},
    "aws_s3_bucket": {"app_logs_2": {"//": {"metadata": {"path": "stack/app/logs", "uniqueId": "app_logs_2"}}, "bucket": "logs", "provider": "aws.west"}}
  }})";

TEST(Builders, NewResourcesLookSynthesized) {
  Json root = Json::parse(kStack);
  auto model = StackModel::build(root);
  ASSERT_TRUE(model);
  const Resource& logs = *model->find("aws_s3_bucket.app_logs_2");
  PatchBuilder b(*model);
  std::string v = b.addResource("aws_s3_bucket_versioning", "logs-versioning", logs, logs.provider,
                                {{"versioning_configuration", {{"status", "Enabled"}}}, {"bucket", ref(logs.address, "id")}});
  EXPECT_EQ(v.rfind("aws_s3_bucket_versioning.app_logs-versioning_", 0), 0u) << v;
  b.set(logs, "force_destroy", true);
  b.set(logs, "bucket", "logs-2");
  Json ops = b.ops();
  ASSERT_EQ(ops.size(), 4u);
  EXPECT_EQ(ops[0]["path"], "/resource/aws_s3_bucket_versioning");  // a new type: one add with all of it
  const Json& body = ops[0]["value"].begin().value();
  EXPECT_EQ(body["//"]["metadata"]["path"], "stack/app/logs-versioning");
  EXPECT_EQ(body["provider"], "aws.west");
  std::vector<std::string> keys;
  for (const auto& [k, v2] : body.items()) keys.push_back(k);
  EXPECT_EQ(keys, (std::vector<std::string>{"//", "bucket", "provider", "versioning_configuration"}));
  EXPECT_EQ(ops[1], opAdd("/resource/aws_s3_bucket/app_logs_2/force_destroy", true));
  EXPECT_EQ(ops[2], opTest("/resource/aws_s3_bucket/app_logs_2/bucket", "logs"));
  ASSERT_TRUE(applyPatch(root, ops));
  EXPECT_TRUE(keysSorted(root["resource"]));
}

TEST(Builders, SharedResourcesGetTheSameAddressFromEveryFix) {
  Json root = Json::parse(kStack);
  auto model = StackModel::build(root);
  const Resource& key = *model->find("aws_kms_key.app_key_1");
  PatchBuilder a(*model), b(*model), c(*model);
  std::string first = a.addResource("aws_iam_role", "replication-role", key, "aws", Json::object());
  EXPECT_EQ(first, b.addResource("aws_iam_role", "replication-role", key, "aws", Json::object()));
  EXPECT_EQ(c.plannedAddress("aws_iam_role", "replication-role", key), first);
  // Within one fix, a second resource with the same id gets another address.
  EXPECT_NE(a.addResource("aws_iam_role", "replication-role", key, "aws", Json::object()), first);
}

/// Names taken in the stack or by the fix itself are skipped with "-n", and
/// the construct path carries the same "-n" as the name made from it.
TEST(Builders, CollidingNamesCountUpAndThePathFollows) {
  Json root = Json::parse(kStack);
  auto model = StackModel::build(root);
  const Resource& key = *model->find("aws_kms_key.app_key_1");
  PatchBuilder b(*model);
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i) ids.push_back(b.addResource("aws_iam_role", "role", key, "aws", Json::object()));
  EXPECT_EQ(ids[0], "aws_iam_role." + cdktfLogicalId("stack/app/role"));
  for (int i = 1; i < 5; ++i) EXPECT_EQ(ids[i], "aws_iam_role." + cdktfLogicalId("stack/app/role-" + std::to_string(i + 1)));
  // Each path reserved before is taken.
  std::vector<std::string> paths;
  for (const char* name : {"a", "b", "c"}) {
    std::string address = b.addResourceAt("aws_kms_key", "stack/app/key", name, "aws", Json::object());
    paths.push_back(address);
    EXPECT_EQ(b.reserveAt("aws_kms_key", "stack/app/key", name), address);  // the same reservation again
  }
  EXPECT_EQ(paths[0], "aws_kms_key." + cdktfLogicalId("stack/app/key"));
  EXPECT_EQ(paths[2], "aws_kms_key." + cdktfLogicalId("stack/app/key-3"));
  Json ops = b.ops();
  Json added;
  for (const auto& op : ops) {
    if (op["path"] == "/resource/aws_kms_key") added = op["value"];
    if (std::string(op["path"]).rfind("/resource/aws_kms_key/", 0) == 0) added[std::string(op["path"]).substr(22)] = op["value"];
  }
  for (int n = 1; n <= 3; ++n) {
    std::string path = "stack/app/key" + (n == 1 ? std::string() : "-" + std::to_string(n));
    std::string logical = cdktfLogicalId(path);
    ASSERT_TRUE(added.contains(logical)) << ops.dump();
    EXPECT_EQ(added[logical]["//"]["metadata"]["path"], path);
    EXPECT_EQ(added[logical]["//"]["metadata"]["uniqueId"], logical);
  }
}

TEST(Builders, IdsAndReferences) {
  Json root = Json::parse(kStack);
  auto model = StackModel::build(root);
  const Resource& logs = *model->find("aws_s3_bucket.app_logs_2");
  EXPECT_EQ(constructId(logs), "logs");
  EXPECT_EQ(scopedId(logs), "app-logs");
  EXPECT_EQ(ref("aws_s3_bucket.x", "arn"), "${aws_s3_bucket.x.arn}");
  EXPECT_EQ(kmsKeyOf(*model, "aws")->address, "aws_kms_key.app_key_1");
  EXPECT_EQ(kmsKeyOf(*model, "aws.west"), nullptr);
  EXPECT_EQ(regionOfReference(*model, "${aws_kms_key.app_key_1.arn}"), "us-east-1");
  EXPECT_EQ(regionOfReference(*model, "arn:aws:kms:eu-west-1:111122223333:key/abc"), "eu-west-1");
  EXPECT_EQ(sortedKeys(Json::parse(R"({"b": {"d": 1, "c": 2}, "a": [ {"z": 0, "y": 1} ]})")).dump(),
            R"({"a":[{"y":1,"z":0}],"b":{"c":2,"d":1}})");
}

}  // namespace
}  // namespace tfmend
