#include "tfmend/naming.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <unordered_map>

#include "tfmend/names.h"

namespace tfmend {

namespace {

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

}  // namespace

bool isNameSeparator(char c) { return !std::isalnum(static_cast<unsigned char>(c)); }

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return std::tolower(c); });
  return s;
}

std::vector<NameValue> nameValues(const StackModel& model) {
  std::vector<NameValue> out;
  for (const Resource& r : model.resources()) {
    if (r.isData) continue;
    auto add = [&](const NameAttribute* attr) {
      const Json* v = getPath(*r.body, attr->attribute);
      if (!v || !v->is_string()) return;
      const std::string& s = v->get_ref<const std::string&>();
      if (s.empty() || !soleReference(s).target.empty()) return;  // a reference is not a literal name
      std::string pointer = r.pointer;
      for (std::size_t start = 0; start <= attr->attribute.size();) {
        std::size_t dot = attr->attribute.find('.', start);
        pointer += "/" + pointerToken(attr->attribute.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start));
        if (dot == std::string_view::npos) break;
        start = dot + 1;
      }
      out.push_back({&r, attr, std::move(pointer), s});
    };
    if (const NameAttribute* attr = nameAttributeOf(r.type)) {
      add(attr);
      // Where the type takes a `name_prefix` instead, the prefix is the name
      // (AWS appends 26 random characters; ALB and target group prefixes are 6).
      if (attr->attribute == "name" && !r.body->contains("name")) {
        if (const NameAttribute* prefix = prefixAttributeOf(r.type)) add(prefix);
      }
    }
    add(&kNameTag);
  }
  return out;
}

static std::string findSuffixVariable(const StackModel& model) {
  for (const auto& name : model.variableNames()) {
    std::string n = lower(name);
    n.erase(std::remove_if(n.begin(), n.end(), [](char c) { return c == '_' || c == '-'; }), n.end());
    if (n == "environmentsuffix" || n == "envsuffix" || n == "environmentnamesuffix") return name;
  }
  return {};
}

static std::string trailingToken(const std::string& s) {
  std::size_t i = s.size();
  while (i > 0 && !isNameSeparator(s[i - 1])) --i;
  return s.substr(i);
}

/// True if `value` carries `suffix` as a whole token (bounded by separators).
bool carries(const std::string& value, const Suffix& suffix) {
  if (!suffix.variable.empty()) return value.find(suffix.text) != std::string::npos;
  std::string v = lower(value), s = lower(suffix.text);
  for (std::size_t pos = v.find(s); pos != std::string::npos; pos = v.find(s, pos + 1)) {
    bool startOk = pos == 0 || isNameSeparator(v[pos - 1]);
    bool endOk = pos + s.size() == v.size() || isNameSeparator(v[pos + s.size()]);
    if (startOk && endOk) return true;
  }
  return false;
}

/// The separator that precedes the suffix in names that carry it ('-' by default).
static char separatorOf(const std::vector<NameValue>& names, const Suffix& suffix) {
  std::map<char, int> counts;
  for (const auto& n : names) {
    auto pos = n.value.rfind(suffix.text);
    if (pos != std::string::npos && pos > 0 && isNameSeparator(n.value[pos - 1]) && n.value[pos - 1] != '/') {
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
std::optional<Suffix> determineSuffix(const StackModel& model, const Settings& settings,
                                      const std::vector<NameValue>& names, std::string& ambiguity) {
  Suffix s;
  if (settings.envSuffix) {
    s.text = *settings.envSuffix;
    s.evidence = "from --env-suffix";
  } else if (std::string var = findSuffixVariable(model); !var.empty()) {
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
    s.evidence = "inferred from " + std::to_string(ranked[0].first) + " of " + std::to_string(literal) + " names, e.g.";
    int shown = 0;
    for (const auto& n : names) {
      if (shown < 3 && !hasTemplate(n.value) && lower(trailingToken(n.value)) == s.text) {
        s.evidence += std::string(shown++ ? ", " : " ") + n.value;
      }
    }
  }
  s.separator = separatorOf(names, s);
  return s;
}

/// `base` + separator + suffix, within the attribute's limits: too long a base
/// is cut and given a short hash of the whole, so distinct names stay distinct.
std::string withSuffix(const std::string& base, const Suffix& suffix, std::size_t maxLength) {
  std::string tail = std::string(1, suffix.separator) + suffix.text;
  std::size_t tailLength = suffix.variable.empty() ? tail.size() : 1 + 8;  // a variable's value: assume up to 8
  std::string b = base;
  while (!b.empty() && b.back() == suffix.separator) b.pop_back();
  if (b.size() + tailLength > maxLength) {
    std::string hash = shortHash(base, 6);
    if (maxLength < tailLength + hash.size() + 2) return {};  // not even a short base fits
    std::size_t keep = maxLength - tailLength - hash.size() - 1;
    b = b.substr(0, keep);
    while (!b.empty() && isNameSeparator(b.back())) b.pop_back();
    b += "-" + hash;
  }
  return b + tail;
}


const NameAttribute* nameAttributeOf(std::string_view type) {
  static const std::unordered_map<std::string_view, const NameAttribute*> byType = [] {
    std::unordered_map<std::string_view, const NameAttribute*> m;
    for (const auto& n : kNames) m.emplace(n.type, &n);
    return m;
  }();
  auto it = byType.find(type);
  return it == byType.end() ? nullptr : it->second;
}

const NameAttribute& nameTag() { return kNameTag; }

const NameAttribute* prefixAttributeOf(std::string_view type) {
  static const std::unordered_map<std::string_view, NameAttribute> byType = [] {
    std::unordered_map<std::string_view, NameAttribute> m;
    for (const auto& n : kNames) {
      if (n.attribute != "name") continue;
      bool short6 = n.type == "aws_lb" || n.type == "aws_alb" || n.type.find("target_group") != std::string_view::npos;
      std::size_t limit = short6 ? 6 : n.maxLength > 26 ? n.maxLength - 26 : n.maxLength;
      m.emplace(n.type, NameAttribute{n.type, "name_prefix", limit, n.lowercase, n.inPlace});
    }
    return m;
  }();
  auto it = byType.find(type);
  return it == byType.end() ? nullptr : &it->second;
}

Namer::Namer(const RuleContext& ctx) {
  std::string ambiguity;
  suffix_ = determineSuffix(ctx.model, ctx.settings, nameValues(ctx.model), ambiguity);
}

std::string Namer::name(std::string base, std::string_view type) const {
  const NameAttribute* attr = nameAttributeOf(type);
  if (attr && attr->lowercase) base = lower(base);
  if (!suffix_) return base;
  std::string named = withSuffix(base, *suffix_, attr ? attr->maxLength : 255);
  return named.empty() ? base : named;
}

std::string Namer::baseOf(const std::string& name) const {
  if (!suffix_ || suffix_->text.empty()) return name;
  std::string n = lower(name), s = lower(suffix_->text);
  if (n.size() > s.size() && n.compare(n.size() - s.size(), s.size(), s) == 0 &&
      isNameSeparator(name[name.size() - s.size() - 1])) {
    return name.substr(0, name.size() - s.size() - 1);
  }
  return name;
}

}  // namespace tfmend
