#include "tfmend/values.h"

#include <cctype>
#include <algorithm>
#include <charconv>
#include <map>
#include <set>
#include <limits>

#include "tfmend/expression.h"

namespace tfmend {

namespace {

constexpr int kMaxDepth = 8;  // locals that refer to locals; deeper is treated as unknown

bool identChar(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-'; }

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

/// Variables' values to assume instead of their defaults (what-if evaluation).
using Overrides = std::map<std::string, Json>;

std::optional<Json> literal(const StackModel& m, const Json* value, int depth, const Overrides* overrides = nullptr);

/// The value of a variable or local traversal `parts` (["var", "x", "attr"]).
std::optional<Json> traversalValue(const StackModel& m, const std::vector<std::string>& parts, int depth, const Overrides* overrides) {
  if (parts.size() < 2 || depth >= kMaxDepth) return std::nullopt;
  if (parts[0] == "var") {
    if (overrides) {
      if (auto o = overrides->find(parts[1]); o != overrides->end()) return literal(m, follow(&o->second, parts, 2), depth + 1, overrides);
    }
    const Json* var = m.variable(parts[1]);
    if (!var || !var->is_object()) return std::nullopt;
    auto d = var->find("default");
    if (d == var->end()) return std::nullopt;  // required: the caller's value is unknown
    if (d->is_null()) return parts.size() == 2 ? std::optional<Json>(Json(nullptr)) : std::nullopt;
    return literal(m, follow(&*d, parts, 2), depth + 1, overrides);
  }
  if (parts[0] == "local") return literal(m, follow(m.local(parts[1]), parts, 2), depth + 1, overrides);
  return std::nullopt;
}

/// A small evaluator of Terraform expressions over what is known before
/// apply: literals, variables' defaults, locals, `!`, `==`, `!=`, `&&`, `||`,
/// `? :` and parentheses. Anything else is unknown (nullopt).
class Evaluator {
 public:
  Evaluator(const StackModel& m, std::string_view text, int depth, const Overrides* overrides)
      : m_(m), s_(text), depth_(depth), overrides_(overrides) {}

  std::optional<Json> all() {
    auto v = ternary();
    skipSpace();
    if (failed_ || i_ != s_.size()) return std::nullopt;
    return v;
  }

 private:
  void skipSpace() {
    while (i_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[i_]))) ++i_;
  }
  bool eat(std::string_view token) {
    skipSpace();
    if (s_.substr(i_, token.size()) != token) return false;
    i_ += token.size();
    return true;
  }
  static bool truthy(const std::optional<Json>& v, bool& known) {
    known = v && v->is_boolean();
    return known && v->get<bool>();
  }

  std::optional<Json> ternary() {
    auto cond = orExpr();
    if (!eat("?")) return cond;
    auto a = ternary();
    if (!eat(":")) return fail();
    auto b = ternary();
    bool known = false;
    bool c = truthy(cond, known);
    if (known) return c ? a : b;
    if (a && b && *a == *b) return a;
    return std::nullopt;
  }
  std::optional<Json> orExpr() {
    auto v = andExpr();
    while (eat("||")) {
      auto w = andExpr();
      bool kv = false, kw = false;
      bool bv = truthy(v, kv), bw = truthy(w, kw);
      v = (kv && bv) || (kw && bw) ? std::optional<Json>(true) : kv && kw ? std::optional<Json>(false) : std::nullopt;
    }
    return v;
  }
  std::optional<Json> andExpr() {
    auto v = equality();
    while (eat("&&")) {
      auto w = equality();
      bool kv = false, kw = false;
      bool bv = truthy(v, kv), bw = truthy(w, kw);
      v = (kv && !bv) || (kw && !bw) ? std::optional<Json>(false) : kv && kw ? std::optional<Json>(true) : std::nullopt;
    }
    return v;
  }
  std::optional<Json> equality() {
    auto v = unary();
    for (;;) {
      bool equal = eat("==");
      if (!equal && !eat("!=")) return v;
      auto w = unary();
      if (!v || !w) {
        v = std::nullopt;
        continue;
      }
      v = Json((*v == *w) == equal);
    }
  }
  std::optional<Json> unary() {
    if (eat("!")) {
      auto v = unary();
      if (v && v->is_boolean()) return Json(!v->get<bool>());
      return std::nullopt;
    }
    return primary();
  }
  std::optional<Json> primary() {
    skipSpace();
    if (i_ >= s_.size()) return fail();
    char c = s_[i_];
    if (c == '(') {
      ++i_;
      auto v = ternary();
      if (!eat(")")) return fail();
      return v;
    }
    if (c == '"') {
      std::string out;
      for (++i_; i_ < s_.size() && s_[i_] != '"'; ++i_) {
        if (s_[i_] == '\\' && i_ + 1 < s_.size()) ++i_;
        else if (s_[i_] == '$' && i_ + 1 < s_.size() && s_[i_ + 1] == '{') unknownInString_ = true;
        out += s_[i_];
      }
      if (i_ >= s_.size()) return fail();
      ++i_;
      if (unknownInString_) return fail();
      return Json(out);
    }
    if (std::isdigit(static_cast<unsigned char>(c)) || (c == '-' && i_ + 1 < s_.size() && std::isdigit(static_cast<unsigned char>(s_[i_ + 1])))) {
      std::size_t start = i_++;
      while (i_ < s_.size() && (std::isdigit(static_cast<unsigned char>(s_[i_])) || s_[i_] == '.')) ++i_;
      Json n = Json::parse(std::string(s_.substr(start, i_ - start)), nullptr, false);
      return n.is_discarded() ? fail() : std::optional<Json>(n);
    }
    if (!std::isalpha(static_cast<unsigned char>(c)) && c != '_') return fail();
    std::vector<std::string> parts;
    for (;;) {
      std::size_t start = i_;
      while (i_ < s_.size() && identChar(s_[i_])) ++i_;
      parts.emplace_back(s_.substr(start, i_ - start));
      if (i_ + 1 < s_.size() && s_[i_] == '.' && (identChar(s_[i_ + 1]))) {
        ++i_;
        continue;
      }
      if (i_ < s_.size() && s_[i_] == '[') {
        // an index: literal keys only
        std::size_t close = s_.find(']', i_);
        if (close == std::string_view::npos) return fail();
        std::string key(s_.substr(i_ + 1, close - i_ - 1));
        if (key.size() >= 2 && key.front() == '"' && key.back() == '"') key = key.substr(1, key.size() - 2);
        else if (key.empty() || !std::all_of(key.begin(), key.end(), [](char k) { return std::isdigit(static_cast<unsigned char>(k)); })) return fail();
        parts.push_back(key);
        i_ = close + 1;
        if (i_ + 1 < s_.size() && s_[i_] == '.' && identChar(s_[i_ + 1])) {
          ++i_;
          continue;
        }
      }
      break;
    }
    skipSpace();
    if (i_ < s_.size() && s_[i_] == '(') return fail();  // a function call
    if (parts.size() == 1) {
      if (parts[0] == "true") return Json(true);
      if (parts[0] == "false") return Json(false);
      if (parts[0] == "null") return Json(nullptr);
      return fail();
    }
    return traversalValue(m_, parts, depth_, overrides_);
  }
  std::optional<Json> fail() {
    failed_ = true;
    i_ = s_.size();  // nothing more is read
    return std::nullopt;
  }

  const StackModel& m_;
  std::string_view s_;
  std::size_t i_ = 0;
  int depth_;
  const Overrides* overrides_;
  bool unknownInString_ = false;
  bool failed_ = false;
};

std::optional<Json> literal(const StackModel& m, const Json* value, int depth, const Overrides* overrides) {
  if (!value) return std::nullopt;
  if (!value->is_string()) return *value;
  const std::string& s = value->get_ref<const std::string&>();
  if (!hasTemplate(s)) return *value;
  if (depth >= kMaxDepth) return std::nullopt;
  auto segments = templateSegments(s);
  auto evaluate = [&](const std::string& interpolation) -> std::optional<Json> {
    if (interpolation.size() < 3 || interpolation[0] != '$' || interpolation.back() != '}') return std::nullopt;  // a %{} directive
    std::string_view inner(interpolation);
    inner = inner.substr(2, inner.size() - 3);
    while (!inner.empty() && inner.front() == '~') inner.remove_prefix(1);
    while (!inner.empty() && inner.back() == '~') inner.remove_suffix(1);
    return Evaluator(m, inner, depth, overrides).all();
  };
  if (segments.size() == 1 && segments[0].interpolation) return evaluate(segments[0].text);
  // A template of known parts renders to a string.
  std::string out;
  for (const auto& seg : segments) {
    if (!seg.interpolation) {
      out += seg.text;
      continue;
    }
    auto v = evaluate(seg.text);
    if (!v) return std::nullopt;
    if (v->is_string()) out += v->get<std::string>();
    else if (v->is_number() || v->is_boolean()) out += v->dump();
    else return std::nullopt;
  }
  return Json(out);
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

std::optional<Json> literalAssuming(const StackModel& m, const Json* value, const std::map<std::string, Json>& assumed) {
  return literal(m, value, 0, &assumed);
}

namespace {

void variablesRead(const StackModel& m, const Json& value, int depth, std::set<std::string>& out) {
  if (value.is_object() || value.is_array()) {
    for (const auto& v : value) variablesRead(m, v, depth, out);
    return;
  }
  if (!value.is_string() || depth >= kMaxDepth) return;
  for (const Traversal& t : referencesInTemplate(value.get_ref<const std::string&>())) {
    if (t.kind == RefKind::Variable) out.insert(t.target.substr(4));
    if (t.kind == RefKind::Local) {
      if (const Json* local = m.local(t.target.substr(6))) variablesRead(m, *local, depth + 1, out);
    }
  }
}

}  // namespace

std::optional<std::string> variableThatMakes(const StackModel& m, const Json* value, const Json& wanted) {
  if (!value) return std::nullopt;
  std::set<std::string> vars;
  variablesRead(m, *value, 0, vars);
  for (const auto& name : vars) {
    const Json* var = m.variable(name);
    if (!var || !var->is_object() || !var->contains("default")) continue;
    const Json& current = (*var)["default"];
    if (!current.is_boolean() || current == wanted) continue;
    Overrides flipped{{name, wanted}};
    auto v = literal(m, value, 0, &flipped);
    if (v && *v == wanted) return name;
  }
  return std::nullopt;
}

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

namespace {

/// One step of an index chain after `local.NAME`: a literal key, or any key.
struct IndexStep {
  bool literal = false;
  std::string key;
};

/// The steps of the index chain that starts at `i` in `s` (`["a"]`, `.b`,
/// `[var.x]`), up to the first thing that is not an index; `end` is where it stops.
std::vector<IndexStep> indexChain(std::string_view s, std::size_t i, std::size_t& end) {
  std::vector<IndexStep> out;
  for (;;) {
    if (i + 1 < s.size() && s[i] == '.' && (std::isalpha(static_cast<unsigned char>(s[i + 1])) || s[i + 1] == '_')) {
      std::size_t start = ++i;
      while (i < s.size() && identChar(s[i])) ++i;
      out.push_back({true, std::string(s.substr(start, i - start))});
      continue;
    }
    if (i >= s.size() || s[i] != '[') break;
    // The index's extent, minding quoted strings and nested brackets.
    std::size_t j = closingBracket(s, i, '[', ']');
    if (j == std::string_view::npos) break;
    std::string_view inner = s.substr(i + 1, j - i - 2);
    while (!inner.empty() && std::isspace(static_cast<unsigned char>(inner.front()))) inner.remove_prefix(1);
    while (!inner.empty() && std::isspace(static_cast<unsigned char>(inner.back()))) inner.remove_suffix(1);
    if (inner == "*") break;  // a splat: not an index into an object
    bool plainString = inner.size() >= 2 && inner.front() == '"' && inner.back() == '"' &&
                       inner.substr(1, inner.size() - 2).find_first_of("\\\"$%") == std::string_view::npos;
    bool number = !inner.empty() && std::all_of(inner.begin(), inner.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); });
    if (number) break;  // a list index: tfmend does not check lists
    out.push_back(plainString ? IndexStep{true, std::string(inner.substr(1, inner.size() - 2))} : IndexStep{});
    i = j;
  }
  end = i;
  return out;
}

/// True if `v` is an object written out in the document (not an expression)
/// whose keys are all literal.
bool literalObject(const Json& v) {
  if (!v.is_object()) return false;
  for (const auto& [k, member] : v.items()) {
    if (hasTemplate(k)) return false;
  }
  return true;
}

}  // namespace

std::vector<MissingKey> missingLocalKeys(const StackModel& m) {
  std::vector<MissingKey> out;
  for (const Reference& r : m.references()) {
    if (r.traversal.kind != RefKind::Local) continue;
    const Json* local = m.local(r.traversal.target.substr(6));
    if (!local || !literalObject(*local)) continue;
    const Json* holder = nullptr;
    try {
      holder = &m.root().at(JsonPointer(std::string(r.pointer)));
    } catch (const Json::exception&) {
      continue;
    }
    if (!holder->is_string()) continue;
    std::string_view s = holder->get_ref<const std::string&>();
    std::size_t start = r.traversal.offset, end = 0;
    if (s.substr(start, r.traversal.target.size()) != r.traversal.target) continue;
    auto steps = indexChain(s, start + r.traversal.target.size(), end);
    // Walk every object the chain can reach, with the path that names it.
    std::vector<std::pair<const Json*, std::string>> reached = {{local, std::string(r.traversal.target)}};
    for (const IndexStep& step : steps) {
      std::vector<std::pair<const Json*, std::string>> next;
      for (const auto& [v, path] : reached) {
        if (!literalObject(*v)) continue;  // an expression, a list or a scalar: unknown here
        if (!step.literal) {
          for (const auto& [k, member] : v->items()) next.push_back({&member, path + "." + k});
          continue;
        }
        auto it = v->find(step.key);
        if (it == v->end()) {
          out.push_back({std::string(r.pointer), std::string(s.substr(start, end - start)), path, step.key});
          continue;
        }
        next.push_back({&*it, path + "." + step.key});
      }
      reached = std::move(next);
    }
  }
  return out;
}

}  // namespace tfmend
