// TFM011 static-routing-weights
//
// Finds: a literal weight on a Route 53 weighted routing record.
// Why: seed failure 13 — the primary record's weight was a hard-coded 100, so
// traffic could not shift between regions as the migration went from phase to
// phase without editing the code.
// Fix: the weights follow the migration phase. The stack's phase variable
// (`migration_phase` or alike) is reused, or created with a validation of its
// values; a weight table (legacy 100/0, migration 50/50, production 0/100 by
// default, in the order of the stack's regions) becomes a local that the records
// read. The variable's default is the phase that keeps today's weights where one
// does: then nothing changes on the next apply, and the fix is safe; otherwise
// it is unsafe.
#include <algorithm>
#include <map>

#include "rules.h"
#include "tfmend/builders.h"
#include "tfmend/naming.h"
#include "tfmend/regions.h"

namespace tfmend {

namespace {

constexpr const char* kTable = "traffic_weights";

std::optional<int> literalWeight(const Json* w) {
  if (!w) return std::nullopt;
  if (w->is_number_integer()) return w->get<int>();
  if (w->is_string() && !hasTemplate(w->get<std::string>())) {
    const std::string& s = w->get_ref<const std::string&>();
    if (!s.empty() && s.find_first_not_of("0123456789") == std::string::npos) return std::stoi(s);
  }
  return std::nullopt;
}

/// The stack's migration phase variable, if it has one.
std::string phaseVariable(const StackModel& m) {
  for (const auto& name : m.variableNames()) {
    std::string n = lower(name);
    if (n.find("phase") != std::string::npos) return name;
  }
  return {};
}

/// Records of one weighted set (same zone, name and type), in region order.
struct WeightedSet {
  std::vector<const Resource*> records;
};

/// The region a record routes to: its alias target's, else its health check's target's.
std::string targetRegion(const StackModel& m, const Resource& record) {
  if (const Resource* target = m.referenced(getPath(*record.body, "alias.name"), "")) {
    if (!target->region.empty()) return target->region;
  }
  return record.region;
}

std::vector<WeightedSet> weightedSets(const StackModel& m) {
  std::map<std::string, WeightedSet> sets;
  std::vector<std::string> order;
  for (const Resource* r : m.ofType("aws_route53_record")) {
    if (blocks(*r->body, "weighted_routing_policy").empty()) continue;
    std::string key = stringAt(*r->body, "zone_id") + "|" + stringAt(*r->body, "name") + "|" + stringAt(*r->body, "type");
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

std::vector<Finding> check(const RuleContext& ctx) {
  const Rule& rule = staticRoutingWeightsRule();
  std::vector<Finding> out;
  auto sets = weightedSets(ctx.model);
  if (sets.empty()) return out;
  RegionWords words(ctx.model);
  for (const auto& set : sets) {
    std::vector<std::optional<int>> today;
    std::vector<bool> readsTable;  // already fixed: its weight follows the phase
    bool anyLiteral = false;
    for (const Resource* r : set.records) {
      const Json* w = getPath(*r->body, "weighted_routing_policy.weight");
      today.push_back(literalWeight(w));
      readsTable.push_back(w && w->is_string() && w->get<std::string>().rfind("${local." + std::string(kTable) + "[", 0) == 0);
      anyLiteral = anyLiteral || today.back().has_value();
    }
    if (!anyLiteral) continue;
    // The weight table: per phase, a weight per record in region order.
    std::map<std::string, std::vector<int>> table;
    for (const auto& [phase, weights] : ctx.settings.phaseWeights) {
      std::vector<int> w(set.records.size(), 0);
      for (std::size_t i = 0; i < w.size() && i < weights.size(); ++i) w[i] = weights[i];
      table[phase] = w;
    }
    std::string variable = phaseVariable(ctx.model);
    std::string keeps;  // the phase that keeps today's weights
    for (const auto& [phase, w] : table) {
      bool same = true;
      for (std::size_t i = 0; i < w.size(); ++i) same = same && (readsTable[i] || (today[i] && *today[i] == w[i]));
      if (same && keeps.empty()) keeps = phase;
    }
    std::string defaultPhase = keeps;
    if (!variable.empty()) {
      std::string d = stringAt(*ctx.model.variable(variable), "default");
      if (!d.empty()) defaultPhase = d;
    }
    if (defaultPhase.empty()) defaultPhase = table.begin()->first;
    bool safe = !keeps.empty() && defaultPhase == keeps;

    std::vector<std::string> ids;
    for (const Resource* r : set.records) {
      std::string id = stringAt(*r->body, "set_identifier");
      ids.push_back(id.empty() ? words.of(targetRegion(ctx.model, *r)) : id);
    }
    for (std::size_t i = 0; i < set.records.size(); ++i) {
      if (!today[i]) continue;
      const Resource& r = *set.records[i];
      Finding f = makeFinding(rule, r, pointerJoin(r.pointer, {"weighted_routing_policy"}),
                              "weighted routing record has the literal weight " + std::to_string(*today[i]));
      PatchBuilder b(ctx.model);
      std::string var = variable.empty() ? "migration_phase" : variable;
      if (variable.empty()) {
        Json phases = Json::array();
        for (const auto& [phase, w] : table) phases.push_back(phase);
        std::string list;
        for (const auto& p : phases) list += (list.empty() ? "" : ", ") + p.dump();
        b.addVariable(var, {{"type", "string"},
                            {"default", defaultPhase},
                            {"description", "migration phase, which sets the traffic weights of the regions"},
                            {"validation", Json::array({{{"condition", "${contains([" + list + "], var." + var + ")}"},
                                                         {"error_message", "migration_phase must be one of " + list}}})}});
      }
      if (!ctx.model.local(kTable)) {
        Json weights = Json::object();
        for (const auto& [phase, w] : table) {
          for (std::size_t k = 0; k < ids.size(); ++k) weights[phase][ids[k]] = w[k];
        }
        b.addLocal(kTable, weights);
      }
      Json policy = {{"weight", "${local." + std::string(kTable) + "[var." + var + "][\"" + ids[i] + "\"]}"}};
      if (r.body->at("weighted_routing_policy").is_array()) policy = Json::array({policy});
      b.set(r, "weighted_routing_policy", policy);
      Fix fix;
      fix.applicability = safe ? Applicability::Safe : Applicability::Unsafe;
      fix.title = "read the weight from local." + std::string(kTable) + " by var." + var + " (default \"" + defaultPhase +
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
                         "literal weights on weighted routing records", "safe or unsafe", check};
  return rule;
}

}  // namespace tfmend
