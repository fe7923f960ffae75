// TFM003 unencrypted-data-store: docs/rules/TFM003-unencrypted-data-store.md
#include <algorithm>
#include <map>
#include <set>
#include <unordered_map>

#include "rules.h"
#include "tfmend/aws_catalog.h"
#include "tfmend/builders.h"
#include "tfmend/expression.h"
#include "tfmend/global_clusters.h"
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

/// A global cluster of the stack and its member clusters.
struct GlobalGroup {
  const Resource* global = nullptr;
  std::vector<const Resource*> members;  ///< in document order
  std::string homeRegion;                ///< the primary's region: its member with the master user, else its own
};

std::vector<GlobalGroup> globalGroups(const StackModel& m) {
  std::vector<GlobalGroup> out;
  for (const char* type : {"aws_rds_global_cluster", "aws_docdb_global_cluster"}) {
    for (const Resource* g : m.ofType(type)) out.push_back({g, {}, g->region});
  }
  for (const char* type : {"aws_rds_cluster", "aws_docdb_cluster"}) {
    for (const Resource* c : m.ofType(type)) {
      const Json* id = getPath(*c->body, "global_cluster_identifier");
      if (!id) continue;
      for (const Resource* g : targetsOf(m, id, c).resources) {
        for (auto& group : out) {
          if (group.global != g) continue;
          group.members.push_back(c);
          if (getPath(*c->body, "master_username") && !c->region.empty()) group.homeRegion = c->region;
        }
      }
    }
  }
  return out;
}

/// True if `member` is a secondary in another region than its global cluster's
/// primary: AWS then wants kms_key_id, a key of its own region, to encrypt it.
bool crossRegionSecondary(const GlobalClusters& globals, const GlobalGroup& g, const Resource& member) {
  if (globals.isSecondary(member)) return true;  // Aurora puts each secondary in a region of its own
  return !member.region.empty() && !g.homeRegion.empty() && member.region != g.homeRegion;
}

std::string crossRegionKeyReason(const Resource& member) {
  return member.address + " needs a KMS key in " + (member.region.empty() ? "its own region (unknown)" : member.region) +
         ": AWS requires kms_key_id for an encrypted cross-region secondary, and the stack has no key under provider " +
         member.provider;
}

/// What encrypting a store writes: its key, named for the title.
struct KeyChoice {
  std::string name;  ///< an address, "a new key", or empty for the AWS-managed key
  std::string arn;   ///< the value to write, or empty to leave kms_key_id as it is
};

/// The key of a cross-region secondary: its own when it names one of its region,
/// else its provider's, else (only where a customer-managed key is required) a
/// new one; nullopt (with `why`) where there is none to give.
std::optional<KeyChoice> secondaryKey(const RuleContext& ctx, PatchBuilder& b, const Resource& member, std::string& why) {
  const aws::EncryptionFacts& e = aws::facts(member.type)->encryption;
  const Json* keyValue = getPath(*member.body, e.key);
  if (namesKey(ctx.model, keyValue) && foreignKeyRegion(ctx.model, keyValue, member.region).empty()) return KeyChoice{"its key", ""};
  // The provider's key is of the provider's region, known or not; a new one is named for its region.
  const Resource* key = kmsKeyOf(ctx.model, member.provider);
  if (!key && (!ctx.settings.requireCmk || member.region.empty())) {
    why = crossRegionKeyReason(member);
    return std::nullopt;
  }
  KeyChoice k{key ? key->address : "a new key", providerKeyArn(b, ctx.model, ctx.facts.namer(), member.provider, member.region)};
  if (k.arn.empty()) {
    why = "no resource of the stack is under provider " + member.provider + " to hang " + member.address + "'s key on";
    return std::nullopt;
  }
  return k;
}

/// The key of a store that is not a cross-region secondary, as for any store:
/// its own where it names one of its region, else the provider's CMK where
/// there is one (a new one where a CMK is required); the AWS-managed key where
/// none is wanted or the region is unknown.
KeyChoice storeKey(const RuleContext& ctx, PatchBuilder& b, const Resource& r) {
  const aws::EncryptionFacts& e = aws::facts(r.type)->encryption;
  if (e.key.empty()) return {};
  const Json* keyValue = getPath(*r.body, e.key);
  bool hasKey = namesKey(ctx.model, keyValue);
  if (hasKey && foreignKeyRegion(ctx.model, keyValue, r.region).empty()) return {"its key", ""};
  if (r.region.empty() || !(ctx.settings.requireCmk || hasKey || kmsKeyOf(ctx.model, r.provider))) return {};
  const Resource* key = kmsKeyOf(ctx.model, r.provider);
  KeyChoice k{key ? key->address : "a new key", providerKeyArn(b, ctx.model, ctx.facts.namer(), r.provider, r.region)};
  return k.arn.empty() ? KeyChoice{} : k;
}

/// Encryption for a global cluster and all its members in one fix: they must
/// agree (a cluster joins a global cluster only with its encryption), and each
/// cross-region secondary needs a key of its own region. Writes to `b`; for
/// each resource it changes, the title's word on its key in `parts`; false,
/// with `why`, where it cannot.
bool encryptGroup(const RuleContext& ctx, const GlobalGroup& g, PatchBuilder& b, std::map<std::string, std::string>& parts,
                  std::string& why) {
  const GlobalClusters& globals = ctx.facts.globalClusters();
  std::vector<const Resource*> all = {g.global};
  all.insert(all.end(), g.members.begin(), g.members.end());
  for (const Resource* x : all) {
    const aws::EncryptionFacts& e = aws::facts(x->type)->encryption;
    bool inheritsFlag = inherits(ctx.model, *x->body, e) ||
                        (x != g.global && std::find(std::begin(e.inheritedVia), std::end(e.inheritedVia), "global_cluster_identifier") !=
                                              std::end(e.inheritedVia));
    bool encryptsNow = false;
    if (!inheritsFlag) {
      const Json* flagValue = getPath(*x->body, e.flag);
      std::optional<bool> flag = flagValue && !flagValue->is_null() ? boolOf(ctx.model, flagValue) : std::optional<bool>(false);
      if (!flag) {
        why = x->address + "'s " + std::string(e.flag) + " comes from a value tfmend cannot see, and a global cluster's members must agree";
        return false;
      }
      if (!*flag) b.set(*x, e.flag, true);
      encryptsNow = !*flag;
    }
    if (encryptsNow) parts[x->address] = "";
    if (x == g.global) continue;
    // A store encrypted already keeps its key; a cross-region secondary must have one of its region.
    std::optional<KeyChoice> key;
    if (crossRegionSecondary(globals, g, *x)) {
      key = secondaryKey(ctx, b, *x, why);
      if (!key) return false;
    } else if (encryptsNow) {
      key = storeKey(ctx, b, *x);
    }
    if (!key || (!encryptsNow && key->arn.empty())) continue;  // as it was
    if (!key->arn.empty()) b.set(*x, e.key, key->arn);
    parts[x->address] = key->name.empty() ? " (with the AWS-managed key)" : key->name == "its key" ? "" : " (with " + key->name + ")";
  }
  return true;
}

/// Every resource that reads `target` ("var.x"), directly or through locals, in document order.
std::vector<const Resource*> readersOf(const StackModel& m, const std::string& target) {
  std::vector<const Resource*> out;
  std::set<std::string> seen = {target};
  std::vector<std::string> todo = {target};
  while (!todo.empty()) {
    std::string t = todo.back();
    todo.pop_back();
    for (const Reference* use : m.usersOf(t)) {
      if (!seen.emplace(use->from).second) continue;
      if (use->from.rfind("local.", 0) == 0) {
        todo.emplace_back(use->from);
      } else if (const Resource* r = m.find(use->from)) {
        out.push_back(r);
      }
    }
  }
  std::sort(out.begin(), out.end(), [](const Resource* a, const Resource* b) { return a->index < b->index; });
  return out;
}

std::string joinAddresses(const std::vector<const Resource*>& rs) {
  std::string out;
  for (std::size_t i = 0; i < rs.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == rs.size() ? " and " : ", ") + rs[i]->address;
  }
  return out;
}

/// A reader of `variable` that setting it true would encrypt, and that may
/// join a global cluster (its global_cluster_identifier is an input) with no
/// key (kms_key_id empty or absent at the stack's defaults): as a cross-region
/// secondary it would fail to create. Null if none.
const Resource* keylessGlobalMember(const StackModel& m, const std::vector<const Resource*>& readers, const std::string& variable) {
  std::map<std::string, Json> assumed = {{variable, true}};
  for (const Resource* r : readers) {
    if (r->type != "aws_rds_cluster" && r->type != "aws_docdb_cluster") continue;
    const Json* id = getPath(*r->body, "global_cluster_identifier");
    if (!id || id->is_null() || (id->is_string() && id->get_ref<const std::string&>().empty())) continue;
    const aws::EncryptionFacts& e = aws::facts(r->type)->encryption;
    auto flag = literalAssuming(m, getPath(*r->body, e.flag), assumed);
    if (!flag || *flag != Json(true)) continue;
    const Json* key = getPath(*r->body, e.key);
    auto known = key ? literalAssuming(m, key, assumed) : std::optional<Json>(Json(nullptr));
    if (known && (known->is_null() || *known == Json(""))) return r;
  }
  return nullptr;
}

/// A read replica of `source` in another region (`replication_source_identifier`,
/// `replicate_source_db`) with no kms_key_id: once the source is encrypted,
/// AWS creates such a replica only with a key of the replica's region. Null if none.
const Resource* keylessCrossRegionReplica(const StackModel& m, const Resource& source) {
  for (const Resource* c : m.ofType(source.type)) {
    for (const char* via : {"replication_source_identifier", "replicate_source_db"}) {
      const Json* v = getPath(*c->body, via);
      if (!v || c == &source) continue;
      const auto targets = targetsOf(m, v, c).resources;
      if (std::find(targets.begin(), targets.end(), &source) == targets.end()) continue;
      if (c->provider == source.provider || (!c->region.empty() && c->region == source.region)) continue;
      if (!namesKey(m, getPath(*c->body, aws::facts(c->type)->encryption.key))) return c;
    }
  }
  return nullptr;
}

void checkStores(const RuleContext& ctx, std::vector<Finding>& out) {
  const Rule& rule = unencryptedDataStoreRule();
  auto groups = globalGroups(ctx.model);
  auto groupOf = [&](const Resource& r) -> const GlobalGroup* {
    for (const auto& g : groups) {
      if (g.global == &r || std::find(g.members.begin(), g.members.end(), &r) != g.members.end()) return &g;
    }
    return nullptr;
  };
  const GlobalClusters& globals = ctx.facts.globalClusters();
  for (const aws::TypeFacts& type : aws::allTypes()) {
    const aws::EncryptionFacts& e = type.encryption;
    if (e.flag.empty() || type.type == "aws_s3_bucket") continue;
    for (const Resource* r : ctx.model.ofType(type.type)) {
      if (inherits(ctx.model, *r->body, e)) continue;
      if (type.type == "aws_rds_cluster" && stringOf(ctx.model, getPath(*r->body, "engine_mode")) == "serverless") continue;
      const GlobalGroup* group = groupOf(*r);
      bool secondary = group && group->global != r && crossRegionSecondary(globals, *group, *r);
      const Json* flagValue = getPath(*r->body, inBlock(e, e.flag));
      const Json* keyValue = e.key.empty() ? nullptr : getPath(*r->body, inBlock(e, e.key));
      bool hasKey = namesKey(ctx.model, keyValue);
      // A member of an encrypted global cluster is encrypted by it; a
      // cross-region secondary only with a key of its own region.
      bool byGlobal = (!flagValue || flagValue->is_null()) && inheritsFromGlobal(ctx.model, *r);
      if (byGlobal && !(secondary && (!hasKey || !foreignKeyRegion(ctx.model, keyValue, r->region).empty()))) continue;
      std::optional<bool> flag = byGlobal ? std::optional<bool>(true)
                                 : flagValue && !flagValue->is_null() ? boolOf(ctx.model, flagValue)
                                                                     : std::optional<bool>(e.alwaysEncrypted || e.flagDefault);
      if (!flag) continue;  // set from something tfmend cannot see: no claim
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
        } else if (secondary) {
          what = "encrypted cross-region secondary of " + group->global->address + " without " + inBlock(e, e.key) +
                 ": AWS requires a key of its own region (" + (r->region.empty() ? "unknown" : r->region) + ")";
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
          auto readers = readersOf(ctx.model, "var." + *var);
          if (const Resource* member = keylessGlobalMember(ctx.model, readers, *var)) {
            f.withoutFix("defaulting var." + *var + " to true would also encrypt " + member->address + " (it is read by " +
                         joinAddresses(readers) + "), which may join a global cluster with no kms_key_id by default: " +
                         "AWS requires a key of its own region for an encrypted cross-region secondary");
            out.push_back(std::move(f));
            continue;
          }
          std::string varPointer = ctx.model.variablePointer(*var);
          Fix fix;
          fix.applicability = Applicability::Unsafe;
          fix.forcesReplacement = !e.inPlace;
          fix.title = "default var." + *var + " to true, which " + joinAddresses(readers) + (readers.size() == 1 ? " reads" : " read") +
                      (e.inPlace ? "" : " (forces replacement where the default is used: the data is lost unless restored from a snapshot)");
          fix.ops = Json::array({opTest(varPointer + "/default", false), opReplace(varPointer + "/default", true)});
          f.fix = std::move(fix);
          out.push_back(std::move(f));
          continue;
        }
      }
      if (group && (!encrypted || secondary)) {
        // A global cluster and its members: one fix for all of them, or none.
        PatchBuilder b(ctx.model);
        std::map<std::string, std::string> parts;
        std::string why;
        if (!encryptGroup(ctx, *group, b, parts, why)) {
          f.withoutFix(why);
          out.push_back(std::move(f));
          continue;
        }
        std::string others;
        std::vector<std::string> names;
        for (const auto& [address, part] : parts) {
          if (address != r->address) names.push_back(address + part);
        }
        for (std::size_t i = 0; i < names.size(); ++i) others += (i == 0 ? "" : i + 1 == names.size() ? " and " : ", ") + names[i];
        Fix fix;
        fix.applicability = Applicability::Unsafe;
        fix.forcesReplacement = true;
        std::string own = parts.count(r->address) ? parts[r->address] : "";
        fix.title = "encrypt at rest" + own +
                    (others.empty() ? " (forces replacement of the resource: its data is lost unless restored from a snapshot)"
                                    : ", together with " + others +
                                          ", as a global cluster's members must agree (forces replacement of the resources: their data "
                                          "is lost unless restored from a snapshot)");
        fix.ops = b.ops();
        f.fix = std::move(fix);
        out.push_back(std::move(f));
        continue;
      }
      if (!encrypted) {
        if (const Resource* replica = keylessCrossRegionReplica(ctx.model, *r)) {
          f.withoutFix(replica->address + " replicates it into " + (replica->region.empty() ? "another region" : replica->region) +
                       " with no kms_key_id: AWS requires a key of the replica's region to replicate an encrypted source there");
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
      std::optional<Finding> cmkUnknown;  // the customer-managed key that tfmend cannot choose
      if (wantKey && r->region.empty()) {
        if (encrypted || e.alwaysEncrypted) {
          f.withoutFix("the resource's region is unknown, so tfmend cannot choose its key");
          out.push_back(std::move(f));
          continue;
        }
        // Encryption still goes on (with the AWS-managed key, or the key it
        // names); a required customer-managed key is a finding of its own.
        wantKey = false;
        if (hasKey) keyName = "the key it names";
        if (ctx.settings.requireCmk && !hasKey) {
          cmkUnknown = makeFinding(rule, *r, r->pointer, "no customer-managed " + inBlock(e, e.key) + " (require-cmk)");
          cmkUnknown->withoutFix("the resource's region is unknown, so tfmend cannot choose its key");
        }
      }
      if (wantKey) {
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
      if (cmkUnknown) out.push_back(std::move(*cmkUnknown));
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
