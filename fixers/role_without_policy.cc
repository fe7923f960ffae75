// TFM006 role-without-policy
//
// Finds: an IAM role with no policy at all: no aws_iam_role_policy_attachment,
// aws_iam_role_policy or aws_iam_policy_attachment naming it, no inline_policy,
// no managed_policy_arns.
// Why: seed failures 7 and 8 — the ECS task role and the S3 replication role
// existed without policies; the application failed at run time and
// replication failed silently.
// Fix: the least privilege derived from how the stack uses the role, scoped by
// reference to the stack's own buckets and keys:
//   - S3 replication role (the role of a replication configuration): read the
//     replication configuration and list the sources, read object versions of
//     the sources, replicate to the destinations, kms:Decrypt on source keys and
//     kms:Encrypt on replica keys;
//   - ECS task role: s3:GetObject/PutObject on the buckets of the regions where
//     its tasks run (replication destinations excepted: S3 writes those), with
//     kms:Decrypt and kms:GenerateDataKey on their SSE-KMS keys;
//   - ECS task execution role, CodeDeploy role for ECS, Lambda role: the AWS
//     managed policy made for that use.
// The policy is an aws_iam_policy_document (one action a line in the diff),
// an aws_iam_policy named with the environment suffix, and its attachment.
// A role with no use tfmend understands gets no fix; the finding says so.
#include <map>
#include <set>

#include "rules.h"
#include "tfmend/builders.h"
#include "tfmend/naming.h"
#include "tfmend/s3.h"

namespace tfmend {

namespace {

/// Roles that some policy is attached to, by address.
std::set<std::string> rolesWithPolicies(const StackModel& model) {
  std::set<std::string> out;
  auto mark = [&](const Json* value) {
    if (const Resource* role = model.referenced(value, "aws_iam_role", "name")) out.insert(role->address);
  };
  for (const char* type : {"aws_iam_role_policy_attachment", "aws_iam_role_policy"}) {
    for (const Resource* a : model.ofType(type)) mark(getPath(*a->body, "role"));
  }
  for (const Resource* a : model.ofType("aws_iam_policy_attachment")) {
    if (const Json* roles = getPath(*a->body, "roles"); roles && roles->is_array()) {
      for (const auto& r : *roles) mark(&r);
    }
  }
  for (const Resource* role : model.ofType("aws_iam_role")) {
    const Json* managed = getPath(*role->body, "managed_policy_arns");
    bool hasManaged = managed && ((managed->is_array() && !managed->empty()) || managed->is_string());
    bool hasInline = false;
    for (const Json* p : blocks(*role->body, "inline_policy")) hasInline = hasInline || p->contains("policy");
    if (hasManaged || hasInline) out.insert(role->address);
  }
  return out;
}

/// Users of `role` of `type` whose `attribute` names it.
std::vector<const Resource*> usersVia(const StackModel& model, const Resource& role, std::string_view type,
                                      std::string_view attribute) {
  std::vector<const Resource*> out;
  for (const Reference* use : model.usersOf(role.address)) {
    const Resource* user = model.find(use->from);
    if (!user || user->type != type) continue;
    if (model.referenced(getPath(*user->body, attribute), "aws_iam_role") != &role) continue;
    if (out.empty() || out.back() != user) out.push_back(user);
  }
  return out;
}

/// A KMS key reference as an ARN (policies name keys by ARN).
std::string keyArn(const StackModel& model, const std::string& key) {
  Json value(key);
  if (const Resource* k = model.referenced(&value, "aws_kms_key")) return ref(k->address, "arn");
  return key.rfind("arn:", 0) == 0 || key.rfind("${", 0) == 0 ? key : std::string();
}

Json statement(std::string sid, std::vector<std::string> actions, const std::set<std::string>& resources) {
  return {{"sid", std::move(sid)}, {"effect", "Allow"}, {"actions", actions},
          {"resources", std::vector<std::string>(resources.begin(), resources.end())}};
}

/// What the stack asks of a role: statements of its own, AWS managed policies.
struct Needs {
  Json statements = Json::array();
  std::vector<std::string> managed;
  std::vector<std::string> uses;  ///< for the title
};

void replicationNeeds(const StackModel& model, const S3Index& s3, const Resource& role, Needs& needs) {
  auto configs = usersVia(model, role, "aws_s3_bucket_replication_configuration", "role");
  if (configs.empty()) return;
  std::set<std::string> sources, sourceObjects, destinationObjects, sourceKeys, replicaKeys;
  for (const Resource* c : configs) {
    const Resource* bucket = model.referenced(getPath(*c->body, "bucket"), "aws_s3_bucket", "bucket");
    if (!bucket) continue;
    sources.insert(ref(bucket->address, "arn"));
    sourceObjects.insert(ref(bucket->address, "arn") + "/*");
    if (std::string k = keyArn(model, s3.of(*bucket).kmsKey); !k.empty()) sourceKeys.insert(k);
    for (const Json* rule : blocks(*c->body, "rule")) {
      for (const Json* dest : blocks(*rule, "destination")) {
        std::string arn = stringAt(*dest, "bucket");
        if (!arn.empty()) destinationObjects.insert(arn + "/*");
        std::string replicaKey = stringAt(*dest, "encryption_configuration.replica_kms_key_id");
        if (std::string k = keyArn(model, replicaKey); !k.empty()) replicaKeys.insert(k);
      }
    }
  }
  if (sources.empty() || destinationObjects.empty()) return;
  needs.statements.push_back(statement("ReadReplicationConfiguration", {"s3:GetReplicationConfiguration", "s3:ListBucket"}, sources));
  needs.statements.push_back(statement(
      "ReadSourceObjectVersions",
      {"s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"}, sourceObjects));
  needs.statements.push_back(
      statement("ReplicateToDestinations", {"s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"}, destinationObjects));
  if (!sourceKeys.empty()) needs.statements.push_back(statement("DecryptSourceObjects", {"kms:Decrypt"}, sourceKeys));
  if (!replicaKeys.empty()) needs.statements.push_back(statement("EncryptReplicas", {"kms:Encrypt"}, replicaKeys));
  needs.uses.push_back("S3 replication of " + std::to_string(configs.size()) + " bucket" + (configs.size() == 1 ? "" : "s"));
}

/// The buckets an application works with, by region: all but replication
/// destinations (S3 writes those). Computed once per check.
std::map<std::string, std::vector<const Resource*>> applicationBuckets(const StackModel& model) {
  std::set<std::string> replicaDestinations;
  for (const Resource* c : model.ofType("aws_s3_bucket_replication_configuration")) {
    for (const Json* rule : blocks(*c->body, "rule")) {
      for (const Json* dest : blocks(*rule, "destination")) {
        if (const Resource* d = model.referenced(getPath(*dest, "bucket"), "aws_s3_bucket")) replicaDestinations.insert(d->address);
      }
    }
  }
  std::map<std::string, std::vector<const Resource*>> out;
  for (const Resource* b : model.ofType("aws_s3_bucket")) {
    if (!replicaDestinations.count(b->address)) out[b->region].push_back(b);
  }
  return out;
}

void taskRoleNeeds(const StackModel& model, const S3Index& s3,
                   const std::map<std::string, std::vector<const Resource*>>& bucketsByRegion, const Resource& role,
                   Needs& needs) {
  auto tasks = usersVia(model, role, "aws_ecs_task_definition", "task_role_arn");
  if (tasks.empty()) return;
  std::set<std::string> regions;
  for (const Resource* t : tasks) regions.insert(t->region);
  std::set<std::string> objects, keys;
  for (const auto& region : regions) {
    auto it = bucketsByRegion.find(region);
    if (it == bucketsByRegion.end()) continue;
    for (const Resource* b : it->second) {
      objects.insert(ref(b->address, "arn") + "/*");
      if (std::string k = keyArn(model, s3.of(*b).kmsKey); !k.empty()) keys.insert(k);
    }
  }
  if (objects.empty()) return;
  needs.statements.push_back(statement("ReadWriteApplicationObjects", {"s3:GetObject", "s3:PutObject"}, objects));
  if (!keys.empty()) needs.statements.push_back(statement("UseBucketKeys", {"kms:Decrypt", "kms:GenerateDataKey"}, keys));
  needs.uses.push_back("ECS task role");
}

void managedNeeds(const StackModel& model, const Resource& role, Needs& needs) {
  if (!usersVia(model, role, "aws_ecs_task_definition", "execution_role_arn").empty()) {
    needs.managed.push_back("arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy");
    needs.uses.push_back("ECS task execution role");
  }
  bool codeDeploy = !usersVia(model, role, "aws_codedeploy_deployment_group", "service_role_arn").empty() ||
                    stringAt(*role.body, "assume_role_policy").find("codedeploy.amazonaws.com") != std::string::npos;
  if (codeDeploy) {
    needs.managed.push_back("arn:aws:iam::aws:policy/AWSCodeDeployRoleForECS");
    needs.uses.push_back("CodeDeploy for ECS");
  }
  auto functions = usersVia(model, role, "aws_lambda_function", "role");
  if (!functions.empty()) {
    bool inVpc = false;
    for (const Resource* f : functions) inVpc = inVpc || !blocks(*f->body, "vpc_config").empty();
    needs.managed.push_back(inVpc ? "arn:aws:iam::aws:policy/service-role/AWSLambdaVPCAccessExecutionRole"
                                  : "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole");
    needs.uses.push_back("Lambda execution role");
  }
}

std::vector<Finding> check(const RuleContext& ctx) {
  const Rule& rule = roleWithoutPolicyRule();
  std::vector<Finding> out;
  auto roles = ctx.model.ofType("aws_iam_role");
  if (roles.empty()) return out;
  auto withPolicies = rolesWithPolicies(ctx.model);
  std::optional<S3Index> s3;
  std::optional<Namer> namer;
  std::map<std::string, std::vector<const Resource*>> bucketsByRegion;
  for (const Resource* role : roles) {
    if (withPolicies.count(role->address)) continue;
    if (!s3) s3.emplace(ctx.model), namer.emplace(ctx), bucketsByRegion = applicationBuckets(ctx.model);
    Needs needs;
    replicationNeeds(ctx.model, *s3, *role, needs);
    taskRoleNeeds(ctx.model, *s3, bucketsByRegion, *role, needs);
    managedNeeds(ctx.model, *role, needs);
    Finding f = makeFinding(rule, *role, role->pointer, "IAM role has no policy");
    if (needs.statements.empty() && needs.managed.empty()) {
      f.message += "; no fix: tfmend sees no use of it to derive a policy from";
      out.push_back(std::move(f));
      continue;
    }
    PatchBuilder b(ctx.model);
    std::string id = constructId(*role);
    std::string roleName = stringAt(*role->body, "name");
    std::string base = roleName.empty() || hasTemplate(roleName) ? id : namer->baseOf(roleName);
    if (base.size() > 5 && base.compare(base.size() - 5, 5, "-role") == 0) base.resize(base.size() - 5);
    std::string title;
    if (!needs.statements.empty()) {
      std::string doc = b.addData("aws_iam_policy_document", id + "-policy-document", *role, role->provider,
                                  {{"statement", needs.statements}});
      std::string policyName = namer->name(base + "-policy", "aws_iam_policy");
      std::string policy = b.addResource("aws_iam_policy", id + "-policy", *role, role->provider,
                                         {{"name", policyName},
                                          {"description", "least privilege for " + role->address},
                                          {"policy", ref(doc, "json")}});
      b.addResource("aws_iam_role_policy_attachment", id + "-policy-attachment", *role, role->provider,
                    {{"role", ref(role->address, "name")}, {"policy_arn", ref(policy, "arn")}});
      title = "attach the least-privilege policy \"" + policyName + "\"";
    }
    for (std::size_t i = 0; i < needs.managed.size(); ++i) {
      const std::string& arn = needs.managed[i];
      b.addResource("aws_iam_role_policy_attachment", id + "-" + arn.substr(arn.rfind('/') + 1), *role, role->provider,
                    {{"role", ref(role->address, "name")}, {"policy_arn", arn}});
      title += (title.empty() ? "attach " : ", ") + arn.substr(arn.rfind('/') + 1);
    }
    std::string uses;
    for (const auto& u : needs.uses) uses += (uses.empty() ? "" : ", ") + u;
    f.message += " (used as: " + uses + ")";
    Fix fix;
    fix.applicability = Applicability::Unsafe;
    fix.title = title;
    fix.ops = b.ops();
    f.fix = std::move(fix);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

const Rule& roleWithoutPolicyRule() {
  static const Rule rule{"TFM006", "role-without-policy", Severity::Medium,
                         "an IAM role with no attached or inline policy", "unsafe", check};
  return rule;
}

}  // namespace tfmend
