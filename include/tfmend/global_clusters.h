#pragma once
/// Aurora and DocumentDB global databases: which member clusters are
/// secondaries. The members of one global cluster are told apart by who sets
/// the master user name (the primary); the others take their credentials from it.

#include <string>
#include <unordered_set>

#include "tfmend/stack_model.h"

namespace tfmend {

class GlobalClusters {
 public:
  /// One pass over the stack's clusters.
  explicit GlobalClusters(const StackModel& model);
  /// True if `cluster` joins a global cluster that another member leads.
  bool isSecondary(const Resource& cluster) const { return secondaries_.count(cluster.address) > 0; }

 private:
  std::unordered_set<std::string> secondaries_;
};

}  // namespace tfmend
