// TFM004 database-without-security-group
//
// Finds: a database cluster or instance placed in a VPC (through its subnet
// group) with no vpc_security_group_ids, so it gets the VPC's default group.
// Why: seed failure 5 — no security group for the Aurora clusters; the
// database is then either unreachable or open to everything in the VPC.
// Fix: a security group in the database's VPC (one per VPC and port) that
// admits only the engine's port from the security groups of the application
// that runs in that VPC (ECS services, Lambda functions), and attaches it. With
// no application security group to admit, there is no fix and the finding
// says so. Unsafe.
#include <map>
#include <set>

#include "rules.h"
#include "tfmend/builders.h"
#include "tfmend/naming.h"

namespace tfmend {

namespace {

struct Database {
  std::string_view type;
  std::string_view subnetGroupType;
};

constexpr Database kDatabases[] = {
    {"aws_rds_cluster", "aws_db_subnet_group"},
    {"aws_db_instance", "aws_db_subnet_group"},
    {"aws_docdb_cluster", "aws_docdb_subnet_group"},
    {"aws_neptune_cluster", "aws_neptune_subnet_group"},
};

/// The VPC a list of subnet references lies in.
const Resource* vpcOfSubnets(const StackModel& model, const Json* subnets) {
  if (!subnets || !subnets->is_array()) return nullptr;
  for (const auto& s : *subnets) {
    const Resource* subnet = model.referenced(&s, "aws_subnet", "id");
    if (!subnet) continue;
    if (const Resource* vpc = model.referenced(getPath(*subnet->body, "vpc_id"), "aws_vpc", "id")) return vpc;
  }
  return nullptr;
}

int enginePort(const Resource& db) {
  if (const Json* p = getPath(*db.body, "port"); p && p->is_number_integer()) return p->get<int>();
  std::string engine = stringAt(*db.body, "engine");
  if (db.type == "aws_docdb_cluster") return 27017;
  if (db.type == "aws_neptune_cluster") return 8182;
  if (engine.find("postgres") != std::string::npos) return 5432;
  if (engine.find("sqlserver") != std::string::npos) return 1433;
  if (engine.find("oracle") != std::string::npos) return 1521;
  if (engine.find("db2") != std::string::npos) return 50000;
  return 3306;  // mysql, mariadb, aurora, aurora-mysql
}

/// Security groups of the application compute, by VPC: ECS services' awsvpc
/// groups and Lambda functions' VPC groups. Computed once per check.
std::map<const Resource*, std::vector<const Resource*>> applicationGroups(const StackModel& model) {
  std::map<const Resource*, std::vector<const Resource*>> out;
  std::set<std::string> seen;
  auto take = [&](const Json* groups) {
    if (!groups || !groups->is_array()) return;
    for (const auto& g : *groups) {
      const Resource* sg = model.referenced(&g, "aws_security_group", "id");
      if (!sg || seen.count(sg->address)) continue;
      const Resource* sgVpc = model.referenced(getPath(*sg->body, "vpc_id"), "aws_vpc", "id");
      if (!sgVpc) continue;
      seen.insert(sg->address);
      out[sgVpc].push_back(sg);
    }
  };
  for (const Resource* svc : model.ofType("aws_ecs_service")) take(getPath(*svc->body, "network_configuration.security_groups"));
  for (const Resource* fn : model.ofType("aws_lambda_function")) take(getPath(*fn->body, "vpc_config.security_group_ids"));
  return out;
}

std::vector<Finding> check(const RuleContext& ctx) {
  const Rule& rule = databaseWithoutSecurityGroupRule();
  std::vector<Finding> out;
  std::optional<Namer> namer;
  std::optional<std::map<const Resource*, std::vector<const Resource*>>> appGroups;
  for (const auto& kind : kDatabases) {
    for (const Resource* db : ctx.model.ofType(kind.type)) {
      const Json* groups = getPath(*db->body, "vpc_security_group_ids");
      if (groups && !groups->is_null() && !(groups->is_array() && groups->empty())) continue;
      const Resource* subnetGroup = ctx.model.referenced(getPath(*db->body, "db_subnet_group_name"), kind.subnetGroupType, "name");
      if (!subnetGroup) continue;  // not (knowably) in a VPC of this stack
      Finding f = makeFinding(rule, *db, pointerJoin(db->pointer, {"vpc_security_group_ids"}),
                              "database in a VPC has no vpc_security_group_ids (it gets the VPC's default group)");
      const Resource* vpc = vpcOfSubnets(ctx.model, getPath(*subnetGroup->body, "subnet_ids"));
      if (!vpc) {
        f.message += "; no fix: the VPC of its subnet group is not in the stack";
        out.push_back(std::move(f));
        continue;
      }
      if (!appGroups) appGroups = applicationGroups(ctx.model);
      auto it = appGroups->find(vpc);
      std::vector<const Resource*> apps = it == appGroups->end() ? std::vector<const Resource*>() : it->second;
      if (apps.empty()) {
        f.message += "; no fix: no application security group (ECS service, Lambda) in " + vpc->address + " to admit";
        out.push_back(std::move(f));
        continue;
      }
      int port = enginePort(*db);
      if (!namer) namer.emplace(ctx);
      PatchBuilder b(ctx.model);
      // One group per VPC and port: the fixes of two databases there name the same
      // resource; the engine applies the first, the second finds it next pass.
      std::string vpcId = constructId(*vpc);
      std::string id = vpcId + "-db-" + std::to_string(port) + "-sg";
      std::string planned = b.plannedAddress("aws_security_group", id, *vpc);
      const Resource* existing = ctx.model.find(planned);
      std::string sg = planned;
      std::string sgName = existing ? stringAt(*existing->body, "name") : "";
      if (!existing) {
        std::string identifier = stringAt(*db->body, nameAttributeOf(db->type) ? nameAttributeOf(db->type)->attribute : "");
        std::string base = identifier.empty() || hasTemplate(identifier) ? db->name : namer->baseOf(identifier);
        sgName = namer->name(base + "-sg", "aws_security_group");
        sg = b.addResource("aws_security_group", id, *vpc, vpc->provider,
                           {{"name", sgName},
                            {"description", "database: port " + std::to_string(port) + " from the application only"},
                            {"vpc_id", ref(vpc->address, "id")},
                            {"tags", {{"Name", sgName}}}});
        for (const Resource* app : apps) {
          std::string appId = constructId(*app);
          b.addResource("aws_vpc_security_group_ingress_rule", id + "-from-" + appId, *vpc, vpc->provider,
                        {{"security_group_id", ref(sg, "id")},
                         {"referenced_security_group_id", ref(app->address, "id")},
                         {"from_port", port},
                         {"to_port", port},
                         {"ip_protocol", "tcp"},
                         {"description", "database port from " + app->address}});
        }
      }
      b.set(*db, "vpc_security_group_ids", Json::array({ref(sg, "id")}));
      Fix fix;
      fix.applicability = Applicability::Unsafe;
      fix.title = (existing ? "attach security group \"" : "add security group \"") + sgName +
                  "\" admitting port " + std::to_string(port) + " from " + std::to_string(apps.size()) +
                  " application group" + (apps.size() == 1 ? "" : "s");
      fix.ops = b.ops();
      f.fix = std::move(fix);
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace

const Rule& databaseWithoutSecurityGroupRule() {
  static const Rule rule{"TFM004", "database-without-security-group", Severity::Medium,
                         "a database in a VPC with no security group of its own", "unsafe", check};
  return rule;
}

}  // namespace tfmend
