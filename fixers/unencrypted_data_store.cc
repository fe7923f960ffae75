// TFM003 unencrypted-data-store
//
// Finds: an Aurora/RDS global cluster without storage encryption; an Aurora/RDS
// or DocumentDB cluster, an RDS instance, a Redshift cluster, an EFS file
// system, an ElastiCache replication group, a DynamoDB table or an S3 bucket
// without encryption at rest under a customer-managed KMS key of its own region.
// Why: seed failure 4 — neither the Aurora global cluster nor its regional
// clusters set storage_encrypted or kms_key_id, against a PCI requirement of
// encryption at rest with customer-managed keys.
// Fix: encryption on, with the stack's CMK of the resource's region (a
// secondary cluster gets the secondary key); where the region has no CMK, one
// is created with rotation on and an alias carrying the environment suffix.
// Unsafe: for databases, file systems and caches encryption cannot be switched
// on for existing storage in place (the title says it forces replacement);
// for DynamoDB and S3 it is in place, but readers then need the key.
#include <unordered_map>

#include "rules.h"
#include "tfmend/s3.h"
#include "tfmend/builders.h"
#include "tfmend/naming.h"

namespace tfmend {

namespace {

struct EncryptedStore {
  std::string_view type;
  std::string_view block;      ///< the nested block that holds the two arguments, or empty
  std::string_view encrypted;  ///< the boolean that turns encryption on
  std::string_view kmsKey;     ///< the key argument; empty where the type has none
  bool inPlace;                ///< the provider switches it without replacing the resource
};

constexpr EncryptedStore kStores[] = {
    {"aws_rds_global_cluster", "", "storage_encrypted", "", false},
    {"aws_rds_cluster", "", "storage_encrypted", "kms_key_id", false},
    {"aws_docdb_cluster", "", "storage_encrypted", "kms_key_id", false},
    {"aws_db_instance", "", "storage_encrypted", "kms_key_id", false},
    {"aws_redshift_cluster", "", "encrypted", "kms_key_id", false},
    {"aws_efs_file_system", "", "encrypted", "kms_key_id", false},
    {"aws_elasticache_replication_group", "", "at_rest_encryption_enabled", "kms_key_id", false},
    {"aws_dynamodb_table", "server_side_encryption", "enabled", "kms_key_arn", true},
};

bool isTrue(const Json* v) { return v && ((v->is_boolean() && v->get<bool>()) || (v->is_string() && *v == "true")); }

std::string inBlock(const EncryptedStore& store, std::string_view argument) {
  return store.block.empty() ? std::string(argument) : std::string(store.block) + "." + std::string(argument);
}

/// What is wrong with a key value for a resource in `region`, or empty.
std::string keyProblem(const StackModel& model, const std::string& key, const std::string& argument,
                       const std::string& region) {
  if (key.empty()) return "encrypted with the AWS-managed key, not a customer-managed " + argument;
  std::string keyRegion = regionOfReference(model, key);
  if (!keyRegion.empty() && !region.empty() && keyRegion != region) {
    return argument + " is a key of " + keyRegion + ", not of the resource's region " + region;
  }
  return {};
}

/// What is wrong with `r`'s encryption, or empty.
std::string problem(const StackModel& model, const Resource& r, const EncryptedStore& store) {
  if (store.type == "aws_rds_global_cluster" && r.body->contains("source_db_cluster_identifier")) return {};  // inherits
  if (!isTrue(getPath(*r.body, inBlock(store, store.encrypted)))) return inBlock(store, store.encrypted) + " is not true";
  if (store.kmsKey.empty()) return {};
  return keyProblem(model, stringAt(*r.body, inBlock(store, store.kmsKey)), inBlock(store, store.kmsKey), r.region);
}

std::string title(const std::string& keyName, bool inPlace) {
  return "encrypt at rest" + (keyName.empty() ? std::string() : " with " + keyName) +
         (inPlace ? "" : " (forces replacement of the resource)");
}

void checkStores(const RuleContext& ctx, Namer& namer, std::vector<Finding>& out) {
  const Rule& rule = unencryptedDataStoreRule();
  for (const auto& store : kStores) {
    for (const Resource* r : ctx.model.ofType(store.type)) {
      std::string what = problem(ctx.model, *r, store);
      if (what.empty()) continue;
      bool onlyKey = isTrue(getPath(*r->body, inBlock(store, store.encrypted)));
      std::string pointer = r->pointer;
      for (auto part : {store.block, onlyKey ? store.kmsKey : store.encrypted}) {
        if (!part.empty()) pointer = pointerJoin(pointer, {part});
      }
      Finding f = makeFinding(rule, *r, pointer, what);
      std::string keyName, keyArn;
      if (!store.kmsKey.empty()) {
        if (r->region.empty()) {
          f.message += " (no fix: the resource's region is unknown)";
          out.push_back(std::move(f));
          continue;
        }
        const Resource* key = kmsKeyIn(ctx.model, r->region);
        keyName = key ? key->address : "a new key";
      }
      PatchBuilder b(ctx.model);
      if (!store.kmsKey.empty()) keyArn = regionKeyArn(b, ctx.model, namer, r->region, r->provider);
      if (store.block.empty()) {
        b.set(*r, store.encrypted, true);
        if (!keyArn.empty()) b.set(*r, store.kmsKey, keyArn);
      } else {
        // The block keeps what else it holds.
        const Json* existing = getPath(*r->body, store.block);
        Json block = existing && existing->is_object() ? *existing : Json::object();
        block[std::string(store.encrypted)] = true;
        if (!keyArn.empty()) block[std::string(store.kmsKey)] = keyArn;
        if (r->body->at(std::string(store.block)).is_array()) block = Json::array({block});
        b.set(*r, store.block, block);
      }
      Fix fix;
      fix.applicability = Applicability::Unsafe;
      fix.forcesReplacement = !store.inPlace;
      fix.title = title(keyName, store.inPlace);
      fix.ops = b.ops();
      f.fix = std::move(fix);
      out.push_back(std::move(f));
    }
  }
}

/// S3 default encryption: SSE-KMS under a customer-managed key of the bucket's
/// region, set by an aws_s3_bucket_server_side_encryption_configuration (or the
/// older inline block, which the fix leaves to the person: no fix).
void checkBuckets(const RuleContext& ctx, Namer& namer, std::vector<Finding>& out) {
  const Rule& rule = unencryptedDataStoreRule();
  auto buckets = ctx.model.ofType("aws_s3_bucket");
  if (buckets.empty()) return;
  S3Index s3(ctx.model);
  std::unordered_map<std::string, const Resource*> configOf;
  for (const Resource* c : ctx.model.ofType("aws_s3_bucket_server_side_encryption_configuration")) {
    if (const Resource* b = ctx.model.referenced(getPath(*c->body, "bucket"), "aws_s3_bucket", "bucket")) configOf[b->address] = c;
  }
  for (const Resource* bucket : buckets) {
    const BucketFacts& facts = s3.of(*bucket);
    std::string what = !facts.kmsEncrypted ? "default encryption is not SSE-KMS with a customer-managed key"
                                           : keyProblem(ctx.model, facts.kmsKey, "kms_master_key_id", bucket->region);
    if (what.empty()) continue;
    auto config = configOf.find(bucket->address);
    Finding f = makeFinding(rule, *bucket, bucket->pointer, what);
    bool inlineOnly = config == configOf.end() && !blocks(*bucket->body, "server_side_encryption_configuration").empty();
    if (bucket->region.empty() || inlineOnly) {
      f.message += inlineOnly ? " (no fix: its inline server_side_encryption_configuration is deprecated; move it to "
                                "aws_s3_bucket_server_side_encryption_configuration)"
                              : " (no fix: the bucket's region is unknown)";
      out.push_back(std::move(f));
      continue;
    }
    const Resource* key = kmsKeyIn(ctx.model, bucket->region);
    PatchBuilder b(ctx.model);
    std::string keyArn = regionKeyArn(b, ctx.model, namer, bucket->region, bucket->provider);
    Json sse = Json::array({{{"apply_server_side_encryption_by_default", {{"sse_algorithm", "aws:kms"}, {"kms_master_key_id", keyArn}}},
                              {"bucket_key_enabled", true}}});
    if (config != configOf.end()) {
      b.set(*config->second, "rule", sse);
    } else {
      b.addResource("aws_s3_bucket_server_side_encryption_configuration", constructId(*bucket) + "-encryption", *bucket,
                    bucket->provider, {{"bucket", ref(bucket->address, "id")}, {"rule", sse}});
    }
    Fix fix;
    fix.applicability = Applicability::Unsafe;
    fix.title = title(key ? key->address : "a new key", true);
    fix.ops = b.ops();
    f.fix = std::move(fix);
    out.push_back(std::move(f));
  }
}

std::vector<Finding> check(const RuleContext& ctx) {
  std::vector<Finding> out;
  Namer namer(ctx);
  checkStores(ctx, namer, out);
  checkBuckets(ctx, namer, out);
  return out;
}

}  // namespace

const Rule& unencryptedDataStoreRule() {
  static const Rule rule{"TFM003", "unencrypted-data-store", Severity::High,
                         "a data store without encryption at rest under a customer-managed key of its region", "unsafe",
                         check};
  return rule;
}

}  // namespace tfmend
