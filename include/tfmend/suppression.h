#pragma once
/// In-file suppressions: a resource's `"//": {"tfmend": {"ignore": [{"rule":
/// "TFM003", "reason": "..."}]}}` silences that rule for that resource.

#include <set>
#include <span>
#include <string>
#include <vector>

#include "tfmend/finding.h"
#include "tfmend/rule.h"
#include "tfmend/stack_model.h"

namespace tfmend {

/// The engine's own rules: TFM100 unused-suppression, TFM101 invalid-suppression.
const Rule& unusedSuppressionRule();
const Rule& invalidSuppressionRule();

/// Drops the findings that a suppression covers, and adds findings for
/// suppressions that are invalid or (for a selected rule that is not dormant
/// on this stack, see PassFacts::markDormant) match nothing.
std::vector<Finding> applySuppressions(const StackModel& model, std::vector<Finding> findings,
                                       std::span<const Rule* const> selected, const std::set<std::string>& dormant = {});

}  // namespace tfmend
