#include "tfmend/values.h"

#include <cctype>
#include <charconv>
#include <limits>

#include "tfmend/expression.h"

namespace tfmend {

namespace {

constexpr int kMaxDepth = 8;  // locals that refer to locals; deeper is treated as unknown

bool identChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

/// The parts of a plain traversal interpolation "${a.b.c}", or empty.
std::vector<std::string> plainTraversal(const std::string& s) {
  if (s.size() < 4 || s.compare(0, 2, "${") != 0 || s.back() != '}') return {};
  std::vector<std::string> parts;
  std::string part;
  for (std::size_t i = 2; i + 1 < s.size(); ++i) {
    char c = s[i];
    if (c == '.') {
      if (part.empty()) return {};
      parts.push_back(std::move(part));
      part.clear();
    } else if (identChar(c)) {
      part += c;
    } else {
      return {};
    }
  }
  if (part.empty()) return {};
  parts.push_back(std::move(part));
  return parts;
}

/// `root` followed down `parts[from..]` as object keys (or list indices).
const Json* follow(const Json* root, const std::vector<std::string>& parts, std::size_t from) {
  const Json* cur = root;
  for (std::size_t i = from; cur && i < parts.size(); ++i) {
    if (cur->is_object()) {
      auto it = cur->find(parts[i]);
      cur = it == cur->end() ? nullptr : &*it;
    } else if (cur->is_array()) {
      std::size_t index = 0;
      auto [p, ec] = std::from_chars(parts[i].data(), parts[i].data() + parts[i].size(), index);
      cur = ec == std::errc() && p == parts[i].data() + parts[i].size() && index < cur->size() ? &(*cur)[index] : nullptr;
    } else {
      cur = nullptr;
    }
  }
  return cur;
}

std::optional<Json> literal(const StackModel& m, const Json* value, int depth) {
  if (!value) return std::nullopt;
  if (!value->is_string()) return *value;
  const std::string& s = value->get_ref<const std::string&>();
  if (!hasTemplate(s)) return *value;
  if (depth >= kMaxDepth) return std::nullopt;
  auto parts = plainTraversal(s);
  if (parts.size() < 2) return std::nullopt;
  if (parts[0] == "var") {
    const Json* var = m.variable(parts[1]);
    if (!var || !var->is_object()) return std::nullopt;
    auto d = var->find("default");
    if (d == var->end() || d->is_null()) return std::nullopt;
    return literal(m, follow(&*d, parts, 2), depth + 1);
  }
  if (parts[0] == "local") {
    return literal(m, follow(m.local(parts[1]), parts, 2), depth + 1);
  }
  return std::nullopt;
}

bool mentionsIterator(const std::string& s) {
  for (const char* word : {"each.", "count."}) {
    for (auto pos = s.find(word); pos != std::string::npos; pos = s.find(word, pos + 1)) {
      if (pos == 0 || !identChar(s[pos - 1])) return true;
    }
  }
  return false;
}

void collectTargets(const StackModel& m, const Json& value, const Resource* within, int depth, Targets& out) {
  if (value.is_object()) {
    for (const auto& [k, v] : value.items()) collectTargets(m, v, within, depth, out);
    return;
  }
  if (value.is_array()) {
    for (const auto& v : value) collectTargets(m, v, within, depth, out);
    return;
  }
  if (!value.is_string()) return;
  const std::string& s = value.get_ref<const std::string&>();
  if (!hasTemplate(s)) return;
  auto add = [&](const Resource* r) {
    for (const Resource* seen : out.resources) {
      if (seen == r) return;
    }
    out.resources.push_back(r);
  };
  for (const Traversal& t : referencesInTemplate(s)) {
    switch (t.kind) {
      case RefKind::Resource:
      case RefKind::Data:
        if (const Resource* r = m.find(t.target)) {
          add(r);
          if (r->isData && r->type == "terraform_remote_state") out.unknown = true;
        } else {
          out.unknown = true;
        }
        break;
      case RefKind::Module: out.unknown = true; break;
      case RefKind::Variable: {
        const Json* var = m.variable(t.target.substr(4));
        if (!var || !var->is_object() || !var->contains("default") || (*var)["default"].is_null()) out.unknown = true;
        break;
      }
      case RefKind::Local: {
        const Json* local = m.local(t.target.substr(6));
        if (!local || depth >= kMaxDepth) {
          out.unknown = true;
        } else {
          collectTargets(m, *local, within, depth + 1, out);
        }
        break;
      }
    }
  }
  if (within && depth < kMaxDepth && mentionsIterator(s)) {
    for (const char* meta : {"for_each", "count"}) {
      if (auto it = within->body->find(meta); it != within->body->end()) collectTargets(m, *it, nullptr, depth + 1, out);
    }
  }
}

}  // namespace

std::optional<Json> literalOf(const StackModel& m, const Json* value) { return literal(m, value, 0); }

std::optional<bool> boolOf(const StackModel& m, const Json* value) {
  auto v = literalOf(m, value);
  if (!v) return std::nullopt;
  if (v->is_boolean()) return v->get<bool>();
  if (v->is_string()) {
    if (*v == "true") return true;
    if (*v == "false") return false;
  }
  return std::nullopt;
}

std::optional<long long> intOf(const StackModel& m, const Json* value) {
  auto v = literalOf(m, value);
  if (!v) return std::nullopt;
  if (v->is_number_integer()) {
    if (v->is_number_unsigned() && v->get<unsigned long long>() > static_cast<unsigned long long>(std::numeric_limits<long long>::max())) {
      return std::nullopt;
    }
    return v->get<long long>();
  }
  if (v->is_number_float()) {
    double d = v->get<double>();
    if (d >= -9.0e18 && d <= 9.0e18 && d == static_cast<double>(static_cast<long long>(d))) return static_cast<long long>(d);
    return std::nullopt;
  }
  if (v->is_string()) {
    const std::string& s = v->get_ref<const std::string&>();
    long long out = 0;
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
    if (ec == std::errc() && p == s.data() + s.size() && !s.empty()) return out;
  }
  return std::nullopt;
}

std::optional<std::string> stringOf(const StackModel& m, const Json* value) {
  auto v = literalOf(m, value);
  if (!v || !v->is_string()) return std::nullopt;
  return v->get<std::string>();
}

Targets targetsOf(const StackModel& m, const Json* value, const Resource* within) {
  Targets out;
  if (value) collectTargets(m, *value, within, 0, out);
  return out;
}

namespace {

std::string expand(const StackModel& m, const std::string& text, int depth) {
  if (depth >= kMaxDepth || text.find("${local.") == std::string::npos) return text;
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t at = text.find("${local.", i);
    if (at == std::string::npos) break;
    std::size_t j = at + 8;
    while (j < text.size() && identChar(text[j])) ++j;
    const Json* local = j < text.size() && text[j] == '}' ? m.local(text.substr(at + 8, j - at - 8)) : nullptr;
    out.append(text, i, at - i);
    if (local && local->is_string()) {
      out += expand(m, local->get<std::string>(), depth + 1);
      i = j + 1;
    } else {
      out.append(text, at, 2);
      i = at + 2;
    }
  }
  out.append(text, i, std::string::npos);
  return out;
}

}  // namespace

std::string expandLocals(const StackModel& m, const std::string& text) { return expand(m, text, 0); }

}  // namespace tfmend
