#include "tfmend/aws_catalog.h"

#include <algorithm>
#include <array>
#include <cctype>
#include <string>

namespace tfmend::aws {

namespace {

using L = Layer;
using C = NameCharset;

// One entry per resource type, sorted by type. Limits are AWS's (the API's
// documented maximum length; a `*_prefix` leaves room for the 26 characters
// the provider appends, 6 characters for load balancers and target groups).
constexpr TypeFacts kTypes[] = {
    {.type = "aws_alb", .layer = L::Compute, .name = {"name", "name_prefix", 32, 6, C::LoadBalancer}, .mirrored = true},
    {.type = "aws_alb_listener", .layer = L::Compute, .mirrored = true},
    {.type = "aws_alb_target_group", .layer = L::Compute, .name = {"name", "name_prefix", 32, 6, C::LoadBalancer}, .mirrored = true},
    {.type = "aws_api_gateway_rest_api", .layer = L::Compute},
    {.type = "aws_appautoscaling_policy", .layer = L::Compute, .mirrored = true},
    {.type = "aws_appautoscaling_target", .layer = L::Compute, .mirrored = true},
    {.type = "aws_cloudfront_distribution", .layer = L::Compute, .global = true},
    {.type = "aws_cloudwatch_event_rule", .layer = L::Monitoring, .name = {"name", "name_prefix", 64, 38, C::Word}},
    {.type = "aws_cloudwatch_log_group", .layer = L::Monitoring, .name = {"name", "name_prefix", 512, 486}, .copyable = true},
    {.type = "aws_cloudwatch_metric_alarm", .layer = L::Monitoring, .name = {.attribute = "alarm_name", .maxLength = 255}},
    {.type = "aws_codebuild_source_credential", .layer = L::Compute, .secret = {"token", "user_name"}},
    {.type = "aws_codedeploy_app", .layer = L::Compute, .name = {.attribute = "name", .maxLength = 100}, .mirrored = true},
    {.type = "aws_codedeploy_deployment_group", .layer = L::Compute,
     .name = {.attribute = "deployment_group_name", .maxLength = 100, .scopedBy = "app_name"}, .mirrored = true},
    // Renamed in place since AWS provider 5 (ModifyDBInstance's NewDBInstanceIdentifier); the endpoint changes with it.
    {.type = "aws_db_instance", .layer = L::Data,
     .name = {"identifier", "identifier_prefix", 63, 37, C::DbIdentifier, true, Rename::InPlace},
     .secret = {.attribute = "password", .username = "username", .byEngine = true},
     .encryption = {.flag = "storage_encrypted", .key = "kms_key_id", .inheritedVia = {"replicate_source_db", "snapshot_identifier", "restore_to_point_in_time"}},
     .database = {"db_subnet_group_name", "aws_db_subnet_group", "vpc_security_group_ids"}},
    {.type = "aws_db_parameter_group", .layer = L::Data, .name = {"name", "name_prefix", 255, 229, C::DbIdentifier, true}},
    {.type = "aws_db_subnet_group", .layer = L::Network, .name = {"name", "name_prefix", 255, 229, C::Any, true}},
    {.type = "aws_dms_endpoint", .layer = L::Data, .secret = {"password", "username"}},
    {.type = "aws_docdb_cluster", .layer = L::Data,
     .name = {"cluster_identifier", "cluster_identifier_prefix", 63, 37, C::DbIdentifier, true},
     .secret = {"master_password", "master_username", 100},
     .encryption = {.flag = "storage_encrypted", .key = "kms_key_id", .inheritedVia = {"snapshot_identifier", "global_cluster_identifier"}},
     .database = {"db_subnet_group_name", "aws_docdb_subnet_group", "vpc_security_group_ids", 27017}},
    {.type = "aws_docdb_global_cluster", .layer = L::Data, .global = true,
     .name = {.attribute = "global_cluster_identifier", .maxLength = 63, .charset = C::DbIdentifier, .lowercase = true},
     .encryption = {.flag = "storage_encrypted", .inheritedVia = {"source_db_cluster_identifier"}}},
    {.type = "aws_dynamodb_table", .layer = L::Data, .name = {.attribute = "name", .maxLength = 255, .charset = C::Word},
     .encryption = {.block = "server_side_encryption", .flag = "enabled", .key = "kms_key_arn", .alwaysEncrypted = true, .inPlace = true}},
    {.type = "aws_ecr_repository", .layer = L::Compute, .name = {.attribute = "name", .maxLength = 256, .lowercase = true}},
    {.type = "aws_ecs_cluster", .layer = L::Compute, .name = {.attribute = "name", .maxLength = 255, .charset = C::Word}, .mirrored = true},
    {.type = "aws_ecs_cluster_capacity_providers", .layer = L::Compute, .mirrored = true},
    {.type = "aws_ecs_service", .layer = L::Compute, .name = {.attribute = "name", .maxLength = 255, .charset = C::Word, .scopedBy = "cluster"},
     .mirrored = true},
    {.type = "aws_ecs_task_definition", .layer = L::Compute, .name = {.attribute = "family", .maxLength = 255, .charset = C::Word}, .mirrored = true},
    {.type = "aws_efs_file_system", .layer = L::Data, .name = {.attribute = "creation_token", .maxLength = 64},
     .encryption = {.flag = "encrypted", .key = "kms_key_id"}},
    {.type = "aws_elasticache_replication_group", .layer = L::Data,
     .name = {.attribute = "replication_group_id", .maxLength = 40, .charset = C::DbIdentifier, .lowercase = true},
     .secret = {"auth_token", "", 128},
     .encryption = {.flag = "at_rest_encryption_enabled", .key = "kms_key_id", .inheritedVia = {"snapshot_name", "global_replication_group_id"}},
     .database = {"subnet_group_name", "aws_elasticache_subnet_group", "security_group_ids", 6379}},
    {.type = "aws_elasticache_subnet_group", .layer = L::Network, .name = {.attribute = "name", .maxLength = 255, .lowercase = true}},
    {.type = "aws_iam_instance_profile", .layer = L::Identity, .global = true, .name = {"name", "name_prefix", 128, 102, C::IamName}},
    {.type = "aws_iam_policy", .layer = L::Identity, .global = true, .name = {"name", "name_prefix", 128, 102, C::IamName}},
    {.type = "aws_iam_role", .layer = L::Identity, .global = true, .name = {"name", "name_prefix", 64, 38, C::IamName}},
    // Renamed in place (UpdateUser); its ARN changes with it.
    {.type = "aws_iam_user", .layer = L::Identity, .global = true,
     .name = {.attribute = "name", .maxLength = 64, .charset = C::IamName, .rename = Rename::InPlace}},
    {.type = "aws_kinesis_stream", .layer = L::Data, .name = {.attribute = "name", .maxLength = 128, .charset = C::Word}},
    {.type = "aws_kms_alias", .layer = L::Encryption, .name = {"name", "name_prefix", 256, 230, C::Any}},
    {.type = "aws_kms_key", .layer = L::Encryption},
    {.type = "aws_lambda_function", .layer = L::Compute, .name = {.attribute = "function_name", .maxLength = 64, .charset = C::Word}},
    {.type = "aws_lb", .layer = L::Compute, .name = {"name", "name_prefix", 32, 6, C::LoadBalancer}, .mirrored = true},
    {.type = "aws_lb_listener", .layer = L::Compute, .mirrored = true},
    {.type = "aws_lb_listener_rule", .layer = L::Compute, .mirrored = true},
    {.type = "aws_lb_target_group", .layer = L::Compute, .name = {"name", "name_prefix", 32, 6, C::LoadBalancer}, .mirrored = true},
    {.type = "aws_neptune_cluster", .layer = L::Data,
     .name = {"cluster_identifier", "cluster_identifier_prefix", 63, 37, C::DbIdentifier, true},
     .encryption = {.flag = "storage_encrypted", .key = "kms_key_arn", .inheritedVia = {"snapshot_identifier", "global_cluster_identifier", "replication_source_identifier"}},
     .database = {"neptune_subnet_group_name", "aws_neptune_subnet_group", "vpc_security_group_ids", 8182}},
    {.type = "aws_rds_cluster", .layer = L::Data,
     .name = {"cluster_identifier", "cluster_identifier_prefix", 63, 37, C::DbIdentifier, true},
     .secret = {"master_password", "master_username", 41},  // CreateDBCluster: 8 to 41 characters, every engine
     .encryption = {.flag = "storage_encrypted", .key = "kms_key_id", .inheritedVia = {"snapshot_identifier", "replication_source_identifier", "restore_to_point_in_time"}},
     .database = {"db_subnet_group_name", "aws_db_subnet_group", "vpc_security_group_ids"}},
    {.type = "aws_rds_cluster_instance", .layer = L::Data, .name = {"identifier", "identifier_prefix", 63, 37, C::DbIdentifier, true}},
    {.type = "aws_rds_cluster_parameter_group", .layer = L::Data, .name = {"name", "name_prefix", 255, 229, C::DbIdentifier, true}},
    {.type = "aws_rds_global_cluster", .layer = L::Data, .global = true,
     .name = {.attribute = "global_cluster_identifier", .maxLength = 63, .charset = C::DbIdentifier, .lowercase = true},
     .encryption = {.flag = "storage_encrypted", .inheritedVia = {"source_db_cluster_identifier"}}},
    {.type = "aws_redshift_cluster", .layer = L::Data,
     .name = {.attribute = "cluster_identifier", .maxLength = 63, .charset = C::DbIdentifier, .lowercase = true},
     .secret = {"master_password", "master_username", 64},
     // Since AWS provider 6 (and AWS itself since January 2025) new clusters are encrypted.
     .encryption = {.flag = "encrypted", .flagDefault = true, .key = "kms_key_id", .inheritedVia = {"snapshot_identifier"}},
     .database = {"cluster_subnet_group_name", "aws_redshift_subnet_group", "vpc_security_group_ids", 5439}},
    {.type = "aws_route53_health_check", .layer = L::Dns, .global = true},
    {.type = "aws_route53_record", .layer = L::Dns, .global = true},
    {.type = "aws_s3_bucket", .layer = L::Data, .name = {"bucket", "bucket_prefix", 63, 37, C::S3Bucket, true},
     // SSE-S3 for every new object since January 2023.
     .encryption = {.alwaysEncrypted = true, .inPlace = true}},
    {.type = "aws_secretsmanager_secret", .layer = L::Data, .name = {"name", "name_prefix", 512, 486}},
    {.type = "aws_secretsmanager_secret_version", .layer = L::Data, .secret = {"secret_string", "", 65536}},
    {.type = "aws_security_group", .layer = L::Network, .name = {.attribute = "name", .prefix = "name_prefix", .maxLength = 255, .prefixMaxLength = 229, .scopedBy = "vpc_id"}},
    {.type = "aws_sfn_state_machine", .layer = L::Compute, .name = {"name", "name_prefix", 80, 54, C::Word}},
    {.type = "aws_sns_topic", .layer = L::Monitoring, .name = {"name", "name_prefix", 256, 230, C::Word}},
    {.type = "aws_sqs_queue", .layer = L::Data, .name = {"name", "name_prefix", 80, 54, C::Word}},
    {.type = "aws_ssm_parameter", .layer = L::Data, .name = {.attribute = "name", .maxLength = 2048}},
    {.type = "aws_subnet", .layer = L::Network},
    {.type = "aws_vpc", .layer = L::Network},
    {.type = "aws_wafv2_web_acl", .layer = L::Compute, .name = {"name", "name_prefix", 128, 102, C::Word}},
};

constexpr std::string_view kGlobalPrefixes[] = {
    "aws_iam_", "aws_route53_", "aws_cloudfront_", "aws_organizations_", "aws_budgets_", "aws_globalaccelerator_",
};
/// Regional services whose names start like a global one.
constexpr std::string_view kRegionalExceptions[] = {"aws_route53resolver_", "aws_route53_resolver_"};

constexpr SideWord kSideWords[] = {
    {"primary", Side::Source},        {"source", Side::Source},          {"src", Side::Source},
    {"secondary", Side::Destination}, {"tertiary", Side::Destination},
    {"dr", Side::Destination},        {"replica", Side::Destination},   {"backup", Side::Destination},
    {"failover", Side::Destination},  {"destination", Side::Destination}, {"dst", Side::Destination},
    {"standby", Side::Destination},
};

constexpr std::string_view kEnvironmentWords[] = {
    "dev", "develop", "development", "test", "testing", "qa", "uat", "stage", "staging", "stg", "preprod",
    "prod", "production", "prd", "sandbox", "sbx", "demo", "preview", "int", "integration", "perf", "nonprod", "live",
};

constexpr std::string_view kEnvironmentVariables[] = {
    "environmentsuffix", "envsuffix", "environmentnamesuffix", "environment", "env", "environmentname", "envname", "stage",
};

constexpr std::string_view kSecretEnvironmentParts[] = {"PASSWORD", "PASSWD", "SECRET", "TOKEN", "API_KEY", "APIKEY", "PRIVATE_KEY"};

constexpr PolicyRoute kPolicyRoutes[] = {
    {"aws_iam_role_policy", "role"},
    {"aws_iam_role_policy_attachment", "role"},
    {"aws_iam_policy_attachment", "roles", true},
    {"aws_iam_role_policies_exclusive", "role_name"},
    {"aws_iam_role_policy_attachments_exclusive", "role_name"},
};

constexpr RoleUse kRoleUses[] = {
    {"aws_ecs_task_definition", "execution_role_arn", "ECS task execution role"},
    {"aws_ecs_task_definition", "task_role_arn", "ECS task role"},
    {"aws_lambda_function", "role", "Lambda execution role"},
    {"aws_codedeploy_deployment_group", "service_role_arn", "CodeDeploy service role"},
    {"aws_s3_bucket_replication_configuration", "role", "S3 replication role"},
};

constexpr RoleUse kResourcePolicies[] = {
    {"aws_s3_bucket_policy", "policy", "bucket policy"},
    {"aws_kms_key", "policy", "key policy"},
    {"aws_kms_key_policy", "policy", "key policy"},
    {"aws_sqs_queue_policy", "policy", "queue policy"},
    {"aws_sqs_queue", "policy", "queue policy"},
    {"aws_sns_topic_policy", "policy", "topic policy"},
    {"aws_sns_topic", "policy", "topic policy"},
    {"aws_ecr_repository_policy", "policy", "repository policy"},
    {"aws_secretsmanager_secret_policy", "policy", "secret policy"},
    {"aws_secretsmanager_secret", "policy", "secret policy"},
    {"aws_glacier_vault", "access_policy", "vault policy"},
    {"aws_kms_grant", "grantee_principal", "KMS grant"},
};

constexpr BucketConsumer kBucketConsumers[] = {
    {"aws_s3_bucket_logging", "target_bucket", BucketUse::AccessLogTarget},
    {"aws_s3_bucket", "logging.target_bucket", BucketUse::AccessLogTarget},
    {"aws_lb", "access_logs.bucket", BucketUse::LoadBalancerLogs},
    {"aws_alb", "access_logs.bucket", BucketUse::LoadBalancerLogs},
    {"aws_lb", "connection_logs.bucket", BucketUse::LoadBalancerLogs},
    {"aws_cloudtrail", "s3_bucket_name", BucketUse::CloudTrailLogs},
    {"aws_flow_log", "log_destination", BucketUse::FlowLogs},
    {"aws_cloudfront_distribution", "origin.domain_name", BucketUse::CloudFrontOrigin},
};

constexpr ApplicationGroups kApplicationGroups[] = {
    {"aws_ecs_service", "network_configuration.security_groups"},
    {"aws_lambda_function", "vpc_config.security_group_ids"},
};

bool startsWith(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

}  // namespace

std::span<const TypeFacts> allTypes() { return kTypes; }

const TypeFacts* facts(std::string_view type) {
  auto it = std::lower_bound(std::begin(kTypes), std::end(kTypes), type,
                             [](const TypeFacts& f, std::string_view t) { return f.type < t; });
  return it != std::end(kTypes) && it->type == type ? &*it : nullptr;
}

bool isGlobal(std::string_view type) {
  if (const TypeFacts* f = facts(type)) return f->global;
  for (auto e : kRegionalExceptions) {
    if (startsWith(type, e)) return false;
  }
  for (auto p : kGlobalPrefixes) {
    if (startsWith(type, p)) return true;
  }
  return false;
}

std::span<const std::string_view> globalPrefixes() { return kGlobalPrefixes; }

std::string_view partitionOf(std::string_view region) {
  struct Partition {
    std::string_view regionPrefix;
    std::string_view partition;
  };
  static constexpr Partition kPartitions[] = {
      {"cn-", "aws-cn"},        {"us-gov-", "aws-us-gov"}, {"us-iso-", "aws-iso"},
      {"us-isob-", "aws-iso-b"}, {"eu-isoe-", "aws-iso-e"}, {"us-isof-", "aws-iso-f"},
  };
  for (const auto& p : kPartitions) {
    if (startsWith(region, p.regionPrefix)) return p.partition;
  }
  return "aws";
}

std::size_t secretMaxLength(std::string_view type, std::optional<std::string_view> engine) {
  const TypeFacts* f = facts(type);
  if (!f || f->secret.attribute.empty()) return 0;
  if (!f->secret.byEngine) return f->secret.maxLength;
  // RDS instances: CreateDBInstance's MasterUserPassword constraints by engine.
  struct EngineLimit {
    std::string_view part;
    std::size_t maxLength;
  };
  static constexpr EngineLimit kEngines[] = {
      {"aurora", 41}, {"oracle", 30}, {"mysql", 41}, {"mariadb", 41}, {"postgres", 128}, {"sqlserver", 128}, {"db2", 255},
  };
  std::size_t shortest = kEngines[0].maxLength;
  for (const auto& e : kEngines) {
    if (engine && engine->find(e.part) != std::string_view::npos) return e.maxLength;
    shortest = std::min(shortest, e.maxLength);
  }
  return shortest;
}

int defaultPort(std::string_view type, std::string_view engine) {
  if (const TypeFacts* f = facts(type); f && f->database.port) return f->database.port;
  struct EnginePort {
    std::string_view part;
    int port;
  };
  static constexpr EnginePort kEngines[] = {
      {"postgres", 5432}, {"sqlserver", 1433}, {"oracle", 1521}, {"db2", 50000}, {"mysql", 3306}, {"mariadb", 3306},
  };
  for (const auto& e : kEngines) {
    if (engine.find(e.part) != std::string_view::npos) return e.port;
  }
  return 3306;  // "aurora" (MySQL-compatible) and unknown engines
}

std::span<const SideWord> sideWords() { return kSideWords; }

std::optional<Side> sideOf(std::string_view token) {
  for (const auto& w : kSideWords) {
    if (w.word == token) return w.side;
  }
  return std::nullopt;
}

std::span<const std::string_view> environmentWords() { return kEnvironmentWords; }
std::span<const std::string_view> environmentVariables() { return kEnvironmentVariables; }
std::span<const std::string_view> secretEnvironmentNameParts() { return kSecretEnvironmentParts; }

bool isSecretEnvironmentName(std::string_view name) {
  std::string upper(name);
  for (auto& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (auto part : kSecretEnvironmentParts) {
    if (upper.find(part) != std::string::npos) return true;
  }
  return false;
}

std::span<const PolicyRoute> policyRoutes() { return kPolicyRoutes; }
std::span<const RoleUse> roleUses() { return kRoleUses; }
std::span<const RoleUse> resourcePolicies() { return kResourcePolicies; }
std::span<const BucketConsumer> bucketConsumers() { return kBucketConsumers; }
std::span<const ApplicationGroups> applicationGroups() { return kApplicationGroups; }

}  // namespace tfmend::aws
