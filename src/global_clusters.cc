#include "tfmend/global_clusters.h"

#include <unordered_map>

namespace tfmend {

GlobalClusters::GlobalClusters(const StackModel& model) {
  for (const char* type : {"aws_rds_cluster", "aws_docdb_cluster"}) {
    std::unordered_map<std::string, bool> led;  // global cluster -> has a member with a master user
    auto members = model.ofType(type);
    for (const Resource* c : members) {
      std::string global = stringAt(*c->body, "global_cluster_identifier");
      if (!global.empty() && !stringAt(*c->body, "master_username").empty()) led[global] = true;
    }
    for (const Resource* c : members) {
      std::string global = stringAt(*c->body, "global_cluster_identifier");
      if (!global.empty() && led.count(global) && stringAt(*c->body, "master_username").empty()) {
        secondaries_.insert(c->address);
      }
    }
  }
}

}  // namespace tfmend
