// TFM008 region-missing-compute: docs/rules/TFM008-region-missing-compute.md
#include <algorithm>
#include <map>
#include <set>

#include "rules.h"
#include "tfmend/builders.h"
#include "tfmend/aws_catalog.h"
#include "tfmend/naming.h"
#include "tfmend/pass_facts.h"
#include "tfmend/regions.h"

namespace tfmend {

namespace {

bool mirrored(std::string_view type) {
  const aws::TypeFacts* f = aws::facts(type);
  return f && f->mirrored;
}

bool copyable(std::string_view type) {
  const aws::TypeFacts* f = aws::facts(type);
  return f && f->copyable;
}

/// The routing policies of a Route 53 record that spread traffic over regions.
constexpr const char* kRoutingPolicies[] = {"weighted_routing_policy", "failover_routing_policy", "latency_routing_policy",
                                            "geolocation_routing_policy", "geoproximity_routing_policy"};

/// True if the stack routes traffic between regions (a record with a routing
/// policy): only then must every region serve the application.
bool routesBetweenRegions(const StackModel& m) {
  for (const Resource* r : m.ofType("aws_route53_record")) {
    for (const char* policy : kRoutingPolicies) {
      if (!blocks(*r->body, policy).empty()) return true;
    }
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
    if (r.type == "aws_kms_key") return kmsKeyOf(m_, m_.providerKeyFor(target_));
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

/// Keeps a name within its type's limit: cut with a hash, never inside an
/// interpolation, keeping the stack's environment suffix whole at the end.
std::string withinLimit(const StackModel& m, const Namer& namer, const std::string& name, std::string_view type) {
  const aws::TypeFacts* f = aws::facts(type);
  if (!f || f->name.attribute.empty()) return name;
  std::string tail;
  if (const auto& suffix = namer.suffix(); suffix && !suffix->leading) {
    std::string t = std::string(1, suffix->separator) + suffix->text;
    if (name.size() > t.size() && name.compare(name.size() - t.size(), t.size(), t) == 0) tail = t;
  }
  std::string fitted = fitName(m, name, f->name, tail);
  return fitted.empty() ? name : fitted;
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
  if (networked.size() < 2 || !routesBetweenRegions(m)) return out;
  std::string source;
  for (const auto& region : m.regions()) {
    if (source.empty() && hasCompute(m, region)) source = region;
  }
  if (source.empty()) return out;
  std::vector<const Resource*> layer;
  for (const Resource& r : m.resources()) {
    if (!r.isData && r.region == source && mirrored(r.type)) layer.push_back(&r);
  }
  const RegionWords& words = ctx.facts.regionWords();
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
        if (!dep || dep->isData || copying.count(dep) || map.count(dep->address) || aws::isGlobal(dep->type) ||
            dep->region != source) {
          continue;
        }
        if (const Resource* twin = mirror.counterpart(*dep)) {
          map[dep->address] = twin->address;
        } else if (copyable(dep->type)) {
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
      f.withoutFix(providerKey.empty() ? "no provider for " + target : target + " has no counterpart of " + list);
      out.push_back(std::move(f));
      continue;
    }
    Fix fix;
    fix.applicability = Applicability::Unsafe;
    fix.title = "mirror " + std::to_string(copy.size()) + " resources of " + source + "'s compute layer into " + target;
    // The copies are made only if the fix is: a check reads the title alone.
    fix.makeOps = [&ctx, mirror = std::move(mirror), copy = std::move(copy), map = std::move(map), providerKey,
                   target]() mutable {
      PatchBuilder b(ctx.model);
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
        if (const aws::TypeFacts* tf = aws::facts(r->type);
            tf && !tf->name.attribute.empty() && tf->name.attribute.find('.') == std::string_view::npos) {
          std::string key(tf->name.attribute);
          if (body.contains(key) && body[key].is_string()) {
            body[key] = withinLimit(ctx.model, ctx.facts.namer(), body[key].get<std::string>(), r->type);
          }
        }
        b.addResourceAt(r->type, placed[r].first, placed[r].second, providerKey, body);
      }
      return b.ops();
    };
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
