#include "tfmend/naming.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "tfmend/expression.h"
#include "tfmend/names.h"
#include "tfmend/values.h"

namespace tfmend {

namespace {

constexpr aws::NameFacts kNameTag{.attribute = "tags.Name", .maxLength = 255, .rename = aws::Rename::Label};

/// The known rendering of one interpolation (a variable's default, a local), if any.
std::optional<std::string> renderInterpolation(const StackModel& model, const std::string& interpolation) {
  Json v = interpolation;
  auto s = stringOf(model, &v);
  if (s && !hasTemplate(*s)) return s;
  return std::nullopt;
}

/// `name` rendered where every interpolation is known; nullopt otherwise.
std::optional<std::string> renderFully(const StackModel& model, const std::string& name) {
  std::string out;
  for (const auto& seg : templateSegments(name)) {
    if (!seg.interpolation) {
      out += seg.text;
      continue;
    }
    auto r = renderInterpolation(model, seg.text);
    if (!r) return std::nullopt;
    out += *r;
  }
  return out;
}

bool isEnvironmentVariable(const std::string& name) {
  std::string n = lower(name);
  n.erase(std::remove_if(n.begin(), n.end(), [](char c) { return c == '_' || c == '-'; }), n.end());
  // "environment", "env", "stage", and names that end so ("aws_environment", "target_env").
  for (auto v : aws::environmentVariables()) {
    if (n.size() >= v.size() && n.compare(n.size() - v.size(), v.size(), v) == 0) return true;
  }
  return false;
}

bool isExplicitSuffixVariable(const std::string& name) {
  std::string n = lower(name);
  n.erase(std::remove_if(n.begin(), n.end(), [](char c) { return c == '_' || c == '-'; }), n.end());
  return n.find("suffix") != std::string::npos;
}

bool mentions(std::string_view text, const std::string& expression) {
  if (expression == "terraform.workspace") return text.find("terraform.workspace") != std::string_view::npos;
  for (const auto& t : referencesInTemplate(text)) {
    if (t.target == expression) return true;
  }
  return false;
}

/// The separator a charset allows between a base and a suffix.
char separatorFor(const aws::NameFacts& facts, char preferred) {
  using C = aws::NameCharset;
  if ((facts.charset == C::LoadBalancer || facts.charset == C::DbIdentifier || facts.charset == C::S3Bucket) &&
      preferred != '-') {
    return '-';
  }
  return preferred;
}

std::string trimSeparators(std::string s) {
  while (!s.empty() && isNameSeparator(s.back()) && s.back() != '}') s.pop_back();
  return s;
}

}  // namespace

bool isNameSeparator(char c) { return !std::isalnum(static_cast<unsigned char>(c)); }

bool hasToken(std::string_view text, const std::string& token) {
  std::string v = lower(std::string(text)), t = lower(token);
  if (t.empty()) return false;
  for (std::size_t pos = v.find(t); pos != std::string::npos; pos = v.find(t, pos + 1)) {
    bool startOk = pos == 0 || isNameSeparator(v[pos - 1]);
    bool endOk = pos + t.size() == v.size() || isNameSeparator(v[pos + t.size()]);
    if (startOk && endOk) return true;
  }
  return false;
}

std::string lower(std::string s) {
  // ASCII, as std::tolower in the "C" locale tfmend runs in, without a call per character.
  for (char& c : s) c = asciiLower(c);
  return s;
}

const aws::NameFacts& nameTagFacts() { return kNameTag; }

std::vector<NameValue> nameValues(const StackModel& model, StringPool& expansions) {
  std::vector<NameValue> out;
  for (const Resource& r : model.resources()) {
    if (r.isData) continue;
    auto add = [&](const aws::NameFacts& facts, std::string_view attribute) {
      const Json* v = getPath(*r.body, attribute);
      if (!v || !v->is_string()) return false;
      const std::string& s = v->get_ref<const std::string&>();
      if (s.empty()) return false;
      Traversal sole = soleReference(s);
      if (sole.kind == RefKind::Resource || sole.kind == RefKind::Data || sole.kind == RefKind::Module) {
        if (!sole.target.empty()) return false;  // another resource's name, not a name of its own
      }
      if (s.rfind("AWSServiceRoleFor", 0) == 0) return false;  // AWS fixes service-linked role names
      std::string pointer = r.pointer;
      for (std::size_t start = 0; start <= attribute.size();) {
        std::size_t dot = attribute.find('.', start);
        pointer += "/" + pointerToken(attribute.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
        if (dot == std::string_view::npos) break;
        start = dot + 1;
      }
      std::string expanded = expandLocals(model, s);
      out.push_back({&r, &facts, attribute, std::move(pointer), s, expanded == s ? std::string_view(s) : expansions.keep(expanded)});
      return true;
    };
    if (const aws::TypeFacts* f = aws::facts(r.type); f && !f->name.attribute.empty()) {
      bool named = add(f->name, f->name.attribute);
      // Where the type takes a `*_prefix` instead, the prefix is the name.
      if (!named && !f->name.prefix.empty() && !r.body->contains(std::string(f->name.attribute))) add(f->name, f->name.prefix);
    }
    add(kNameTag, kNameTag.attribute);
  }
  return out;
}

std::optional<Suffix> determineSuffix(const StackModel& model, const Settings& settings, const std::vector<NameValue>& names) {
  Suffix s;
  if (settings.envSuffix) {
    s.text = *settings.envSuffix;
    s.evidence = "from --env-suffix";
  } else {
    // An environment variable (or the workspace) that names are built from.
    std::string best;
    std::size_t bestUses = 0;
    bool explicitSuffix = false;
    std::vector<std::string> candidates;
    for (const auto& v : model.variableNames()) {
      if (isEnvironmentVariable(v)) candidates.push_back("var." + v);
    }
    candidates.push_back("terraform.workspace");
    for (const auto& c : candidates) {
      std::size_t uses = 0;
      for (const auto& n : names) uses += mentions(n.expanded, c) ? 1 : 0;
      bool isExplicit = c.rfind("var.", 0) == 0 && isExplicitSuffixVariable(c.substr(4));
      if (isExplicit && !explicitSuffix) {
        best = c, bestUses = uses, explicitSuffix = true;  // an explicit suffix variable wins
      } else if (!explicitSuffix && uses > bestUses) {
        best = c, bestUses = uses;
      }
    }
    if (!best.empty() && (explicitSuffix || (bestUses >= 2 && bestUses * 2 >= names.size()))) {
      s.text = "${" + best + "}";
      s.expression = best;
      if (best.rfind("var.", 0) == 0) {
        Json ref = s.text;
        if (auto d = stringOf(model, &ref); d && !hasTemplate(*d)) s.knownValue = *d;
      }
      s.evidence = "names use " + best + " (" + std::to_string(bestUses) + " of " + std::to_string(names.size()) + ")";
    } else {
      // A clear majority of literal names carry the same environment word.
      std::map<std::string, std::size_t> counts;
      std::size_t literal = 0;
      std::string lowered;
      std::vector<std::string_view> tokens;  // views into `lowered`, reused from name to name
      for (const auto& n : names) {
        if (hasTemplate(n.expanded)) continue;
        ++literal;
        // The name's tokens; then which environment words are among them (each counted once).
        lowered.assign(n.expanded);
        for (char& c : lowered) c = asciiLower(c);
        tokens.clear();
        std::size_t start = 0;
        for (std::size_t i = 0; i <= lowered.size(); ++i) {
          if (i < lowered.size() && !isNameSeparator(lowered[i])) continue;
          if (i > start) tokens.emplace_back(lowered.data() + start, i - start);
          start = i + 1;
        }
        for (auto w : aws::environmentWords()) {
          if (std::find(tokens.begin(), tokens.end(), w) != tokens.end()) counts[std::string(w)]++;
        }
      }
      std::vector<std::pair<std::size_t, std::string>> ranked;
      for (auto& [w, k] : counts) ranked.push_back({k, w});
      std::sort(ranked.rbegin(), ranked.rend());
      if (ranked.empty()) return std::nullopt;
      bool clear = ranked[0].first >= 3 && ranked[0].first * 2 >= literal &&
                   (ranked.size() == 1 || ranked[0].first > 2 * ranked[1].first);
      if (!clear) return std::nullopt;
      s.text = ranked[0].second;
      s.evidence = "inferred from " + std::to_string(ranked[0].first) + " of " + std::to_string(literal) + " literal names";
    }
  }
  // Separator and position, from the names that carry it.
  std::map<char, int> separators;
  int leading = 0, trailing = 0;
  std::string t = lower(s.text);
  for (const auto& n : names) {
    std::string v = lower(std::string(n.expanded));
    auto pos = v.rfind(t);
    if (pos == std::string::npos) continue;
    if (pos > 0 && isNameSeparator(v[pos - 1]) && v[pos - 1] != '/') separators[v[pos - 1]]++;
    if (pos + t.size() == v.size()) ++trailing;
    else if (pos == 0 || (pos > 0 && v[pos - 1] == '/')) ++leading;
  }
  if (leading > trailing) {
    for (const auto& n : names) {
      std::string v = lower(std::string(n.expanded));
      auto pos = v.find(t);
      if (pos != std::string::npos && pos + t.size() < v.size() && isNameSeparator(v[pos + t.size()])) separators[v[pos + t.size()]]++;
    }
  }
  int bestCount = 0;
  for (auto [c, k] : separators) {
    if (k > bestCount) s.separator = c, bestCount = k;
  }
  s.leading = leading > trailing;
  return s;
}

Carries carries(const StackModel& model, const NameValue& name, const Suffix& suffix) {
  std::string_view text = name.expanded;
  if (!suffix.expression.empty()) {
    if (mentions(text, suffix.expression)) return Carries::Yes;
  } else if (hasToken(text, suffix.text)) {
    return Carries::Yes;
  }
  if (!hasTemplate(text)) return Carries::No;
  // Built from values: render what is known.
  auto rendered = renderFully(model, std::string(text));
  if (!rendered) return Carries::Unknown;
  std::string wanted = suffix.expression.empty() ? suffix.text : suffix.knownValue.value_or("");
  if (!wanted.empty() && hasToken(*rendered, wanted)) return Carries::Yes;
  return Carries::No;
}

std::size_t renderedLength(const StackModel& model, const std::string& name, std::size_t assumed, bool* assumptions) {
  std::size_t n = 0;
  for (const auto& seg : templateSegments(name)) {
    if (!seg.interpolation) {
      n += seg.text.size();
    } else if (auto r = renderInterpolation(model, seg.text)) {
      n += r->size();
    } else {
      n += assumed;
      if (assumptions) *assumptions = true;
    }
  }
  return n;
}

std::string fitName(const StackModel& model, const std::string& name, const aws::NameFacts& facts, const std::string& keepTail) {
  std::size_t max = facts.maxLength;
  if (renderedLength(model, name, kAssumedInterpolationLength) <= max) return name;
  std::string tail = keepTail.size() <= name.size() && name.compare(name.size() - keepTail.size(), keepTail.size(), keepTail) == 0
                         ? keepTail
                         : std::string();
  std::string head = name.substr(0, name.size() - tail.size());
  std::string hash = shortHash(name, 6);
  std::size_t tailLength = renderedLength(model, tail, kAssumedInterpolationLength);
  if (max < tailLength + hash.size() + 2) return {};
  std::size_t budget = max - tailLength - hash.size() - 1;
  std::string kept;
  std::size_t used = 0;
  for (const auto& seg : templateSegments(head)) {
    if (seg.interpolation) {
      std::size_t len = renderedLength(model, seg.text, kAssumedInterpolationLength);
      if (used + len > budget) break;
      kept += seg.text, used += len;
      continue;
    }
    std::size_t take = std::min(seg.text.size(), budget - used);
    kept += seg.text.substr(0, take), used += take;
    if (take < seg.text.size()) break;
  }
  kept = trimSeparators(kept);
  if (kept.empty()) return {};
  return kept + separatorFor(facts, '-') + hash + tail;
}

std::string withSuffix(const StackModel& model, const std::string& base, const Suffix& suffix, const aws::NameFacts& facts) {
  if (facts.lowercase && suffix.expression.empty() && lower(suffix.text) != suffix.text) return {};
  char sep = separatorFor(facts, suffix.separator);
  if (suffix.leading) {
    // Environment first ("dev-payments"): after a path's last "/" (aliases, parameters).
    auto slash = base.rfind('/');
    std::string path = slash == std::string::npos ? "" : base.substr(0, slash + 1);
    std::string rest = slash == std::string::npos ? base : base.substr(slash + 1);
    std::string named = path + suffix.text + sep + rest;
    return fitName(model, named, facts);
  }
  std::string b = trimSeparators(base);
  std::string tail = std::string(1, sep) + suffix.text;
  return fitName(model, b + tail, facts, tail);
}

Namer::Namer(const StackModel& model, const Settings& settings) : model_(model), names_(nameValues(model, expansions_)) {
  const auto& names = names_;
  suffix_ = determineSuffix(model, settings, names);
  // The template prefix most names share ("${var.project}-", "${local.prefix}-").
  std::map<std::string, std::size_t> prefixes;
  for (const auto& n : names) {
    auto segs = templateSegments(n.value);
    std::string prefix;
    for (std::size_t i = 0; i + 1 < segs.size() && segs[i].interpolation && !segs[i + 1].interpolation; i += 2) {
      const std::string& lit = segs[i + 1].text;
      if (lit.empty() || !isNameSeparator(lit[0]) || lit[0] == '/') break;
      prefix += segs[i].text + lit[0];
      if (lit.size() > 1) break;
    }
    if (!prefix.empty()) prefixes[prefix]++;
  }
  std::size_t best = 0;
  for (const auto& [p, k] : prefixes) {
    if (k > best) prefix_ = p, best = k;
  }
  if (best < 3 || best * 2 < names.size()) prefix_.clear();
}

std::string Namer::name(std::string base, std::string_view type) const {
  const aws::TypeFacts* f = aws::facts(type);
  const aws::NameFacts& facts = f && !f->name.attribute.empty() ? f->name : kNameTag;
  if (facts.lowercase) base = lower(base);
  std::string full = base;
  if (!prefix_.empty() && full.rfind(prefix_, 0) != 0) {
    auto slash = full.rfind('/');
    full = slash == std::string::npos ? prefix_ + full : full.substr(0, slash + 1) + prefix_ + full.substr(slash + 1);
  }
  if (suffix_) {
    const std::string expanded = expandLocals(model_, full);  // the probe views it
    NameValue probe{nullptr, &facts, "", "", full, expanded};
    if (carries(model_, probe, *suffix_) != Carries::Yes) {
      std::string named = withSuffix(model_, full, *suffix_, facts);
      return named.empty() ? full : named;
    }
  }
  std::string fitted = fitName(model_, full, facts);
  return fitted.empty() ? full : fitted;
}

std::string Namer::providerQualifier(const std::string& providerKey) const {
  std::vector<const Provider*> aws;
  for (const Provider& p : model_.providers()) {
    if (p.type == "aws") aws.push_back(&p);
  }
  if (providerKey == "aws" || aws.size() <= 1) return {};
  const Provider* own = model_.provider(providerKey);
  if (!own) return providerKey.substr(providerKey.find('.') + 1);
  bool shared = own->region.empty();
  for (const Provider* p : aws) shared = shared || (p != own && p->region == own->region);
  return shared ? own->alias : own->region;
}

const Namer::Taken& Namer::takenOf(std::string_view type, std::string_view attribute) const {
  std::string key = std::string(type) + '\x1f' + std::string(attribute);
  if (auto it = taken_.find(key); it != taken_.end()) return it->second;
  Taken& t = taken_[key];
  for (const auto& n : names_) {
    if (n.resource->type != type || n.attribute != attribute) continue;
    t.written.insert(lower(std::string(n.value)));
    if (auto other = renderFully(model_, std::string(n.expanded))) t.rendered.insert(lower(*other));
  }
  return t;
}

bool Namer::nameTaken(const std::string& name, std::string_view type) const {
  const aws::TypeFacts* f = aws::facts(type);
  if (!f || f->name.attribute.empty()) return false;
  const Taken& taken = takenOf(type, f->name.attribute);
  if (taken.written.count(lower(name))) return true;
  auto rendered = renderFully(model_, name);
  return rendered && taken.rendered.count(lower(*rendered)) > 0;
}

std::string Namer::uniqueName(const std::string& base, std::string_view type, std::string_view owner,
                              std::set<std::string>* given) const {
  auto free = [&](const std::string& n) { return !nameTaken(n, type) && !(given && given->count(lower(n))); };
  std::string out = name(base, type);
  if (!free(out)) {
    std::string hashed = name(base + "-" + shortHash(owner, 4), type);
    out = free(hashed) ? hashed : name(base + "-" + shortHash(owner, 8), type);
  }
  if (given) given->insert(lower(out));
  return out;
}

std::string Namer::baseName(const Resource& r, const std::string& fallback) const {
  const aws::TypeFacts* f = aws::facts(r.type);
  const Json* v = f && !f->name.attribute.empty() ? getPath(*r.body, f->name.attribute) : nullptr;
  if (v && v->is_string() && !v->get_ref<const std::string&>().empty()) {
    Traversal sole = soleReference(v->get<std::string>());
    if (sole.target.empty() || sole.kind == RefKind::Variable || sole.kind == RefKind::Local) {
      auto literal = stringOf(model_, v);
      return baseOf(literal ? *literal : v->get<std::string>());
    }
  }
  if (!fallback.empty()) return fallback;
  return r.constructPath.empty() ? r.name : r.constructPath.substr(r.constructPath.rfind('/') + 1);
}

std::string Namer::baseOf(const std::string& name) const {
  std::string out = name;
  if (!prefix_.empty() && out.rfind(prefix_, 0) == 0) out = out.substr(prefix_.size());
  if (!suffix_ || suffix_->text.empty()) return out;
  std::string n = lower(out), s = lower(suffix_->text);
  if (suffix_->leading) {
    if (n.size() > s.size() + 1 && n.compare(0, s.size(), s) == 0 && isNameSeparator(out[s.size()])) return out.substr(s.size() + 1);
    return out;
  }
  if (n.size() > s.size() && n.compare(n.size() - s.size(), s.size(), s) == 0 && isNameSeparator(out[out.size() - s.size() - 1])) {
    return out.substr(0, out.size() - s.size() - 1);
  }
  return out;
}

}  // namespace tfmend
