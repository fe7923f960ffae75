#pragma once
/// Rule: an ID, its metadata and a detector. Detectors read the StackModel and
/// return findings; they never edit the document.

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tfmend/finding.h"
#include "tfmend/stack_model.h"

namespace tfmend {

/// User settings that rules read (from the command line or tfmend.toml).
struct Settings {
  /// The environment suffix every resource name must end with; inferred when unset.
  std::optional<std::string> envSuffix;
  /// Threshold of the Aurora global replication lag alarm, in milliseconds.
  double replicationLagThresholdMs = 1000;
  /// Threshold of the ECS memory utilisation alarm, in percent.
  double memoryThresholdPercent = 80;
  /// Threshold of the S3 replication latency alarm, in seconds.
  double replicationLatencyThresholdSeconds = 900;
  /// Phase name -> weight per region in order (primary first): legacy 100/0, ...
  std::map<std::string, std::vector<int>> phaseWeights = {
      {"legacy", {100, 0}}, {"migration", {50, 50}}, {"production", {0, 100}}};
};

/// What a detector sees.
struct RuleContext {
  const StackModel& model;
  const Settings& settings;
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
};

/// A finding for `rule` at resource `r`, value `pointer`, with `message`.
Finding makeFinding(const Rule& rule, const Resource& r, std::string pointer, std::string message);

}  // namespace tfmend
