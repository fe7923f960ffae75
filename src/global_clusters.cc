#include "tfmend/global_clusters.h"

#include <map>

#include "tfmend/values.h"

namespace tfmend {

namespace {

/// What a member's global_cluster_identifier names: the global cluster of the
/// stack it refers to (however the expression is written), else its literal.
std::string globalOf(const StackModel& model, const Resource& member) {
  const Json* id = getPath(*member.body, "global_cluster_identifier");
  if (!id) return {};
  for (const Resource* g : targetsOf(model, id, &member).resources) {
    if (!g->isData && (g->type == "aws_rds_global_cluster" || g->type == "aws_docdb_global_cluster")) return g->address;
  }
  auto literal = stringOf(model, id);
  return literal ? *literal : std::string();
}

}  // namespace

GlobalClusters::GlobalClusters(const StackModel& model) {
  for (const char* type : {"aws_rds_cluster", "aws_docdb_cluster"}) {
    std::map<std::string, bool> led;  // global cluster -> has a member with a master user
    auto members = model.ofType(type);
    for (const Resource* c : members) {
      std::string global = globalOf(model, *c);
      if (!global.empty() && getPath(*c->body, "master_username")) led[global] = true;
    }
    for (const Resource* c : members) {
      std::string global = globalOf(model, *c);
      if (!global.empty() && led.count(global) && !getPath(*c->body, "master_username")) secondaries_.insert(c->address);
    }
  }
}

}  // namespace tfmend
