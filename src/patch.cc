#include "tfmend/patch.h"

#include <algorithm>
#include <string>
#include <vector>

namespace tfmend {

std::optional<OpKind> opKindOf(const Json& op) {
  if (!op.is_object()) return std::nullopt;
  auto it = op.find("op");
  if (it == op.end() || !it->is_string()) return std::nullopt;
  const std::string& k = it->get_ref<const std::string&>();
  if (k == "add") return OpKind::Add;
  if (k == "remove") return OpKind::Remove;
  if (k == "replace") return OpKind::Replace;
  if (k == "test") return OpKind::Test;
  return std::nullopt;
}

bool keysSorted(const Json& object) {
  const std::string* previous = nullptr;
  for (const auto& [key, value] : object.items()) {
    (void)value;
    if (previous && !(*previous < key)) return false;
    previous = &key;
  }
  return true;
}

void insertKey(Json& object, const std::string& key, Json value) {
  bool sorted = keysSorted(object);
  if (!sorted || object.empty() || (--object.end()).key() < key) {
    object[key] = std::move(value);
    return;
  }
  // ordered_json keeps members in a vector of pairs with const keys, which
  // cannot be shifted in place: rebuild the object with the key in its place.
  Json rebuilt = Json::object();
  bool placed = false;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (!placed && key < it.key()) {
      rebuilt[key] = std::move(value);
      placed = true;
    }
    rebuilt[it.key()] = std::move(*it);
  }
  if (!placed) rebuilt[key] = std::move(value);
  object = std::move(rebuilt);
}

namespace {

/// How to take one applied operation back.
struct Undo {
  enum class Kind { EraseKey, EraseIndex, RestoreValue, ReinsertKey, ReinsertIndex } kind;
  JsonPointer parent;
  std::string key;
  std::size_t index = 0;
  Json value;
  std::vector<std::string> order;  // keys of the object before a removal, to restore its place
};

void undo(Json& doc, const Undo& u) {
  Json& parent = doc.at(u.parent);
  switch (u.kind) {
    case Undo::Kind::EraseKey: parent.erase(u.key); break;
    case Undo::Kind::EraseIndex: parent.erase(u.index); break;
    case Undo::Kind::RestoreValue:
      if (parent.is_object()) parent[u.key] = u.value;
      else parent[u.index] = u.value;
      break;
    case Undo::Kind::ReinsertKey: {
      Json rebuilt = Json::object();
      for (const auto& k : u.order) rebuilt[k] = k == u.key ? u.value : std::move(parent[k]);
      parent = std::move(rebuilt);
      break;
    }
    case Undo::Kind::ReinsertIndex: parent.insert(parent.begin() + static_cast<long>(u.index), u.value); break;
  }
}

Result<std::size_t> arrayIndex(const std::string& token, std::size_t size, bool allowEnd) {
  if (token == "-" && allowEnd) return size;
  if (token.empty() || token.find_first_not_of("0123456789") != std::string::npos || (token.size() > 1 && token[0] == '0')) {
    return Error{"\"" + token + "\" is not an array index"};
  }
  std::size_t i = std::stoul(token);
  if (i > size || (i == size && !allowEnd)) return Error{"index " + token + " is out of range"};
  return i;
}

Result<Undo> applyOne(Json& doc, const Json& op, SortLater* later) {
  if (!op.is_object()) return Error{"a patch operation is not an object"};
  auto kind = opKindOf(op);
  std::string name = op.contains("op") && op["op"].is_string() ? op["op"].get<std::string>() : std::string("?");
  if (!kind) return Error{"unsupported patch operation \"" + name + "\""};
  if (!op.contains("path") || !op["path"].is_string()) return Error{"a patch operation without a path"};
  if (*kind != OpKind::Remove && !op.contains("value")) return Error{"a " + name + " operation without a value"};
  std::string path = op.value("path", "");
  JsonPointer ptr;
  try {
    ptr = JsonPointer(path);
  } catch (const Json::exception&) {
    return Error{"invalid pointer \"" + path + "\""};
  }
  if (*kind == OpKind::Test) {
    if (!doc.contains(ptr) || doc.at(ptr) != op.at("value")) return Error{"test failed at " + path};
    return Undo{Undo::Kind::RestoreValue, JsonPointer(), "", 0, Json(), {}};  // nothing to undo
  }
  if (ptr.empty()) return Error{"cannot " + name + " the whole document"};
  JsonPointer parentPtr = ptr.parent_pointer();
  std::string token = ptr.back();
  if (!doc.contains(parentPtr)) return Error{"no value at " + parentPtr.to_string()};
  Json& parent = doc.at(parentPtr);
  Undo u{Undo::Kind::RestoreValue, parentPtr, token, 0, Json(), {}};
  if (*kind == OpKind::Add) {
    if (parent.is_object()) {
      if (parent.contains(token)) {
        u.value = std::exchange(parent[token], op.at("value"));
      } else if (later) {
        later->note(parentPtr.to_string(), parent);
        parent[token] = op.at("value");
        u.kind = Undo::Kind::EraseKey;
      } else {
        insertKey(parent, token, op.at("value"));
        u.kind = Undo::Kind::EraseKey;
      }
      return u;
    }
    if (parent.is_array()) {
      auto i = arrayIndex(token, parent.size(), true);
      if (!i) return Error{i.error().message + " at " + path};
      parent.insert(parent.begin() + static_cast<long>(*i), op.at("value"));
      u.kind = Undo::Kind::EraseIndex;
      u.index = *i;
      return u;
    }
    return Error{"cannot add to a scalar at " + path};
  }
  {
    if (!doc.contains(ptr)) return Error{"no value at " + path};
    if (parent.is_object()) {
      if (*kind == OpKind::Replace) {
        u.value = std::exchange(parent[token], op.at("value"));
        return u;
      }
      for (auto it = parent.begin(); it != parent.end(); ++it) u.order.push_back(it.key());
      u.value = std::move(parent[token]);
      parent.erase(token);
      u.kind = Undo::Kind::ReinsertKey;
      return u;
    }
    auto i = arrayIndex(token, parent.size(), false);
    if (!i) return Error{i.error().message + " at " + path};
    u.index = *i;
    if (*kind == OpKind::Replace) {
      u.value = std::exchange(parent[*i], op.at("value"));
      return u;
    }
    u.value = std::move(parent[*i]);
    parent.erase(*i);
    u.kind = Undo::Kind::ReinsertIndex;
    return u;
  }
}

}  // namespace

void SortLater::note(const std::string& pointer, const Json& object) {
  if (sorted_.count(pointer) || unsorted_.count(pointer)) return;
  (keysSorted(object) ? sorted_ : unsorted_).insert(pointer);
}

void SortLater::sortAll(Json& doc) {
  for (const auto& pointer : sorted_) {
    JsonPointer ptr(pointer);
    if (!doc.contains(ptr)) continue;
    Json& object = doc.at(ptr);
    if (!object.is_object() || keysSorted(object)) continue;
    std::vector<std::pair<std::string, Json*>> members;
    for (auto it = object.begin(); it != object.end(); ++it) members.emplace_back(it.key(), &*it);
    std::sort(members.begin(), members.end(), [](const auto& a, const auto& b) { return a.first < b.first; });
    Json rebuilt = Json::object();
    for (auto& [key, value] : members) rebuilt[key] = std::move(*value);
    object = std::move(rebuilt);
  }
  sorted_.clear();
  unsorted_.clear();
}

Status applyPatch(Json& doc, const Json& ops, SortLater* later) {
  std::vector<Undo> done;
  for (const auto& op : ops) {
    Result<Undo> r = Error{""};
    try {
      r = applyOne(doc, op, later);
    } catch (const Json::exception& e) {
      r = Error{std::string("malformed patch operation: ") + e.what()};
    }
    if (!r) {
      for (auto it = done.rbegin(); it != done.rend(); ++it) undo(doc, *it);
      return r.error();
    }
    if (opKindOf(op) != OpKind::Test) done.push_back(std::move(*r));
  }
  return okStatus();
}

}  // namespace tfmend
