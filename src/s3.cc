#include "tfmend/s3.h"

#include "tfmend/values.h"

namespace tfmend {

const Resource* bucketNamed(const StackModel& model, const Json* value) {
  if (const Resource* b = model.referenced(value, "aws_s3_bucket", "bucket")) return b;
  auto literal = stringOf(model, value);
  const std::string arn = "arn:aws:s3:::";
  if (literal && literal->rfind(arn, 0) == 0) return model.byLiteral("aws_s3_bucket", "bucket", literal->substr(arn.size()));
  return nullptr;
}

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
    if (boolOf(model, getPath(*b->body, "versioning.enabled")).value_or(false)) f.versioning = b;
    for (const Json* sse : blocks(*b->body, "server_side_encryption_configuration")) readEncryption(*sse, f);
    f.inlineReplication = !blocks(*b->body, "replication_configuration").empty();
  }
  auto bucketOf = [&](const Resource& r) -> BucketFacts* {
    const Resource* b = bucketNamed(model, getPath(*r.body, "bucket"));
    return b ? &facts_[b->address] : nullptr;
  };
  for (const Resource* v : model.ofType("aws_s3_bucket_versioning")) {
    BucketFacts* f = bucketOf(*v);
    if (f && stringOf(model, getPath(*v->body, "versioning_configuration.status")) == "Enabled") f->versioning = v;
  }
  for (const Resource* e : model.ofType("aws_s3_bucket_server_side_encryption_configuration")) {
    if (BucketFacts* f = bucketOf(*e)) readEncryption(*e->body, *f);
  }
  for (const Resource* rep : model.ofType("aws_s3_bucket_replication_configuration")) {
    if (BucketFacts* f = bucketOf(*rep)) f->replications.push_back(rep);
    for (const Resource* d : destinationsOf(model, *rep)) facts_[d->address].replicaOf = true;
  }
  for (const Resource* b : model.ofType("aws_s3_bucket")) {
    for (const Json* config : blocks(*b->body, "replication_configuration")) {
      for (const Json* rule : blocks(*config, "rules")) {
        for (const Json* dest : blocks(*rule, "destination")) {
          if (const Resource* d = bucketNamed(model, getPath(*dest, "bucket"))) facts_[d->address].replicaOf = true;
        }
      }
    }
  }
}

std::vector<const Resource*> S3Index::destinationsOf(const StackModel& model, const Resource& replication) {
  std::vector<const Resource*> out;
  for (const Json* rule : blocks(*replication.body, "rule")) {
    for (const Json* dest : blocks(*rule, "destination")) {
      if (const Resource* d = bucketNamed(model, getPath(*dest, "bucket"))) out.push_back(d);
    }
  }
  return out;
}

const BucketFacts& S3Index::of(const Resource& bucket) const {
  auto it = facts_.find(bucket.address);
  return it == facts_.end() ? none_ : it->second;
}

}  // namespace tfmend
