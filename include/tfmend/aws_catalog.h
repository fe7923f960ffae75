#pragma once
/// The AWS catalogue: every fact about AWS resource types that the rules need
/// (name attributes and their limits, secret and encryption attributes and
/// their defaults, database ports and network attributes, the layer a type
/// belongs to, whether it is global), in one place. Rules read it and keep no
/// lists of their own. tests/aws_catalog_test.cc checks every attribute and
/// nested block named here against the AWS provider schema, so a wrong or
/// renamed attribute fails the build's tests, not a user's stack.

#include <cstddef>
#include <optional>
#include <span>
#include <string_view>

namespace tfmend::aws {

/// What part of an application a resource type belongs to.
enum class Layer {
  Other,
  Network,     ///< VPCs, subnets, security groups
  Compute,     ///< what runs the application: ECS, load balancers, Lambda
  Data,        ///< data stores
  Identity,    ///< IAM
  Dns,         ///< Route 53
  Monitoring,  ///< CloudWatch, SNS topics of alarms
  Encryption,  ///< KMS
};

/// The characters AWS allows in a name.
enum class NameCharset {
  Any,           ///< no restriction tfmend needs to know of
  S3Bucket,      ///< a-z 0-9 . -, starting and ending with a letter or digit
  DbIdentifier,  ///< a-z 0-9 -, starting with a letter, no "--", not ending in "-"
  LoadBalancer,  ///< A-Z a-z 0-9 -, not starting or ending with "-" (load balancers, target groups)
  IamName,       ///< A-Z a-z 0-9 + = , . @ _ -
  Word,          ///< A-Z a-z 0-9 _ - (ECS, SQS, SNS, Lambda, DynamoDB adds "."; close enough for suffixes)
};

/// What giving a resource a new name does to it (the provider's ForceNew on the
/// name argument).
enum class Rename {
  Replaces,  ///< the provider replaces the resource: it is deleted and created anew
  InPlace,   ///< updated in place, but the name is how others reach the resource (its endpoint, its ARN)
  Label,     ///< updated in place, and nothing reaches the resource by it (the Name tag)
};

/// The attribute that names a resource, and the limits AWS puts on it.
struct NameFacts {
  std::string_view attribute;  ///< dotted path in the body; empty when the type has no name
  std::string_view prefix;     ///< the `*_prefix` alternative (AWS appends a unique part), or empty
  std::size_t maxLength = 255;
  std::size_t prefixMaxLength = 0;  ///< room for the prefix
  NameCharset charset = NameCharset::Any;
  bool lowercase = false;
  /// What a new name does to the resource. Only a Label is renamed safely:
  /// KMS aliases and alarm names are ForceNew (and an alias may be used by
  /// name outside the stack), like most names.
  Rename rename = Rename::Replaces;
  /// The argument naming the parent within which the name must be unique (an
  /// ECS service's `cluster`, a security group's `vpc_id`), or empty when the
  /// name is unique in the account and region.
  std::string_view scopedBy;
};

/// A secret-bearing argument and its paired user name argument.
struct SecretFacts {
  std::string_view attribute;  ///< empty when the type has none
  std::string_view username;
  /// The longest value AWS accepts, or 0 where tfmend knows no limit.
  std::size_t maxLength = 0;
  /// The limit depends on the database engine (RDS instances): see secretMaxLength.
  bool byEngine = false;
};

/// Encryption at rest of a data store.
struct EncryptionFacts {
  std::string_view block;  ///< the nested block that holds flag and key, or empty
  std::string_view flag;   ///< the boolean that turns encryption on; empty where there is none
  bool flagDefault = false;     ///< what AWS does when the flag is absent
  std::string_view key;         ///< the KMS key argument, or empty
  bool alwaysEncrypted = false; ///< AWS encrypts at rest whatever the configuration (S3, DynamoDB)
  bool inPlace = false;         ///< turning encryption on does not replace the resource
  /// Arguments that, when set, make the store inherit its encryption (a snapshot, a source cluster).
  std::string_view inheritedVia[3] = {};
};

/// Where a database sits in a VPC.
struct DatabaseFacts {
  std::string_view subnetGroup;      ///< the argument naming its subnet group; empty when not a database
  std::string_view subnetGroupType;  ///< the subnet group's resource type
  std::string_view securityGroups;   ///< the argument listing its security groups
  int port = 0;                      ///< the default port; 0 when it follows the engine
};

/// Everything the rules know about one resource type.
struct TypeFacts {
  std::string_view type;
  Layer layer = Layer::Other;
  bool global = false;  ///< exists once per account, whatever the provider's region
  NameFacts name;
  SecretFacts secret;
  EncryptionFacts encryption;
  DatabaseFacts database;
  /// TFM008 mirrors resources of this type into a region that lacks the compute layer.
  bool mirrored = false;
  /// A regional dependency that may be copied along with the mirrored layer (a log group).
  bool copyable = false;
};

/// The facts of `type`, or null for a type the catalogue does not know.
const TypeFacts* facts(std::string_view type);
/// Every entry, sorted by type.
std::span<const TypeFacts> allTypes();

/// True if resources of `type` are global (IAM, Route 53, CloudFront, ...):
/// by the type's entry, else by its service.
bool isGlobal(std::string_view type);
/// The service prefixes of global types ("aws_iam_", ...).
std::span<const std::string_view> globalPrefixes();

/// The AWS partition of `region` ("aws", "aws-cn", "aws-us-gov", ...): what
/// ARNs of AWS managed policies start with there.
std::string_view partitionOf(std::string_view region);

/// The longest value the secret argument of `type` accepts from a database
/// running `engine` (CreateDBInstance's MasterUserPassword: 30 for Oracle, 41
/// for MySQL and MariaDB, 128 for PostgreSQL and SQL Server, ...); where the
/// engine is unknown (nullopt) or not one tfmend knows, the shortest limit of
/// them all. 0 for a type without a secret argument, or whose limit tfmend
/// does not know.
std::size_t secretMaxLength(std::string_view type, std::optional<std::string_view> engine);

/// The default port of a database of `type` running `engine`.
int defaultPort(std::string_view type, std::string_view engine);

/// How a word in a name relates a resource to its region in a multi-region stack.
enum class Side { Neutral, Source, Destination };
/// A word that names a side of a multi-region stack ("primary", "dr", ...).
struct SideWord {
  std::string_view word;
  Side side;
};
std::span<const SideWord> sideWords();
/// The side `token` names, if it is a side word.
std::optional<Side> sideOf(std::string_view token);

/// Words that name an environment ("dev", "prod", ...): a suffix inferred
/// from the stack's names must be one of them.
std::span<const std::string_view> environmentWords();
/// Variable names that hold the environment (compared without '_' and '-', lowercase).
std::span<const std::string_view> environmentVariables();

/// Parts of an environment variable's name that mark its value as a secret
/// (Lambda and ECS container environments), upper case.
std::span<const std::string_view> secretEnvironmentNameParts();
/// True if an environment variable called `name` holds a secret.
bool isSecretEnvironmentName(std::string_view name);

/// A place where a resource names an IAM role that gets a policy from it.
struct PolicyRoute {
  std::string_view type;       ///< the resource that grants
  std::string_view attribute;  ///< the argument naming the role (by name or ARN)
  bool list = false;           ///< the argument lists several roles
};
/// Every route by which the provider can give a role an identity policy,
/// besides the role's own `inline_policy` and `managed_policy_arns`.
std::span<const PolicyRoute> policyRoutes();

/// A place where a resource makes a role act for it (a use that needs permissions).
struct RoleUse {
  std::string_view type;
  std::string_view attribute;
  std::string_view what;  ///< how the use is described to the user
};
std::span<const RoleUse> roleUses();

/// Resource types whose argument holds a resource policy (principals other than
/// the owner get access from it): a role named there needs no identity policy.
std::span<const RoleUse> resourcePolicies();

/// A resource that delivers to, or reads from, an S3 bucket, in a way that
/// constrains the bucket's encryption.
enum class BucketUse {
  AccessLogTarget,      ///< S3 server access logs: SSE-KMS is not supported
  LoadBalancerLogs,     ///< ALB/NLB access logs: only SSE-S3
  CloudTrailLogs,       ///< the key policy must let CloudTrail use the key
  FlowLogs,             ///< the key policy must let delivery.logs use the key
  CloudFrontOrigin,     ///< with an OAI CloudFront cannot read SSE-KMS; with OAC the key policy must allow it
};
struct BucketConsumer {
  std::string_view type;
  std::string_view attribute;  ///< dotted path to the argument naming the bucket
  BucketUse use;
};
std::span<const BucketConsumer> bucketConsumers();

/// Where application compute names its security groups (ECS services, Lambda).
struct ApplicationGroups {
  std::string_view type;
  std::string_view attribute;  ///< dotted path to the list of security groups
};
std::span<const ApplicationGroups> applicationGroups();

}  // namespace tfmend::aws
