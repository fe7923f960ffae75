// TFM010 region-missing-dns-record
//
// Finds: a Route 53 weighted routing set (same zone, name and type) that
// covers fewer regions than serve the application (regions with an
// internet-facing load balancer), and a weighted record without a health check.
// Why: seed failure 12 — only the primary region had a health check and a
// weighted record; all traffic went to the primary, and traffic could never
// shift to the secondary region.
// Fix: per missing region, a health check on that region's load balancer
// (protocol, port and path from its listener and the listener's target group)
// and a weighted alias record to it with its own set_identifier and
// health_check_id, weighted as TFM011 would: from the stack's phase weight
// table where the set reads one (the table gains the region's weights), else 0
// (today's traffic is unchanged). Unsafe: it changes what DNS answers.
#include <algorithm>
#include <map>
#include <set>

#include "rules.h"
#include "tfmend/builders.h"
#include "tfmend/naming.h"
#include "tfmend/regions.h"

namespace tfmend {

namespace {

bool isLoadBalancer(const Resource* r) { return r && (r->type == "aws_lb" || r->type == "aws_alb"); }

const Resource* aliasTarget(const StackModel& m, const Resource& record) {
  const Resource* t = m.referenced(getPath(*record.body, "alias.name"), "");
  return isLoadBalancer(t) ? t : nullptr;
}

/// The listener of `lb` (HTTPS first), and the target group it forwards to.
std::pair<const Resource*, const Resource*> listenerOf(const StackModel& m, const Resource& lb) {
  const Resource* best = nullptr;
  for (const Reference* use : m.usersOf(lb.address)) {
    const Resource* l = m.find(use->from);
    if (!l || (l->type != "aws_lb_listener" && l->type != "aws_alb_listener")) continue;
    if (!best || stringAt(*l->body, "protocol") == "HTTPS") best = l;
  }
  if (!best) return {nullptr, nullptr};
  const Resource* tg = nullptr;
  for (const Json* action : blocks(*best->body, "default_action")) {
    if (!tg) tg = m.referenced(getPath(*action, "target_group_arn"), "aws_lb_target_group");
  }
  return {best, tg};
}

struct WeightTable {
  std::string local, variable;  ///< set when the set's weights read local.X[var.Y]
};

/// The phase table that a record's weight reads, if it reads one.
WeightTable tableOf(const Resource& record) {
  std::string w = stringAt(*record.body, "weighted_routing_policy.weight");
  if (w.rfind("${local.", 0) != 0) return {};
  auto refs = referencesInTemplate(w);
  WeightTable t;
  for (const auto& r : refs) {
    if (r.kind == RefKind::Local && t.local.empty()) t.local = r.target.substr(6);
    if (r.kind == RefKind::Variable && t.variable.empty()) t.variable = r.target.substr(4);
  }
  return t.local.empty() || t.variable.empty() ? WeightTable{} : t;
}

/// A health check on `lb`, added to `b`; its address.
std::string addHealthCheck(PatchBuilder& b, const StackModel& m, const Namer& namer, const std::string& id,
                           const Resource& lb, const Resource& near, const std::string& name) {
  auto [listener, tg] = listenerOf(m, lb);
  std::string protocol = listener ? stringAt(*listener->body, "protocol") : "HTTP";
  int port = 80;
  if (listener) {
    if (const Json* p = getPath(*listener->body, "port"); p && p->is_number_integer()) port = p->get<int>();
  }
  std::string path = tg ? stringAt(*tg->body, "health_check.path") : "";
  if (path.empty()) path = "/";
  return b.addResource("aws_route53_health_check", id, near,
                       near.body->contains("provider") ? stringAt(*near.body, "provider") : "aws",
                       {{"fqdn", ref(lb.address, "dns_name")},
                        {"port", port},
                        {"type", protocol == "HTTPS" ? "HTTPS" : "HTTP"},
                        {"resource_path", path},
                        {"failure_threshold", 3},
                        {"request_interval", 30},
                        {"tags", {{"Name", namer.name(name, "aws_route53_health_check")}}}});
}

std::vector<Finding> check(const RuleContext& ctx) {
  const Rule& rule = regionMissingDnsRecordRule();
  const StackModel& m = ctx.model;
  std::vector<Finding> out;
  std::map<std::string, std::vector<const Resource*>> sets;
  std::vector<std::string> order;
  for (const Resource* r : m.ofType("aws_route53_record")) {
    if (blocks(*r->body, "weighted_routing_policy").empty()) continue;
    std::string key = stringAt(*r->body, "zone_id") + "|" + stringAt(*r->body, "name") + "|" + stringAt(*r->body, "type");
    if (!sets.count(key)) order.push_back(key);
    sets[key].push_back(r);
  }
  if (order.empty()) return out;
  // Regions that serve the application: those with an internet-facing load balancer.
  std::map<std::string, const Resource*> serving;
  for (const char* type : {"aws_lb", "aws_alb"}) {
    for (const Resource* lb : m.ofType(type)) {
      const Json* internal = getPath(*lb->body, "internal");
      if (lb->region.empty() || (internal && *internal == true) || serving.count(lb->region)) continue;
      serving[lb->region] = lb;
    }
  }
  Namer namer(ctx);
  RegionWords words(m);
  auto regions = m.regions();
  for (const auto& key : order) {
    const auto& records = sets[key];
    std::set<std::string> covered, identifiers;
    for (const Resource* r : records) {
      if (const Resource* lb = aliasTarget(m, *r)) covered.insert(lb->region);
      identifiers.insert(stringAt(*r->body, "set_identifier"));
    }
    const Resource& first = *records.front();
    const Resource* firstLb = aliasTarget(m, first);
    std::string firstWord = firstLb ? words.of(firstLb->region) : "";
    for (const auto& [region, lb] : serving) {
      if (covered.count(region) || !firstLb) continue;
      Finding f = makeFinding(rule, first, first.pointer,
                              "weighted routing set \"" + stringAt(*first.body, "name") + "\" has no record for " +
                                  region + ", which serves the application (" + lb->address + ")");
      PatchBuilder b(m);
      std::string word = words.of(region);
      std::string setId = word;
      for (int n = 2; identifiers.count(setId); ++n) setId = word + "-" + std::to_string(n);
      // Names like the existing record's health check, for this region.
      std::string hcName = "health-" + word;
      const Resource* firstCheck = m.referenced(getPath(*first.body, "health_check_id"), "aws_route53_health_check");
      if (firstCheck) {
        std::string existing = stringAt(*firstCheck->body, "tags.Name");
        if (!existing.empty() && !hasTemplate(existing)) {
          std::string swapped = swapWord(namer.baseOf(existing), firstWord, word);
          hcName = swapped == namer.baseOf(existing) ? swapped + "-" + word : swapped;
        }
      }
      std::string recordId = swapWord(constructId(first), firstWord, word);
      if (recordId == constructId(first)) recordId += "-" + word;
      std::string hc = addHealthCheck(b, m, namer, recordId + "-health-check", *lb, firstCheck ? *firstCheck : first, hcName);
      Json weight = 0;
      WeightTable table = tableOf(first);
      if (!table.local.empty()) {
        weight = "${local." + table.local + "[var." + table.variable + "][\"" + setId + "\"]}";
        std::size_t rank = std::find(regions.begin(), regions.end(), region) - regions.begin();
        const Json* t = m.local(table.local);
        bool objectForm = m.root().contains("locals") && m.root().at("locals").is_object();
        if (t && t->is_object() && objectForm) {
          for (const auto& [phase, row] : t->items()) {
            if (!row.is_object() || row.contains(setId)) continue;
            int w = 0;
            auto it = ctx.settings.phaseWeights.find(phase);
            if (it != ctx.settings.phaseWeights.end() && rank < it->second.size()) w = it->second[rank];
            b.addOp(opAdd(pointerJoin("/locals", {table.local, phase, setId}), w));
          }
        }
      }
      Json body = {{"zone_id", stringAt(*first.body, "zone_id")},
                   {"name", stringAt(*first.body, "name")},
                   {"type", stringAt(*first.body, "type")},
                   {"set_identifier", setId},
                   {"health_check_id", ref(hc, "id")},
                   {"weighted_routing_policy", {{"weight", weight}}},
                   {"alias", {{"name", ref(lb->address, "dns_name")}, {"zone_id", ref(lb->address, "zone_id")},
                              {"evaluate_target_health", true}}}};
      b.addResource("aws_route53_record", recordId, first, first.body->contains("provider") ? stringAt(*first.body, "provider") : "aws",
                    body);
      Fix fix;
      fix.applicability = Applicability::Unsafe;
      fix.title = "add a health check on " + lb->address + " and a weighted record \"" + setId + "\" (weight " +
                  (weight.is_string() ? "from local." + table.local : weight.dump()) + ")";
      fix.ops = b.ops();
      f.fix = std::move(fix);
      out.push_back(std::move(f));
    }
    for (const Resource* r : records) {
      if (r->body->contains("health_check_id") && !getPath(*r->body, "health_check_id")->is_null()) continue;
      Finding f = makeFinding(rule, *r, pointerJoin(r->pointer, {"health_check_id"}), "weighted record has no health check");
      if (const Resource* lb = aliasTarget(m, *r)) {
        PatchBuilder b(m);
        std::string hc = addHealthCheck(b, m, namer, constructId(*r) + "-health-check", *lb, *r, "health-" + words.of(lb->region));
        b.set(*r, "health_check_id", ref(hc, "id"));
        Fix fix;
        fix.applicability = Applicability::Unsafe;
        fix.title = "add a health check on " + lb->address;
        fix.ops = b.ops();
        f.fix = std::move(fix);
      } else {
        f.message += "; no fix: its alias target is not a load balancer of the stack";
      }
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace

const Rule& regionMissingDnsRecordRule() {
  static const Rule rule{"TFM010", "region-missing-dns-record", Severity::Medium,
                         "a weighted routing set that misses a region serving the application", "unsafe", check};
  return rule;
}

}  // namespace tfmend
