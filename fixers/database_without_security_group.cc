// TFM004 database-without-security-group: docs/rules/TFM004-database-without-security-group.md
#include <map>
#include <set>

#include "rules.h"
#include "tfmend/aws_catalog.h"
#include "tfmend/builders.h"
#include "tfmend/pass_facts.h"
#include "tfmend/values.h"

namespace tfmend {

namespace {

/// The VPC that the subnets named by `subnets` lie in (a list of references,
/// or one expression such as `${aws_subnet.private[*].id}`).
const Resource* vpcOfSubnets(const StackModel& model, const Json* subnets) {
  if (!subnets) return nullptr;
  for (const Resource* subnet : targetsOf(model, subnets).resources) {
    if (subnet->isData || subnet->type != "aws_subnet") continue;
    if (const Resource* vpc = model.referenced(getPath(*subnet->body, "vpc_id"), "aws_vpc", "id", subnet)) return vpc;
  }
  if (subnets->is_array()) {
    for (const auto& s : *subnets) {
      const Resource* subnet = model.referenced(&s, "aws_subnet", "id");
      if (!subnet) continue;
      if (const Resource* vpc = model.referenced(getPath(*subnet->body, "vpc_id"), "aws_vpc", "id", subnet)) return vpc;
    }
  }
  return nullptr;
}

/// Security groups of the application compute, by VPC (the catalogue's
/// application groups: ECS services' awsvpc groups, Lambda functions' VPC groups).
std::map<const Resource*, std::vector<const Resource*>> applicationGroupsByVpc(const StackModel& model) {
  std::map<const Resource*, std::vector<const Resource*>> out;
  std::set<std::string> seen;
  for (const aws::ApplicationGroups& app : aws::applicationGroups()) {
    for (const Resource* r : model.ofType(app.type)) {
      const Json* groups = getPath(*r->body, app.attribute);
      if (!groups) continue;
      for (const Resource* sg : targetsOf(model, groups, r).resources) {
        if (sg->isData || sg->type != "aws_security_group" || seen.count(sg->address)) continue;
        const Resource* sgVpc = model.referenced(getPath(*sg->body, "vpc_id"), "aws_vpc", "id", sg);
        if (!sgVpc) continue;
        seen.insert(sg->address);
        out[sgVpc].push_back(sg);
      }
    }
  }
  return out;
}

/// True when the list names no group: absent, null or empty. Unknown values
/// (a variable without default, a module output) count as groups.
bool noGroups(const StackModel& model, const Json* groups) {
  if (!groups || groups->is_null()) return true;
  if (groups->is_array()) return groups->empty();
  auto literal = literalOf(model, groups);
  return literal && ((literal->is_array() && literal->empty()) || literal->is_null());
}

std::vector<Finding> check(const RuleContext& ctx) {
  const Rule& rule = databaseWithoutSecurityGroupRule();
  std::vector<Finding> out;
  std::optional<std::map<const Resource*, std::vector<const Resource*>>> appGroups;
  for (const aws::TypeFacts& type : aws::allTypes()) {
    const aws::DatabaseFacts& db = type.database;
    if (db.subnetGroup.empty()) continue;
    for (const Resource* r : ctx.model.ofType(type.type)) {
      const Json* groups = getPath(*r->body, db.securityGroups);
      if (!noGroups(ctx.model, groups)) continue;
      // Only a database placed in a VPC of this stack (through its subnet group) is knowably there.
      const Resource* subnetGroup = ctx.model.referenced(getPath(*r->body, db.subnetGroup), db.subnetGroupType, "name", r);
      if (!subnetGroup) continue;
      Finding f = makeFinding(rule, *r, pointerJoin(r->pointer, {db.securityGroups}),
                              "database in a VPC has no " + std::string(db.securityGroups) + " (it gets the VPC's default group)");
      const Resource* vpc = vpcOfSubnets(ctx.model, getPath(*subnetGroup->body, "subnet_ids"));
      if (!vpc) {
        f.withoutFix("the VPC of its subnet group is not in the stack");
        out.push_back(std::move(f));
        continue;
      }
      if (!appGroups) appGroups = applicationGroupsByVpc(ctx.model);
      auto it = appGroups->find(vpc);
      std::vector<const Resource*> apps = it == appGroups->end() ? std::vector<const Resource*>() : it->second;
      if (apps.empty()) {
        f.withoutFix("no application security group (ECS service, Lambda) in " + vpc->address + " to admit");
        out.push_back(std::move(f));
        continue;
      }
      auto configuredPort = intOf(ctx.model, getPath(*r->body, "port"));
      if (getPath(*r->body, "port") && !configuredPort) {
        f.withoutFix("its port is set from a value tfmend cannot see");
        out.push_back(std::move(f));
        continue;
      }
      int port = configuredPort ? static_cast<int>(*configuredPort)
                                : aws::defaultPort(type.type, stringOf(ctx.model, getPath(*r->body, "engine")).value_or(""));
      if (std::string old = providerTooOld(ctx.model, 5, "aws_vpc_security_group_ingress_rule"); !old.empty()) {
        f.withoutFix(old);
        out.push_back(std::move(f));
        continue;
      }
      const Namer& namer = ctx.facts.namer();
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
        std::string base = namer.baseName(*r);
        sgName = namer.name(base + "-sg", "aws_security_group");
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
      b.set(*r, db.securityGroups, Json::array({ref(sg, "id")}));
      Fix fix;
      fix.applicability = Applicability::Unsafe;
      fix.title = (existing ? "attach security group \"" : "add security group \"") + sgName + "\" admitting port " +
                  std::to_string(port) + " from " + std::to_string(apps.size()) + " application group" + (apps.size() == 1 ? "" : "s");
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
