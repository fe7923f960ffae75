// Every attribute and nested block the AWS catalogue names exists in the AWS
// provider schema (tests/data/aws-provider-schema.json, generated from the
// published bindings by scripts/gen-aws-provider-schema.sh): a wrong or
// renamed attribute fails here, not on a user's stack.
#include "tfmend/aws_catalog.h"

#include <algorithm>
#include <gtest/gtest.h>

#include "test_support.h"
#include "tfmend/json.h"

namespace tfmend {
namespace {

const Json& schema() {
  static const Json s = Json::parse(test::readFile(TFMEND_SCHEMA));
  return s;
}

/// Why `path` (dotted, through nested blocks) is not an argument or block of
/// resource `type`; empty when it is.
std::string missing(std::string_view type, std::string_view path) {
  const Json& resources = schema().at("resource");
  auto t = resources.find(std::string(type));
  if (t == resources.end()) return std::string(type) + ": no such resource type";
  const Json* body = &*t;
  std::size_t start = 0;
  while (true) {
    std::size_t dot = path.find('.', start);
    std::string part(path.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
    auto it = body->find(part);
    if (it == body->end()) return std::string(type) + "." + std::string(path) + ": no argument or block \"" + part + "\"";
    if (dot == std::string_view::npos) return {};
    if (it->is_null()) return std::string(type) + "." + std::string(path) + ": \"" + part + "\" is an argument, not a block";
    body = &it->at("block");
    start = dot + 1;
  }
}

void expectExists(std::string_view type, std::string_view path) {
  if (path.empty()) return;
  EXPECT_EQ(missing(type, path), "");
}

TEST(AwsCatalog, EveryNamedAttributeExistsInTheProviderSchema) {
  std::size_t checked = 0;
  for (const aws::TypeFacts& f : aws::allTypes()) {
    SCOPED_TRACE(std::string(f.type));
    EXPECT_TRUE(schema().at("resource").contains(std::string(f.type))) << f.type;
    for (auto path : {f.name.attribute, f.name.prefix, f.name.scopedBy, f.secret.attribute, f.secret.username, f.database.subnetGroup,
                      f.database.securityGroups}) {
      expectExists(f.type, path);
      checked += path.empty() ? 0 : 1;
    }
    const aws::EncryptionFacts& e = f.encryption;
    std::string prefix = e.block.empty() ? "" : std::string(e.block) + ".";
    for (auto path : {e.flag, e.key}) {
      if (!path.empty()) {  // in the block, if the type has one
        expectExists(f.type, prefix + std::string(path));
        ++checked;
      }
    }
    if (!e.block.empty()) {
      expectExists(f.type, e.block);
    }
    for (auto via : e.inheritedVia) expectExists(f.type, via);
    if (!f.database.subnetGroupType.empty()) {
      EXPECT_TRUE(schema().at("resource").contains(std::string(f.database.subnetGroupType)));
    }
  }
  for (const auto& r : aws::policyRoutes()) expectExists(r.type, r.attribute);
  for (const auto& u : aws::roleUses()) expectExists(u.type, u.attribute);
  for (const auto& p : aws::resourcePolicies()) expectExists(p.type, p.attribute);
  for (const auto& c : aws::bucketConsumers()) expectExists(c.type, c.attribute);
  for (const auto& a : aws::applicationGroups()) expectExists(a.type, a.attribute);
  EXPECT_GT(checked, 60u);
}

TEST(AwsCatalog, TheCheckCatchesAWrongName) {
  // Neptune's subnet group is neptune_subnet_group_name, not db_subnet_group_name.
  EXPECT_EQ(missing("aws_neptune_cluster", "db_subnet_group_name"),
            "aws_neptune_cluster.db_subnet_group_name: no argument or block \"db_subnet_group_name\"");
  EXPECT_EQ(missing("aws_dynamodb_table", "server_side_encryption.kms_key"),
            "aws_dynamodb_table.server_side_encryption.kms_key: no argument or block \"kms_key\"");
  EXPECT_EQ(missing("aws_rds_cluster", "kms_key_id.x"), "aws_rds_cluster.kms_key_id.x: \"kms_key_id\" is an argument, not a block");
  EXPECT_EQ(missing("aws_no_such_thing", "name"), "aws_no_such_thing: no such resource type");
}

TEST(AwsCatalog, SortedAndLookedUp) {
  auto all = aws::allTypes();
  EXPECT_TRUE(std::is_sorted(all.begin(), all.end(), [](const auto& a, const auto& b) { return a.type < b.type; }));
  EXPECT_EQ(aws::facts("aws_neptune_cluster")->database.subnetGroup, "neptune_subnet_group_name");
  EXPECT_EQ(aws::facts("aws_route53_zone"), nullptr);
  EXPECT_TRUE(aws::isGlobal("aws_iam_role"));
  EXPECT_TRUE(aws::isGlobal("aws_route53_zone"));
  EXPECT_FALSE(aws::isGlobal("aws_route53_resolver_endpoint"));
  EXPECT_FALSE(aws::isGlobal("aws_s3_bucket"));
  EXPECT_EQ(aws::defaultPort("aws_rds_cluster", "aurora-postgresql"), 5432);
  EXPECT_EQ(aws::defaultPort("aws_docdb_cluster", ""), 27017);
  EXPECT_EQ(aws::secretMaxLength("aws_db_instance", "oracle-se2"), 30u);
  EXPECT_EQ(aws::secretMaxLength("aws_db_instance", "custom-oracle-ee"), 30u);
  EXPECT_EQ(aws::secretMaxLength("aws_db_instance", "mysql"), 41u);
  EXPECT_EQ(aws::secretMaxLength("aws_db_instance", "postgres"), 128u);
  EXPECT_EQ(aws::secretMaxLength("aws_db_instance", "sqlserver-ex"), 128u);
  EXPECT_EQ(aws::secretMaxLength("aws_db_instance", std::nullopt), 30u);  // unknown: the shortest
  EXPECT_EQ(aws::secretMaxLength("aws_db_instance", "something-new"), 30u);
  EXPECT_EQ(aws::secretMaxLength("aws_rds_cluster", "aurora-postgresql"), 41u);
  EXPECT_EQ(aws::secretMaxLength("aws_elasticache_replication_group", std::nullopt), 128u);
  EXPECT_EQ(aws::secretMaxLength("aws_s3_bucket", std::nullopt), 0u);
  EXPECT_TRUE(aws::isSecretEnvironmentName("DB_PASSWORD"));
  EXPECT_FALSE(aws::isSecretEnvironmentName("LOG_LEVEL"));
}

TEST(AwsCatalog, GlobalPrefixesNameRealTypes) {
  for (auto prefix : aws::globalPrefixes()) {
    bool any = false;
    for (const auto& [type, body] : schema().at("resource").items()) any = any || type.rfind(std::string(prefix), 0) == 0;
    EXPECT_TRUE(any) << prefix;
  }
}

}  // namespace
}  // namespace tfmend
