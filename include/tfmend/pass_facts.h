#pragma once
/// Facts about one document that several rules need, computed at most once per
/// pass and shared through the rule context: the Namer (the stack's naming
/// convention), the S3 index, the region words, the global clusters.

#include <optional>
#include <set>
#include <string>
#include <string_view>

#include "tfmend/global_clusters.h"
#include "tfmend/naming.h"
#include "tfmend/regions.h"
#include "tfmend/s3.h"
#include "tfmend/settings.h"
#include "tfmend/stack_model.h"

namespace tfmend {

/// Built lazily: a rule that needs none of them costs nothing.
class PassFacts {
 public:
  PassFacts(const StackModel& model, const Settings& settings) : model_(model), settings_(settings) {}

  const Namer& namer() {
    if (!namer_) namer_.emplace(model_, settings_);
    return *namer_;
  }
  const S3Index& s3() {
    if (!s3_) s3_.emplace(model_);
    return *s3_;
  }
  const RegionWords& regionWords() {
    if (!regionWords_) regionWords_.emplace(model_);
    return *regionWords_;
  }
  const GlobalClusters& globalClusters() {
    if (!globalClusters_) globalClusters_.emplace(model_);
    return *globalClusters_;
  }

  /// A rule says that, on this stack, it cannot judge anything at all (its
  /// premise is missing: no naming convention to hold names to, no alarm
  /// convention to follow). Its suppressions are then not "unused": they
  /// record a decision that will matter again once the premise is there.
  void markDormant(std::string_view rule) { dormant_.insert(std::string(rule)); }
  const std::set<std::string>& dormant() const { return dormant_; }

 private:
  const StackModel& model_;
  const Settings& settings_;
  std::optional<Namer> namer_;
  std::optional<S3Index> s3_;
  std::optional<RegionWords> regionWords_;
  std::optional<GlobalClusters> globalClusters_;
  std::set<std::string> dormant_;
};

}  // namespace tfmend
