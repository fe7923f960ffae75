// TFM001 missing-environment-suffix
//
// Finds: a resource name (the per-type name attribute, or the Name tag) that
// lacks the stack's environment suffix.
// Why: seed failures 1 and 2 — VPC names and KMS aliases without the suffix
// collide when a second environment is deployed into the same account
// ("alias already exists").
// Fix: appends the suffix with the separator the stack's other names use,
// within the type's length and character limits (shortening the base with a
// short hash, never the suffix), and renames literal uses of the old name
// elsewhere in the stack (ARNs built as strings, alarm dimensions). Safe where
// the provider renames in place (tags, KMS aliases, alarms); unsafe where the
// new name replaces the resource.
#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include <spdlog/spdlog.h>

#include "rules.h"
#include "tfmend/naming.h"

namespace tfmend {

namespace {

/// Pieces of a string that may be a name used literally: the whole string, and
/// its parts between ':', '/', '*', '"' and ',' (ARNs, paths, JSON in templates).
template <class F>
void forEachPiece(const std::string& s, F&& f) {
  f(0, s.size());
  std::size_t start = 0;
  for (std::size_t i = 0; i <= s.size(); ++i) {
    if (i == s.size() || s[i] == ':' || s[i] == '/' || s[i] == '*' || s[i] == '"' || s[i] == ',') {
      if (i > start && !(start == 0 && i == s.size())) f(start, i - start);
      start = i + 1;
    }
  }
}

/// Every string of the document, by pointer, that holds one of `names` as a piece.
std::unordered_map<std::string, std::vector<std::string>> literalUses(const Json& root,
                                                                       const std::unordered_map<std::string, int>& names) {
  std::unordered_map<std::string, std::vector<std::string>> uses;  // name -> pointers
  std::string pointer;
  std::function<void(const Json&)> walk = [&](const Json& v) {
    if (v.is_string()) {
      const auto& s = v.get_ref<const std::string&>();
      forEachPiece(s, [&](std::size_t at, std::size_t len) {
        auto it = names.find(s.substr(at, len));
        if (it != names.end()) {
          auto& list = uses[it->first];
          if (list.empty() || list.back() != pointer) list.push_back(pointer);
        }
      });
    } else if (v.is_object()) {
      for (const auto& [k, m] : v.items()) {
        if (k == "//") continue;
        std::size_t len = pointer.size();
        pointer += "/" + pointerToken(k);
        walk(m);
        pointer.resize(len);
      }
    } else if (v.is_array()) {
      for (std::size_t i = 0; i < v.size(); ++i) {
        std::size_t len = pointer.size();
        pointer += "/" + std::to_string(i);
        walk(v[i]);
        pointer.resize(len);
      }
    }
  };
  walk(root);
  return uses;
}

/// `s` with every piece equal to `from` replaced by `to`.
std::string replacePieces(const std::string& s, const std::string& from, const std::string& to) {
  std::vector<std::pair<std::size_t, std::size_t>> hits;
  forEachPiece(s, [&](std::size_t at, std::size_t len) {
    if (len == from.size() && s.compare(at, len, from) == 0) hits.push_back({at, len});
  });
  std::sort(hits.begin(), hits.end());
  hits.erase(std::unique(hits.begin(), hits.end()), hits.end());
  std::string out = s;
  for (auto it = hits.rbegin(); it != hits.rend(); ++it) out.replace(it->first, it->second, to);
  return out;
}

std::vector<Finding> check(const RuleContext& ctx) {
  const Rule& rule = missingEnvironmentSuffixRule();
  std::vector<NameValue> names = nameValues(ctx.model);
  std::vector<Finding> out;
  if (names.empty()) return out;
  std::string ambiguity;
  std::optional<Suffix> suffix = determineSuffix(ctx.model, ctx.settings, names, ambiguity);
  if (!suffix) {
    if (!ambiguity.empty()) {
      Finding f;
      f.rule = std::string(rule.id);
      f.pointer = "";
      f.message = "cannot tell the environment suffix: " + ambiguity + "; pass --env-suffix";
      out.push_back(std::move(f));
    }
    return out;
  }
  spdlog::debug("TFM001: environment suffix \"{}\" ({})", suffix->text, suffix->evidence);

  std::vector<const NameValue*> missing;
  std::unordered_map<std::string, int> oldNames;
  for (const auto& n : names) {
    if (carries(n.value, *suffix)) continue;
    // A templated name that reads a variable or local may get the suffix from it.
    if (suffix->variable.empty() && hasTemplate(n.value)) {
      bool opaque = false;
      for (const auto& t : referencesInTemplate(n.value)) opaque = opaque || t.kind == RefKind::Variable || t.kind == RefKind::Local;
      if (opaque) continue;
    }
    missing.push_back(&n);
    oldNames.emplace(n.value, 0);
  }
  if (missing.empty()) return out;
  auto uses = literalUses(ctx.model.root(), oldNames);
  // A name that lacks the suffix itself gets its own fix, within its own limits.
  std::unordered_set<std::string> namePointers;
  for (const NameValue* n : missing) namePointers.insert(n->pointer);
  for (const NameValue* n : missing) {
    std::string attrPath = std::string(n->attr->attribute);
    Finding f = makeFinding(rule, *n->resource, n->pointer,
                            attrPath + " \"" + n->value + "\" lacks the environment suffix \"" + suffix->text + "\"");
    std::string renamed;
    if (n->attr->attribute == "name_prefix") {
      // A prefix keeps its trailing separator after the suffix: "app-" -> "app-dev-".
      std::string base = n->value;
      std::string tail;
      while (!base.empty() && isNameSeparator(base.back())) tail.insert(tail.begin(), base.back()), base.pop_back();
      renamed = withSuffix(base, *suffix, n->attr->maxLength - tail.size());
      if (!renamed.empty()) renamed += tail;
    } else {
      renamed = withSuffix(n->value, *suffix, n->attr->maxLength);
    }
    if (renamed.empty()) {
      f.message += "; no fix: the suffix does not fit within " + std::to_string(n->attr->maxLength) + " characters";
      out.push_back(std::move(f));
      continue;
    }
    if (n->attr->lowercase && suffix->variable.empty() && lower(renamed) != renamed) {
      out.push_back(std::move(f));  // a suffix this type cannot carry: no fix rather than a wrong one
      continue;
    }
    Fix fix;
    fix.applicability = n->attr->inPlace ? Applicability::Safe : Applicability::Unsafe;
    fix.forcesReplacement = !n->attr->inPlace;
    fix.title = "rename to \"" + renamed + "\"" + (n->attr->inPlace ? "" : " (forces replacement of the resource)");
    fix.ops.push_back(opTest(n->pointer, n->value));
    fix.ops.push_back(opReplace(n->pointer, renamed));
    for (const auto& p : uses[n->value]) {
      if (namePointers.count(p)) continue;
      const Json& use = ctx.model.root().at(JsonPointer(p));
      fix.ops.push_back(opTest(p, use));
      fix.ops.push_back(opReplace(p, replacePieces(use.get<std::string>(), n->value, renamed)));
    }
    f.fix = std::move(fix);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

const Rule& missingEnvironmentSuffixRule() {
  static const Rule rule{"TFM001", "missing-environment-suffix", Severity::Medium,
                         "a resource name lacks the environment suffix", "safe or unsafe", check};
  return rule;
}

}  // namespace tfmend
