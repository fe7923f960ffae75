#include "tfmend/engine.h"

#include <algorithm>
#include <set>
#include <string>
#include <unordered_set>

#include <spdlog/spdlog.h>

#include "tfmend/patch.h"
#include "tfmend/suppression.h"

namespace tfmend {

bool allowedUnder(FixMode mode, Applicability a) {
  return mode == FixMode::Unsafe || (mode == FixMode::Safe && a == Applicability::Safe);
}

std::vector<Finding> detect(const StackModel& model, std::span<const Rule* const> rules, const Settings& settings) {
  RuleContext ctx{model, settings};
  std::vector<Finding> findings;
  for (const Rule* rule : rules) {
    if (!rule->check) continue;  // the engine's own rules report through applySuppressions
    auto found = rule->check(ctx);
    std::move(found.begin(), found.end(), std::back_inserter(findings));
  }
  findings = applySuppressions(model, std::move(findings), rules);
  auto order = [&](const Finding& f) {
    const Resource* r = model.find(f.address);
    return r ? r->index : static_cast<std::size_t>(-1);
  };
  std::stable_sort(findings.begin(), findings.end(), [&](const Finding& a, const Finding& b) {
    auto ia = order(a), ib = order(b);
    if (ia != ib) return ia < ib;
    if (a.rule != b.rule) return a.rule < b.rule;
    return a.pointer < b.pointer;
  });
  return findings;
}

namespace {

std::vector<std::string> tokensOf(const std::string& pointer) {
  std::vector<std::string> out;
  try {
    JsonPointer p(pointer);
    while (!p.empty()) {
      out.insert(out.begin(), p.back());
      p.pop_back();
    }
  } catch (const Json::exception&) {
  }
  return out;
}

/// The names a document defines (addresses, var.x, local.x, module.x), kept up
/// to date as fixes add to it, so a fix's references are checked without
/// rebuilding the model after every fix.
class DefinedNames {
 public:
  explicit DefinedNames(const StackModel& model) : model_(model) {}

  bool has(const std::string& target) const { return added_.count(target) > 0 || model_.defines(target); }

  /// The names that `ops` would define.
  std::vector<std::string> addedBy(const Json& ops) const {
    std::vector<std::string> out;
    for (const auto& op : ops) {
      if (op.value("op", "") != "add" && op.value("op", "") != "replace") continue;
      auto t = tokensOf(op.value("path", ""));
      const Json& v = op.at("value");
      if (t.empty()) continue;
      if (t[0] == "resource" || t[0] == "data") {
        std::string prefix = t[0] == "data" ? "data." : "";
        if (t.size() >= 3) out.push_back(prefix + t[1] + "." + t[2]);
        else if (t.size() == 2 && v.is_object()) {
          for (const auto& [name, body] : v.items()) out.push_back(prefix + t[1] + "." + name);
        } else if (t.size() == 1 && v.is_object()) {
          for (const auto& [type, byName] : v.items()) {
            if (!byName.is_object()) continue;
            for (const auto& [name, body] : byName.items()) out.push_back(prefix + type + "." + name);
          }
        }
      } else if (t[0] == "variable" || t[0] == "locals" || t[0] == "module") {
        std::string prefix = t[0] == "variable" ? "var." : t[0] == "locals" ? "local." : "module.";
        std::size_t nameAt = (t.size() >= 2 && t[0] == "locals" && std::isdigit(static_cast<unsigned char>(t[1][0]))) ? 2 : 1;
        if (t.size() > nameAt) out.push_back(prefix + t[nameAt]);
        else if (v.is_object()) {
          for (const auto& [name, body] : v.items()) out.push_back(prefix + name);
        }
      }
    }
    return out;
  }

  void add(const std::vector<std::string>& names) { added_.insert(names.begin(), names.end()); }

 private:
  const StackModel& model_;
  std::unordered_set<std::string> added_;
};

/// Every reference in the values a patch writes.
void collectRefs(const Json& v, bool dependsOn, std::vector<Traversal>& out) {
  if (v.is_string()) {
    const auto& s = v.get_ref<const std::string&>();
    auto refs = dependsOn && !hasTemplate(s) ? referencesInExpression(s) : referencesInTemplate(s);
    std::move(refs.begin(), refs.end(), std::back_inserter(out));
  } else if (v.is_object()) {
    for (const auto& [k, m] : v.items()) {
      if (k != "//") collectRefs(m, k == "depends_on", out);
    }
  } else if (v.is_array()) {
    for (const auto& e : v) collectRefs(e, dependsOn, out);
  }
}

/// Paths that fixes of one pass touched; a fix whose paths overlap them (one a
/// prefix of the other) waits for the next pass, where it is detected afresh.
class Touched {
 public:
  bool overlaps(const Json& ops) const {
    for (const auto& op : ops) {
      if (op.value("op", "") == "test") continue;
      std::string p = op.value("path", "");
      if (paths_.count(p)) return true;
      for (auto slash = p.rfind('/'); slash != std::string::npos && slash > 0; slash = p.rfind('/', slash - 1)) {
        if (paths_.count(p.substr(0, slash))) return true;
      }
      auto it = paths_.lower_bound(p + "/");
      if (it != paths_.end() && it->rfind(p + "/", 0) == 0) return true;
    }
    return false;
  }
  void add(const Json& ops) {
    for (const auto& op : ops) {
      if (op.value("op", "") != "test") paths_.insert(op.value("path", ""));
    }
  }

 private:
  std::set<std::string> paths_;
};

std::string fixKey(const Finding& f) { return f.rule + "\x1f" + f.address + "\x1f" + f.pointer + "\x1f" + f.fix->title; }

void collectSecrets(const std::vector<Finding>& findings, std::vector<std::string>& out) {
  for (const auto& f : findings) out.insert(out.end(), f.secrets.begin(), f.secrets.end());
}

}  // namespace

Status applyFixVerified(Json& doc, const Json& ops) {
  Json next = doc;
  if (auto s = applyPatch(next, ops); !s) return Error{"its patch does not apply: " + s.error().message};
  auto model = StackModel::build(next);
  if (!model) return Error{"it leaves a malformed document: " + model.error().message};
  std::vector<Traversal> refs;
  for (const auto& op : ops) {
    if (op.contains("value")) collectRefs(op.at("value"), op.value("path", "").find("/depends_on") != std::string::npos, refs);
  }
  for (const auto& t : refs) {
    if (!model->defines(t.target)) return Error{"its reference to " + t.target + " would not resolve"};
  }
  doc = std::move(next);
  return okStatus();
}

Result<Outcome> runEngine(const Document& doc, std::span<const Rule* const> rules, const Settings& settings,
                          const EngineOptions& options) {
  Outcome out;
  out.fixed = doc.root;
  auto original = StackModel::build(doc.root);
  if (!original) return Error{doc.path + ": " + original.error().message};
  std::set<std::string> originalUnresolved;
  for (const Reference* r : original->unresolved()) originalUnresolved.insert(r->traversal.target);

  std::unordered_set<std::string> rejected;
  bool converged = options.fixMode == FixMode::None;
  for (int pass = 1; pass <= options.maxPasses && options.fixMode != FixMode::None; ++pass) {
    auto model = StackModel::build(out.fixed);
    if (!model) return Error{doc.path + ": a fix left a malformed document: " + model.error().message};
    std::vector<Finding> findings = detect(*model, rules, settings);
    DefinedNames names(*model);
    Touched touched;
    SortLater later;
    int appliedThisPass = 0;
    for (auto& f : findings) {
      if (!f.fix || !allowedUnder(options.fixMode, f.fix->applicability)) continue;
      std::string key = fixKey(f);
      if (rejected.count(key) || touched.overlaps(f.fix->ops)) continue;
      std::vector<Traversal> refs;
      for (const auto& op : f.fix->ops) {
        if (op.contains("value")) collectRefs(op.at("value"), op.value("path", "").find("/depends_on") != std::string::npos, refs);
      }
      auto defined = names.addedBy(f.fix->ops);
      std::unordered_set<std::string> definedSet(defined.begin(), defined.end());
      std::string missing;
      for (const auto& t : refs) {
        if (!definedSet.count(t.target) && !names.has(t.target)) {
          missing = t.target;
          break;
        }
      }
      if (!missing.empty()) {
        rejected.insert(key);
        out.skipped.push_back({f, "its reference to " + missing + " would not resolve"});
        continue;
      }
      if (auto s = applyPatch(out.fixed, f.fix->ops, &later); !s) {
        rejected.insert(key);
        out.skipped.push_back({f, "its patch does not apply: " + s.error().message});
        continue;
      }
      spdlog::debug("{}: pass {}: applied {} at {}: {}", doc.path, pass, f.rule, f.address, f.fix->title);
      names.add(defined);
      touched.add(f.fix->ops);
      out.applied.push_back(std::move(f));
      ++appliedThisPass;
    }
    later.sortAll(out.fixed);
    if (appliedThisPass == 0) {
      converged = true;
      break;
    }
  }
  if (!converged) {
    return Error{doc.path + ": fixes did not settle after " + std::to_string(options.maxPasses) +
                 " passes; nothing was written"};
  }

  auto final = StackModel::build(out.fixed);
  if (!final) return Error{doc.path + ": a fix left a malformed document: " + final.error().message};
  for (const Reference* r : final->unresolved()) {
    if (!originalUnresolved.count(r->traversal.target)) {
      return Error{doc.path + ": fixed document does not verify: " + r->pointer + " refers to " + r->traversal.target +
                   ", which does not exist; nothing was written"};
    }
  }
  out.findings = detect(*final, rules, settings);
  out.changed = !out.applied.empty() && out.fixed != doc.root;
  out.fixedText = out.changed ? serialize(out.fixed, doc.style) : doc.text;
  collectSecrets(out.findings, out.secrets);
  collectSecrets(out.applied, out.secrets);
  for (const auto& s : out.skipped) out.secrets.insert(out.secrets.end(), s.finding.secrets.begin(), s.finding.secrets.end());
  return out;
}

}  // namespace tfmend
