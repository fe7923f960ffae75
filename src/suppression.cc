#include "tfmend/suppression.h"

#include <map>
#include <string>

#include "tfmend/registry.h"
#include "tfmend/suggest.h"

namespace tfmend {

const Rule& unusedSuppressionRule() {
  static const Rule rule{"TFM100", "unused-suppression", Severity::Low,
                         "a tfmend suppression in a resource's \"//\" metadata matches no finding", "safe", nullptr};
  return rule;
}

const Rule& invalidSuppressionRule() {
  static const Rule rule{"TFM101", "invalid-suppression", Severity::Medium,
                         "a tfmend suppression that names no known rule, or gives no reason", "none", nullptr};
  return rule;
}

namespace {

bool selectedRule(std::span<const Rule* const> selected, std::string_view id) {
  for (const Rule* r : selected) {
    if (r->id == id) return true;
  }
  return false;
}

/// One `{"rule": ..., "reason": ...}` entry of a resource.
struct Entry {
  const Resource* resource;
  std::string rule;
  std::string pointer;
  const Json* value;
  std::string removes;  // what removing it removes: the entry, the "tfmend" object, or the whole "//"
  bool used = false;
};

}  // namespace

std::vector<Finding> applySuppressions(const StackModel& model, std::vector<Finding> findings,
                                       std::span<const Rule* const> selected, const std::set<std::string>& dormant) {
  std::vector<Finding> diagnostics;
  std::map<std::pair<std::string, std::string>, std::vector<Entry*>> byResourceAndRule;
  std::vector<Entry> entries;
  entries.reserve(16);
  const bool reportInvalid = selectedRule(selected, invalidSuppressionRule().id);
  for (const Resource& r : model.resources()) {
    const Json* tf = getPath(*r.body, "//.tfmend");
    if (!tf) continue;
    std::string tfPointer = r.pointer + "/~1~1/tfmend";
    const Json* ignore = tf->is_object() ? getPath(*tf, "ignore") : nullptr;
    if (!ignore || !ignore->is_array()) {
      if (reportInvalid) {
        diagnostics.push_back(makeFinding(invalidSuppressionRule(), r, tfPointer,
                                          "tfmend metadata must be {\"ignore\": [{\"rule\": ..., \"reason\": ...}]}"));
      }
      continue;
    }
    // The last entry takes its "tfmend" object with it, and that the "//" it leaves empty.
    std::string removes;
    if (ignore->size() == 1 && tf->size() == 1) {
      const Json* meta = getPath(*r.body, "//");
      removes = meta && meta->size() == 1 ? r.pointer + "/~1~1" : tfPointer;
    }
    for (std::size_t i = 0; i < ignore->size(); ++i) {
      const Json& e = (*ignore)[i];
      std::string p = tfPointer + "/ignore/" + std::to_string(i);
      // A rule is named as on the command line: its ID in any case, or its name.
      std::string written = e.is_object() ? stringAt(e, "rule") : "";
      const Rule* named = written.empty() ? nullptr : findRuleByIdOrName(selected, written);
      if (!named && !written.empty()) named = findRuleByIdOrName(allRules(), written);
      std::string rule = named ? std::string(named->id) : written;
      std::string reason = e.is_object() ? stringAt(e, "reason") : "";
      std::string problem;
      if (written.empty()) {
        problem = "suppression must be {\"rule\": \"TFMxxx\", \"reason\": \"...\"}";
      } else if (!named) {
        std::vector<std::string> keys = ruleKeys(allRules());
        for (auto& k : ruleKeys(selected)) keys.push_back(std::move(k));
        problem = "suppression names unknown rule \"" + written + "\"" + didYouMean(written, keys);
      } else if (reason.empty()) {
        problem = "suppression of " + rule + " gives no reason";
      }
      if (!problem.empty()) {
        if (reportInvalid) diagnostics.push_back(makeFinding(invalidSuppressionRule(), r, p, problem));
        continue;
      }
      entries.push_back({&r, rule, p, &e, removes.empty() ? p : removes});
    }
  }
  for (auto& e : entries) byResourceAndRule[{e.resource->address, e.rule}].push_back(&e);

  std::vector<Finding> kept;
  kept.reserve(findings.size());
  for (auto& f : findings) {
    auto it = byResourceAndRule.find({f.address, f.rule});
    if (it == byResourceAndRule.end()) {
      kept.push_back(std::move(f));
      continue;
    }
    for (Entry* e : it->second) e->used = true;
  }
  if (selectedRule(selected, unusedSuppressionRule().id)) {
    for (const auto& e : entries) {
      if (e.used || !selectedRule(selected, e.rule) || dormant.count(e.rule)) continue;
      Finding f = makeFinding(unusedSuppressionRule(), *e.resource, e.pointer,
                              "suppression of " + e.rule + " matches no finding");
      Fix fix;
      fix.applicability = Applicability::Safe;
      fix.title = "remove the unused suppression of " + e.rule;
      fix.ops = Json::array({opTest(e.pointer, *e.value), opRemove(e.removes)});
      f.fix = std::move(fix);
      diagnostics.push_back(std::move(f));
    }
  }
  std::move(diagnostics.begin(), diagnostics.end(), std::back_inserter(kept));
  return kept;
}

}  // namespace tfmend
