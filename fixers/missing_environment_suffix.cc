// TFM001 missing-environment-suffix: docs/rules/TFM001-missing-environment-suffix.md
#include <algorithm>
#include <cctype>
#include <functional>
#include <map>
#include <unordered_map>
#include <unordered_set>

#include <spdlog/spdlog.h>

#include "rules.h"
#include "tfmend/naming.h"
#include "tfmend/expression.h"
#include "tfmend/pass_facts.h"

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
        pointer += '/';
        pointer += pointerToken(k);
        walk(m);
        pointer.resize(len);
      }
    } else if (v.is_array()) {
      for (std::size_t i = 0; i < v.size(); ++i) {
        std::size_t len = pointer.size();
        pointer += '/';
        pointer += std::to_string(i);
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

/// The first token of a name, after any path ("alias/", "/ecs/") and the
/// environment itself where it leads: "payment" of "alias/payment-primary-dev".
std::string leadingToken(std::string_view name, const Suffix& suffix) {
  std::string rest(name);
  // A path's last component, unless the slash is inside an interpolation.
  for (std::size_t i = rest.size(); i-- > 0;) {
    if (rest[i] == '}') break;
    if (rest[i] == '/') {
      rest = rest.substr(i + 1);
      break;
    }
  }
  auto segments = templateSegments(rest);
  std::vector<std::string> tokens;
  for (const auto& seg : segments) {
    if (seg.interpolation) {
      tokens.push_back(seg.text);
      continue;
    }
    std::string t;
    for (char c : seg.text) {
      if (isNameSeparator(c)) {
        if (!t.empty()) tokens.push_back(lower(t)), t.clear();
      } else {
        t += c;
      }
    }
    if (!t.empty()) tokens.push_back(lower(t));
  }
  for (const auto& t : tokens) {
    if (t != lower(suffix.text)) return t;
  }
  return {};
}

/// The token most names that carry the environment start with ("payment",
/// "govuk", "${var.project}"), where a clear majority does; else empty.
std::string stackPrefix(const std::vector<const NameValue*>& carrying, const Suffix& suffix) {
  std::map<std::string, std::size_t> counts;
  for (const NameValue* n : carrying) counts[leadingToken(n->expanded, suffix)]++;
  std::string best;
  std::size_t bestCount = 0;
  for (const auto& [t, k] : counts) {
    if (k > bestCount && !t.empty()) best = t, bestCount = k;
  }
  return bestCount >= 3 && bestCount * 2 >= carrying.size() ? best : std::string();
}

std::vector<Finding> check(const RuleContext& ctx) {
  const Rule& rule = missingEnvironmentSuffixRule();
  const Namer& namer = ctx.facts.namer();
  std::vector<Finding> out;
  const std::optional<Suffix>& suffix = namer.suffix();
  if (!suffix) {  // no convention to hold the stack to
    ctx.facts.markDormant(rule.id);
    return out;
  }
  spdlog::debug("TFM001: environment suffix \"{}\" ({})", suffix->text, suffix->evidence);

  std::vector<const NameValue*> missing, carrying;
  std::unordered_map<std::string, int> oldNames;
  for (const auto& n : namer.names()) {
    if (carries(ctx.model, n, *suffix) == Carries::Yes) carrying.push_back(&n);
  }
  // Where the convention is read off the stack (not set by the user), a name
  // that follows another scheme altogether (not the stack's common prefix) is
  // taken as deliberate: an account-wide resource named for its purpose.
  std::string prefix = ctx.settings.envSuffix ? std::string() : stackPrefix(carrying, *suffix);
  // Names unique only within a parent (a service in its cluster, a group in its
  // VPC) do not collide across deployments when the parent is the deployment's own.
  auto scopedByOwnParent = [&](const NameValue& n) {
    if (n.facts->scopedBy.empty() || n.attribute == nameTagFacts().attribute) return false;
    const Resource* parent = ctx.model.referenced(getPath(*n.resource->body, n.facts->scopedBy), "", "name", n.resource);
    if (!parent) return false;
    if (parent->type == "aws_vpc") return true;  // a VPC the stack creates is the deployment's own
    for (const NameValue* c : carrying) {
      if (c->resource == parent) return true;
    }
    return false;
  };
  for (const auto& n : namer.names()) {
    if (carries(ctx.model, n, *suffix) != Carries::No) continue;
    if (scopedByOwnParent(n)) continue;
    if (!prefix.empty() && leadingToken(n.expanded, *suffix) != prefix) {
      spdlog::debug("TFM001: {}: \"{}\" does not start like the stack's names (\"{}\"); not reported", n.resource->address, n.value, prefix);
      continue;
    }
    missing.push_back(&n);
    // Literal uses elsewhere (an ARN built as a string, an alarm dimension)
    // name the resource by its name attribute, never by a label, even where
    // the tag equals the real name; and only names distinctive enough not to
    // be a piece of something else ("app" is; "payment-primary" is not).
    if (n.facts->rename != aws::Rename::Label && n.value.size() >= 6 && std::any_of(n.value.begin(), n.value.end(), isNameSeparator)) {
      oldNames.emplace(n.value, 0);
    }
  }
  if (missing.empty()) return out;
  auto uses = literalUses(ctx.model.root(), oldNames);
  // A name that lacks the suffix itself gets its own fix, within its own limits.
  std::unordered_set<std::string> namePointers;
  for (const NameValue* n : missing) namePointers.insert(n->pointer);
  for (const NameValue* n : missing) {
    Finding f = makeFinding(rule, *n->resource, n->pointer,
                            std::string(n->attribute) + " \"" + std::string(n->value) + "\" lacks the environment suffix \"" + suffix->text + "\"");
    std::string renamed;
    bool isPrefix = n->attribute != n->facts->attribute && n->attribute != nameTagFacts().attribute;
    if (isPrefix) {
      // A prefix keeps its trailing separator after the suffix: "app-" -> "app-dev-".
      std::string base(n->value);
      std::string tail;
      while (!base.empty() && isNameSeparator(base.back()) && base.back() != '}') tail.insert(tail.begin(), base.back()), base.pop_back();
      aws::NameFacts room = *n->facts;
      room.maxLength = n->facts->prefixMaxLength > tail.size() ? n->facts->prefixMaxLength - tail.size() : 0;
      renamed = withSuffix(ctx.model, base, *suffix, room);
      if (!renamed.empty()) renamed += tail;
    } else {
      renamed = withSuffix(ctx.model, std::string(n->value), *suffix, *n->facts);
    }
    if (renamed.empty()) {
      std::size_t room = isPrefix ? n->facts->prefixMaxLength : n->facts->maxLength;
      f.withoutFix(n->facts->lowercase && lower(suffix->text) != suffix->text
                       ? "the suffix has capitals, which this name cannot hold"
                       : "the suffix does not fit within " + std::to_string(room) + " characters");
      out.push_back(std::move(f));
      continue;
    }
    bool assumed = false;
    renderedLength(ctx.model, renamed, kAssumedInterpolationLength, &assumed);
    if (assumed) {
      spdlog::debug("TFM001: {}: the length of \"{}\" assumes each unknown interpolation renders to at most {} characters",
                    n->resource->address, renamed, kAssumedInterpolationLength);
    }
    Fix fix;
    aws::Rename effect = n->facts->rename;
    fix.applicability = effect == aws::Rename::Label ? Applicability::Safe : Applicability::Unsafe;
    fix.forcesReplacement = effect == aws::Rename::Replaces;
    fix.title = "rename to \"" + renamed + "\"" +
                (effect == aws::Rename::Replaces  ? " (forces replacement of the resource)"
                 : effect == aws::Rename::InPlace ? " (in place, but its endpoint or ARN changes with the name)"
                                                  : "");
    if (assumed && renamed.find(n->value) == std::string::npos) {
      fix.title += " (assuming each unknown interpolation renders to at most " + std::to_string(kAssumedInterpolationLength) +
                   " characters)";
    }
    fix.ops.push_back(opTest(n->pointer, n->value));
    fix.ops.push_back(opReplace(n->pointer, renamed));
    // The uses follow the name attribute's rename only, in the same fix: a
    // label's rename (the tag) leaves them alone, and while the name attribute
    // keeps its old name (its unsafe fix not applied) so do they.
    // A use elsewhere reads the new name through a reference, so that
    // Terraform orders it after the rename (a composite alarm's rule, a
    // queue's kms_master_key_id naming an alias). Within the resource itself
    // (a reference would be a cycle), in a variable's default (which cannot
    // refer), or where the resource is counted, the literal new name is written.
    if (effect != aws::Rename::Label) {
      const Json& body = *n->resource->body;
      bool counted = body.is_object() && (body.contains("count") || body.contains("for_each"));
      std::string reference = "${" + n->resource->address + "." + std::string(n->attribute) + "}";
      std::vector<std::string> others;
      for (const auto& p : uses[std::string(n->value)]) {
        if (namePointers.count(p)) continue;
        const Json& use = ctx.model.root().at(JsonPointer(p));
        bool inside = p.rfind(n->resource->pointer + "/", 0) == 0;
        bool literalOnly = inside || counted || p.rfind("/variable/", 0) == 0;
        fix.ops.push_back(opTest(p, use));
        fix.ops.push_back(opReplace(p, replacePieces(use.get<std::string>(), std::string(n->value), literalOnly ? renamed : reference)));
        if (inside) continue;
        // The resource that holds the use: "/resource/TYPE/NAME/..." (data: "data.TYPE.NAME").
        std::vector<std::string> parts;
        for (JsonPointer q(p); !q.empty(); q = q.parent_pointer()) parts.insert(parts.begin(), q.back());
        const Resource* user = nullptr;
        if (parts.size() >= 3 && (parts[0] == "resource" || parts[0] == "data")) {
          user = ctx.model.find((parts[0] == "data" ? "data." : "") + parts[1] + "." + parts[2]);
        }
        others.push_back(user ? user->address : p);
      }
      std::sort(others.begin(), others.end());
      others.erase(std::unique(others.begin(), others.end()), others.end());
      if (!others.empty()) {
        std::string list;
        for (const auto& o : others) list += (list.empty() ? "" : ", ") + o;
        fix.title += "; also changes " + list + ", which named it";
      }
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
