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

/// The rule with `id`, or null.
const Rule* findRule(std::string_view id);

/// The rules that `select` (default: all) minus `ignore` leave, by ID or ID
/// prefix ("TFM00"); unknown selectors are an error.
Result<std::vector<const Rule*>> selectRules(std::span<const Rule* const> rules, const std::vector<std::string>& select,
                                             const std::vector<std::string>& ignore);

/// The rule's documentation page (docs/rules/ID-name.md), built into the binary.
std::string_view ruleDoc(std::string_view id);

}  // namespace tfmend
