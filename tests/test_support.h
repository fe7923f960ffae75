#pragma once
/// Helpers shared by the tests: files, the binary, the golden stacks, the test-only rule.

#include <string>
#include <vector>

#include "tfmend/document.h"
#include "tfmend/rule.h"

namespace tfmend::test {

std::string readFile(const std::string& path);
void writeFile(const std::string& path, const std::string& text);
/// A fresh empty directory under the system's temp folder.
std::string tempDir();

/// Runs the tfmend binary; stdout, stderr and the exit code.
struct Run {
  int exitCode = -1;
  std::string out, err;
};
Run runTfmend(const std::vector<std::string>& args, const std::string& stdinText = "", const std::string& cwd = "");
/// Runs a shell command; its exit code.
int shell(const std::string& command);

/// Paths of the synthesized golden stacks (golden/payment-migration/stacks/*/cdk.tf.json).
std::vector<std::string> goldenStacks();
/// Parses a file that must parse.
Document load(const std::string& path);

/// Arguments and nested blocks of resources and data sources of `root` that
/// the AWS provider schema does not list ("/resource/type/name/arg").
std::vector<std::string> schemaViolations(const Json& root);
/// Problems with the IAM policies `root` holds (policy documents rendered as
/// Terraform would; literal policies parsed).
std::vector<std::string> iamPolicyProblems(const Json& root);
/// Account-wide names (IAM roles, policies, users, instance profiles, global
/// clusters) and S3 bucket names that two resources of `root` share.
std::vector<std::string> duplicateGlobalNames(const Json& root);

/// TST001 missing-name-tag: a VPC without a Name tag; the fix (safe) adds one.
/// Defined in tests/ only, to prove the engine and harness independently of the catalogue.
const Rule& missingNameTagRule();
/// TST002 dangling-reference: its fix points at a resource that does not exist.
const Rule& danglingFixRule();
/// TST003 throws: fails on any stack with a VPC, as a rule with a bug would.
const Rule& throwingRule();

}  // namespace tfmend::test
