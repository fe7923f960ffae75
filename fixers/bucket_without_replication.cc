// TFM005 bucket-without-replication
//
// Finds: an S3 bucket whose counterpart exists in another region of the stack
// (the same name once the region part is set aside: "primary"/"secondary",
// "dr", "replica", the region's name) and that has no replication
// configuration, neither an aws_s3_bucket_replication_configuration nor the
// older inline block.
// Why: seed failure 6 — the transaction log and audit trail buckets existed in
// both regions, but nothing replicated them: the secondary copies stayed empty
// and the disaster recovery design did not work.
// Fix: an aws_s3_bucket_replication_configuration in the source's region with
// an enabled rule (filter, delete-marker replication, destination ARN and
// storage class, replication time control and metrics, so that TFM009 can
// alarm on latency), the destination region's KMS key for replicas and SSE-KMS
// selection where the source is KMS-encrypted, depends_on the versioning of
// both buckets (added where missing), and the replication role (the stack's
// role that s3.amazonaws.com assumes, else a new one; TFM006 gives it its policy).
#include <algorithm>
#include <map>

#include "rules.h"
#include "tfmend/builders.h"
#include "tfmend/naming.h"
#include "tfmend/s3.h"

namespace tfmend {

namespace {

enum class Side { Unknown, Source, Destination };

constexpr std::string_view kSourceWords[] = {"primary", "source", "src"};
constexpr std::string_view kDestinationWords[] = {"secondary", "dr", "replica", "backup", "failover", "destination", "dst"};

/// The bucket's name with its region part replaced by "*", and which side the
/// name says it is on. Buckets whose names share a stem are counterparts.
std::pair<std::string, Side> stemOf(const std::string& name, const std::string& region) {
  std::string n = lower(name);
  bool marked = false;
  if (!region.empty()) {
    for (auto pos = n.find(region); pos != std::string::npos; pos = n.find(region, pos + 1)) {
      n.replace(pos, region.size(), "*");
      marked = true;
    }
  }
  Side side = Side::Unknown;
  std::string out;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= n.size(); ++i) {
    if (i < n.size() && !isNameSeparator(n[i])) continue;
    std::string token = n.substr(start, i - start);
    for (auto w : kSourceWords) {
      if (token == w) token = "*", side = Side::Source, marked = true;
    }
    for (auto w : kDestinationWords) {
      if (token == w) token = "*", side = Side::Destination, marked = true;
    }
    out += token;
    if (i < n.size()) out += n[i];
    start = i + 1;
  }
  return {marked ? out : std::string(), side};
}

/// A source bucket and its counterparts in other regions.
struct Counterparts {
  const Resource* source;
  std::vector<const Resource*> destinations;
};

/// Counterpart buckets in different regions, grouped by their source.
std::vector<Counterparts> counterparts(const StackModel& model) {
  std::map<std::string, std::vector<std::pair<const Resource*, Side>>> byStem;
  for (const Resource* b : model.ofType("aws_s3_bucket")) {
    std::string name = stringAt(*b->body, "bucket");
    if (name.empty() || b->region.empty()) continue;
    auto [stem, side] = stemOf(name, b->region);
    if (!stem.empty()) byStem[stem].push_back({b, side});
  }
  std::vector<Counterparts> out;
  for (const auto& [stem, buckets] : byStem) {
    if (buckets.size() < 2) continue;
    // The source: named so, else the one under the default provider, else the first.
    const Resource* source = nullptr;
    for (const auto& [b, side] : buckets) {
      if (side == Side::Source && !source) source = b;
    }
    for (const auto& [b, side] : buckets) {
      const Provider* p = model.provider(b->provider);
      if (!source && side != Side::Destination && p && p->alias.empty()) source = b;
    }
    if (!source) source = buckets.front().first;
    Counterparts c{source, {}};
    for (const auto& [b, side] : buckets) {
      if (b != source && b->region != source->region) c.destinations.push_back(b);
    }
    if (!c.destinations.empty()) out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.source->index < b.source->index; });
  return out;
}

/// A role that s3.amazonaws.com may assume, preferring one a replication already uses.
const Resource* replicationRole(const StackModel& model) {
  const Resource* found = nullptr;
  for (const Resource* role : model.ofType("aws_iam_role")) {
    if (stringAt(*role->body, "assume_role_policy").find("s3.amazonaws.com") == std::string::npos) continue;
    for (const Reference* use : model.usersOf(role->address)) {
      const Resource* user = model.find(use->from);
      if (user && user->type == "aws_s3_bucket_replication_configuration") return role;
    }
    if (!found) found = role;
  }
  return found;
}

std::vector<Finding> check(const RuleContext& ctx) {
  const Rule& rule = bucketWithoutReplicationRule();
  std::vector<Finding> out;
  auto pairs = counterparts(ctx.model);
  if (pairs.empty()) return out;
  S3Index s3(ctx.model);
  Namer namer(ctx);
  const Resource* existingRole = replicationRole(ctx.model);
  for (const auto& [src, dsts] : pairs) {
    const BucketFacts& sf = s3.of(*src);
    if (!sf.replications.empty() || sf.inlineReplication) continue;
    std::string where;
    for (const Resource* d : dsts) where += (where.empty() ? "" : ", ") + d->address + " in " + d->region;
    Finding f = makeFinding(rule, *src, src->pointer,
                            "bucket has a counterpart (" + where + ") but no replication configuration");
    PatchBuilder b(ctx.model);
    auto versioningOf = [&](const Resource& bucket, const BucketFacts& facts) -> std::string {
      if (facts.versioning) return facts.versioning == &bucket ? std::string() : facts.versioning->address;
      return b.addResource("aws_s3_bucket_versioning", constructId(bucket) + "-versioning", bucket, bucket.provider,
                           {{"bucket", ref(bucket.address, "id")}, {"versioning_configuration", {{"status", "Enabled"}}}});
    };
    Json dependsOn = Json::array();
    if (auto v = versioningOf(*src, sf); !v.empty()) dependsOn.push_back(v);
    std::string role;
    if (existingRole) {
      role = existingRole->address;
    } else {
      // One new role for every replication: the fixes of several buckets name the same one.
      const Resource& anchor = *ctx.model.ofType("aws_s3_bucket").front();
      Json assume = {{"Version", "2012-10-17"},
                     {"Statement", Json::array({{{"Effect", "Allow"},
                                                 {"Principal", {{"Service", "s3.amazonaws.com"}}},
                                                 {"Action", "sts:AssumeRole"}}})}};
      // IAM is global: the role goes under the default provider where there is one.
      std::string provider = ctx.model.provider("aws") ? "aws" : src->provider;
      role = b.addResource("aws_iam_role", "s3-replication-role", anchor, provider,
                           {{"name", namer.name("s3-replication-role", "aws_iam_role")}, {"assume_role_policy", assume.dump()}});
    }
    Json rules = Json::array();
    for (const Resource* dst : dsts) {
      const BucketFacts& df = s3.of(*dst);
      if (auto v = versioningOf(*dst, df); !v.empty()) dependsOn.push_back(v);
      Json destination = {{"bucket", ref(dst->address, "arn")},
                          {"storage_class", "STANDARD"},
                          {"replication_time", {{"status", "Enabled"}, {"time", {{"minutes", 15}}}}},
                          {"metrics", {{"status", "Enabled"}, {"event_threshold", {{"minutes", 15}}}}}};
      Json ruleBody = {{"id", "replicate-to-" + dst->region},
                       {"status", "Enabled"},
                       {"priority", rules.size() + 1},
                       {"filter", {{"prefix", ""}}},
                       {"delete_marker_replication", {{"status", "Enabled"}}}};
      if (sf.kmsEncrypted) {
        std::string replicaKey = df.kmsKey.empty() ? regionKeyArn(b, ctx.model, namer, dst->region, dst->provider) : df.kmsKey;
        destination["encryption_configuration"] = {{"replica_kms_key_id", replicaKey}};
        ruleBody["source_selection_criteria"] = {{"sse_kms_encrypted_objects", {{"status", "Enabled"}}}};
      }
      ruleBody["destination"] = destination;
      rules.push_back(ruleBody);
    }
    Json config = {{"bucket", ref(src->address, "id")}, {"role", ref(role, "arn")}, {"rule", rules}};
    if (!dependsOn.empty()) config["depends_on"] = dependsOn;
    b.addResource("aws_s3_bucket_replication_configuration", constructId(*src) + "-replication", *src, src->provider, config);
    Fix fix;
    fix.applicability = Applicability::Unsafe;
    fix.title = "replicate to " + where;
    fix.ops = b.ops();
    f.fix = std::move(fix);
    out.push_back(std::move(f));
  }
  return out;
}

}  // namespace

const Rule& bucketWithoutReplicationRule() {
  static const Rule rule{"TFM005", "bucket-without-replication", Severity::High,
                         "a bucket with a counterpart in another region but no replication", "unsafe", check};
  return rule;
}

}  // namespace tfmend
