// TFM006 role-without-policy: docs/rules/TFM006-role-without-policy.md
#include <map>
#include <set>

#include "rules.h"
#include "tfmend/aws_catalog.h"
#include "tfmend/builders.h"
#include "tfmend/iam.h"
#include "tfmend/pass_facts.h"
#include "tfmend/values.h"

namespace tfmend {

namespace {

/// The role of the stack that `value` names: by reference in any form, by its
/// literal name, or by a literal role ARN.
const Resource* roleNamed(const StackModel& model, const Json* value, const Resource* within) {
  if (const Resource* r = model.referenced(value, "aws_iam_role", "name", within)) return r;
  auto literal = stringOf(model, value);
  if (literal && literal->rfind("arn:", 0) == 0 && literal->find(":role/") != std::string::npos) {
    return model.byLiteral("aws_iam_role", "name", literal->substr(literal->rfind('/') + 1));
  }
  return nullptr;
}

/// Which roles a policy reaches, by every route the provider has.
struct Attached {
  std::set<const Resource*> roles;
  /// Some route names a role tfmend cannot resolve (a variable without
  /// default, a module output): it may be any role, so no role is reported.
  bool unknown = false;
};

bool nonEmptyList(const StackModel& model, const Json* value) {
  if (!value || value->is_null()) return false;
  auto literal = literalOf(model, value);
  if (!literal) return true;  // unknown: assume it holds something
  return !(literal->is_array() && literal->empty());
}

Attached attachedRoles(const StackModel& model) {
  Attached out;
  for (const aws::PolicyRoute& route : aws::policyRoutes()) {
    bool exclusive = std::string_view(route.type).find("_exclusive") != std::string_view::npos;
    for (const Resource* grant : model.ofType(route.type)) {
      if (exclusive && !nonEmptyList(model, getPath(*grant->body, route.type == std::string_view("aws_iam_role_policies_exclusive")
                                                                    ? "policy_names" : "policy_arns"))) {
        continue;
      }
      const Json* value = getPath(*grant->body, route.attribute);
      if (!value) continue;
      Targets targets = targetsOf(model, value, grant);
      bool resolved = false;
      for (const Resource* r : targets.resources) {
        if (!r->isData && r->type == "aws_iam_role") out.roles.insert(r), resolved = true;
      }
      if (resolved) continue;
      std::vector<const Json*> names;
      auto literal = literalOf(model, value);
      if (literal && literal->is_array()) {
        for (const auto& n : *literal) {
          if (const Resource* r = roleNamed(model, &n, grant)) out.roles.insert(r), resolved = true;
        }
      } else if (const Resource* r = roleNamed(model, value, grant)) {
        out.roles.insert(r), resolved = true;
      }
      if (!resolved && (targets.unknown || !literal)) out.unknown = true;
    }
  }
  for (const Resource* role : model.ofType("aws_iam_role")) {
    bool hasInline = false;
    for (const Json* p : blocks(*role->body, "inline_policy")) hasInline = hasInline || p->contains("policy");
    if (hasInline || nonEmptyList(model, getPath(*role->body, "managed_policy_arns"))) out.roles.insert(role);
  }
  return out;
}

/// Who acts through each role: the users of the catalogue's role uses (a task
/// definition's task_role_arn, a Lambda's role, ...), found in one pass.
class RoleUsers {
 public:
  explicit RoleUsers(const StackModel& model) {
    for (const aws::RoleUse& use : aws::roleUses()) {
      for (const Resource* user : model.ofType(use.type)) {
        if (const Resource* role = roleNamed(model, getPath(*user->body, use.attribute), user)) {
          users_[{role, std::string(use.type) + "." + std::string(use.attribute)}].push_back(user);
        }
      }
    }
  }
  /// Users of `role` of `type` whose `attribute` names it.
  const std::vector<const Resource*>& of(const Resource& role, std::string_view type, std::string_view attribute) const {
    static const std::vector<const Resource*> none;
    auto it = users_.find({&role, std::string(type) + "." + std::string(attribute)});
    return it == users_.end() ? none : it->second;
  }

 private:
  std::map<std::pair<const Resource*, std::string>, std::vector<const Resource*>> users_;
};

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
  std::vector<std::string> managed;  ///< paths of AWS managed policies ("service-role/...")
  std::vector<std::string> uses;     ///< how the role is used, for the message
  std::vector<std::string> unknown;  ///< uses whose permissions tfmend cannot derive
};

void replicationNeeds(const StackModel& model, const S3Index& s3, const RoleUsers& users, const Resource& role, Needs& needs) {
  const auto& configs = users.of(role, "aws_s3_bucket_replication_configuration", "role");
  if (configs.empty()) {
    // A role only S3 may assume is a replication role, even before a replication uses it.
    auto trusted = trustedServices(model, role);
    if (trusted.size() == 1 && trusted.count("s3.amazonaws.com")) {
      needs.uses.push_back("S3 replication role (trusted by s3.amazonaws.com)");
      needs.unknown.push_back("no replication configuration uses it yet; once one does (TFM005's fix adds them), the policy follows from it");
    }
    return;
  }
  needs.uses.push_back("S3 replication role");
  std::set<std::string> sources, sourceObjects, destinationObjects, sourceKeys, replicaKeys;
  for (const Resource* c : configs) {
    const Resource* bucket = bucketNamed(model, getPath(*c->body, "bucket"));
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
  if (sources.empty() || destinationObjects.empty()) {
    needs.unknown.push_back("its replication's buckets are outside the stack");
    return;
  }
  needs.statements.push_back(statement("ReadReplicationConfiguration", {"s3:GetReplicationConfiguration", "s3:ListBucket"}, sources));
  needs.statements.push_back(statement(
      "ReadSourceObjectVersions",
      {"s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"}, sourceObjects));
  needs.statements.push_back(
      statement("ReplicateToDestinations", {"s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"}, destinationObjects));
  if (!sourceKeys.empty()) needs.statements.push_back(statement("DecryptSourceObjects", {"kms:Decrypt"}, sourceKeys));
  if (!replicaKeys.empty()) needs.statements.push_back(statement("EncryptReplicas", {"kms:Encrypt"}, replicaKeys));
}

/// The task role: access to what the task's containers are given (bucket,
/// table, queue, topic, key names in their definitions), and nothing else.
void taskRoleNeeds(const StackModel& model, const S3Index& s3, const RoleUsers& users, const Resource& role, Needs& needs) {
  const auto& tasks = users.of(role, "aws_ecs_task_definition", "task_role_arn");
  if (tasks.empty()) return;
  needs.uses.push_back("ECS task role");
  std::set<std::string> buckets, objects, keys, tables, queues, topics;
  for (const Resource* t : tasks) {
    for (const Resource* r : targetsOf(model, getPath(*t->body, "container_definitions"), t).resources) {
      if (r->isData) continue;
      if (r->type == "aws_s3_bucket") {
        buckets.insert(ref(r->address, "arn"));
        objects.insert(ref(r->address, "arn") + "/*");
        if (std::string k = keyArn(model, s3.of(*r).kmsKey); !k.empty()) keys.insert(k);
      } else if (r->type == "aws_dynamodb_table") {
        tables.insert(ref(r->address, "arn"));
      } else if (r->type == "aws_sqs_queue") {
        queues.insert(ref(r->address, "arn"));
      } else if (r->type == "aws_sns_topic") {
        topics.insert(ref(r->address, "arn"));
      } else if (r->type == "aws_kms_key") {
        keys.insert(ref(r->address, "arn"));
      }
    }
  }
  if (!buckets.empty()) {
    needs.statements.push_back(statement("ListApplicationBuckets", {"s3:ListBucket"}, buckets));
    needs.statements.push_back(statement("ReadWriteApplicationObjects", {"s3:GetObject", "s3:PutObject"}, objects));
  }
  if (!tables.empty()) {
    needs.statements.push_back(statement(
        "ReadWriteApplicationTables",
        {"dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem", "dynamodb:Query"}, tables));
  }
  if (!queues.empty()) {
    needs.statements.push_back(statement(
        "UseApplicationQueues", {"sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:GetQueueAttributes"}, queues));
  }
  if (!topics.empty()) needs.statements.push_back(statement("PublishToApplicationTopics", {"sns:Publish"}, topics));
  if (!keys.empty()) needs.statements.push_back(statement("UseApplicationKeys", {"kms:Decrypt", "kms:GenerateDataKey"}, keys));
  if (buckets.empty() && tables.empty() && queues.empty() && topics.empty() && keys.empty()) {
    needs.unknown.push_back("its containers name no bucket, table, queue, topic or key of the stack to derive a policy from");
  }
}

void managedNeeds(const StackModel& model, const RoleUsers& users, const Resource& role, Needs& needs) {
  if (!users.of(role, "aws_ecs_task_definition", "execution_role_arn").empty()) {
    needs.managed.push_back("service-role/AmazonECSTaskExecutionRolePolicy");
    needs.uses.push_back("ECS task execution role");
  }
  const auto& groups = users.of(role, "aws_codedeploy_deployment_group", "service_role_arn");
  if (!groups.empty()) {
    needs.uses.push_back("CodeDeploy service role");
    const Resource* app = model.referenced(getPath(*groups.front()->body, "app_name"), "aws_codedeploy_app", "name", groups.front());
    std::string platform = app ? stringOf(model, getPath(*app->body, "compute_platform")).value_or("Server") : "";
    if (platform == "ECS") needs.managed.push_back("AWSCodeDeployRoleForECS");
    else if (platform == "Lambda") needs.managed.push_back("service-role/AWSCodeDeployRoleForLambda");
    else if (platform == "Server") needs.managed.push_back("service-role/AWSCodeDeployRole");
    else needs.unknown.push_back("its CodeDeploy application's compute platform is unknown");
  }
  const auto& functions = users.of(role, "aws_lambda_function", "role");
  if (!functions.empty()) {
    bool inVpc = false;
    for (const Resource* f : functions) inVpc = inVpc || !blocks(*f->body, "vpc_config").empty();
    needs.managed.push_back(inVpc ? "service-role/AWSLambdaVPCAccessExecutionRole"
                                  : "service-role/AWSLambdaBasicExecutionRole");
    needs.uses.push_back("Lambda execution role");
  }
}

std::vector<Finding> check(const RuleContext& ctx) {
  const Rule& rule = roleWithoutPolicyRule();
  std::vector<Finding> out;
  auto roles = ctx.model.ofType("aws_iam_role");
  if (roles.empty()) return out;
  Attached attached = attachedRoles(ctx.model);
  if (attached.unknown) return out;
  std::optional<RoleUsers> users;
  std::set<std::string> policyNames;  // given in this pass
  for (const Resource* role : roles) {
    if (attached.roles.count(role) || namedAsPrincipal(ctx.model, *role)) continue;
    if (!users) users.emplace(ctx.model);
    Needs needs;
    replicationNeeds(ctx.model, ctx.facts.s3(), *users, *role, needs);
    taskRoleNeeds(ctx.model, ctx.facts.s3(), *users, *role, needs);
    managedNeeds(ctx.model, *users, *role, needs);
    if (needs.uses.empty()) continue;  // nothing in the stack acts through it: it may be for use elsewhere
    std::string uses;
    for (const auto& u : needs.uses) uses += (uses.empty() ? "" : ", ") + u;
    Finding f = makeFinding(rule, *role, role->pointer, "IAM role has no policy (used as: " + uses + ")");
    if (needs.statements.empty() && needs.managed.empty()) {
      f.withoutFix(needs.unknown.empty() ? "tfmend cannot derive its permissions" : needs.unknown.front());
      out.push_back(std::move(f));
      continue;
    }
    const Namer& namer = ctx.facts.namer();
    std::string id = constructId(*role);
    std::string base = namer.baseName(*role);
    if (base.size() > 5 && base.compare(base.size() - 5, 5, "-role") == 0) base.resize(base.size() - 5);
    // Names and title now, in finding order (policy names of one pass must
    // differ); the resources only if the fix is made.
    std::string title, policyName;
    if (!needs.statements.empty()) {
      // Policy names are unique in the account: none the stack has, nor one
      // this pass gives another role's policy.
      policyName = namer.uniqueName(base + "-policy", "aws_iam_policy", role->address, &policyNames);
      title = "attach the least-privilege policy \"" + policyName + "\"";
    }
    for (const std::string& path : needs.managed) {
      title += (title.empty() ? "attach " : ", ") + path.substr(path.rfind('/') + 1);
    }
    Fix fix;
    fix.applicability = Applicability::Unsafe;
    fix.title = title;
    fix.makeOps = [&ctx, role, id, policyName, statements = std::move(needs.statements), managed = std::move(needs.managed)] {
      PatchBuilder b(ctx.model);
      if (!statements.empty()) {
        std::string doc = b.addData("aws_iam_policy_document", id + "-policy-document", *role, role->provider,
                                    {{"statement", statements}});
        std::string policy = b.addResource("aws_iam_policy", id + "-policy", *role, role->provider,
                                           {{"name", policyName},
                                            {"description", "least privilege for " + role->address},
                                            {"policy", ref(doc, "json")}});
        b.addResource("aws_iam_role_policy_attachment", id + "-policy-attachment", *role, role->provider,
                      {{"role", ref(role->address, "name")}, {"policy_arn", ref(policy, "arn")}});
      }
      for (const std::string& path : managed) {
        std::string policy = path.substr(path.rfind('/') + 1);
        b.addResource("aws_iam_role_policy_attachment", id + "-" + policy, *role, role->provider,
                      {{"role", ref(role->address, "name")},
                       {"policy_arn", managedPolicyArn(b, ctx.model, role->provider, role->region, path)}});
      }
      return b.ops();
    };
    f.fix = std::move(fix);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

const Rule& roleWithoutPolicyRule() {
  static const Rule rule{"TFM006", "role-without-policy", Severity::Medium,
                         "an IAM role that the stack uses (task, execution, Lambda, CodeDeploy, replication) with no policy", "unsafe",
                         check, /*late=*/true};
  return rule;
}

}  // namespace tfmend
