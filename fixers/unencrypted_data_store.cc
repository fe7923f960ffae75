// TFM003 unencrypted-data-store
//
// Finds: an Aurora/RDS global cluster without storage encryption; an Aurora/RDS
// or DocumentDB cluster, an RDS instance or a Redshift cluster without
// encryption at rest under a customer-managed KMS key of its own region.
// Why: seed failure 4 — neither the Aurora global cluster nor its regional
// clusters set storage_encrypted or kms_key_id, against a PCI requirement of
// encryption at rest with customer-managed keys.
// Fix: encryption on, with the stack's CMK of the resource's region (a
// secondary cluster gets the secondary key); where the region has no CMK, one
// is created with rotation on and an alias carrying the environment suffix.
// Unsafe: encryption cannot be switched on for existing storage in place.
#include "rules.h"
#include "tfmend/builders.h"
#include "tfmend/naming.h"

namespace tfmend {

namespace {

struct EncryptedStore {
  std::string_view type;
  std::string_view encrypted;  ///< the boolean that turns encryption on
  std::string_view kmsKey;     ///< the key argument; empty where the type has none
};

constexpr EncryptedStore kStores[] = {
    {"aws_rds_global_cluster", "storage_encrypted", ""},
    {"aws_rds_cluster", "storage_encrypted", "kms_key_id"},
    {"aws_docdb_cluster", "storage_encrypted", "kms_key_id"},
    {"aws_db_instance", "storage_encrypted", "kms_key_id"},
    {"aws_redshift_cluster", "encrypted", "kms_key_id"},
};

bool isTrue(const Json* v) { return v && ((v->is_boolean() && v->get<bool>()) || (v->is_string() && *v == "true")); }

/// What is wrong with `r`'s encryption, or empty.
std::string problem(const StackModel& model, const Resource& r, const EncryptedStore& store) {
  if (store.type == "aws_rds_global_cluster" && r.body->contains("source_db_cluster_identifier")) return {};  // inherits
  if (!isTrue(getPath(*r.body, store.encrypted))) return std::string(store.encrypted) + " is not true";
  if (store.kmsKey.empty()) return {};
  std::string key = stringAt(*r.body, store.kmsKey);
  if (key.empty()) return "encrypted with the AWS-managed key, not a customer-managed " + std::string(store.kmsKey);
  std::string keyRegion = regionOfReference(model, key);
  if (!keyRegion.empty() && !r.region.empty() && keyRegion != r.region) {
    return std::string(store.kmsKey) + " is a key of " + keyRegion + ", not of the resource's region " + r.region;
  }
  return {};
}

std::vector<Finding> check(const RuleContext& ctx) {
  const Rule& rule = unencryptedDataStoreRule();
  std::vector<Finding> out;
  std::optional<Namer> namer;
  for (const auto& store : kStores) {
    for (const Resource* r : ctx.model.ofType(store.type)) {
      std::string what = problem(ctx.model, *r, store);
      if (what.empty()) continue;
      bool keyProblem = isTrue(getPath(*r->body, store.encrypted));
      Finding f = makeFinding(rule, *r, pointerJoin(r->pointer, {keyProblem ? store.kmsKey : store.encrypted}), what);
      PatchBuilder b(ctx.model);
      b.set(*r, store.encrypted, true);
      std::string keyName;
      if (!store.kmsKey.empty()) {
        if (r->region.empty()) {
          f.message += " (no fix: the resource's region is unknown)";
          out.push_back(std::move(f));
          continue;
        }
        if (const Resource* key = kmsKeyIn(ctx.model, r->region)) keyName = key->address;
        else keyName = "a new key";
        if (!namer) namer.emplace(ctx);
        std::string keyArn = regionKeyArn(b, ctx.model, *namer, r->region, r->provider);
        b.set(*r, store.kmsKey, keyArn);
      }
      Fix fix;
      fix.applicability = Applicability::Unsafe;
      fix.forcesReplacement = true;
      fix.title = "encrypt at rest" + (keyName.empty() ? std::string() : " with " + keyName) +
                  " (forces replacement of the resource)";
      fix.ops = b.ops();
      f.fix = std::move(fix);
      out.push_back(std::move(f));
    }
  }
  return out;
}

}  // namespace

const Rule& unencryptedDataStoreRule() {
  static const Rule rule{"TFM003", "unencrypted-data-store", Severity::High,
                         "a database without encryption at rest under a customer-managed key of its region", "unsafe",
                         check};
  return rule;
}

}  // namespace tfmend
