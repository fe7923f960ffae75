#include "tfmend/registry.h"

#include <array>

#include "rules.h"
#include "tfmend/suppression.h"

namespace tfmend {

std::span<const Rule* const> allRules() {
  // The one list of rules, sorted by ID. A new rule is one line here.
  static const std::array<const Rule*, 13> rules = {
      &missingEnvironmentSuffixRule(),
      &hardcodedSecretRule(),
      &unencryptedDataStoreRule(),
      &databaseWithoutSecurityGroupRule(),
      &bucketWithoutReplicationRule(),
      &roleWithoutPolicyRule(),
      &blueGreenWithoutCodedeployRule(),
      &regionMissingComputeRule(),
      &missingCriticalAlarmRule(),
      &regionMissingDnsRecordRule(),
      &staticRoutingWeightsRule(),
      &unusedSuppressionRule(),
      &invalidSuppressionRule(),
  };
  return rules;
}

const Rule* findRule(std::string_view id) {
  for (const Rule* r : allRules()) {
    if (r->id == id) return r;
  }
  return nullptr;
}

Result<std::vector<const Rule*>> selectRules(std::span<const Rule* const> rules, const std::vector<std::string>& select,
                                             const std::vector<std::string>& ignore) {
  auto matches = [](const Rule* r, const std::string& sel) {
    return sel == "ALL" || r->id.substr(0, sel.size()) == sel || r->name == sel;
  };
  for (const auto* list : {&select, &ignore}) {
    for (const auto& sel : *list) {
      bool any = false;
      for (const Rule* r : rules) any = any || matches(r, sel);
      if (!any) return Error{"unknown rule selector \"" + sel + "\" (see `tfmend rules`)"};
    }
  }
  std::vector<const Rule*> out;
  for (const Rule* r : rules) {
    bool in = select.empty();
    for (const auto& sel : select) in = in || matches(r, sel);
    for (const auto& ign : ignore) in = in && !matches(r, ign);
    if (in) out.push_back(r);
  }
  return out;
}

}  // namespace tfmend
