#pragma once
/// IAM policies as data: who a role's trust policy lets assume it, read from
/// the policy itself (literal JSON, `jsonencode(...)`, or an
/// `aws_iam_policy_document`), not from a search of its text.

#include <set>
#include <string>

#include "tfmend/builders.h"
#include "tfmend/stack_model.h"

namespace tfmend {

/// The AWS service principals ("s3.amazonaws.com") that `role`'s
/// assume_role_policy lets assume it.
std::set<std::string> trustedServices(const StackModel& model, const Resource& role);

/// True if `role` is named as a principal of some policy in the stack (a
/// bucket, key, queue or topic policy, or a policy document's `principals`):
/// access it gets that way needs no identity policy.
bool namedAsPrincipal(const StackModel& model, const Resource& role);

/// The ARN of the AWS managed policy at `path`
/// ("service-role/AWSLambdaBasicExecutionRole") for a role under provider
/// `providerKey` in `region`: in the region's partition where the region is
/// known; else in the partition `data.aws_partition` reads under that provider
/// (the stack's, or one added to `b` beside the provider's first resource, so
/// that every fix names the same one).
std::string managedPolicyArn(PatchBuilder& b, const StackModel& model, const std::string& providerKey,
                             const std::string& region, std::string_view path);

}  // namespace tfmend
