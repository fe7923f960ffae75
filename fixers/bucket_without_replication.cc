// TFM005 bucket-without-replication: docs/rules/TFM005-bucket-without-replication.md
#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "rules.h"
#include "tfmend/aws_catalog.h"
#include "tfmend/builders.h"
#include "tfmend/iam.h"
#include "tfmend/pass_facts.h"
#include "tfmend/values.h"

namespace tfmend {

namespace {

using aws::Side;

/// The bucket's name with its region and side words replaced by "*", and the
/// side its name says it is on; `sided` is true when a side word was found.
/// Buckets whose names share a stem are counterparts.
struct Stem {
  std::string text;
  Side side = Side::Neutral;
  bool sided = false;
};

Stem stemOf(const std::string& name, const std::string& region) {
  std::string n = lower(name);
  if (!region.empty()) {
    for (auto pos = n.find(region); pos != std::string::npos; pos = n.find(region, pos + 1)) n.replace(pos, region.size(), "*");
  }
  Stem stem;
  std::size_t start = 0;
  for (std::size_t i = 0; i <= n.size(); ++i) {
    if (i < n.size() && !isNameSeparator(n[i])) continue;
    std::string token = n.substr(start, i - start);
    if (auto side = aws::sideOf(token)) {
      token = "*";
      stem.side = *side;
      stem.sided = true;
    }
    stem.text += token;
    if (i < n.size()) stem.text += n[i];
    start = i + 1;
  }
  return stem;
}

/// Buckets that receive logs of a region's services: regional by design.
std::set<const Resource*> logBuckets(const StackModel& model) {
  std::set<const Resource*> out;
  for (const aws::BucketConsumer& c : aws::bucketConsumers()) {
    if (c.use == aws::BucketUse::CloudFrontOrigin) continue;
    for (const Resource* user : model.ofType(c.type)) {
      std::string path(c.attribute);
      if (const Resource* b = bucketNamed(model, getPath(*user->body, path))) out.insert(b);
    }
  }
  return out;
}

/// A source bucket and its counterparts in other regions.
struct Counterparts {
  const Resource* source;  ///< null when the names do not say which one is the source
  std::vector<const Resource*> buckets;
};

/// Groups of buckets in different regions whose names differ only by a side
/// word ("primary"/"secondary", "dr", "replica", ...) and the region's name,
/// where no bucket of the group replicates or is replicated to yet.
std::vector<Counterparts> counterparts(const StackModel& model, const S3Index& s3) {
  std::map<std::string, std::vector<std::pair<const Resource*, Stem>>> byStem;
  std::set<const Resource*> logs = logBuckets(model);
  for (const Resource* b : model.ofType("aws_s3_bucket")) {
    // A name built from variables is compared as written: counterparts share the interpolations.
    const Json* value = getPath(*b->body, "bucket");
    auto literal = stringOf(model, value);
    std::string name = literal ? *literal : value && value->is_string() ? value->get<std::string>() : "";
    if (name.empty() || b->region.empty() || logs.count(b)) continue;
    Stem stem = stemOf(name, b->region);
    if (stem.sided) byStem[stem.text].push_back({b, stem});
  }
  std::vector<Counterparts> out;
  for (const auto& [text, buckets] : byStem) {
    std::set<std::string> regions;
    bool replicating = false;
    for (const auto& [b, stem] : buckets) {
      regions.insert(b->region);
      const BucketFacts& f = s3.of(*b);
      replicating = replicating || !f.replications.empty() || f.inlineReplication || f.replicaOf;
    }
    if (regions.size() < 2 || replicating) continue;
    // The source: the one bucket named as a source, else the one bucket not named as a destination.
    std::vector<const Resource*> sources, notDestinations;
    for (const auto& [b, stem] : buckets) {
      if (stem.side == Side::Source) sources.push_back(b);
      if (stem.side != Side::Destination) notDestinations.push_back(b);
    }
    const Resource* source = sources.size() == 1 ? sources.front() : notDestinations.size() == 1 ? notDestinations.front() : nullptr;
    Counterparts c{source, {}};
    for (const auto& [b, stem] : buckets) c.buckets.push_back(b);
    out.push_back(std::move(c));
  }
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.buckets.front()->index < b.buckets.front()->index; });
  return out;
}

std::set<std::string> nameWords(const std::string& name) {
  std::set<std::string> out;
  std::string word;
  for (char c : name + "-") {
    if (std::isalnum(static_cast<unsigned char>(c))) {
      word += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    } else if (!word.empty()) {
      out.insert(word);
      word.clear();
    }
  }
  return out;
}

/// A role that s3.amazonaws.com may assume, whether a replication already
/// uses it, and the words of its name (scored against each bucket's).
struct RoleCandidate {
  const Resource* role;
  bool replicating;
  std::set<std::string> words;
};

/// The roles under `provider` that s3.amazonaws.com may assume.
std::vector<RoleCandidate> replicationRoles(const StackModel& model, const std::string& provider) {
  std::vector<RoleCandidate> out;
  for (const Resource* role : model.ofType("aws_iam_role")) {
    if (role->provider != provider || !trustedServices(model, *role).count("s3.amazonaws.com")) continue;
    bool replicating = false;
    for (const Reference* use : model.usersOf(role->address)) {
      const Resource* user = model.find(use->from);
      if (user && user->type == "aws_s3_bucket_replication_configuration") replicating = true;
    }
    out.push_back({role, replicating, nameWords(constructId(*role))});
  }
  return out;
}

/// The role the replication of `bucket` uses: of several, the one whose name
/// shares most words with the bucket's (a role per bucket), then one that a
/// replication already uses, then the first.
const Resource* roleFor(const Resource& bucket, const std::vector<RoleCandidate>& candidates) {
  const Resource* best = nullptr;
  std::pair<std::size_t, bool> bestScore{0, false};
  const auto words = nameWords(constructId(bucket));
  for (const auto& c : candidates) {
    std::size_t shared = 0;
    for (const auto& w : c.words) shared += words.count(w);
    std::pair<std::size_t, bool> score{shared, c.replicating};
    if (!best || score > bestScore) {
      best = c.role;
      bestScore = score;
    }
  }
  return best;
}

std::vector<Finding> check(const RuleContext& ctx) {
  const Rule& rule = bucketWithoutReplicationRule();
  std::vector<Finding> out;
  if (ctx.model.ofType("aws_s3_bucket").size() < 2) return out;
  const S3Index& s3 = ctx.facts.s3();
  auto groups = counterparts(ctx.model, s3);
  std::map<std::string, std::vector<RoleCandidate>> roles;  // provider -> its replication roles, looked up once
  for (const auto& group : groups) {
    const Resource* src = group.source;
    std::vector<const Resource*> dsts;
    for (const Resource* b : group.buckets) {
      if (b != src && (!src || b->region != src->region)) dsts.push_back(b);
    }
    if (!src) {
      std::string names;
      for (const Resource* b : group.buckets) names += (names.empty() ? "" : ", ") + b->address + " in " + b->region;
      Finding f = makeFinding(rule, *group.buckets.front(), group.buckets.front()->pointer,
                              "buckets are counterparts in different regions (" + names + ") but none replicates");
      f.withoutFix("their names do not say which one is the source (primary, source) and which the replicas");
      out.push_back(std::move(f));
      continue;
    }
    if (dsts.empty()) continue;
    if (std::string old = providerTooOld(ctx.model, 4, "aws_s3_bucket_replication_configuration"); !old.empty()) {
      std::string where;
      for (const Resource* d : dsts) where += (where.empty() ? "" : ", ") + d->address + " in " + d->region;
      Finding f = makeFinding(rule, *src, src->pointer, "bucket has a counterpart (" + where + ") but no replication configuration");
      f.withoutFix(old);
      out.push_back(std::move(f));
      continue;
    }
    std::string where;
    for (const Resource* d : dsts) where += (where.empty() ? "" : ", ") + d->address + " in " + d->region;
    Finding f = makeFinding(rule, *src, src->pointer,
                            "bucket has a counterpart (" + where + ") but no replication configuration");
    auto memo = roles.find(src->provider);
    if (memo == roles.end()) memo = roles.emplace(src->provider, replicationRoles(ctx.model, src->provider)).first;
    const Resource* existingRole = roleFor(*src, memo->second);
    Fix fix;
    fix.applicability = Applicability::Unsafe;
    fix.title = "replicate to " + where + " (with Replication Time Control and replication metrics, which are billed)";
    // Made only if the fix is: a check reads the title alone.
    fix.makeOps = [&ctx, &s3, src, dsts, existingRole] {
      const Namer& namer = ctx.facts.namer();
      const BucketFacts& sf = s3.of(*src);
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
        // One new role for every replication under this provider: the fixes of
        // several buckets name the same one.
        const Resource* anchor = src;
        for (const Resource* bucket : ctx.model.ofType("aws_s3_bucket")) {
          if (bucket->provider == src->provider) {
            anchor = bucket;
            break;
          }
        }
        Json assume = {{"Version", "2012-10-17"},
                       {"Statement", Json::array({{{"Effect", "Allow"},
                                                   {"Principal", {{"Service", "s3.amazonaws.com"}}},
                                                   {"Action", "sts:AssumeRole"}}})}};
        // IAM names are unique in the account, across regions: the role of a
        // second provider (maybe the same account) carries its region.
        std::string qualifier = namer.providerQualifier(src->provider);
        std::string roleName =
            namer.uniqueName("s3-replication" + (qualifier.empty() ? "" : "-" + qualifier) + "-role", "aws_iam_role", src->provider);
        role = b.addResource("aws_iam_role", "s3-replication-role", *anchor, src->provider,
                             {{"name", roleName}, {"assume_role_policy", assume.dump()}});
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
          std::string replicaKey = df.kmsKey.empty() ? providerKeyArn(b, ctx.model, namer, dst->provider, dst->region) : df.kmsKey;
          destination["encryption_configuration"] = {{"replica_kms_key_id", replicaKey}};
          ruleBody["source_selection_criteria"] = {{"sse_kms_encrypted_objects", {{"status", "Enabled"}}}};
        }
        ruleBody["destination"] = destination;
        rules.push_back(ruleBody);
      }
      Json config = {{"bucket", ref(src->address, "id")}, {"role", ref(role, "arn")}, {"rule", rules}};
      if (!dependsOn.empty()) config["depends_on"] = dependsOn;
      b.addResource("aws_s3_bucket_replication_configuration", constructId(*src) + "-replication", *src, src->provider, config);
      return b.ops();
    };
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
