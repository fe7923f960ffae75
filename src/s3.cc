#include "tfmend/s3.h"

namespace tfmend {

namespace {

void readEncryption(const Json& config, BucketFacts& facts) {
  for (const Json* rule : blocks(config, "rule")) {
    for (const Json* def : blocks(*rule, "apply_server_side_encryption_by_default")) {
      std::string algorithm = stringAt(*def, "sse_algorithm");
      if (algorithm == "aws:kms" || algorithm == "aws:kms:dsse") {
        facts.kmsEncrypted = true;
        facts.kmsKey = stringAt(*def, "kms_master_key_id");
      }
    }
  }
}

}  // namespace

S3Index::S3Index(const StackModel& model) {
  for (const Resource* b : model.ofType("aws_s3_bucket")) {
    BucketFacts& f = facts_[b->address];
    if (const Json* enabled = getPath(*b->body, "versioning.enabled"); enabled && *enabled == true) f.versioning = b;
    for (const Json* sse : blocks(*b->body, "server_side_encryption_configuration")) readEncryption(*sse, f);
    f.inlineReplication = !blocks(*b->body, "replication_configuration").empty();
  }
  auto bucketOf = [&](const Resource& r) -> BucketFacts* {
    const Resource* b = model.referenced(getPath(*r.body, "bucket"), "aws_s3_bucket", "bucket");
    return b ? &facts_[b->address] : nullptr;
  };
  for (const Resource* v : model.ofType("aws_s3_bucket_versioning")) {
    BucketFacts* f = bucketOf(*v);
    if (f && stringAt(*v->body, "versioning_configuration.status") == "Enabled") f->versioning = v;
  }
  for (const Resource* e : model.ofType("aws_s3_bucket_server_side_encryption_configuration")) {
    if (BucketFacts* f = bucketOf(*e)) readEncryption(*e->body, *f);
  }
  for (const Resource* rep : model.ofType("aws_s3_bucket_replication_configuration")) {
    if (BucketFacts* f = bucketOf(*rep)) f->replications.push_back(rep);
  }
}

const BucketFacts& S3Index::of(const Resource& bucket) const {
  auto it = facts_.find(bucket.address);
  return it == facts_.end() ? none_ : it->second;
}

}  // namespace tfmend
