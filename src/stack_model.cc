#include "tfmend/stack_model.h"

#include "tfmend/values.h"

#include <cctype>
#include <cstdlib>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <string>

namespace tfmend {

std::string pointerJoin(std::string base, std::initializer_list<std::string_view> tokens) {
  for (auto t : tokens) {
    base += '/';
    base += pointerToken(t);
  }
  return base;
}

const Json* getPath(const Json& body, std::string_view dottedPath) {
  const Json* cur = &body;
  std::size_t start = 0;
  while (start <= dottedPath.size()) {
    std::size_t dot = dottedPath.find('.', start);
    std::string_view key = dottedPath.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (cur->is_array() && cur->size() == 1) cur = &(*cur)[0];
    if (!cur->is_object()) return nullptr;
    const auto& members = cur->get_ref<const Json::object_t&>();
    auto it = members.find(key);
    if (it == members.end()) return nullptr;
    cur = &it->second;
    if (dot == std::string_view::npos) break;
    start = dot + 1;
  }
  return cur;
}

std::string stringAt(const Json& body, std::string_view key) {
  const Json* v = getPath(body, key);
  return v && v->is_string() ? v->get<std::string>() : std::string();
}

std::vector<const Json*> blocks(const Json& body, std::string_view key) {
  std::vector<const Json*> out;
  if (!body.is_object()) return out;
  auto it = body.find(std::string(key));
  if (it == body.end()) return out;
  if (it->is_object()) {
    out.push_back(&*it);
  } else if (it->is_array()) {
    for (const auto& b : *it) {
      if (b.is_object()) out.push_back(&b);
    }
  }
  return out;
}

namespace {

const char* typeName(const Json& v) {
  switch (v.type()) {
    case Json::value_t::object: return "an object";
    case Json::value_t::array: return "an array";
    case Json::value_t::string: return "a string";
    case Json::value_t::boolean: return "a boolean";
    case Json::value_t::null: return "null";
    default: return "a number";
  }
}

Error shapeError(const std::string& pointer, const char* expected, const Json& found) {
  return Error{(pointer.empty() ? std::string("/") : pointer) + ": expected " + expected + ", found " + typeName(found)};
}

}  // namespace

/// Walks the document once and fills a StackModel.
class ModelBuilder {
 public:
  explicit ModelBuilder(StackModel& m) : m_(m) {}

  Status build(const Json& root) {
    m_.root_ = &root;
    if (!root.is_object()) return shapeError("", "an object", root);
    for (const char* section : {"resource", "data", "provider", "variable", "locals", "output", "module"}) {
      auto it = root.find(section);
      if (it != root.end() && !it->is_object() && !(std::string(section) == "locals" && it->is_array())) {
        return shapeError(std::string("/") + section, "an object", *it);
      }
    }
    std::size_t count = 0;
    for (const char* section : {"resource", "data"}) {
      if (auto it = root.find(section); it != root.end()) {
        for (const auto& byName : *it) count += byName.is_object() ? byName.size() : 0;
      }
    }
    m_.resources_.reserve(count);
    if (auto s = readVariables(root); !s) return s;
    if (auto s = readProviders(root); !s) return s;
    for (bool isData : {false, true}) {
      if (auto s = readResources(root, isData); !s) return s;
    }
    readOtherReferences(root);
    readProviderVersion(root);
    index();
    return okStatus();
  }

 private:
  /// Calls f(pointer, body) for every block of a `name: object | [object]` entry.
  template <class F>
  Status forEachBody(const std::string& pointer, const Json& entry, F&& f) {
    if (entry.is_object()) return f(pointer, entry);
    if (!entry.is_array()) return shapeError(pointer, "an object or an array of objects", entry);
    for (std::size_t i = 0; i < entry.size(); ++i) {
      std::string p = pointer + "/" + std::to_string(i);
      if (!entry[i].is_object()) return shapeError(p, "an object", entry[i]);
      if (auto s = f(p, entry[i]); !s) return s;
    }
    return okStatus();
  }

  Status readVariables(const Json& root) {
    auto it = root.find("variable");
    if (it != root.end()) {
      for (const auto& [name, body] : it->items()) {
        std::string p = pointerJoin("/variable", {name});
        auto s = forEachBody(p, body, [&](const std::string& bp, const Json& b) {
          if (m_.variables_.count(name)) return okStatus();  // the first body counts, as Terraform refuses duplicates
          m_.variables_[name] = &b;
          m_.variablePointers_[name] = bp;
          m_.variableOrder_.push_back(name);
          return okStatus();
        });
        if (!s) return s;
      }
    }
    it = root.find("locals");
    if (it != root.end()) {
      auto s = forEachBody("/locals", *it, [&](const std::string&, const Json& b) {
        for (const auto& [name, value] : b.items()) m_.locals_[name] = &value;
        return okStatus();
      });
      if (!s) return s;
    }
    it = root.find("module");
    if (it != root.end()) {
      for (const auto& [name, body] : it->items()) m_.modules_[name] = true;
    }
    return okStatus();
  }

  /// A literal string, or a variable's literal default when the value is `${var.x}`.
  std::string literalOrDefault(const Json& v) const {
    if (!v.is_string()) return {};
    const std::string& s = v.get_ref<const std::string&>();
    if (!hasTemplate(s)) return s;
    Traversal t = soleReference(s);
    if (t.kind == RefKind::Variable && t.attribute.empty()) {
      auto it = m_.variables_.find(t.target.substr(4));
      if (it != m_.variables_.end()) {
        auto d = it->second->find("default");
        if (d != it->second->end() && d->is_string() && !hasTemplate(d->get<std::string>())) return d->get<std::string>();
      }
    }
    return {};
  }

  Status readProviders(const Json& root) {
    auto it = root.find("provider");
    if (it == root.end()) return okStatus();
    for (const auto& [type, entry] : it->items()) {
      std::string p = pointerJoin("/provider", {type});
      auto s = forEachBody(p, entry, [&](const std::string& bp, const Json& b) {
        Provider prov;
        prov.type = type;
        prov.alias = stringAt(b, "alias");
        prov.key = prov.alias.empty() ? type : type + "." + prov.alias;
        if (auto r = b.find("region"); r != b.end()) prov.region = literalOrDefault(*r);
        prov.pointer = bp;
        m_.providers_.push_back(std::move(prov));
        walk(b, std::string(bp), m_.strings_.keep("provider." + m_.providers_.back().key));
        return okStatus();
      });
      if (!s) return s;
    }
    return okStatus();
  }

  Status readResources(const Json& root, bool isData) {
    const char* section = isData ? "data" : "resource";
    auto it = root.find(section);
    if (it == root.end()) return okStatus();
    for (const auto& [type, byName] : it->items()) {
      std::string typePointer = pointerJoin(std::string("/") + section, {type});
      if (!byName.is_object()) return shapeError(typePointer, "an object", byName);
      for (const auto& [name, entry] : byName.items()) {
        std::string p = pointerJoin(typePointer, {name});
        auto s = forEachBody(p, entry, [&](const std::string& bp, const Json& body) {
          addResource(isData, type, name, bp, body);
          return okStatus();
        });
        if (!s) return s;
      }
    }
    return okStatus();
  }

  void addResource(bool isData, const std::string& type, const std::string& name, const std::string& pointer,
                   const Json& body) {
    Resource r;
    r.isData = isData;
    r.type = type;
    r.name = name;
    r.address = (isData ? "data." : "") + type + "." + name;
    r.pointer = pointer;
    r.body = &body;
    std::string providerType = type.substr(0, type.find('_'));
    r.provider = providerType;
    if (auto p = body.find("provider"); p != body.end() && p->is_string()) {
      std::string key = p->get<std::string>();
      if (key.rfind("${", 0) == 0 && key.back() == '}') key = key.substr(2, key.size() - 3);
      r.provider = key;
    }
    if (auto reg = body.find("region"); reg != body.end()) r.region = literalOrDefault(*reg);
    if (r.region.empty()) {
      for (const auto& prov : m_.providers_) {
        if (prov.key == r.provider) r.region = prov.region;
      }
    }
    if (const Json* path = getPath(body, "//.metadata.path"); path && path->is_string()) {
      r.constructPath = path->get<std::string>();
    }
    if (auto c = body.find("count"); c != body.end()) {
      auto n = intOf(m_, &*c);
      r.disabled = n && *n == 0;
    }
    if (auto fe = body.find("for_each"); fe != body.end()) {
      auto v = literalOf(m_, &*fe);
      r.disabled = v && (v->is_object() || v->is_array()) && v->empty();
    }
    r.index = m_.resources_.size();
    std::string_view from = m_.strings_.keep(r.address);
    m_.resources_.push_back(std::move(r));
    std::string p = pointer;
    for (const auto& [key, value] : body.items()) {
      if (key == "//") continue;
      p.resize(pointer.size());
      appendToken(p, key);
      if (key == "depends_on" && value.is_array()) {
        for (std::size_t i = 0; i < value.size(); ++i) {
          if (!value[i].is_string()) continue;
          const std::string& s = value[i].get_ref<const std::string&>();
          auto refs = hasTemplate(s) ? referencesInTemplate(s) : referencesInExpression(s);
          std::string_view kept = m_.strings_.keep(p + "/" + std::to_string(i));
          for (const Traversal& t : refs) m_.references_.push_back({target(t), from, kept});
        }
      } else {
        walk(value, p, from);
      }
    }
  }

  /// The cap a version constraint puts on the major version ("= 2.46.0" -> 2,
  /// "~> 3.76" -> 3, "< 5.0" -> 4, ">= 4" -> none).
  static std::optional<int> majorCap(const std::string& constraints) {
    std::optional<int> cap;
    std::size_t start = 0;
    while (start <= constraints.size()) {
      std::size_t comma = constraints.find(',', start);
      std::string c = constraints.substr(start, comma == std::string::npos ? std::string::npos : comma - start);
      start = comma == std::string::npos ? constraints.size() + 1 : comma + 1;
      std::size_t i = 0;
      while (i < c.size() && c[i] == ' ') ++i;
      std::string op;
      while (i < c.size() && std::string("=<>!~").find(c[i]) != std::string::npos) op += c[i++];
      while (i < c.size() && c[i] == ' ') ++i;
      if (i >= c.size() || !std::isdigit(static_cast<unsigned char>(c[i]))) continue;
      int major = std::atoi(c.c_str() + i);
      bool minorZero = c.find('.', i) == std::string::npos || std::atoi(c.c_str() + c.find('.', i) + 1) == 0;
      std::optional<int> bound;
      if (op.empty() || op == "=" || op == "~>" || op == "<=") bound = major;
      else if (op == "<") bound = minorZero ? major - 1 : major;
      if (bound && (!cap || *bound < *cap)) cap = bound;
    }
    return cap;
  }

  void readProviderVersion(const Json& root) {
    auto consider = [&](const Json* v) {
      if (!v || !v->is_string()) return;
      auto cap = majorCap(v->get<std::string>());
      if (cap && (!m_.awsMaxMajor_ || *cap < *m_.awsMaxMajor_)) m_.awsMaxMajor_ = cap;
    };
    if (auto t = root.find("terraform"); t != root.end()) {
      for (const Json* terraform : blocks(root, "terraform")) {
        for (const Json* rp : blocks(*terraform, "required_providers")) {
          const Json* aws = getPath(*rp, "aws");
          if (aws && aws->is_string()) consider(aws);
          else if (aws) consider(getPath(*aws, "version"));
        }
      }
    }
    if (auto p = root.find("provider"); p != root.end() && p->is_object()) {
      for (const Json* provider : blocks(*p, "aws")) consider(getPath(*provider, "version"));
    }
  }

  void readOtherReferences(const Json& root) {
    if (auto it = root.find("locals"); it != root.end()) {
      // The shape was checked when the locals were read.
      (void)forEachBody("/locals", *it, [&](const std::string& bp, const Json& b) {
        for (const auto& [name, value] : b.items()) walk(value, pointerJoin(bp, {name}), m_.strings_.keep("local." + name));
        return okStatus();
      });
    }
    for (const char* section : {"output", "module"}) {
      if (auto it = root.find(section); it != root.end()) {
        for (const auto& [name, value] : it->items()) {
          walk(value, pointerJoin(std::string("/") + section, {name}), m_.strings_.keep(std::string(section) + "." + name));
        }
      }
    }
  }

  /// Records every reference in the strings under `value`, whose pointer is
  /// `pointer`. The pointer grows and shrinks as the walk goes; it is copied
  /// only into the references found (most strings have none).
  void walk(const Json& value, std::string& pointer, std::string_view from) {
    switch (value.type()) {
      case Json::value_t::string: {
        const std::string& s = value.get_ref<const std::string&>();
        if (!hasTemplate(s)) return;
        auto found = referencesInTemplate(s);
        if (found.empty()) return;
        std::string_view kept = m_.strings_.keep(pointer);
        for (const Traversal& t : found) m_.references_.push_back({target(t), from, kept});
        return;
      }
      case Json::value_t::object:
        for (const auto& [key, member] : value.items()) {
          if (key == "//") continue;
          std::size_t at = pointer.size();
          appendToken(pointer, key);
          walk(member, pointer, from);
          pointer.resize(at);
        }
        return;
      case Json::value_t::array:
        for (std::size_t i = 0; i < value.size(); ++i) {
          std::size_t at = pointer.size();
          pointer += '/';
          pointer += std::to_string(i);
          walk(value[i], pointer, from);
          pointer.resize(at);
        }
        return;
      default:
        return;
    }
  }
  void walk(const Json& value, std::string&& pointer, std::string_view from) { walk(value, pointer, from); }

  /// `t` with its strings kept by the model.
  Reference::Target target(const Traversal& t) {
    if (t.offset >= std::numeric_limits<std::uint32_t>::max()) throw std::length_error("a string of the stack is too long");
    return {m_.strings_.keep(t.target), t.attribute.empty() ? std::string_view() : m_.strings_.keep(t.attribute),
            static_cast<std::uint32_t>(t.offset), t.kind};
  }

  /// Appends "/" and `token`, escaped as a JSON Pointer token.
  static void appendToken(std::string& pointer, std::string_view token) {
    pointer += '/';
    if (token.find_first_of("~/") == std::string_view::npos) {
      pointer += token;
    } else {
      pointer += pointerToken(token);
    }
  }

  void index() {
    // The walk grew the references by doubling; the model keeps them for a whole pass.
    m_.references_.shrink_to_fit();
    if (m_.references_.size() >= std::numeric_limits<std::uint32_t>::max()) throw std::length_error("the stack has too many references");
    m_.byAddress_.reserve(m_.resources_.size());
    for (std::size_t i = 0; i < m_.resources_.size(); ++i) {
      const Resource& r = m_.resources_[i];
      m_.byAddress_.emplace(r.address, i);
      if (!r.disabled) m_.byType_[(r.isData ? "data." : "") + r.type].push_back(i);
    }
    groupReferences(m_.usersOf_, m_.byTarget_, [](const Reference& r) -> std::string_view { return r.traversal.target; });
    groupReferences(m_.usesBy_, m_.byFrom_, [](const Reference& r) { return r.from; });
  }

  /// The references grouped by `keyOf`, in document order within a group: the
  /// map gives a group's span of `order`, which lists the references' places
  /// (one array for all groups rather than a vector for each).
  template <typename KeyOf>
  void groupReferences(std::unordered_map<std::string_view, StackModel::Span>& groups, std::vector<std::uint32_t>& order,
                       KeyOf keyOf) {
    const auto& refs = m_.references_;
    groups.reserve(refs.size());
    for (const Reference& r : refs) ++groups[keyOf(r)].count;
    std::uint32_t next = 0;
    for (auto& [key, span] : groups) {
      span.begin = next;
      next += span.count;
      span.count = 0;
    }
    order.resize(refs.size());
    for (std::size_t i = 0; i < refs.size(); ++i) {
      StackModel::Span& span = groups.find(keyOf(refs[i]))->second;
      order[span.begin + span.count++] = static_cast<std::uint32_t>(i);
    }
  }

  StackModel& m_;
};

std::string_view StringPool::keep(std::string_view text) {
  constexpr std::size_t kBlock = 64 * 1024;
  if (text.size() > left_) {
    // A string larger than a block gets a block of its own; the current one stays open.
    std::size_t size = std::max(kBlock, text.size());
    blocks_.push_back(std::unique_ptr<char[]>(new char[size]));  // not zeroed
    if (size > kBlock) return {static_cast<const char*>(std::memcpy(blocks_.back().get(), text.data(), text.size())), text.size()};
    free_ = blocks_.back().get();
    left_ = size;
  }
  char* at = free_;
  if (!text.empty()) std::memcpy(at, text.data(), text.size());
  free_ += text.size();
  left_ -= text.size();
  return {at, text.size()};
}

Result<StackModel> StackModel::build(const Json& root) {
  StackModel model;
  ModelBuilder builder(model);
  if (auto s = builder.build(root); !s) return s.error();
  return model;
}

const Resource* StackModel::find(std::string_view address) const {
  auto it = byAddress_.find(address);
  return it == byAddress_.end() ? nullptr : &resources_[it->second];
}

std::vector<const Resource*> StackModel::ofType(std::string_view type) const {
  std::vector<const Resource*> out;
  if (auto it = byType_.find(std::string(type)); it != byType_.end()) {
    for (auto i : it->second) out.push_back(&resources_[i]);
  }
  return out;
}

std::vector<const Resource*> StackModel::dataOfType(std::string_view type) const {
  return ofType("data." + std::string(type));
}

const Provider* StackModel::provider(std::string_view key) const {
  for (const auto& p : providers_) {
    if (p.key == key) return &p;
  }
  return nullptr;
}

std::vector<std::string> StackModel::regions() const {
  std::vector<std::string> out;
  for (const auto& p : providers_) {
    if (p.type != "aws" || p.region.empty()) continue;
    bool seen = false;
    for (const auto& r : out) seen = seen || r == p.region;
    if (!seen) out.push_back(p.region);
  }
  return out;
}

std::string StackModel::providerKeyFor(std::string_view region) const {
  // Prefer the default provider, then the first alias for that region.
  for (const auto& p : providers_) {
    if (p.type == "aws" && p.alias.empty() && p.region == region) return p.key;
  }
  for (const auto& p : providers_) {
    if (p.type == "aws" && p.region == region) return p.key;
  }
  return {};
}

std::vector<const Reference*> StackModel::group(const std::unordered_map<std::string_view, Span>& groups,
                                                const std::vector<std::uint32_t>& order, std::string_view key) const {
  std::vector<const Reference*> out;
  if (auto it = groups.find(key); it != groups.end()) {
    out.reserve(it->second.count);
    for (std::uint32_t k = 0; k < it->second.count; ++k) out.push_back(&references_[order[it->second.begin + k]]);
  }
  return out;
}

std::vector<const Reference*> StackModel::usersOf(std::string_view target) const { return group(usersOf_, byTarget_, target); }

std::vector<const Reference*> StackModel::usesBy(std::string_view from) const { return group(usesBy_, byFrom_, from); }

bool StackModel::defines(std::string_view target) const {
  if (target.rfind("var.", 0) == 0) return variables_.count(std::string(target.substr(4))) > 0;
  if (target.rfind("local.", 0) == 0) return locals_.count(std::string(target.substr(6))) > 0;
  if (target.rfind("module.", 0) == 0) return modules_.count(std::string(target.substr(7))) > 0;
  return byAddress_.count(target) > 0;
}

std::vector<const Reference*> StackModel::unresolved() const {
  std::vector<const Reference*> out;
  for (const auto& r : references_) {
    if (!defines(r.traversal.target)) out.push_back(&r);
  }
  return out;
}

const Resource* StackModel::referenced(const Json* value, std::string_view type, std::string_view byAttribute,
                                       const Resource* within) const {
  if (!value || !value->is_string()) return nullptr;
  const std::string& s = value->get_ref<const std::string&>();
  if (hasTemplate(s)) {
    const Resource* found = nullptr;
    for (const Resource* r : targetsOf(*this, value, within).resources) {
      if (r->isData || (!type.empty() && r->type != type)) continue;
      if (found) return nullptr;  // several: not one resource
      found = r;
    }
    if (found || byAttribute.empty()) return found;
    auto literal = stringOf(*this, value);
    return literal ? byLiteral(type, byAttribute, *literal) : nullptr;
  }
  return byAttribute.empty() ? nullptr : byLiteral(type, byAttribute, s);
}

const Resource* StackModel::byLiteral(std::string_view type, std::string_view byAttribute, const std::string& value) const {
  // An index per (type, attribute), built once: a stack that names its
  // resources by literal everywhere must not make this a scan per lookup.
  auto [index, fresh] = byLiteral_.try_emplace(std::string(type) + "|" + std::string(byAttribute));
  if (fresh) {
    for (const Resource* r : ofType(type)) {
      auto literal = stringOf(*this, getPath(*r->body, byAttribute));
      if (literal && !literal->empty()) index->second.emplace(*literal, r);
    }
  }
  auto it = index->second.find(value);
  return it == index->second.end() ? nullptr : it->second;
}

const Json* StackModel::variable(std::string_view name) const {
  auto it = variables_.find(std::string(name));
  return it == variables_.end() ? nullptr : it->second;
}

const Json* StackModel::local(std::string_view name) const {
  auto it = locals_.find(std::string(name));
  return it == locals_.end() ? nullptr : it->second;
}

std::string StackModel::variablePointer(std::string_view name) const {
  auto it = variablePointers_.find(std::string(name));
  return it == variablePointers_.end() ? std::string() : it->second;
}

std::vector<std::string> StackModel::variableNames() const { return variableOrder_; }

}  // namespace tfmend
