// TFM009 missing-critical-alarm: docs/rules/TFM009-missing-critical-alarm.md
#include <map>
#include <set>

#include "rules.h"
#include "tfmend/builders.h"
#include "tfmend/aws_catalog.h"
#include "tfmend/pass_facts.h"
#include "tfmend/values.h"

namespace tfmend {

namespace {

/// A dimension value by what it names: the resource a reference points at, else the literal.
std::string dimensionKey(const StackModel& model, const Json& value, std::string_view type, std::string_view attribute) {
  if (const Resource* r = model.referenced(&value, type, attribute)) return r->address;
  return value.is_string() ? value.get<std::string>() : value.dump();
}

/// One alarm the stack should have.
struct NeededAlarm {
  const Resource* monitored;
  std::string metricNamespace, metric, statistic;
  std::map<std::string, std::string> dimensions;  ///< name -> value to write
  std::map<std::string, std::string> keys;        ///< name -> what it names, for matching
  double threshold;
  int period, evaluationPeriods;
  std::string nameBase;   ///< alarm name without the suffix
  std::string idSuffix;   ///< for the construct id
  std::string subject;    ///< what is monitored ("Aurora global secondary cluster"), for the description
  std::string what;       ///< for the message
};

std::string matchKey(const std::string& ns, const std::string& metric, const std::map<std::string, std::string>& keys) {
  std::string k = ns + "|" + metric;
  for (const auto& [name, value] : keys) k += "|" + name + "=" + value;
  return k;
}

/// Keys of the alarms the stack has, with dimensions normalized to what they name.
std::set<std::string> existingAlarms(const StackModel& model) {
  std::set<std::string> out;
  static const std::map<std::string, std::pair<std::string, std::string>> kinds = {
      {"DBClusterIdentifier", {"aws_rds_cluster", "cluster_identifier"}},
      {"SourceBucket", {"aws_s3_bucket", "bucket"}},
      {"DestinationBucket", {"aws_s3_bucket", "bucket"}},
      {"ClusterName", {"aws_ecs_cluster", "name"}},
      {"ServiceName", {"aws_ecs_service", "name"}}};
  for (const Resource* a : model.ofType("aws_cloudwatch_metric_alarm")) {
    std::map<std::string, std::string> keys;
    if (const Json* dims = getPath(*a->body, "dimensions"); dims && dims->is_object()) {
      for (const auto& [name, value] : dims->items()) {
        auto kind = kinds.find(name);
        keys[name] = kind == kinds.end() ? (value.is_string() ? value.get<std::string>() : value.dump())
                                         : dimensionKey(model, value, kind->second.first, kind->second.second);
      }
    }
    out.insert(matchKey(stringAt(*a->body, "namespace"), stringAt(*a->body, "metric_name"), keys));
  }
  return out;
}


std::vector<NeededAlarm> neededAlarms(const RuleContext& ctx, const Namer& namer) {
  const StackModel& m = ctx.model;
  std::vector<NeededAlarm> out;
  const GlobalClusters& globals = ctx.facts.globalClusters();
  for (const Resource* c : m.ofType("aws_rds_cluster")) {
    if (!globals.isSecondary(*c)) continue;
    out.push_back({c, "AWS/RDS", "AuroraGlobalDBReplicationLag", "Average",
                   {{"DBClusterIdentifier", ref(c->address, "cluster_identifier")}}, {{"DBClusterIdentifier", c->address}},
                   ctx.settings.replicationLagThresholdMs, 60, 3, namer.baseName(*c) + "-replication-lag",
                   "replication-lag-alarm", "Aurora global secondary cluster", "Aurora global secondary cluster has no replication lag alarm"});
  }
  for (const Resource* rep : m.ofType("aws_s3_bucket_replication_configuration")) {
    const Resource* source = bucketNamed(m, getPath(*rep->body, "bucket"));
    if (!source) continue;
    for (const Json* rule : blocks(*rep->body, "rule")) {
      auto ruleId = stringOf(m, getPath(*rule, "id"));
      const Resource* dest = bucketNamed(m, getPath(*rule, "destination.bucket"));
      // The metric exists only where the rule publishes replication metrics (or has RTC, which implies them).
      bool metrics = stringOf(m, getPath(*rule, "destination.metrics.status")) == "Enabled" ||
                     stringOf(m, getPath(*rule, "destination.replication_time.status")) == "Enabled";
      if (!dest || !ruleId || ruleId->empty() || !metrics) continue;
      out.push_back({rep, "AWS/S3", "ReplicationLatency", "Maximum",
                     {{"SourceBucket", ref(source->address, "bucket")}, {"DestinationBucket", ref(dest->address, "bucket")}, {"RuleId", *ruleId}},
                     {{"SourceBucket", source->address}, {"DestinationBucket", dest->address}, {"RuleId", *ruleId}},
                     ctx.settings.replicationLatencyThresholdSeconds, 300, 1, namer.baseName(*source) + "-replication-latency",
                     "latency-alarm-" + *ruleId, "S3 replication rule \"" + *ruleId + "\"",
                     "replication rule \"" + *ruleId + "\" to " + dest->address + " has no replication latency alarm"});
    }
  }
  for (const Resource* svc : m.ofType("aws_ecs_service")) {
    const Resource* cluster = m.referenced(getPath(*svc->body, "cluster"), "aws_ecs_cluster", "name", svc);
    auto literalCluster = stringOf(m, getPath(*svc->body, "cluster"));
    if (!cluster && (!literalCluster || literalCluster->empty())) continue;  // its cluster is unknown: no metric to name
    std::string clusterValue = cluster ? ref(cluster->address, "name") : *literalCluster;
    std::string clusterKey = cluster ? cluster->address : clusterValue;
    out.push_back({svc, "AWS/ECS", "MemoryUtilization", "Average",
                   {{"ClusterName", clusterValue}, {"ServiceName", ref(svc->address, "name")}},
                   {{"ClusterName", clusterKey}, {"ServiceName", svc->address}},
                   ctx.settings.memoryThresholdPercent, 300, 2, namer.baseName(*svc) + "-memory", "memory-alarm",
                   "ECS service", "ECS service has no memory utilisation alarm"});
  }
  return out;
}

/// The SNS topic that the alarms under `provider` notify (the most used), else a topic under it.
const Resource* alarmTopicOf(const StackModel& m, const std::string& provider, std::map<std::string, const Resource*>& memo) {
  if (auto it = memo.find(provider); it != memo.end()) return it->second;
  const Resource* found = nullptr;
  std::map<std::string, int> uses;
  for (const Resource* a : m.ofType("aws_cloudwatch_metric_alarm")) {
    if (a->provider != provider) continue;
    if (const Json* actions = getPath(*a->body, "alarm_actions")) {
      for (const Resource* t : targetsOf(m, actions, a).resources) {
        if (!t->isData && t->type == "aws_sns_topic" && t->provider == provider) uses[t->address]++;
      }
    }
  }
  int bestCount = 0;
  for (const auto& [address, k] : uses) {
    if (k > bestCount) found = m.find(address), bestCount = k;
  }
  for (const Resource* t : m.ofType("aws_sns_topic")) {
    if (!found && t->provider == provider) found = t;
  }
  return memo[provider] = found;
}

std::vector<Finding> check(const RuleContext& ctx) {
  const Rule& rule = missingCriticalAlarmRule();
  std::vector<Finding> out;
  // Monitoring that the stack does not do in Terraform at all (no alarm of its
  // own) is done elsewhere; a reusable module (no provider) leaves alarms to its caller.
  auto alarms = ctx.model.ofType("aws_cloudwatch_metric_alarm");
  bool awsProvider = false;
  for (const Provider& p : ctx.model.providers()) awsProvider = awsProvider || p.type == "aws";
  if (alarms.empty() || !awsProvider) {
    ctx.facts.markDormant(rule.id);
    return out;
  }
  const Namer& namer = ctx.facts.namer();
  auto needed = neededAlarms(ctx, namer);
  if (needed.empty()) return out;
  auto existing = existingAlarms(ctx.model);
  std::map<std::string, const Resource*> topics;
  for (const auto& a : needed) {
    if (existing.count(matchKey(a.metricNamespace, a.metric, a.keys))) continue;
    Finding f = makeFinding(rule, *a.monitored, a.monitored->pointer, a.what);
    if (a.monitored->region.empty()) {
      f.withoutFix("its region is unknown");
      out.push_back(std::move(f));
      continue;
    }
    PatchBuilder b(ctx.model);
    const std::string& region = a.monitored->region;
    std::string provider = a.monitored->provider;
    std::string topic, newTopicName;
    if (const Resource* t = alarmTopicOf(ctx.model, provider, topics)) {
      topic = t->address;
    } else {
      // A topic like the stack's existing one, named for this region; one per
      // region (every fix here names the same one).
      auto allTopics = ctx.model.ofType("aws_sns_topic");
      const Resource* like = allTopics.empty() ? nullptr : allTopics.front();
      const Resource& anchor = like ? *like : *a.monitored;
      const RegionWords& words = ctx.facts.regionWords();
      std::string likeRegionWord = like ? words.of(like->region) : "";
      std::string word = words.of(region);
      std::string base = like ? namer.baseName(*like, "alerts") : "alerts";
      std::string swapped = swapWord(base, likeRegionWord, word);
      if (swapped == base) swapped = base + "-" + word;
      std::string id = "alerts-" + region;
      newTopicName = namer.name(swapped, "aws_sns_topic");
      topic = b.addResource("aws_sns_topic", id, anchor, provider, {{"name", newTopicName}});
    }
    const Resource& near = alarms.empty() ? *a.monitored : *alarms.front();
    std::string alarmName = namer.name(a.nameBase, "aws_cloudwatch_metric_alarm");
    std::string monitoredId = scopedId(*a.monitored);
    Json dims = Json::object();
    for (const auto& [k, v] : a.dimensions) dims[k] = v;
    b.addResource("aws_cloudwatch_metric_alarm", monitoredId + "-" + a.idSuffix, near, provider,
                  {{"alarm_name", alarmName},
                   {"alarm_description", a.subject + ": " + a.metric},
                   {"namespace", a.metricNamespace},
                   {"metric_name", a.metric},
                   {"dimensions", dims},
                   {"statistic", a.statistic},
                   {"period", a.period},
                   {"evaluation_periods", a.evaluationPeriods},
                   {"threshold", a.threshold},
                   {"comparison_operator", "GreaterThanThreshold"},
                   {"treat_missing_data", "notBreaching"},
                   {"alarm_actions", Json::array({ref(topic, "arn")})},
                   {"ok_actions", Json::array({ref(topic, "arn")})}});
    Fix fix;
    fix.applicability = Applicability::Safe;
    std::string threshold = a.threshold == static_cast<double>(static_cast<long long>(a.threshold))
                                ? std::to_string(static_cast<long long>(a.threshold))
                                : Json(a.threshold).dump();
    fix.title = "add the alarm \"" + alarmName + "\" (" + a.metric + " > " + threshold + ")";
    // Alarm actions must be in the alarm's region; a topic made here has no
    // subscriber, so the alarm notifies no one until someone subscribes.
    if (!newTopicName.empty()) fix.title += " and the SNS topic \"" + newTopicName + "\" it notifies, which needs a subscriber";
    fix.ops = b.ops();
    f.fix = std::move(fix);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

const Rule& missingCriticalAlarmRule() {
  static const Rule rule{"TFM009", "missing-critical-alarm", Severity::Medium,
                         "no alarm on Aurora global replication lag, S3 replication latency or ECS memory", "safe",
                         check};
  return rule;
}

}  // namespace tfmend
