#pragma once
/// The registry: one explicit, sorted list of rules, and rule selection.

#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "tfmend/result.h"
#include "tfmend/rule.h"

namespace tfmend {

/// Every rule tfmend ships, sorted by ID.
std::span<const Rule* const> allRules();

/// The rule with `id` (exactly as written), or null.
const Rule* findRule(std::string_view id);

/// The rule of `rules` that `key` names: its ID in any case ("tfm003") or its
/// name ("unencrypted-data-store"), or null.
const Rule* findRuleByIdOrName(std::span<const Rule* const> rules, std::string_view key);

/// The IDs and names of `rules`, for did-you-mean suggestions.
std::vector<std::string> ruleKeys(std::span<const Rule* const> rules);

/// The rules that `select` (default: all) minus `ignore` leave. A selector is
/// an ID, an ID prefix ("TFM00"), a name or ALL, in any case; an unknown one
/// is an error that suggests the closest ID or name.
Result<std::vector<const Rule*>> selectRules(std::span<const Rule* const> rules, const std::vector<std::string>& select,
                                             const std::vector<std::string>& ignore);

/// The rule's documentation page (docs/rules/ID-name.md), built into the binary.
std::string_view ruleDoc(std::string_view id);

/// Where rule pages are published unless `--docs-base-url` says otherwise.
inline constexpr std::string_view kDefaultDocsBaseUrl = "https://github.com/tfmend/tfmend/blob/main/docs/rules/";

/// The URL of the rule's page: `base` (a "/" is added if missing) + "ID-name.md".
std::string ruleUrl(const Rule& rule, std::string_view base);

/// The first paragraph of the page's "What it finds" section as one line of
/// plain text (the summary when the page has none), for SARIF's fullDescription.
std::string ruleDescription(const Rule& rule);

}  // namespace tfmend
