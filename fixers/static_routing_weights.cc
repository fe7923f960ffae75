// TFM011 static-routing-weights: docs/rules/TFM011-static-routing-weights.md
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

/// A literal weight: Route 53 takes 0 to 255.
std::optional<int> literalWeight(const StackModel& m, const Json* w) {
  if (!w) return std::nullopt;
  if (w->is_string() && hasTemplate(w->get<std::string>())) return std::nullopt;  // not literal, even with a default
  auto v = intOf(m, w);
  if (!v || *v < 0 || *v > 255) return std::nullopt;
  return static_cast<int>(*v);
}

/// Records of one weighted set (same zone, name and type), in region order.
struct WeightedSet {
  std::vector<const Resource*> records;
};

/// The region a record routes to: its alias target's, else the record's own.
std::string targetRegion(const StackModel& m, const Resource& record) {
  if (const Resource* target = m.referenced(getPath(*record.body, "alias.name"), "", "", &record)) {
    if (!target->region.empty()) return target->region;
  }
  return record.region;
}

std::vector<WeightedSet> weightedSets(const StackModel& m) {
  std::map<std::string, WeightedSet> sets;
  std::vector<std::string> order;
  for (const Resource* r : m.ofType("aws_route53_record")) {
    if (blocks(*r->body, "weighted_routing_policy").empty()) continue;
    std::string key = getPath(*r->body, "zone_id") ? getPath(*r->body, "zone_id")->dump() : "";
    key += "|" + (getPath(*r->body, "name") ? getPath(*r->body, "name")->dump() : "") + "|" + stringAt(*r->body, "type");
    if (!sets.count(key)) order.push_back(key);
    sets[key].records.push_back(r);
  }
  auto regions = m.regions();
  auto rank = [&](const Resource* r) {
    auto it = std::find(regions.begin(), regions.end(), targetRegion(m, *r));
    return it - regions.begin();
  };
  std::vector<WeightedSet> out;
  for (const auto& key : order) {
    auto s = sets[key];
    std::stable_sort(s.records.begin(), s.records.end(), [&](auto a, auto b) { return rank(a) < rank(b); });
    out.push_back(std::move(s));
  }
  return out;
}

/// True if the stack is phase-driven: it declares the phase variable, or its
/// names and tags carry a phase of the weight table (`payment-vpc-legacy`).
bool phaseDriven(const StackModel& m, const Settings& settings, const Namer& namer) {
  if (m.variable(settings.phaseVariable)) return true;
  std::size_t carrying = 0;
  for (const auto& n : namer.names()) {
    bool has = false;
    for (const auto& [phase, weights] : settings.phaseWeights) has = has || hasToken(n.expanded, phase);
    carrying += has ? 1 : 0;
  }
  return carrying >= 2;
}

std::vector<Finding> check(const RuleContext& ctx) {
  const Rule& rule = staticRoutingWeightsRule();
  std::vector<Finding> out;
  auto sets = weightedSets(ctx.model);
  if (sets.empty()) return out;
  if (!phaseDriven(ctx.model, ctx.settings, ctx.facts.namer())) return out;
  const RegionWords& words = ctx.facts.regionWords();
  const std::string& variable = ctx.settings.phaseVariable;
  const Json* phaseVar = ctx.model.variable(variable);
  for (const auto& set : sets) {
    std::vector<std::optional<int>> today;
    std::vector<bool> readsTable;  // already fixed: its weight follows the phase
    bool anyLiteral = false;
    for (const Resource* r : set.records) {
      const Json* w = getPath(*r->body, "weighted_routing_policy.weight");
      today.push_back(literalWeight(ctx.model, w));
      auto parsed = parseWeightExpression(w);
      readsTable.push_back(parsed && parsed->table == kWeightTable);
      anyLiteral = anyLiteral || today.back().has_value();
    }
    if (!anyLiteral) continue;
    // Equal weights over several records are an active-active split, not a migration step.
    std::set<int> distinct;
    for (const auto& t : today) {
      if (t) distinct.insert(*t);
    }
    if (set.records.size() > 1 && distinct.size() == 1 && *distinct.begin() > 0 &&
        std::none_of(readsTable.begin(), readsTable.end(), [](bool b) { return b; })) {
      continue;
    }
    // The weight table: per phase, a weight per record in region order.
    std::map<std::string, std::vector<int>> table;
    for (const auto& [phase, weights] : ctx.settings.phaseWeights) {
      std::vector<int> w(set.records.size(), 0);
      for (std::size_t i = 0; i < w.size() && i < weights.size(); ++i) w[i] = weights[i];
      table[phase] = w;
    }
    std::string keeps;  // the phase that keeps today's weights
    for (const auto& [phase, w] : table) {
      bool same = true;
      for (std::size_t i = 0; i < w.size(); ++i) same = same && (readsTable[i] || (today[i] && *today[i] == w[i]));
      if (same && keeps.empty()) keeps = phase;
    }
    bool addCurrent = false;
    if (keeps.empty() && std::all_of(today.begin(), today.end(), [](const auto& t) { return t.has_value(); })) {
      // No phase gives today's split: a "current" phase keeps it, so that the fix changes no traffic.
      std::vector<int> w;
      for (const auto& t : today) w.push_back(*t);
      table["current"] = w;
      keeps = "current";
      addCurrent = true;
    }
    std::string defaultPhase = keeps;
    if (phaseVar) {
      if (auto d = stringOf(ctx.model, getPath(*phaseVar, "default"))) defaultPhase = *d;
    }
    if (defaultPhase.empty()) defaultPhase = table.begin()->first;
    bool safe = !keeps.empty() && defaultPhase == keeps && !(phaseVar && addCurrent);

    std::vector<std::string> ids;
    for (const Resource* r : set.records) {
      auto id = stringOf(ctx.model, getPath(*r->body, "set_identifier"));
      ids.push_back(id && !id->empty() ? *id : words.of(targetRegion(ctx.model, *r)));
    }
    for (std::size_t i = 0; i < set.records.size(); ++i) {
      if (!today[i]) continue;
      const Resource& r = *set.records[i];
      Finding f = makeFinding(rule, r, pointerJoin(r.pointer, {"weighted_routing_policy"}),
                              "weighted routing record has the literal weight " + std::to_string(*today[i]));
      PatchBuilder b(ctx.model);
      if (!phaseVar) {
        std::string list;
        for (const auto& [phase, w] : table) list += (list.empty() ? "" : ", ") + Json(phase).dump();
        b.addVariable(variable, {{"type", "string"},
                                 {"default", defaultPhase},
                                 {"description", "migration phase, which sets the traffic weights of the regions"},
                                 {"validation", Json::array({{{"condition", "${contains([" + list + "], var." + variable + ")}"},
                                                              {"error_message", variable + " must be one of " + list}}})}});
      }
      if (const Json* existing = ctx.model.local(kWeightTable)) {
        // The table is there (an earlier fix, or a record TFM010 added in the
        // same run): every phase gains this record's weight, else the record
        // would read a key the table lacks and plan would fail.
        std::string at = extensibleTable(ctx.model, kWeightTable);
        if (at.empty()) {
          f.withoutFix("local." + std::string(kWeightTable) + " exists but is not a table of phases tfmend can add \"" + ids[i] + "\" to");
          out.push_back(std::move(f));
          continue;
        }
        for (const auto& [phase, row] : existing->items()) {
          if (row.contains(ids[i])) continue;
          auto w = table.find(phase);
          b.addOp(opAdd(pointerJoin(at, {phase, ids[i]}), w == table.end() ? 0 : w->second[i]));
        }
      } else {
        Json weights = Json::object();
        for (const auto& [phase, w] : table) {
          for (std::size_t k = 0; k < ids.size(); ++k) weights[phase][ids[k]] = w[k];
        }
        b.addLocal(kWeightTable, weights);
      }
      Json policy = {{"weight", weightExpression({kWeightTable, variable, ids[i]})}};
      if (r.body->at("weighted_routing_policy").is_array()) policy = Json::array({policy});
      b.set(r, "weighted_routing_policy", policy);
      Fix fix;
      fix.applicability = safe ? Applicability::Safe : Applicability::Unsafe;
      fix.title = "read the weight from local." + std::string(kWeightTable) + " by var." + variable + " (default \"" + defaultPhase +
                  "\"" + (safe ? ", which keeps today's weights)" : ", which changes today's weights)");
      fix.ops = b.ops();
      f.fix = std::move(fix);
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace

const Rule& staticRoutingWeightsRule() {
  static const Rule rule{"TFM011", "static-routing-weights", Severity::Low,
                         "literal weights on the weighted routing records of a phase-driven migration", "safe or unsafe", check};
  return rule;
}

}  // namespace tfmend
