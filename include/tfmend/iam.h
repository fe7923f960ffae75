#pragma once
/// IAM policies as data: who a role's trust policy lets assume it, read from
/// the policy itself (literal JSON, `jsonencode(...)`, or an
/// `aws_iam_policy_document`), not from a search of its text.

#include <set>
#include <string>

#include "tfmend/stack_model.h"

namespace tfmend {

/// The AWS service principals ("s3.amazonaws.com") that `role`'s
/// assume_role_policy lets assume it.
std::set<std::string> trustedServices(const StackModel& model, const Resource& role);

/// True if `role` is named as a principal of some policy in the stack (a
/// bucket, key, queue or topic policy, or a policy document's `principals`):
/// access it gets that way needs no identity policy.
bool namedAsPrincipal(const StackModel& model, const Resource& role);

}  // namespace tfmend
