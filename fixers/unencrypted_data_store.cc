// TFM003 unencrypted-data-store: docs/rules/TFM003-unencrypted-data-store.md
#include <map>
#include <unordered_map>

#include "rules.h"
#include "tfmend/aws_catalog.h"
#include "tfmend/builders.h"
#include "tfmend/expression.h"
#include "tfmend/pass_facts.h"
#include "tfmend/values.h"

namespace tfmend {

namespace {

std::string inBlock(const aws::EncryptionFacts& e, std::string_view argument) {
  return e.block.empty() ? std::string(argument) : std::string(e.block) + "." + std::string(argument);
}

/// The region of the key `value` names when it is not `region`, or empty.
std::string foreignKeyRegion(const StackModel& model, const Json* value, const std::string& region) {
  if (!value || !value->is_string() || region.empty()) return {};
  std::string keyRegion;
  if (const Resource* key = model.referenced(value, "aws_kms_key", "arn")) {
    keyRegion = key->region;
  } else if (auto literal = stringOf(model, value)) {
    keyRegion = regionOfReference(model, *literal);
  }
  return !keyRegion.empty() && keyRegion != region ? keyRegion : std::string();
}

std::string title(const std::string& keyName, bool inPlace) {
  return "encrypt at rest" + (keyName.empty() ? std::string(" (with the AWS-managed key)") : " with " + keyName) +
         (inPlace ? "" : " (forces replacement of the resource: its data is lost unless restored from a snapshot)");
}

/// True if an argument that makes the store inherit its encryption is set (or
/// may be: a value tfmend cannot see counts as set).
bool inherits(const StackModel& m, const Json& body, const aws::EncryptionFacts& e) {
  for (auto via : e.inheritedVia) {
    if (via.empty()) continue;
    const Json* v = getPath(body, via);
    if (!v || v->is_null()) continue;
    auto known = literalOf(m, v);
    if (!known) return true;
    bool unset = known->is_null() || (known->is_string() && known->get_ref<const std::string&>().empty()) ||
                 ((known->is_array() || known->is_object()) && known->empty());
    if (!unset) return true;
  }
  return false;
}

/// True if `value` names a key: set, and not (by the stack's defaults) null or "".
bool namesKey(const StackModel& m, const Json* value) {
  if (!value || value->is_null()) return false;
  auto known = literalOf(m, value);
  if (!known) return true;  // from a value tfmend cannot see: it may be a key
  return !(known->is_null() || (known->is_string() && known->get_ref<const std::string&>().empty()));
}

/// The encryption a member of a global cluster of the stack inherits: the
/// global cluster's flag when it is known true.
bool inheritsFromGlobal(const StackModel& m, const Resource& r) {
  const Json* id = getPath(*r.body, "global_cluster_identifier");
  if (!id) return false;
  for (const Resource* g : targetsOf(m, id, &r).resources) {
    if (g->isData || (g->type != "aws_rds_global_cluster" && g->type != "aws_docdb_global_cluster")) continue;
    const aws::TypeFacts* gf = aws::facts(g->type);
    if (gf && inherits(m, *g->body, gf->encryption)) return true;
    if (boolOf(m, getPath(*g->body, "storage_encrypted")).value_or(false)) return true;
  }
  return false;
}

void checkStores(const RuleContext& ctx, std::vector<Finding>& out) {
  const Rule& rule = unencryptedDataStoreRule();
  for (const aws::TypeFacts& type : aws::allTypes()) {
    const aws::EncryptionFacts& e = type.encryption;
    if (e.flag.empty() || type.type == "aws_s3_bucket") continue;
    for (const Resource* r : ctx.model.ofType(type.type)) {
      if (inherits(ctx.model, *r->body, e)) continue;
      if (type.type == "aws_rds_cluster" && stringOf(ctx.model, getPath(*r->body, "engine_mode")) == "serverless") continue;
      const Json* flagValue = getPath(*r->body, inBlock(e, e.flag));
      // A member of an encrypted global cluster is encrypted by it.
      if ((!flagValue || flagValue->is_null()) && inheritsFromGlobal(ctx.model, *r)) continue;
      std::optional<bool> flag = flagValue && !flagValue->is_null() ? boolOf(ctx.model, flagValue) : std::optional<bool>(e.alwaysEncrypted || e.flagDefault);
      if (!flag) continue;  // set from something tfmend cannot see: no claim
      const Json* keyValue = e.key.empty() ? nullptr : getPath(*r->body, inBlock(e, e.key));
      bool hasKey = namesKey(ctx.model, keyValue);
      std::string what;
      std::string pointer = r->pointer;
      bool encrypted = *flag;
      if (e.alwaysEncrypted) {
        // AWS encrypts it anyway: only a customer-managed key can be asked for (require-cmk), or a wrong one reported.
        if (hasKey && *flag) {
          if (std::string foreign = foreignKeyRegion(ctx.model, keyValue, r->region); !foreign.empty()) {
            what = inBlock(e, e.key) + " is a key of " + foreign + ", not of the resource's region " + r->region;
          }
        } else if (ctx.settings.requireCmk) {
          what = "encrypted with an AWS owned key, not a customer-managed " + inBlock(e, e.key) + " (require-cmk)";
        }
        if (!e.block.empty()) pointer = pointerJoin(pointer, {e.block});
      } else if (!encrypted) {
        what = inBlock(e, e.flag) + (flagValue && !flagValue->is_null() ? " is false" : " is not set (the default is unencrypted)");
        if (flagValue) pointer = pointerJoin(pointer, {e.flag});
      } else if (!e.key.empty()) {
        if (hasKey) {
          if (std::string foreign = foreignKeyRegion(ctx.model, keyValue, r->region); !foreign.empty()) {
            what = inBlock(e, e.key) + " is a key of " + foreign + ", not of the resource's region " + r->region;
            pointer = pointerJoin(r->pointer, {e.key});
          }
        } else if (ctx.settings.requireCmk) {
          what = "encrypted with the AWS-managed key, not a customer-managed " + inBlock(e, e.key) + " (require-cmk)";
        }
      }
      if (what.empty()) continue;
      Finding f = makeFinding(rule, *r, pointer, what);
      // Encryption off by a variable's default (a module's input): the default
      // changes, so that callers who set it keep their choice.
      if (!encrypted && !e.alwaysEncrypted && flagValue && flagValue->is_string()) {
        if (auto var = variableThatMakes(ctx.model, flagValue, Json(true))) {
          std::string varPointer = ctx.model.variablePointer(*var);
          Fix fix;
          fix.applicability = Applicability::Unsafe;
          fix.forcesReplacement = !e.inPlace;
          fix.title = "default var." + *var + " to true" +
                      (e.inPlace ? "" : " (forces replacement where the default is used: the data is lost unless restored from a snapshot)");
          fix.ops = Json::array({opTest(varPointer + "/default", false), opReplace(varPointer + "/default", true)});
          f.fix = std::move(fix);
          out.push_back(std::move(f));
          continue;
        }
      }
      if (encrypted && !hasKey) {
        // Only --require-cmk asks this of a store AWS already encrypts.
        if (!e.inPlace) {
          f.withoutFix("changing the key of an encrypted store replaces it: copy a snapshot under the new key and restore it");
          out.push_back(std::move(f));
          continue;
        }
        if (!blocks(*r->body, "replica").empty()) {
          f.withoutFix("each replica of the global table needs a key of its own region");
          out.push_back(std::move(f));
          continue;
        }
        if (keyValue && !keyValue->is_null()) {
          f.withoutFix(inBlock(e, e.key) + " comes from an input that defaults to none; set the key there");
          out.push_back(std::move(f));
          continue;
        }
      }
      // The key: the provider's CMK where there is one; a new one only where a
      // CMK is required (or the one set is of another region).
      PatchBuilder b(ctx.model);
      std::string keyName, keyArn;
      bool wantKey = !e.key.empty() && (ctx.settings.requireCmk || hasKey || kmsKeyOf(ctx.model, r->provider));
      if (wantKey) {
        if (r->region.empty()) {
          f.withoutFix("the resource's region is unknown, so tfmend cannot choose its key");
          out.push_back(std::move(f));
          continue;
        }
        const Resource* key = kmsKeyOf(ctx.model, r->provider);
        keyName = key ? key->address : "a new key";
        keyArn = providerKeyArn(b, ctx.model, ctx.facts.namer(), r->provider, r->region);
        if (keyArn.empty()) {
          f.withoutFix("no resource of the stack is under provider " + r->provider + " to hang a key on");
          out.push_back(std::move(f));
          continue;
        }
      }
      if (e.block.empty()) {
        if (!e.alwaysEncrypted) b.set(*r, e.flag, true);
        if (!keyArn.empty()) b.set(*r, e.key, keyArn);
      } else {
        // The block keeps what else it holds.
        auto it = r->body->find(std::string(e.block));
        const Json* existing = getPath(*r->body, e.block);
        Json block = existing && existing->is_object() ? *existing : Json::object();
        block[std::string(e.flag)] = true;
        if (!keyArn.empty()) block[std::string(e.key)] = keyArn;
        if (it != r->body->end() && it->is_array()) block = Json::array({block});
        b.set(*r, e.block, block);
      }
      Fix fix;
      fix.applicability = Applicability::Unsafe;
      fix.forcesReplacement = !e.inPlace;
      fix.title = title(keyName, e.inPlace);
      fix.ops = b.ops();
      f.fix = std::move(fix);
      out.push_back(std::move(f));
    }
  }
}

/// Why a bucket must not, or cannot simply, take SSE-KMS under a new key; the
/// reason is empty where the fix is sound. `report` is false where asking for
/// a CMK would itself be wrong (AWS does not support it for that use).
struct BucketConstraint {
  bool report = true;
  std::string noFix;
};

BucketConstraint constraintOf(const StackModel& model, const Resource& bucket, const BucketFacts& facts) {
  BucketConstraint c;
  for (const aws::BucketConsumer& consumer : aws::bucketConsumers()) {
    for (const Resource* user : model.ofType(consumer.type)) {
      // The argument may sit in a repeated block (CloudFront origins).
      std::string path(consumer.attribute);
      auto dot = path.find('.');
      std::vector<const Json*> scopes;
      std::string leaf = path;
      if (dot != std::string::npos) {
        scopes = blocks(*user->body, path.substr(0, dot));
        leaf = path.substr(dot + 1);
      } else {
        scopes = {user->body};
      }
      for (const Json* scope : scopes) {
        const Json* v = getPath(*scope, leaf);
        if (!v || model.referenced(v, "aws_s3_bucket", "bucket") != &bucket) continue;
        switch (consumer.use) {
          case aws::BucketUse::AccessLogTarget:
            return {false, "S3 server access logs cannot be delivered to a bucket with SSE-KMS default encryption"};
          case aws::BucketUse::LoadBalancerLogs:
            return {false, "load balancer access logs support only SSE-S3 on their bucket"};
          case aws::BucketUse::CloudTrailLogs:
            c.noFix = "the key policy must let cloudtrail.amazonaws.com use the key (" + user->address + " delivers here)";
            break;
          case aws::BucketUse::FlowLogs:
            c.noFix = "the key policy must let delivery.logs.amazonaws.com use the key (" + user->address + " delivers here)";
            break;
          case aws::BucketUse::CloudFrontOrigin:
            if (getPath(*scope, "s3_origin_config.origin_access_identity")) {
              return {false, "CloudFront reads this bucket through an origin access identity, which cannot read SSE-KMS objects"};
            }
            c.noFix = "the key policy must let CloudFront (" + user->address + ", origin access control) decrypt";
            break;
        }
      }
    }
  }
  if (c.noFix.empty() && (!facts.replications.empty() || facts.inlineReplication || facts.replicaOf)) {
    c.noFix = "replication of SSE-KMS objects needs sse_kms_encrypted_objects selection, a replica key and kms permissions on the replication role";
  }
  return c;
}

/// S3 default encryption under a customer-managed key: only with require-cmk
/// (SSE-S3 encrypts every object since January 2023), only where the bucket's
/// uses allow it, and never with a fix.
void checkBuckets(const RuleContext& ctx, std::vector<Finding>& out) {
  const Rule& rule = unencryptedDataStoreRule();
  auto buckets = ctx.model.ofType("aws_s3_bucket");
  if (buckets.empty()) return;
  const S3Index& s3 = ctx.facts.s3();
  for (const Resource* bucket : buckets) {
    const BucketFacts& facts = s3.of(*bucket);
    std::string what;
    if (facts.kmsEncrypted && !facts.kmsKey.empty()) {
      Json key = facts.kmsKey;
      if (std::string foreign = foreignKeyRegion(ctx.model, &key, bucket->region); !foreign.empty()) {
        what = "kms_master_key_id is a key of " + foreign + ", not of the bucket's region " + bucket->region;
      }
    } else if (ctx.settings.requireCmk) {
      what = facts.kmsEncrypted ? "SSE-KMS with the AWS-managed key, not a customer-managed key (require-cmk)"
                                : "default encryption is SSE-S3, not SSE-KMS with a customer-managed key (require-cmk)";
    }
    if (what.empty()) continue;
    BucketConstraint constraint = constraintOf(ctx.model, *bucket, facts);
    if (!constraint.report) continue;
    Finding f = makeFinding(rule, *bucket, bucket->pointer, what);
    // SSE-KMS asks every reader and writer for kms:Decrypt and kms:GenerateDataKey
    // on the key: principals tfmend cannot all see (roles of other stacks,
    // services). Changing the key blind would break them.
    f.withoutFix(!constraint.noFix.empty()
                     ? constraint.noFix
                     : "every reader and writer of the bucket needs kms:Decrypt and kms:GenerateDataKey on the key; "
                       "grant them, then set the key in its aws_s3_bucket_server_side_encryption_configuration");
    out.push_back(std::move(f));
  }
}

std::vector<Finding> check(const RuleContext& ctx) {
  std::vector<Finding> out;
  checkStores(ctx, out);
  checkBuckets(ctx, out);
  return out;
}

}  // namespace

const Rule& unencryptedDataStoreRule() {
  static const Rule rule{"TFM003", "unencrypted-data-store", Severity::High,
                         "a data store that is not encrypted at rest, or whose key is of another region", "unsafe", check};
  return rule;
}

}  // namespace tfmend
