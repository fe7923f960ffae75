#pragma once
/// What the stack says about each S3 bucket — versioning, default encryption,
/// replication — gathered in one pass (the split-out `aws_s3_bucket_*`
/// resources of AWS provider 4+ and the older inline blocks alike).

#include <string>
#include <unordered_map>
#include <vector>

#include "tfmend/stack_model.h"

namespace tfmend {

/// The S3 facts of one bucket.
struct BucketFacts {
  const Resource* versioning = nullptr;  ///< an enabled aws_s3_bucket_versioning, or the bucket (inline)
  std::string kmsKey;                    ///< the SSE-KMS key of its default encryption ("" when none)
  bool kmsEncrypted = false;             ///< default encryption is aws:kms (with or without a key)
  std::vector<const Resource*> replications;  ///< aws_s3_bucket_replication_configuration of it as source
  bool inlineReplication = false;             ///< the bucket's own replication_configuration block
  bool replicaOf = false;                     ///< a replication rule of the stack writes into it
};

/// The bucket of the stack that `value` names: by reference in any form, by
/// its literal name, or by a literal ARN (`arn:aws:s3:::name`).
const Resource* bucketNamed(const StackModel& model, const Json* value);

/// Facts of every bucket of a stack, by bucket address.
class S3Index {
 public:
  explicit S3Index(const StackModel& model);
  const BucketFacts& of(const Resource& bucket) const;
  /// The buckets a replication configuration of the stack writes into.
  static std::vector<const Resource*> destinationsOf(const StackModel& model, const Resource& replication);

 private:
  std::unordered_map<std::string, BucketFacts> facts_;
  BucketFacts none_;
};

}  // namespace tfmend
