// TFM007 blue-green-without-codedeploy: docs/rules/TFM007-blue-green-without-codedeploy.md
#include <algorithm>
#include <map>
#include <set>

#include "rules.h"
#include "tfmend/builders.h"
#include "tfmend/iam.h"
#include "tfmend/pass_facts.h"
#include "tfmend/values.h"

namespace tfmend {

namespace {

/// The service's blue/green wiring: its target group, the twin, the listener.
struct BlueGreen {
  const Resource* blue = nullptr;
  const Resource* green = nullptr;
  const Resource* listener = nullptr;
};

/// Target groups that something other than `except` uses.
bool usedElsewhere(const StackModel& m, const Resource& tg, const Resource& except) {
  for (const Reference* use : m.usersOf(tg.address)) {
    const Resource* user = m.find(use->from);
    if (!user || user == &except) continue;
    if (user->type == "aws_ecs_service" || user->type == "aws_autoscaling_attachment" ||
        user->type == "aws_lb_target_group_attachment") {
      return true;
    }
  }
  return false;
}

/// Target groups that could be twins share region, VPC, port and protocol.
std::string twinKey(const Resource& tg) {
  auto part = [&](const char* key) {
    const Json* v = getPath(*tg.body, key);
    return v ? v->dump() : std::string("?");
  };
  return tg.region + "|" + part("vpc_id") + "|" + part("port") + "|" + part("protocol");
}

using TwinGroups = std::map<std::string, std::vector<const Resource*>>;

/// The load balancer a listener belongs to.
const Resource* loadBalancerOf(const StackModel& m, const Resource& listener) {
  return m.referenced(getPath(*listener.body, "load_balancer_arn"), "", "", &listener);
}

/// Listeners and listener rules that forward to `tg`.
std::vector<const Resource*> forwardersOf(const StackModel& m, const Resource& tg) {
  std::vector<const Resource*> out;
  for (const Reference* use : m.usersOf(tg.address)) {
    const Resource* user = m.find(use->from);
    if (user && (user->type == "aws_lb_listener" || user->type == "aws_alb_listener" || user->type == "aws_lb_listener_rule") &&
        std::find(out.begin(), out.end(), user) == out.end()) {
      out.push_back(user);
    }
  }
  return out;
}

/// The load balancer behind a listener or a listener rule.
const Resource* loadBalancerBehind(const StackModel& m, const Resource& forwarder) {
  if (forwarder.type == "aws_lb_listener_rule") {
    const Resource* listener = m.referenced(getPath(*forwarder.body, "listener_arn"), "", "", &forwarder);
    return listener ? loadBalancerOf(m, *listener) : nullptr;
  }
  return loadBalancerOf(m, forwarder);
}

BlueGreen blueGreenOf(const StackModel& m, const TwinGroups& twins, const Resource& svc, bool codeDeploy) {
  BlueGreen bg;
  for (const Json* lb : blocks(*svc.body, "load_balancer")) {
    if (!bg.blue) bg.blue = m.referenced(getPath(*lb, "target_group_arn"), "aws_lb_target_group", "", &svc);
  }
  if (!bg.blue) return {};
  // The production listener: the one that forwards to the blue group.
  for (const Resource* f : forwardersOf(m, *bg.blue)) {
    if (f->type != "aws_lb_listener_rule" && !bg.listener) bg.listener = f;
  }
  if (!bg.listener) return {};
  const Resource* lb = loadBalancerOf(m, *bg.listener);
  auto group = twins.find(twinKey(*bg.blue));
  bool testListener = false;
  for (const Resource* tg : group == twins.end() ? std::vector<const Resource*>() : group->second) {
    if (tg == bg.blue || usedElsewhere(m, *tg, svc)) continue;
    // A twin that another load balancer forwards to serves that one, not this service's deployments.
    bool otherBalancer = false, sameBalancer = false;
    for (const Resource* f : forwardersOf(m, *tg)) {
      const Resource* behind = loadBalancerBehind(m, *f);
      if (behind && behind == lb) sameBalancer = true;
      else otherBalancer = true;
    }
    if (otherBalancer) continue;
    bg.green = tg;
    testListener = sameBalancer;
    break;
  }
  if (!bg.green) return {};
  // A twin alone may be a leftover: unless the service is CODE_DEPLOY, the
  // pair must say it is blue/green, by its names or by a test listener (or
  // rule) of the same load balancer that forwards to the green group.
  auto says = [&](const Resource& tg) {
    std::string text = stringOf(m, getPath(*tg.body, "name")).value_or("") + " " + tg.name + " " + tg.constructPath;
    return hasToken(text, "blue") || hasToken(text, "green");
  };
  return codeDeploy || says(*bg.blue) || says(*bg.green) || testListener ? bg : BlueGreen{};
}

bool deployedByCodeDeploy(const StackModel& m, const Resource& svc) {
  for (const Reference* use : m.usersOf(svc.address)) {
    const Resource* user = m.find(use->from);
    if (user && user->type == "aws_codedeploy_deployment_group") return true;
  }
  return false;
}

/// A role under `provider` that CodeDeploy may assume: one a deployment group uses, else one it trusts.
const Resource* codeDeployRole(const StackModel& m, const std::string& provider) {
  for (const Resource* dg : m.ofType("aws_codedeploy_deployment_group")) {
    const Resource* r = m.referenced(getPath(*dg->body, "service_role_arn"), "aws_iam_role", "", dg);
    if (r && r->provider == provider) return r;
  }
  for (const Resource* r : m.ofType("aws_iam_role")) {
    if (r->provider == provider && trustedServices(m, *r).count("codedeploy.amazonaws.com")) return r;
  }
  return nullptr;
}

std::vector<Finding> check(const RuleContext& ctx) {
  const Rule& rule = blueGreenWithoutCodedeployRule();
  const StackModel& m = ctx.model;
  std::vector<Finding> out;
  TwinGroups twins;
  for (const Resource* tg : m.ofType("aws_lb_target_group")) twins[twinKey(*tg)].push_back(tg);
  std::map<std::string, const Resource*> roles;  // provider -> its CodeDeploy role, looked up once
  for (const Resource* svc : m.ofType("aws_ecs_service")) {
    const Json* controllerValue = getPath(*svc->body, "deployment_controller.type");
    auto known = controllerValue ? stringOf(m, controllerValue) : std::optional<std::string>("");
    if (!known) continue;  // set from a value tfmend cannot see
    std::string controller = *known;
    bool codeDeploy = controller == "CODE_DEPLOY";
    if (codeDeploy && deployedByCodeDeploy(m, *svc)) continue;
    if (controller.empty() || controller == "ECS") {
      // ECS's own blue/green (and canary, linear) deployments switch target groups without CodeDeploy.
      auto strategy = stringOf(m, getPath(*svc->body, "deployment_configuration.strategy"));
      if (strategy && *strategy != "ROLLING") continue;
      if (getPath(*svc->body, "deployment_configuration.strategy") && !strategy) continue;  // unknown: no claim
      bool alternate = false;
      for (const Json* lb : blocks(*svc->body, "load_balancer")) alternate = alternate || getPath(*lb, "advanced_configuration.alternate_target_group_arn");
      if (alternate) continue;
    }
    if (controller == "EXTERNAL") continue;
    BlueGreen bg = blueGreenOf(m, twins, *svc, codeDeploy);
    if (!bg.blue) continue;  // not set up for blue/green
    Finding f = makeFinding(rule, *svc, pointerJoin(svc->pointer, {"deployment_controller"}),
                            codeDeploy ? "CODE_DEPLOY service that no CodeDeploy deployment group deploys"
                                       : "service has a blue/green target group pair (" + bg.blue->address + ", " +
                                             bg.green->address + ") but deployment controller " +
                                             (controller.empty() ? std::string("ECS (the default)") : controller));
    auto memo = roles.find(svc->provider);
    if (memo == roles.end()) memo = roles.emplace(svc->provider, codeDeployRole(m, svc->provider)).first;
    const Resource* existingRole = memo->second;
    Fix fix;
    fix.applicability = Applicability::Unsafe;
    fix.forcesReplacement = !codeDeploy;
    fix.title = codeDeploy ? "add a CodeDeploy application and blue/green deployment group"
                           : "switch to CODE_DEPLOY with a CodeDeploy blue/green deployment group (forces replacement of the service)";
    // Made only if the fix is: a check reads the title alone.
    fix.makeOps = [&ctx, &m, svc, bg, codeDeploy, existingRole] {
      const Namer& namer = ctx.facts.namer();
      PatchBuilder b(m);
      if (!codeDeploy) {
        Json controllerBlock = {{"type", "CODE_DEPLOY"}};
        if (const Json* dc = getPath(*svc->body, "deployment_controller"); dc && svc->body->at("deployment_controller").is_array()) {
          controllerBlock = Json::array({controllerBlock});
        }
        b.set(*svc, "deployment_controller", controllerBlock);
        // CodeDeploy owns the task definition and load balancer from then on;
        // `ignore_changes = "all"` already covers them and stays as it is.
        Json lifecycle = svc->body->contains("lifecycle") ? svc->body->at("lifecycle") : Json::object();
        Json& target = lifecycle.is_array() && !lifecycle.empty() ? lifecycle[0] : lifecycle;
        if (target.is_object() && !(target.contains("ignore_changes") && target["ignore_changes"] == "all")) {
          Json ignore = target.contains("ignore_changes") && target["ignore_changes"].is_array() ? target["ignore_changes"] : Json::array();
          for (const char* key : {"task_definition", "load_balancer"}) {
            if (std::find(ignore.begin(), ignore.end(), Json(key)) == ignore.end()) ignore.push_back(key);
          }
          target["ignore_changes"] = ignore;
          b.set(*svc, "lifecycle", lifecycle);
        }
      }
      std::string base = namer.baseName(*svc);
      std::string role;
      if (existingRole) {
        role = existingRole->address;
      } else {
        Json assume = {{"Version", "2012-10-17"},
                       {"Statement", Json::array({{{"Effect", "Allow"},
                                                   {"Principal", {{"Service", "codedeploy.amazonaws.com"}}},
                                                   {"Action", "sts:AssumeRole"}}})}};
        // One role for every service under this provider: anchored at its first
        // service, so that the fixes of several services name the same one.
        std::string provider = svc->provider;
        const Resource* first = svc;
        for (const Resource* other : m.ofType("aws_ecs_service")) {
          if (other->provider == provider) {
            first = other;
            break;
          }
        }
        const Resource& anchor = *first;
        // IAM names are unique in the account, across regions: the role of a
        // second provider (maybe the same account) carries its region.
        std::string qualifier = namer.providerQualifier(provider);
        std::string roleName =
            namer.uniqueName("codedeploy-ecs" + (qualifier.empty() ? "" : "-" + qualifier) + "-role", "aws_iam_role", provider);
        role = b.addResource("aws_iam_role", "codedeploy-role", anchor, provider,
                             {{"name", roleName}, {"assume_role_policy", assume.dump()}});
        b.addResource("aws_iam_role_policy_attachment", "codedeploy-role-policy", anchor, provider,
                      {{"role", ref(role, "name")},
                       {"policy_arn", managedPolicyArn(b, m, provider, svc->region, "AWSCodeDeployRoleForECS")}});
      }
      const Resource* cluster = m.referenced(getPath(*svc->body, "cluster"), "aws_ecs_cluster", "name");
      std::string clusterName = cluster ? ref(cluster->address, "name") : stringAt(*svc->body, "cluster");
      std::string app = b.addResource("aws_codedeploy_app", constructId(*svc) + "-codedeploy-app", *svc, svc->provider,
                                      {{"name", namer.name(base, "aws_codedeploy_app")}, {"compute_platform", "ECS"}});
      b.addResource(
          "aws_codedeploy_deployment_group", constructId(*svc) + "-codedeploy-group", *svc, svc->provider,
          {{"app_name", ref(app, "name")},
           {"deployment_group_name", namer.name(base + "-dg", "aws_codedeploy_deployment_group")},
           {"service_role_arn", ref(role, "arn")},
           {"deployment_config_name", "CodeDeployDefault.ECSAllAtOnce"},
           {"deployment_style", {{"deployment_option", "WITH_TRAFFIC_CONTROL"}, {"deployment_type", "BLUE_GREEN"}}},
           {"blue_green_deployment_config",
            {{"deployment_ready_option", {{"action_on_timeout", "CONTINUE_DEPLOYMENT"}}},
             {"terminate_blue_instances_on_deployment_success", {{"action", "TERMINATE"}, {"termination_wait_time_in_minutes", 5}}}}},
           {"auto_rollback_configuration", {{"enabled", true}, {"events", Json::array({"DEPLOYMENT_FAILURE"})}}},
           {"ecs_service", {{"cluster_name", clusterName}, {"service_name", ref(svc->address, "name")}}},
           {"load_balancer_info",
            {{"target_group_pair_info",
              {{"prod_traffic_route", {{"listener_arns", Json::array({ref(bg.listener->address, "arn")})}}},
               {"target_group", Json::array({{{"name", ref(bg.blue->address, "name")}}, {{"name", ref(bg.green->address, "name")}}})}}}}}});
      return b.ops();
    };
    f.fix = std::move(fix);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

const Rule& blueGreenWithoutCodedeployRule() {
  static const Rule rule{"TFM007", "blue-green-without-codedeploy", Severity::Medium,
                         "an ECS service with a blue/green target group pair but no CodeDeploy deployment", "unsafe",
                         check};
  return rule;
}

}  // namespace tfmend
