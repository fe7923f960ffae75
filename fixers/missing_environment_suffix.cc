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
#include "tfmend/names.h"

namespace tfmend {

namespace {

/// A name attribute of a resource type and the limits AWS puts on it.
struct NameAttribute {
  std::string_view type;
  std::string_view attribute;  ///< dotted path in the body
  std::size_t maxLength;
  bool lowercase;
  bool inPlace;  ///< the provider renames without replacing the resource
};

// The per-type table. The Name tag of any resource is checked as well (in place).
constexpr NameAttribute kNames[] = {
    {"aws_s3_bucket", "bucket", 63, true, false},
    {"aws_rds_cluster", "cluster_identifier", 63, true, false},
    {"aws_rds_global_cluster", "global_cluster_identifier", 63, true, false},
    {"aws_rds_cluster_instance", "identifier", 63, true, false},
    {"aws_db_instance", "identifier", 63, true, false},
    {"aws_db_subnet_group", "name", 255, true, false},
    {"aws_rds_cluster_parameter_group", "name", 255, true, false},
    {"aws_db_parameter_group", "name", 255, true, false},
    {"aws_kms_alias", "name", 256, false, true},
    {"aws_cloudwatch_metric_alarm", "alarm_name", 255, false, true},
    {"aws_cloudwatch_log_group", "name", 512, false, false},
    {"aws_iam_role", "name", 64, false, false},
    {"aws_iam_policy", "name", 128, false, false},
    {"aws_iam_user", "name", 64, false, false},
    {"aws_iam_instance_profile", "name", 128, false, false},
    {"aws_security_group", "name", 255, false, false},
    {"aws_lb", "name", 32, false, false},
    {"aws_alb", "name", 32, false, false},
    {"aws_lb_target_group", "name", 32, false, false},
    {"aws_alb_target_group", "name", 32, false, false},
    {"aws_ecs_cluster", "name", 255, false, false},
    {"aws_ecs_service", "name", 255, false, false},
    {"aws_ecs_task_definition", "family", 255, false, false},
    {"aws_ecr_repository", "name", 256, true, false},
    {"aws_sns_topic", "name", 256, false, false},
    {"aws_sqs_queue", "name", 80, false, false},
    {"aws_secretsmanager_secret", "name", 512, false, false},
    {"aws_ssm_parameter", "name", 2048, false, false},
    {"aws_codedeploy_app", "name", 100, false, false},
    {"aws_codedeploy_deployment_group", "deployment_group_name", 100, false, false},
    {"aws_lambda_function", "function_name", 64, false, false},
    {"aws_dynamodb_table", "name", 255, false, false},
    {"aws_elasticache_replication_group", "replication_group_id", 40, true, false},
    {"aws_elasticache_subnet_group", "name", 255, true, false},
    {"aws_efs_file_system", "creation_token", 64, false, false},
    {"aws_kinesis_stream", "name", 128, false, false},
    {"aws_cloudwatch_event_rule", "name", 64, false, false},
    {"aws_sfn_state_machine", "name", 80, false, false},
    {"aws_api_gateway_rest_api", "name", 1024, false, true},
    {"aws_wafv2_web_acl", "name", 128, false, false},
    {"aws_cloudfront_origin_access_identity", "comment", 128, false, true},
};
constexpr NameAttribute kNameTag{"*", "tags.Name", 255, false, true};

bool isSeparator(char c) { return !std::isalnum(static_cast<unsigned char>(c)); }

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

/// A name value of a resource, with where it is and what limits it has.
struct NameValue {
  const Resource* resource;
  const NameAttribute* attr;
  std::string pointer;
  std::string value;
};

std::vector<NameValue> nameValues(const StackModel& model) {
  std::unordered_map<std::string_view, const NameAttribute*> byType;
  for (const auto& n : kNames) byType.emplace(n.type, &n);
  std::vector<NameValue> out;
  for (const Resource& r : model.resources()) {
    if (r.isData) continue;
    auto add = [&](const NameAttribute* attr, std::string pointer) {
      const Json* v = getPath(*r.body, attr->attribute);
      if (!v || !v->is_string()) return;
      const std::string& s = v->get_ref<const std::string&>();
      if (s.empty() || !soleReference(s).target.empty()) return;  // a reference is not a literal name
      out.push_back({&r, attr, std::move(pointer), s});
    };
    if (auto it = byType.find(r.type); it != byType.end()) {
      add(it->second, pointerJoin(r.pointer, {it->second->attribute}));
    }
    add(&kNameTag, pointerJoin(r.pointer, {"tags", "Name"}));
  }
  return out;
}

/// How the suffix is written: a literal ("dev") or a variable ("${var.environment_suffix}").
struct Suffix {
  std::string text;      ///< what a name must contain
  std::string variable;  ///< the variable's name in variable mode
  char separator = '-';
  std::string evidence;  ///< for -v: where it came from
};

std::string findSuffixVariable(const StackModel& model) {
  for (const auto& name : model.variableNames()) {
    std::string n = lower(name);
    n.erase(std::remove_if(n.begin(), n.end(), [](char c) { return c == '_' || c == '-'; }), n.end());
    if (n == "environmentsuffix" || n == "envsuffix" || n == "environmentnamesuffix") return name;
  }
  return {};
}

std::string trailingToken(const std::string& s) {
  std::size_t i = s.size();
  while (i > 0 && !isSeparator(s[i - 1])) --i;
  return s.substr(i);
}

/// True if `value` carries `suffix` as a whole token (bounded by separators).
bool carries(const std::string& value, const Suffix& suffix) {
  if (!suffix.variable.empty()) return value.find(suffix.text) != std::string::npos;
  std::string v = lower(value), s = lower(suffix.text);
  for (std::size_t pos = v.find(s); pos != std::string::npos; pos = v.find(s, pos + 1)) {
    bool startOk = pos == 0 || isSeparator(v[pos - 1]);
    bool endOk = pos + s.size() == v.size() || isSeparator(v[pos + s.size()]);
    if (startOk && endOk) return true;
  }
  return false;
}

/// The separator that precedes the suffix in names that carry it ('-' by default).
char separatorOf(const std::vector<NameValue>& names, const Suffix& suffix) {
  std::map<char, int> counts;
  for (const auto& n : names) {
    auto pos = n.value.rfind(suffix.text);
    if (pos != std::string::npos && pos > 0 && isSeparator(n.value[pos - 1]) && n.value[pos - 1] != '/') {
      counts[n.value[pos - 1]]++;
    }
  }
  char best = '-';
  int bestCount = 0;
  for (auto [c, k] : counts) {
    if (k > bestCount) best = c, bestCount = k;
  }
  return best;
}

/// The suffix from the settings, a suffix variable, or the names themselves.
/// Without one, `ambiguity` says why.
std::optional<Suffix> determineSuffix(const RuleContext& ctx, const std::vector<NameValue>& names, std::string& ambiguity) {
  Suffix s;
  if (ctx.settings.envSuffix) {
    s.text = *ctx.settings.envSuffix;
    s.evidence = "from --env-suffix";
  } else if (std::string var = findSuffixVariable(ctx.model); !var.empty()) {
    s.text = "${var." + var + "}";
    s.variable = var;
    s.evidence = "from the variable " + var;
  } else {
    std::map<std::string, int> counts;
    int literal = 0;
    for (const auto& n : names) {
      if (hasTemplate(n.value)) continue;
      ++literal;
      std::string t = lower(trailingToken(n.value));
      if (!t.empty()) counts[t]++;
    }
    std::vector<std::pair<int, std::string>> ranked;
    for (auto& [t, k] : counts) ranked.push_back({k, t});
    std::sort(ranked.rbegin(), ranked.rend());
    if (ranked.empty()) return std::nullopt;
    bool clear = ranked[0].first >= 3 && ranked[0].first * 2 >= literal &&
                 (ranked.size() == 1 || ranked[0].first > 2 * ranked[1].first);
    if (!clear) {
      ambiguity = "names end in \"" + ranked[0].second + "\" (" + std::to_string(ranked[0].first) + " of " +
                  std::to_string(literal) + ")";
      if (ranked.size() > 1) ambiguity += ", \"" + ranked[1].second + "\" (" + std::to_string(ranked[1].first) + ")";
      return std::nullopt;
    }
    s.text = ranked[0].second;
    s.evidence = "inferred from " + std::to_string(ranked[0].first) + " of " + std::to_string(literal) + " names";
  }
  s.separator = separatorOf(names, s);
  return s;
}

/// `base` + separator + suffix, within the attribute's limits: too long a base
/// is cut and given a short hash of the whole, so distinct names stay distinct.
std::string withSuffix(const std::string& base, const Suffix& suffix, const NameAttribute& attr) {
  std::string tail = std::string(1, suffix.separator) + suffix.text;
  std::size_t tailLength = suffix.variable.empty() ? tail.size() : 1 + 8;  // a variable's value: assume up to 8
  std::string b = base;
  while (!b.empty() && b.back() == suffix.separator) b.pop_back();
  if (b.size() + tailLength > attr.maxLength) {
    std::string hash = shortHash(base, 6);
    std::size_t keep = attr.maxLength - tailLength - hash.size() - 1;
    b = b.substr(0, keep);
    while (!b.empty() && isSeparator(b.back())) b.pop_back();
    b += "-" + hash;
  }
  return b + tail;
}

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
  std::optional<Suffix> suffix = determineSuffix(ctx, names, ambiguity);
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
    std::string renamed = withSuffix(n->value, *suffix, *n->attr);
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
