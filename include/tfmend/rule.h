#pragma once
/// Rule: an ID, its metadata and a detector. Detectors read the StackModel and
/// return findings; they never edit the document.

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tfmend/finding.h"
#include "tfmend/settings.h"
#include "tfmend/stack_model.h"

namespace tfmend {

class PassFacts;

/// What a detector sees.
struct RuleContext {
  const StackModel& model;
  const Settings& settings;
  /// Facts several rules need, computed once per pass.
  PassFacts& facts;
};

/// One rule of the catalogue.
struct Rule {
  std::string_view id;    ///< "TFM001"
  std::string_view name;  ///< "missing-environment-suffix"
  Severity severity = Severity::Medium;
  std::string_view summary;
  /// The applicability of the rule's fixes in general ("safe", "unsafe", or
  /// "safe or unsafe" when it depends on the finding); for `tfmend rules`.
  std::string_view fixApplicability;
  std::function<std::vector<Finding>(const RuleContext&)> check;
  /// Its fixes derive from the whole stack (a role's policy from every use of
  /// the role): the engine applies them only once the other rules' fixes have
  /// settled, so that they see what those add.
  bool late = false;
};

/// A finding for `rule` at resource `r`, value `pointer`, with `message`.
Finding makeFinding(const Rule& rule, const Resource& r, std::string pointer, std::string message);

}  // namespace tfmend
