#include "tfmend/engine.h"

#include <algorithm>
#include <cctype>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <type_traits>
#include <unordered_map>
#include <unordered_set>

#include <spdlog/spdlog.h>

#include "tfmend/memory.h"
#include "tfmend/pass_facts.h"
#include "tfmend/patch.h"
#include "tfmend/suppression.h"
#include "tfmend/values.h"

namespace tfmend {

bool allowedUnder(FixMode mode, Applicability a) {
  return mode == FixMode::Unsafe || (mode == FixMode::Safe && a == Applicability::Safe);
}

Detection detect(const StackModel& model, std::span<const Rule* const> rules, const Settings& settings, FixMode makeOps) {
  PassFacts facts(model, settings);
  RuleContext ctx{model, settings, facts};
  Detection out;
  for (const Rule* rule : rules) {
    if (!rule->check) continue;  // the engine's own rules report through applySuppressions
    // A bug in one rule must cost that rule's findings on this file, not the file's.
    try {
      auto found = rule->check(ctx);
      std::move(found.begin(), found.end(), std::back_inserter(out.findings));
    } catch (const std::exception& e) {
      out.failures.push_back({std::string(rule->id), std::string("internal error (please report it): ") + e.what()});
    }
  }
  out.findings = applySuppressions(model, std::move(out.findings), rules, facts.dormant());
  // Fixes left to be made are made now, while the model and facts they read
  // are alive, and only those that will be read; a fix that throws costs its
  // rule's findings, as the rule throwing would.
  std::set<std::string> broken;
  for (auto& f : out.findings) {
    if (!f.fix || !f.fix->makeOps) continue;
    std::function<Json()> make = std::move(f.fix->makeOps);
    f.fix->makeOps = nullptr;
    if (!allowedUnder(makeOps, f.fix->applicability) || broken.count(f.rule)) continue;
    try {
      f.fix->ops = make();
    } catch (const std::exception& e) {
      broken.insert(f.rule);
      out.failures.push_back({f.rule, std::string("internal error (please report it): ") + e.what()});
    }
  }
  if (!broken.empty()) {
    std::erase_if(out.findings, [&](const Finding& f) { return broken.count(f.rule) > 0; });
  }
  auto order = [&](const Finding& f) {
    const Resource* r = model.find(f.address);
    return r ? r->index : static_cast<std::size_t>(-1);
  };
  std::stable_sort(out.findings.begin(), out.findings.end(), [&](const Finding& a, const Finding& b) {
    auto ia = order(a), ib = order(b);
    if (ia != ib) return ia < ib;
    if (a.rule != b.rule) return a.rule < b.rule;
    return a.pointer < b.pointer;
  });
  return out;
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

/// The names that the operations of a fix define (addresses, var.x, local.x, module.x).
std::vector<std::string> namesAddedBy(const Json& ops) {
  std::vector<std::string> out;
  for (const auto& op : ops) {
    auto kind = opKindOf(op);
    if ((kind != OpKind::Add && kind != OpKind::Replace) || !op.contains("value")) continue;
    auto t = tokensOf(op.value("path", ""));
    const Json& v = op.at("value");
    if (t.empty()) continue;
    if (t[0] == "resource" || t[0] == "data") {
      std::string prefix = t[0] == "data" ? "data." : "";
      if (t.size() >= 3) {
        out.push_back(prefix + t[1] + "." + t[2]);
      } else if (t.size() == 2 && v.is_object()) {
        for (const auto& [name, body] : v.items()) out.push_back(prefix + t[1] + "." + name);
      } else if (t.size() == 1 && v.is_object()) {
        for (const auto& [type, byName] : v.items()) {
          if (!byName.is_object()) continue;
          for (const auto& [name, body] : byName.items()) out.push_back(prefix + type + "." + name);
        }
      }
    } else if (t[0] == "variable" || t[0] == "locals" || t[0] == "module") {
      std::string prefix = t[0] == "variable" ? "var." : t[0] == "locals" ? "local." : "module.";
      std::size_t nameAt =
          (t.size() >= 2 && t[0] == "locals" && !t[1].empty() && std::isdigit(static_cast<unsigned char>(t[1][0]))) ? 2 : 1;
      if (t.size() > nameAt) {
        out.push_back(prefix + t[nameAt]);
      } else if (v.is_object()) {
        for (const auto& [name, body] : v.items()) out.push_back(prefix + name);
      }
    }
  }
  return out;
}

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

std::vector<Traversal> refsWrittenBy(const Json& ops) {
  std::vector<Traversal> refs;
  for (const auto& op : ops) {
    if (op.contains("value")) collectRefs(op.at("value"), op.value("path", "").find("/depends_on") != std::string::npos, refs);
  }
  return refs;
}

bool isIndexToken(const std::string& t) {
  return t == "-" || (!t.empty() && std::all_of(t.begin(), t.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }));
}

/// Paths that fixes of one pass touched; a fix whose paths overlap them (one a
/// prefix of the other) waits for the next pass, where it is detected afresh.
/// Adding or removing an array element moves its siblings, so such an
/// operation touches the whole array.
class Touched {
 public:
  bool overlaps(const Json& ops) const {
    for (const auto& op : ops) {
      if (opKindOf(op) == OpKind::Test) continue;
      for (const std::string& p : pathsOf(op)) {
        if (paths_.count(p)) return true;
        for (auto slash = p.rfind('/'); slash != std::string::npos && slash > 0; slash = p.rfind('/', slash - 1)) {
          if (paths_.count(p.substr(0, slash))) return true;
        }
        auto it = paths_.lower_bound(p + "/");
        if (it != paths_.end() && it->rfind(p + "/", 0) == 0) return true;
      }
    }
    return false;
  }
  void add(const Json& ops) {
    for (const auto& op : ops) {
      if (opKindOf(op) == OpKind::Test) continue;
      for (auto& p : pathsOf(op)) paths_.insert(std::move(p));
    }
  }

 private:
  static std::vector<std::string> pathsOf(const Json& op) {
    std::string p = op.value("path", "");
    auto kind = opKindOf(op);
    auto slash = p.rfind('/');
    if ((kind == OpKind::Add || kind == OpKind::Remove) && slash != std::string::npos && isIndexToken(p.substr(slash + 1))) {
      return {p.substr(0, slash)};
    }
    return {p};
  }
  std::set<std::string> paths_;
};

/// What a missing key is, apart from where it is written (a fix may move it).
std::string identityOf(const MissingKey& k) { return k.expression + "\x1f" + k.object + "\x1f" + k.key; }

void collectSecrets(const std::vector<Finding>& findings, std::vector<std::string>& out) {
  for (const auto& f : findings) out.insert(out.end(), f.secrets.begin(), f.secrets.end());
}

}  // namespace

/// What a pass knows: the model of the document at its start, the names the
/// fixes applied in it have added, the paths they touched.
struct FixSession::Pass {
  StackModel model;
  std::unordered_set<std::string> added;
  /// The fixes applied in this pass, by the hash of their operations.
  std::unordered_multimap<std::size_t, const Json*> appliedOps;
  std::deque<Json> opsKept;  ///< copies of operations that `found` does not hold
  Touched touched;
  SortLater later;
  Detection found;       ///< what detect() found at the start of the pass
  bool patched = false;  ///< a fix changed the document in this pass

  bool defines(const std::string& target) const { return added.count(target) > 0 || model.defines(target); }

  /// The operations of `f`, applied in this pass, for as long as the pass
  /// lasts: the detection's own when `f` is one of its findings, else a copy.
  const Json* opsOf(const Finding& f) {
    const std::vector<Finding>& all = found.findings;
    const std::less<const Finding*> before;
    if (!all.empty() && !before(&f, all.data()) && before(&f, all.data() + all.size())) return &f.fix->ops;
    return &opsKept.emplace_back(f.fix->ops);
  }
};

FixSession::FixSession(const Document& doc, std::span<const Rule* const> rules, const Settings& settings)
    : input_(doc), rules_(rules), settings_(settings) {}

FixSession::FixSession(Document& doc, std::span<const Rule* const> rules, const Settings& settings, std::true_type)
    : input_(doc), takeable_(&doc.root), rules_(rules), settings_(settings) {}

FixSession::~FixSession() = default;

Result<const Detection*> FixSession::beginPass() {
  if (spent_) return Error{input_.path + ": the fix session has already finished"};
  endPass();
  auto model = StackModel::build(document());
  if (!model) {
    return Error{input_.path + ": " + (passNumber_ == 0 ? "" : "a fix left a malformed document: ") + model.error().message};
  }
  if (passNumber_ == 0) {
    // What already dangled in the input is the user's; finish() checks that fixes add nothing to it.
    for (const Reference* r : model->unresolved()) originalUnresolved_.insert(std::string(r->traversal.target));
    for (const MissingKey& k : missingLocalKeys(*model)) originalMissingKeys_.insert(identityOf(k));
  }
  pass_ = std::make_unique<Pass>(Pass{std::move(*model), {}, {}, {}, {}, {}, {}, false});
  settled_.reset();
  ++passNumber_;
  pass_->found = detect(pass_->model, rules_, settings_, makeOps_);
  return &pass_->found;
}

Status FixSession::verify(const Finding& f) const {
  if (!f.fix) return Error{"it has no fix"};
  if (!pass_) return Error{"no pass has begun"};
  auto defined = namesAddedBy(f.fix->ops);
  std::unordered_set<std::string> definedSet(defined.begin(), defined.end());
  for (const auto& t : refsWrittenBy(f.fix->ops)) {
    if (!definedSet.count(t.target) && !pass_->defines(t.target)) return Error{"its reference to " + t.target + " would not resolve"};
  }
  return okStatus();
}

FixSession::Verdicted FixSession::apply(const Finding& f) {
  if (!pass_) return {Verdict::Refused, "no pass has begun"};
  if (!f.fix) return {Verdict::Refused, "it has no fix"};
  // One fix shared by several findings (the members of a global cluster, the
  // readers of one input): applied once, it fixes them all.
  const std::size_t opsHash = std::hash<Json>{}(f.fix->ops);
  for (auto [it, end] = pass_->appliedOps.equal_range(opsHash); it != end; ++it) {
    if (*it->second != f.fix->ops) continue;
    applied_.push_back(keepOps_ ? f : f.withoutOps());
    appliedPass_.push_back(passNumber_);
    return {Verdict::Applied, ""};
  }
  if (pass_->touched.overlaps(f.fix->ops)) return {Verdict::Deferred, ""};
  if (auto s = verify(f); !s) return {Verdict::Refused, s.error().message};
  if (!doc_ && takeable_) {
    // The tree moves: its nodes stay where they are, so this pass's model
    // (built on them) stays as valid as it is when a later pass patches.
    inputHash_ = std::hash<Json>{}(*takeable_);
    doc_ = std::move(*takeable_);
    *takeable_ = Json();
    taken_ = true;
  } else if (!doc_) {
    doc_ = input_.root;
  }
  if (auto s = applyPatch(*doc_, f.fix->ops, &pass_->later); !s) {
    return {Verdict::Refused, "its patch does not apply: " + s.error().message};
  }
  auto defined = namesAddedBy(f.fix->ops);
  pass_->patched = true;
  pass_->added.insert(defined.begin(), defined.end());
  pass_->touched.add(f.fix->ops);
  pass_->appliedOps.emplace(opsHash, pass_->opsOf(f));
  applied_.push_back(keepOps_ ? f : f.withoutOps());
  appliedPass_.push_back(passNumber_);
  return {Verdict::Applied, ""};
}

Result<Json> FixSession::preview(const Finding& f) const {
  if (!pass_) return Error{"no pass has begun"};
  if (auto s = verify(f); !s) return s.error();
  Json next = document();
  if (auto s = applyPatch(next, f.fix->ops); !s) return Error{"its patch does not apply: " + s.error().message};
  return next;
}

void FixSession::endPass() {
  if (!pass_) return;
  if (doc_) pass_->later.sortAll(*doc_);
  // A pass that changed nothing leaves a model and a detection that are
  // still those of the document: finish() uses them rather than redo them.
  if (!pass_->patched) settled_ = std::move(pass_);
  pass_.reset();
}

Result<Outcome> FixSession::finish() {
  if (spent_) return Error{input_.path + ": the fix session has already finished"};
  endPass();
  Outcome out;
  std::unique_ptr<Pass> settled = std::move(settled_);
  std::optional<StackModel> built;
  if (!settled) {
    auto model = StackModel::build(document());
    if (!model) {
      return Error{input_.path + ": " + (applied_.empty() ? "" : "a fix left a malformed document: ") + model.error().message};
    }
    built = std::move(*model);
  }
  const StackModel* final = settled ? &settled->model : &*built;
  for (const Reference* r : applied_.empty() ? std::vector<const Reference*>() : final->unresolved()) {
    if (!originalUnresolved_.count(std::string(r->traversal.target))) {
      return Error{input_.path + ": fixed document does not verify: " + std::string(r->pointer) + " refers to " + std::string(r->traversal.target) +
                   ", which does not exist; nothing was written"};
    }
  }
  for (const MissingKey& k : applied_.empty() ? std::vector<MissingKey>() : missingLocalKeys(*final)) {
    if (!originalMissingKeys_.count(identityOf(k))) {
      return Error{input_.path + ": fixed document does not verify: " + k.pointer + " reads " + k.expression + ", but " + k.object +
                   " has no key \"" + k.key + "\"; nothing was written"};
    }
  }
  // What is left is reported, not fixed: its fixes' operations are not made.
  Detection last = settled ? std::move(settled->found) : detect(*final, rules_, settings_, FixMode::None);
  // The model is not needed any more: it should not sit beside the text being written.
  settled.reset();
  built.reset();
  out.findings = std::move(last.findings);
  out.ruleFailures = std::move(last.failures);
  out.applied = std::move(applied_);  // the session is spent
  out.appliedPass = std::move(appliedPass_);
  out.changed = doc_ && !out.applied.empty() && !sameAsInput(*doc_);
  // A check (no pass ran) does not copy the text: nothing will write it.
  if (out.changed) {
    // The tree stays for the serialization, but what the passes freed around
    // it goes back before the text is made beside it.
    if (inputBytes() >= memory::kGiveBackFrom) memory::giveBack();
    out.fixedText = serialize(*doc_, input_.style, inputBytes() + 1);
  } else if (passNumber_ > 0) {
    auto text = inputText();
    if (!text) return text.error();
    out.fixedText = std::move(*text);
  }
  if (doc_) out.fixed = std::move(*doc_);  // the session is spent
  spent_ = true;
  collectSecrets(out.findings, out.secrets);
  collectSecrets(out.applied, out.secrets);
  return out;
}

bool FixSession::sameAsInput(const Json& fixed) const {
  if (!taken_) return fixed == input_.root;
  if (std::hash<Json>{}(fixed) != inputHash_) return false;
  // Equal hashes: only a comparison with the input, read again, can tell.
  auto text = inputText();
  if (!text) return false;  // it cannot be shown equal: it is written as fixed
  auto again = parseDocument(input_.path, std::move(*text));
  return again && again->root == fixed;
}

Result<std::string> FixSession::inputText() const {
  if (aside_) return aside_->readAgain();
  return input_.text;
}

namespace {

/// `takeFrom`, when set, is `doc` itself, given to be fixed in place.
Result<Outcome> run(const Document& doc, Document* takeFrom, std::span<const Rule* const> rules, const Settings& settings,
                    const EngineOptions& options) {
  std::optional<FixSession> owned;
  if (takeFrom) {
    owned.emplace(*takeFrom, rules, settings, std::true_type{});
  } else {
    owned.emplace(doc, rules, settings);
  }
  FixSession& session = *owned;
  session.makeOpsFor(options.fixMode);
  session.keepAppliedOps(options.keepAppliedOps);
  if (options.textAside) session.setTextAside(*options.textAside);
  std::unordered_set<std::string> rejected, lateRules;
  for (const Rule* r : rules) {
    if (r->late) lateRules.insert(std::string(r->id));
  }
  std::vector<SkippedFix> skipped;
  std::vector<RuleFailure> failures;
  bool converged = options.fixMode == FixMode::None;
  int passes = 0;
  for (int pass = 1; pass <= options.maxPasses && options.fixMode != FixMode::None; ++pass) {
    auto found = session.beginPass();
    if (!found) return found.error();
    passes = pass;
    const Detection& detection = **found;
    if (!detection.failures.empty()) {
      failures = detection.failures;
      break;
    }
    int appliedThisPass = 0;
    // Late rules' fixes wait until the others have settled (a pass applies none of them).
    for (bool lateRound : {false, true}) {
      if (lateRound && appliedThisPass > 0) break;
      for (const auto& f : detection.findings) {
        if (!f.fix || !allowedUnder(options.fixMode, f.fix->applicability) || lateRules.count(f.rule) != (lateRound ? 1u : 0u)) continue;
        std::string key = f.fixKey();
        if (rejected.count(key)) continue;
        auto v = session.apply(f);
        if (v.verdict == FixSession::Verdict::Refused) {
          rejected.insert(key);
          skipped.push_back({f, v.reason});
        } else if (v.verdict == FixSession::Verdict::Applied) {
          spdlog::debug("{}: pass {}: applied {} at {}: {}", doc.path, pass, f.rule, f.address, f.fix->title);
          ++appliedThisPass;
        }
      }
    }
    session.endPass();
    if (!options.keepAppliedOps) {
      for (auto& s : skipped) {
        if (s.finding.fix) s.finding.fix->ops = Json::array();
      }
    }
    if (appliedThisPass == 0) {
      converged = true;
      break;
    }
  }
  if (!failures.empty()) {
    // A rule failed: keep no fix (the file is not written) and report what
    // the rules find on the input as it is (read again if its tree was taken).
    std::optional<Document> reread;
    if (takeFrom && takeFrom->root.is_null()) {
      auto text = options.textAside ? options.textAside->readAgain() : Result<std::string>(doc.text);
      if (!text) return text.error();
      auto again = parseDocument(doc.path, std::move(*text));
      if (!again) return again.error();
      reread = std::move(*again);
    }
    FixSession untouched(reread ? *reread : doc, rules, settings);
    auto out = untouched.finish();
    if (!out) return out.error();
    out->ruleFailures.insert(out->ruleFailures.begin(), failures.begin(), failures.end());
    std::sort(out->ruleFailures.begin(), out->ruleFailures.end(), [](auto& a, auto& b) { return a.rule < b.rule; });
    out->ruleFailures.erase(std::unique(out->ruleFailures.begin(), out->ruleFailures.end(),
                                        [](auto& a, auto& b) { return a.rule == b.rule; }),
                            out->ruleFailures.end());
    return out;
  }
  if (!converged) {
    return Error{doc.path + ": fixes did not settle after " + std::to_string(options.maxPasses) +
                 " passes; nothing was written"};
  }
  auto out = session.finish();
  if (!out) return out.error();
  out->skipped = std::move(skipped);
  out->passes = passes;
  for (const auto& s : out->skipped) out->secrets.insert(out->secrets.end(), s.finding.secrets.begin(), s.finding.secrets.end());
  return out;
}

}  // namespace

Result<Outcome> runEngine(const Document& doc, std::span<const Rule* const> rules, const Settings& settings,
                          const EngineOptions& options) {
  return run(doc, nullptr, rules, settings, options);
}

Result<Outcome> runEngineInPlace(Document& doc, std::span<const Rule* const> rules, const Settings& settings,
                                 const EngineOptions& options) {
  return run(doc, &doc, rules, settings, options);
}

}  // namespace tfmend
