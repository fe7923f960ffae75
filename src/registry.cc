#include "tfmend/registry.h"

#include <algorithm>
#include <array>
#include <cctype>

#include "rules.h"
#include "tfmend/suggest.h"
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

namespace {

bool equalIgnoringCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

bool startsWithIgnoringCase(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && equalIgnoringCase(s.substr(0, prefix.size()), prefix);
}

}  // namespace

const Rule* findRuleByIdOrName(std::span<const Rule* const> rules, std::string_view key) {
  for (const Rule* r : rules) {
    if (equalIgnoringCase(r->id, key) || equalIgnoringCase(r->name, key)) return r;
  }
  return nullptr;
}

std::vector<std::string> ruleKeys(std::span<const Rule* const> rules) {
  std::vector<std::string> keys;
  for (const Rule* r : rules) {
    keys.emplace_back(r->id);
    keys.emplace_back(r->name);
  }
  return keys;
}

namespace {

/// The selectors without surrounding blanks, and without empty ones ("TFM001, TFM002," is two).
std::vector<std::string> cleaned(const std::vector<std::string>& selectors) {
  std::vector<std::string> out;
  for (const auto& s : selectors) {
    auto first = s.find_first_not_of(" \t");
    if (first == std::string::npos) continue;
    out.push_back(s.substr(first, s.find_last_not_of(" \t") - first + 1));
  }
  return out;
}

}  // namespace

Result<std::vector<const Rule*>> selectRules(std::span<const Rule* const> rules, const std::vector<std::string>& selectors,
                                             const std::vector<std::string>& ignored) {
  const std::vector<std::string> select = cleaned(selectors), ignore = cleaned(ignored);
  auto matches = [](const Rule* r, const std::string& sel) {
    return equalIgnoringCase(sel, "ALL") || startsWithIgnoringCase(r->id, sel) || equalIgnoringCase(r->name, sel);
  };
  for (const auto* list : {&select, &ignore}) {
    for (const auto& sel : *list) {
      bool any = false;
      for (const Rule* r : rules) any = any || matches(r, sel);
      if (any) continue;
      std::string hint = didYouMean(sel, ruleKeys(rules));
      return Error{"unknown rule selector \"" + sel + "\"" + (hint.empty() ? " (see `tfmend rules`)" : hint)};
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

std::string ruleUrl(const Rule& rule, std::string_view base) {
  std::string url(base);
  if (!url.empty() && url.back() != '/') url += '/';
  return url + std::string(rule.id) + "-" + std::string(rule.name) + ".md";
}

std::string ruleDescription(const Rule& rule) {
  std::string_view doc = ruleDoc(rule.id);
  constexpr std::string_view heading = "## What it finds\n";
  auto at = doc.find(heading);
  if (at == std::string_view::npos) return std::string(rule.summary);
  std::string_view rest = doc.substr(at + heading.size());
  while (!rest.empty() && rest.front() == '\n') rest.remove_prefix(1);
  rest = rest.substr(0, rest.find("\n\n"));
  if (rest.empty() || rest.front() == '|' || rest.front() == '-') return std::string(rule.summary);
  std::string text;
  for (char c : rest) {
    if (c != '`') text += c == '\n' ? ' ' : c;
  }
  while (!text.empty() && (text.back() == ':' || text.back() == ' ')) text.pop_back();
  if (text.empty()) return std::string(rule.summary);
  return text + (text.back() == '.' ? "" : ".");
}

}  // namespace tfmend
