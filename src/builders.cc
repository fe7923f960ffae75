#include "tfmend/builders.h"

#include <algorithm>
#include <cctype>
#include <utility>
#include <vector>

#include "tfmend/finding.h"
#include "tfmend/names.h"
#include "tfmend/naming.h"

namespace tfmend {

Json sortedKeys(Json value) {
  if (value.is_array()) {
    for (auto& v : value) v = sortedKeys(std::move(v));
    return value;
  }
  if (!value.is_object()) return value;
  auto& members = value.get_ref<Json::object_t&>();
  for (auto& member : members) member.second = sortedKeys(std::move(member.second));
  auto byKey = [](const auto& a, const auto& b) { return a.first < b.first; };
  if (std::is_sorted(members.begin(), members.end(), byKey)) return value;  // as cdktf wrote it, mostly
  std::vector<std::pair<std::string, Json>> sorted;
  sorted.reserve(members.size());
  for (auto& member : members) sorted.emplace_back(member.first, std::move(member.second));
  std::sort(sorted.begin(), sorted.end(), byKey);  // an object's keys are distinct
  members.assignDistinct(sorted.begin(), sorted.end());
  return value;
}

std::string constructId(const Resource& r) {
  return r.constructPath.empty() ? r.name : r.constructPath.substr(r.constructPath.rfind('/') + 1);
}

std::string scopedId(const Resource& r) {
  if (r.constructPath.empty()) return r.name;
  std::string below = r.constructPath.substr(r.constructPath.find('/') + 1);
  for (auto& c : below) c = c == '/' ? '-' : c;
  return below;
}

std::string ref(std::string_view address, std::string_view attribute) {
  return "${" + std::string(address) + "." + std::string(attribute) + "}";
}

const Resource* kmsKeyOf(const StackModel& model, std::string_view providerKey) {
  for (const Resource* k : model.ofType("aws_kms_key")) {
    if (k->provider == providerKey) return k;
  }
  return nullptr;
}

std::string regionOfReference(const StackModel& model, const std::string& value) {
  Traversal t = soleReference(value);
  if (!t.target.empty()) {
    const Resource* r = model.find(t.target);
    return r ? r->region : std::string();
  }
  // arn:partition:service:region:account:...
  if (value.rfind("arn:", 0) == 0) {
    std::size_t a = value.find(':', 4), b = a == std::string::npos ? a : value.find(':', a + 1);
    std::size_t c = b == std::string::npos ? b : value.find(':', b + 1);
    if (c != std::string::npos) return value.substr(b + 1, c - b - 1);
  }
  return {};
}

std::string providerTooOld(const StackModel& model, int minMajor, std::string_view what) {
  auto cap = model.awsProviderMaxMajor();
  if (!cap || *cap >= minMajor) return {};
  return "the stack's AWS provider version stops at " + std::to_string(*cap) + ".x, and " + std::string(what) + " needs " +
         std::to_string(minMajor) + ".0 or later";
}

std::string providerKeyArn(PatchBuilder& b, const StackModel& model, const Namer& namer, const std::string& providerKey,
                           const std::string& region) {
  if (const Resource* key = kmsKeyOf(model, providerKey)) return ref(key->address, "arn");
  const Resource* anchor = nullptr;
  for (const Resource& r : model.resources()) {
    if (!r.isData && r.provider == providerKey) {
      anchor = &r;
      break;
    }
  }
  if (!anchor) return {};
  std::string where = region.empty() ? providerKey : region;
  std::string key = b.addResource("aws_kms_key", "data-key-" + where, *anchor, providerKey,
                                  {{"description", "customer-managed key for data at rest in " + where},
                                   {"enable_key_rotation", true},
                                   {"deletion_window_in_days", 30}});
  // An alias only where the stack has a naming convention to give it: an
  // alias without one would collide with the next deployment's.
  if (namer.hasConvention()) {
    b.addResource("aws_kms_alias", "data-key-alias-" + where, *anchor, providerKey,
                  {{"name", "alias/" + namer.name("data-at-rest-" + where, "aws_kms_alias")}, {"target_key_id", ref(key, "key_id")}});
  }
  return ref(key, "arn");
}

namespace {

std::string logicalId(const std::string& path) { return cdktfLogicalId(path); }

/// `base` for the first candidate, `base-n` for the n-th.
std::string numbered(std::string base, int n) {
  if (n > 1) {
    base += '-';
    base += std::to_string(n);
  }
  return base;
}

std::string parentPath(const std::string& path) {
  auto slash = path.rfind('/');
  return slash == std::string::npos ? path : path.substr(0, slash);
}

}  // namespace

std::string PatchBuilder::add(bool data, std::string_view type, std::string_view id, const Resource& near,
                              std::string_view providerKey, Json body) {
  std::string section = data ? "data" : "resource";
  std::string prefix = data ? "data." : "";
  auto& ofType = added_[section][std::string(type)];
  std::string name, path;
  const std::string scope = near.constructPath.empty() ? std::string() : parentPath(near.constructPath) + "/";
  // Names only become taken while the fix is built: a search for the same
  // name resumes where the last one stopped rather than hash every taken one again.
  int& from = firstFree_[section + "|" + std::string(type) + "|" + scope + "|" + std::string(id)];
  for (int n = std::max(from, 1);; ++n) {
    std::string candidateId = numbered(std::string(id), n);
    if (!near.constructPath.empty()) {
      path = scope + candidateId;
      name = logicalId(path);
    } else {
      name = candidateId;
    }
    if (!model_.find(prefix + std::string(type) + "." + name) && !ofType.count(name)) {
      from = n;
      break;
    }
  }
  if (!near.constructPath.empty()) body["//"] = {{"metadata", {{"path", path}, {"uniqueId", name}}}};
  bool nearHasProvider = near.body && near.body->contains("provider");
  if (providerKey != "aws" || nearHasProvider) body["provider"] = std::string(providerKey);
  ofType[name] = sortedKeys(std::move(body));
  return prefix + std::string(type) + "." + name;
}

std::string PatchBuilder::reserveAt(std::string_view type, const std::string& constructPath, const std::string& name) {
  return reserve(type, constructPath, name).first;
}

std::pair<std::string, std::string> PatchBuilder::reserve(std::string_view type, const std::string& constructPath,
                                                          const std::string& name) {
  std::string key = std::string(type) + "|" + constructPath + "|" + name;
  if (auto it = reserved_.find(key); it != reserved_.end()) return {std::string(type) + "." + it->second.first, it->second.second};
  auto& ofType = added_["resource"][std::string(type)];
  std::string logical, path;
  // As in add(): the search for a free name resumes where the last one for the same base stopped.
  int& from = firstFree_["reserved|" + std::string(type) + "|" + (constructPath.empty() ? "name:" + name : "path:" + constructPath)];
  for (int n = std::max(from, 1);; ++n) {
    path = constructPath.empty() ? constructPath : numbered(constructPath, n);
    logical = constructPath.empty() ? numbered(name, n) : logicalId(path);
    std::string address = std::string(type) + "." + logical;
    if (!model_.find(address) && !ofType.count(logical) && !reservedAddresses_.count(address)) {
      from = n;
      break;
    }
  }
  reserved_[key] = {logical, path};
  reservedAddresses_.insert(std::string(type) + "." + logical);
  return {std::string(type) + "." + logical, path};
}

std::string PatchBuilder::addResourceAt(std::string_view type, const std::string& constructPath, const std::string& name,
                                        std::string_view providerKey, Json body) {
  // The path carries the "-n" that the reserved name may carry.
  auto [address, path] = reserve(type, constructPath, name);
  std::string logical = address.substr(type.size() + 1);
  if (!constructPath.empty()) body["//"] = {{"metadata", {{"path", path}, {"uniqueId", logical}}}};
  body.erase("provider");
  if (providerKey != "aws") body["provider"] = std::string(providerKey);
  added_["resource"][std::string(type)][logical] = sortedKeys(std::move(body));
  return address;
}

std::string PatchBuilder::addResource(std::string_view type, std::string_view id, const Resource& near,
                                      std::string_view providerKey, Json body) {
  return add(false, type, id, near, providerKey, std::move(body));
}

std::string PatchBuilder::addData(std::string_view type, std::string_view id, const Resource& near,
                                  std::string_view providerKey, Json body) {
  return add(true, type, id, near, providerKey, std::move(body));
}

std::string PatchBuilder::plannedAddress(std::string_view type, std::string_view id, const Resource& near) const {
  std::string name = near.constructPath.empty() ? std::string(id) : logicalId(parentPath(near.constructPath) + "/" + std::string(id));
  return std::string(type) + "." + name;
}

void PatchBuilder::set(const Resource& r, std::string_view key, Json value, bool guard) {
  std::string path = pointerJoin(r.pointer, {key});
  auto it = r.body->find(std::string(key));
  if (it != r.body->end()) {
    if (guard) edits_.push_back(opTest(path, *it));
    edits_.push_back(opReplace(path, sortedKeys(std::move(value))));
  } else {
    edits_.push_back(opAdd(path, sortedKeys(std::move(value))));
  }
}

void PatchBuilder::remove(const Resource& r, std::string_view key, bool guard) {
  std::string path = pointerJoin(r.pointer, {key});
  auto it = r.body->find(std::string(key));
  if (it == r.body->end()) return;
  if (guard) edits_.push_back(opTest(path, *it));
  edits_.push_back(opRemove(path));
}

void PatchBuilder::addVariable(std::string_view name, Json body) { variables_[std::string(name)] = sortedKeys(std::move(body)); }

void PatchBuilder::addLocal(std::string_view name, Json value) { locals_[std::string(name)] = sortedKeys(std::move(value)); }

Json PatchBuilder::ops() const {
  Json ops = Json::array();
  const Json& root = model_.root();
  for (const auto& [section, types] : added_) {
    if (!root.contains(section)) {
      Json all = Json::object();
      for (const auto& [type, byName] : types) {
        for (const auto& [name, body] : byName) all[type][name] = body;
      }
      ops.push_back(opAdd("/" + section, sortedKeys(std::move(all))));
      continue;
    }
    for (const auto& [type, byName] : types) {
      std::string typePath = pointerJoin("/" + section, {type});
      if (!root.at(section).contains(type)) {
        Json all = Json::object();
        for (const auto& [name, body] : byName) all[name] = body;
        ops.push_back(opAdd(typePath, all));
        continue;
      }
      for (const auto& [name, body] : byName) ops.push_back(opAdd(pointerJoin(typePath, {name}), body));
    }
  }
  auto addNamed = [&](const char* section, const std::map<std::string, Json>& entries) {
    if (entries.empty()) return;
    if (!root.contains(section)) {
      Json all = Json::object();
      for (const auto& [name, body] : entries) all[name] = body;
      ops.push_back(opAdd(std::string("/") + section, all));
      return;
    }
    for (const auto& [name, body] : entries) ops.push_back(opAdd(pointerJoin(std::string("/") + section, {name}), body));
  };
  addNamed("variable", variables_);
  addNamed("locals", locals_);
  for (const auto& e : edits_) ops.push_back(e);
  return ops;
}

}  // namespace tfmend
