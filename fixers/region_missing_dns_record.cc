// TFM010 region-missing-dns-record: docs/rules/TFM010-region-missing-dns-record.md
#include <algorithm>
#include <map>
#include <set>

#include "rules.h"
#include "tfmend/builders.h"
#include "tfmend/pass_facts.h"
#include "tfmend/values.h"
#include "tfmend/weights.h"

namespace tfmend {

namespace {

bool isLoadBalancer(const Resource* r) { return r && !r->isData && (r->type == "aws_lb" || r->type == "aws_alb"); }

const Resource* aliasTarget(const StackModel& m, const Resource& record) {
  const Resource* t = m.referenced(getPath(*record.body, "alias.name"), "", "", &record);
  return isLoadBalancer(t) ? t : nullptr;
}

/// The listener of `lb` (HTTPS first), and the target group it forwards to.
std::pair<const Resource*, const Resource*> listenerOf(const StackModel& m, const Resource& lb) {
  const Resource* best = nullptr;
  for (const Reference* use : m.usersOf(lb.address)) {
    const Resource* l = m.find(use->from);
    if (!l || (l->type != "aws_lb_listener" && l->type != "aws_alb_listener")) continue;
    if (!best || stringOf(m, getPath(*l->body, "protocol")) == "HTTPS") best = l;
  }
  if (!best) return {nullptr, nullptr};
  const Resource* tg = nullptr;
  for (const Json* action : blocks(*best->body, "default_action")) {
    if (!tg) tg = m.referenced(getPath(*action, "target_group_arn"), "aws_lb_target_group", "", best);
  }
  return {best, tg};
}

/// The provider key a record is written under ("aws" when it names none).
std::string providerOf(const Resource& r) {
  auto p = r.body->find("provider");
  return p != r.body->end() && p->is_string() ? r.provider : "aws";
}

/// A health check on `lb`, added to `b`; its address.
std::string addHealthCheck(PatchBuilder& b, const StackModel& m, const Namer& namer, const std::string& id,
                           const Resource& lb, const Resource& near, const std::string& name) {
  auto [listener, tg] = listenerOf(m, lb);
  std::string protocol = listener ? stringOf(m, getPath(*listener->body, "protocol")).value_or("HTTP") : "HTTP";
  int port = 80;
  if (listener) {
    if (auto p = intOf(m, getPath(*listener->body, "port"))) port = static_cast<int>(*p);
  }
  std::string path = tg ? stringOf(m, getPath(*tg->body, "health_check.path")).value_or("") : "";
  if (path.empty() || hasTemplate(path)) path = "/";
  return b.addResource("aws_route53_health_check", id, near, providerOf(near),
                       {{"fqdn", ref(lb.address, "dns_name")},
                        {"port", port},
                        {"type", protocol == "HTTPS" ? "HTTPS" : "HTTP"},
                        {"resource_path", path},
                        {"failure_threshold", 3},
                        {"request_interval", 30},
                        {"tags", {{"Name", namer.name(name, "aws_route53_health_check")}}}});
}

/// Regions of the stack's multi-region set: those with a provider of their
/// own and networking (a VPC).
std::vector<std::string> multiRegionSet(const StackModel& m) {
  std::vector<std::string> out;
  for (const auto& region : m.regions()) {
    for (const Resource* vpc : m.ofType("aws_vpc")) {
      if (vpc->region == region) {
        out.push_back(region);
        break;
      }
    }
  }
  return out;
}

/// The set's record name as the reader knows it: rendered where its value is
/// known, else as written (`api.payments-${var.environment_suffix}.example.com`),
/// else the record's construct path or address.
std::string readableName(const StackModel& m, const Resource& record) {
  const Json* name = getPath(*record.body, "name");
  if (auto rendered = stringOf(m, name); rendered && !rendered->empty()) return *rendered;
  if (name && name->is_string() && !name->get_ref<const std::string&>().empty()) return name->get<std::string>();
  return record.constructPath.empty() ? record.address : record.constructPath;
}

std::vector<Finding> check(const RuleContext& ctx) {
  const Rule& rule = regionMissingDnsRecordRule();
  const StackModel& m = ctx.model;
  std::vector<Finding> out;
  std::map<std::string, std::vector<const Resource*>> sets;
  std::vector<std::string> order;
  for (const Resource* r : m.ofType("aws_route53_record")) {
    if (blocks(*r->body, "weighted_routing_policy").empty()) continue;
    std::string key = (getPath(*r->body, "zone_id") ? getPath(*r->body, "zone_id")->dump() : "") + "|" +
                      (getPath(*r->body, "name") ? getPath(*r->body, "name")->dump() : "") + "|" + stringAt(*r->body, "type");
    if (!sets.count(key)) order.push_back(key);
    sets[key].push_back(r);
  }
  if (order.empty()) return out;
  // The load balancer that serves each region: its internet-facing one.
  std::map<std::string, const Resource*> serving;
  for (const char* type : {"aws_lb", "aws_alb"}) {
    for (const Resource* lb : m.ofType(type)) {
      auto internal = boolOf(m, getPath(*lb->body, "internal"));
      if (lb->region.empty() || internal.value_or(false) || serving.count(lb->region)) continue;
      if (getPath(*lb->body, "internal") && !internal) continue;  // unknown: no claim
      serving[lb->region] = lb;
    }
  }
  std::vector<std::string> regions = multiRegionSet(m);
  for (const auto& [region, lb] : serving) {
    if (std::find(regions.begin(), regions.end(), region) == regions.end()) regions.push_back(region);
  }
  const Namer& namer = ctx.facts.namer();
  const RegionWords& words = ctx.facts.regionWords();
  for (const auto& key : order) {
    const auto& records = sets[key];
    std::set<std::string> covered, identifiers;
    for (const Resource* r : records) {
      if (const Resource* lb = aliasTarget(m, *r)) covered.insert(lb->region);
      identifiers.insert(stringOf(m, getPath(*r->body, "set_identifier")).value_or(""));
    }
    const Resource& first = *records.front();
    const Resource* firstLb = aliasTarget(m, first);
    if (!firstLb) continue;  // a set that does not route to the stack's load balancers
    std::string firstWord = words.of(firstLb->region);
    std::string setName = readableName(m, first);
    for (const auto& region : regions) {
      if (covered.count(region)) continue;
      auto lbIt = serving.find(region);
      const Resource* lb = lbIt == serving.end() ? nullptr : lbIt->second;
      Finding f = makeFinding(rule, first, first.pointer,
                              "weighted routing set \"" + setName + "\" has no record for " + region + ", which " +
                                  (lb ? "serves the application (" + lb->address + ")" : "belongs to the stack's regions"));
      if (!lb) {
        f.withoutFix(region + " has no load balancer to route to yet; this fix follows TFM008's (region-missing-compute)");
        out.push_back(std::move(f));
        continue;
      }
      PatchBuilder b(m);
      std::string word = words.of(region);
      std::string setId = word;
      for (int n = 2; identifiers.count(setId); ++n) setId = word + "-" + std::to_string(n);
      // Names like the existing record's health check, for this region.
      std::string hcName = "health-" + word;
      const Resource* firstCheck = m.referenced(getPath(*first.body, "health_check_id"), "aws_route53_health_check", "", &first);
      if (firstCheck) {
        auto existing = stringOf(m, getPath(*firstCheck->body, "tags.Name"));
        if (existing && !existing->empty() && !hasTemplate(*existing)) {
          std::string swapped = swapWord(namer.baseOf(*existing), firstWord, word);
          hcName = swapped == namer.baseOf(*existing) ? swapped + "-" + word : swapped;
        }
      }
      std::string recordId = swapWord(constructId(first), firstWord, word);
      if (recordId == constructId(first)) recordId += "-" + word;
      std::string hc = addHealthCheck(b, m, namer, recordId + "-health-check", *lb, firstCheck ? *firstCheck : first, hcName);
      Json weight = 0;
      auto table = parseWeightExpression(getPath(*first.body, "weighted_routing_policy.weight"));
      std::string weightTitle = "0";
      if (table) {
        weight = weightExpression({table->table, table->variable, setId});
        weightTitle = "from local." + table->table;
        auto all = m.regions();
        std::size_t rank = std::find(all.begin(), all.end(), region) - all.begin();
        std::string at = extensibleTable(m, table->table);
        if (at.empty()) {
          f.withoutFix("the set's weights come from local." + table->table + ", which is not a table of phases tfmend can add \"" +
                       setId + "\" to");
          out.push_back(std::move(f));
          continue;
        }
        // The fix must move no traffic when it is applied: in the phase that
        // is active (the phase variable's default), or in every phase when
        // that is unknown, the new record weighs 0. Other phases follow the
        // phase weights where the phase is one of them.
        std::optional<std::string> active;
        if (const Json* var = m.variable(table->variable)) active = stringOf(m, getPath(*var, "default"));
        if (active) {
          const Json* row = getPath(*m.local(table->table), *active);
          bool allZero = row && row->is_object() && !row->empty();
          if (row && row->is_object()) {
            for (const auto& [id, w] : row->items()) allZero = allZero && w.is_number() && w.get<double>() == 0;
          }
          if (allZero) {
            f.withoutFix("in the active phase \"" + *active + "\" every record of local." + table->table +
                         " weighs 0 (an even split): a new record would take a share of the traffic");
            out.push_back(std::move(f));
            continue;
          }
        }
        for (const auto& [phase, row] : m.local(table->table)->items()) {
          if (row.contains(setId)) continue;
          int w = 0;
          auto it = ctx.settings.phaseWeights.find(phase);
          if (active && phase != *active && it != ctx.settings.phaseWeights.end() && rank < it->second.size()) {
            w = it->second[rank];
          }
          b.addOp(opAdd(pointerJoin(at, {phase, setId}), w));
        }
        weightTitle += active ? ", 0 in the active phase \"" + *active + "\", so no traffic moves until the phase changes"
                              : ", 0 in every phase: shift traffic to it deliberately";
      }
      Json body = {{"zone_id", first.body->value("zone_id", Json(""))},
                   {"name", first.body->value("name", Json(""))},
                   {"type", stringAt(*first.body, "type")},
                   {"set_identifier", setId},
                   {"health_check_id", ref(hc, "id")},
                   {"weighted_routing_policy", {{"weight", weight}}},
                   {"alias", {{"name", ref(lb->address, "dns_name")}, {"zone_id", ref(lb->address, "zone_id")},
                              {"evaluate_target_health", true}}}};
      b.addResource("aws_route53_record", recordId, first, providerOf(first), body);
      Fix fix;
      fix.applicability = Applicability::Unsafe;
      fix.title = "add a health check on " + lb->address + " and a weighted record \"" + setId + "\" (weight " + weightTitle + ")";
      fix.ops = b.ops();
      f.fix = std::move(fix);
      out.push_back(std::move(f));
    }
    for (const Resource* r : records) {
      const Json* hcValue = getPath(*r->body, "health_check_id");
      if (hcValue && !hcValue->is_null()) continue;
      // An alias that evaluates its target's health needs no health check of its own.
      if (getPath(*r->body, "alias") && boolOf(m, getPath(*r->body, "alias.evaluate_target_health")).value_or(true)) continue;
      Finding f = makeFinding(rule, *r, r->pointer, "weighted record has no health check, so Route 53 keeps routing to it when it fails");
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
        f.withoutFix("its alias target is not a load balancer of the stack");
      }
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace

const Rule& regionMissingDnsRecordRule() {
  static const Rule rule{"TFM010", "region-missing-dns-record", Severity::Medium,
                         "a weighted routing set that misses a region of the stack", "unsafe", check};
  return rule;
}

}  // namespace tfmend
