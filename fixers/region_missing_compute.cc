// TFM008 region-missing-compute
//
// Finds: a region of the stack that carries networking (a VPC) but lacks the
// compute layer another region has: ECS cluster, load balancer, target groups,
// listener, task definition, service, and the CodeDeploy wiring.
// Why: seed failure 10 — only us-east-1 had the ECS cluster, ALB, target
// groups and service; us-east-2 had a VPC and nothing to run, so the
// active-active design could neither fail over nor share traffic.
// Fix: the layer mirrored into the region that lacks it, under the region's
// provider, at construct paths and logical ids derived from the source's (as
// cdktf writes them), with names and literals carrying the target region's
// word and name ("primary" -> "secondary", "us-east-1" -> "us-east-2"). Every
// reference is remapped: to the mirrored resource, to the target region's
// counterpart (its VPC, subnets, security groups, KMS key: matched by name
// with the region word set aside, subnets by position), or kept for global
// resources (IAM roles). A regional dependency without a counterpart that is
// safe to copy (a log group) is mirrored too; any other makes the fix
// unsound, and the finding names what is missing. Unsafe.
#include <algorithm>
#include <map>
#include <set>

#include "rules.h"
#include "tfmend/builders.h"
#include "tfmend/naming.h"
#include "tfmend/regions.h"

namespace tfmend {

namespace {

constexpr std::string_view kLayer[] = {
    "aws_ecs_cluster", "aws_ecs_cluster_capacity_providers", "aws_lb", "aws_alb", "aws_lb_target_group",
    "aws_alb_target_group", "aws_lb_listener", "aws_alb_listener", "aws_lb_listener_rule", "aws_ecs_task_definition",
    "aws_ecs_service", "aws_codedeploy_app", "aws_codedeploy_deployment_group", "aws_appautoscaling_target",
    "aws_appautoscaling_policy"};
/// Regional dependencies that may be copied when the target region lacks them.
constexpr std::string_view kCopyable[] = {"aws_cloudwatch_log_group"};

bool in(std::string_view type, const auto& list) { return std::find(std::begin(list), std::end(list), type) != std::end(list); }

/// Resources that exist once for the whole account, whatever provider they use.
bool isGlobal(const Resource& r) {
  for (std::string_view prefix : {"aws_iam_", "aws_route53_", "aws_cloudfront_", "aws_organizations_", "aws_budgets_"}) {
    if (r.type.rfind(prefix, 0) == 0 && r.type.rfind("aws_route53resolver", 0) != 0) return true;
  }
  return false;
}

bool hasCompute(const StackModel& m, const std::string& region) {
  for (const char* type : {"aws_ecs_service", "aws_lb", "aws_alb"}) {
    for (const Resource* r : m.ofType(type)) {
      if (r->region == region) return true;
    }
  }
  return false;
}

/// The region-neutral key of a resource: its construct path (or name) with the
/// region's word and name set aside. Counterparts in two regions share it.
std::string neutralKey(const Resource& r, const std::string& word, const std::string& region) {
  std::string text = lower(r.constructPath.empty() ? r.name : r.constructPath.substr(r.constructPath.find('/') + 1));
  return r.type + "|" + swapWord(swapWord(text, word, "*"), region, "*");
}

/// What the mirror needs to know about a source and a target region.
class Mirror {
 public:
  Mirror(const StackModel& m, const RegionWords& words, std::string source, std::string target)
      : m_(m), source_(std::move(source)), target_(std::move(target)),
        sourceWord_(words.of(source_)), targetWord_(words.of(target_)) {
    for (const Resource& r : m.resources()) {
      if (!r.isData && r.region == target_) targetByKey_.emplace(neutralKey(r, targetWord_, target_), &r);
    }
  }

  /// The target region's counterpart of `r`, or null.
  const Resource* counterpart(const Resource& r) const {
    if (auto it = targetByKey_.find(neutralKey(r, sourceWord_, source_)); it != targetByKey_.end()) return it->second;
    if (r.type == "aws_kms_key") return kmsKeyIn(m_, target_);
    if (r.type == "aws_vpc") return only("aws_vpc");
    if (r.type == "aws_subnet") return subnetCounterpart(r);
    return nullptr;
  }

  const std::string& sourceWord() const { return sourceWord_; }
  const std::string& targetWord() const { return targetWord_; }
  const std::string& source() const { return source_; }
  const std::string& target() const { return target_; }

  /// `text` with the source region's word and name swapped for the target's.
  std::string swap(const std::string& text) const {
    std::string out = swapWord(text, source_, target_);
    if (sourceWord_ != source_) out = swapWord(out, sourceWord_, targetWord_);
    return out;
  }

 private:
  const Resource* only(std::string_view type) const {
    const Resource* found = nullptr;
    for (const Resource* r : m_.ofType(type)) {
      if (r->region != target_) continue;
      if (found) return nullptr;  // several: no guess
      found = r;
    }
    return found;
  }

  /// Subnets match by position among the subnets of their VPC of the same kind (public or not).
  const Resource* subnetCounterpart(const Resource& subnet) const {
    const Resource* vpc = m_.referenced(getPath(*subnet.body, "vpc_id"), "aws_vpc");
    const Resource* targetVpc = vpc ? counterpart(*vpc) : nullptr;
    if (!targetVpc) return nullptr;
    auto kind = [](const Resource& s) {
      const Json* p = getPath(*s.body, "map_public_ip_on_launch");
      return p && *p == true;
    };
    auto subnetsOf = [&](const Resource& v) {
      std::vector<const Resource*> out;
      for (const Resource* s : m_.ofType("aws_subnet")) {
        if (m_.referenced(getPath(*s->body, "vpc_id"), "aws_vpc") == &v && kind(*s) == kind(subnet)) out.push_back(s);
      }
      return out;
    };
    auto from = subnetsOf(*vpc), to = subnetsOf(*targetVpc);
    auto pos = std::find(from.begin(), from.end(), &subnet) - from.begin();
    return static_cast<std::size_t>(pos) < to.size() ? to[pos] : nullptr;
  }

  const StackModel& m_;
  std::string source_, target_, sourceWord_, targetWord_;
  std::map<std::string, const Resource*> targetByKey_;
};

/// `value` with references remapped by `map` and, outside references, the
/// region swapped.
Json rewrite(const Json& value, const std::map<std::string, std::string>& map, const Mirror& mirror, bool dependsOn) {
  if (value.is_object()) {
    Json out = Json::object();
    for (const auto& [k, v] : value.items()) out[k] = rewrite(v, map, mirror, k == "depends_on");
    return out;
  }
  if (value.is_array()) {
    Json out = Json::array();
    for (const auto& v : value) out.push_back(rewrite(v, map, mirror, dependsOn));
    return out;
  }
  if (!value.is_string()) return value;
  const std::string& s = value.get_ref<const std::string&>();
  auto refs = dependsOn && !hasTemplate(s) ? referencesInExpression(s) : referencesInTemplate(s);
  std::string out;
  std::size_t at = 0;
  for (const auto& t : refs) {
    std::string target = t.target;
    std::size_t length = target.size();
    if (auto it = map.find(target); it != map.end()) target = it->second;
    out += mirror.swap(s.substr(at, t.offset - at)) + target;
    at = t.offset + length;
  }
  out += mirror.swap(s.substr(at));
  return out;
}

/// Keeps a name within its type's limit (cut with a hash, as TFM001 does).
std::string withinLimit(const std::string& name, std::string_view type) {
  const NameAttribute* attr = nameAttributeOf(type);
  if (!attr || name.size() <= attr->maxLength) return name;
  Suffix none{"", "", '-', ""};
  return withSuffix(name, none, attr->maxLength).substr(0, attr->maxLength);
}

std::vector<Finding> check(const RuleContext& ctx) {
  const Rule& rule = regionMissingComputeRule();
  const StackModel& m = ctx.model;
  std::vector<Finding> out;
  std::vector<std::string> networked;
  for (const Resource* vpc : m.ofType("aws_vpc")) {
    if (!vpc->region.empty() && std::find(networked.begin(), networked.end(), vpc->region) == networked.end()) {
      networked.push_back(vpc->region);
    }
  }
  if (networked.size() < 2) return out;
  std::string source;
  for (const auto& region : m.regions()) {
    if (source.empty() && hasCompute(m, region)) source = region;
  }
  if (source.empty()) return out;
  std::vector<const Resource*> layer;
  for (const Resource& r : m.resources()) {
    if (!r.isData && r.region == source && in(r.type, kLayer)) layer.push_back(&r);
  }
  RegionWords words(m);
  for (const auto& target : networked) {
    if (target == source || hasCompute(m, target)) continue;
    const Resource* targetVpc = nullptr;
    for (const Resource* v : m.ofType("aws_vpc")) {
      if (!targetVpc && v->region == target) targetVpc = v;
    }
    std::string providerKey = m.providerKeyFor(target);
    Mirror mirror(m, words, source, target);
    // The set to copy: the layer, and copyable dependencies without a counterpart.
    std::vector<const Resource*> copy = layer;
    std::set<const Resource*> copying(layer.begin(), layer.end());
    std::map<std::string, std::string> map;  // source address -> target address
    std::vector<std::string> missing;
    for (std::size_t i = 0; i < copy.size(); ++i) {
      for (const Reference* use : m.usesBy(copy[i]->address)) {
        const Resource* dep = m.find(use->traversal.target);
        if (!dep || dep->isData || copying.count(dep) || map.count(dep->address) || isGlobal(*dep) ||
            dep->region != source) {
          continue;
        }
        if (const Resource* twin = mirror.counterpart(*dep)) {
          map[dep->address] = twin->address;
        } else if (in(dep->type, kCopyable)) {
          copy.push_back(dep);
          copying.insert(dep);
        } else if (std::find(missing.begin(), missing.end(), dep->address) == missing.end()) {
          missing.push_back(dep->address);
        }
      }
    }
    std::string what = "region " + target + " has networking (" + (targetVpc ? targetVpc->address : "a VPC") +
                       ") but none of the compute layer that " + source + " has (" + std::to_string(layer.size()) +
                       " resources)";
    Finding f = targetVpc ? makeFinding(rule, *targetVpc, targetVpc->pointer, what) : Finding{};
    f.rule = std::string(rule.id);
    f.message = what;
    if (!missing.empty() || providerKey.empty()) {
      std::string list;
      for (const auto& a : missing) list += (list.empty() ? "" : ", ") + a;
      f.message += providerKey.empty() ? "; no fix: no provider for " + target
                                       : "; no fix: " + target + " has no counterpart of " + list;
      out.push_back(std::move(f));
      continue;
    }
    PatchBuilder b(m);
    // Addresses first, so that the copies can refer to each other.
    std::map<const Resource*, std::pair<std::string, std::string>> placed;  // path, name
    for (const Resource* r : copy) {
      std::string path = r->constructPath.empty() ? "" : mirror.swap(r->constructPath);
      if (!r->constructPath.empty() && path == r->constructPath) path += "-" + mirror.targetWord();
      std::string name = mirror.swap(r->name);
      if (name == r->name) name += "_" + mirror.targetWord();
      placed[r] = {path, name};
      map[r->address] = b.reserveAt(r->type, path, name);
    }
    for (const Resource* r : copy) {
      Json body = rewrite(*r->body, map, mirror, false);
      body.erase("//");
      if (body.contains("region")) body["region"] = target;
      if (const NameAttribute* attr = nameAttributeOf(r->type); attr && attr->attribute.find('.') == std::string_view::npos) {
        std::string key(attr->attribute);
        if (body.contains(key) && body[key].is_string()) body[key] = withinLimit(body[key].get<std::string>(), r->type);
      }
      b.addResourceAt(r->type, placed[r].first, placed[r].second, providerKey, body);
    }
    Fix fix;
    fix.applicability = Applicability::Unsafe;
    fix.title = "mirror " + std::to_string(copy.size()) + " resources of " + source + "'s compute layer into " + target;
    fix.ops = b.ops();
    f.fix = std::move(fix);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

const Rule& regionMissingComputeRule() {
  static const Rule rule{"TFM008", "region-missing-compute", Severity::High,
                         "a region with networking but without the compute layer another region has", "unsafe", check};
  return rule;
}

}  // namespace tfmend
