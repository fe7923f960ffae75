#pragma once
/// Settings: what the user chose (command line or tfmend.toml) that rules read.

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace tfmend {

/// User settings that rules read (from the command line or tfmend.toml).
struct Settings {
  /// The environment suffix every resource name must carry; inferred when unset.
  std::optional<std::string> envSuffix;
  /// TFM003: also require a customer-managed KMS key where AWS already
  /// encrypts at rest (S3, DynamoDB) or encrypts with its own key (require-cmk).
  bool requireCmk = false;
  /// Threshold of the Aurora global replication lag alarm, in milliseconds.
  double replicationLagThresholdMs = 1000;
  /// Threshold of the ECS memory utilisation alarm, in percent.
  double memoryThresholdPercent = 80;
  /// Threshold of the S3 replication latency alarm, in seconds.
  double replicationLatencyThresholdSeconds = 900;
  /// TFM011: the variable that holds the migration phase (reused when the
  /// stack has it, created otherwise).
  std::string phaseVariable = "migration_phase";
  /// Phase name -> weight per region in order (primary first): legacy 100/0, ...
  std::map<std::string, std::vector<int>> phaseWeights = {
      {"legacy", {100, 0}}, {"migration", {50, 50}}, {"production", {0, 100}}};
};

}  // namespace tfmend
