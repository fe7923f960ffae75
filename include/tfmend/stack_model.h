#pragma once
/// StackModel: what a Terraform JSON document means — resources and data
/// sources by address, providers and regions, references both ways, cdktf
/// construct paths, variables, locals and outputs. Built once per pass, in time
/// linear in the size of the document; it points into the Json it was built
/// from, which must outlive it and stay unchanged.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "tfmend/expression.h"
#include "tfmend/json.h"
#include "tfmend/result.h"

namespace tfmend {

/// A managed resource or a data source.
struct Resource {
  bool isData = false;
  std::string type;     ///< "aws_vpc"
  std::string name;     ///< the logical name (cdktf's unique id)
  std::string address;  ///< "aws_vpc.main" or "data.aws_iam_policy_document.x"
  std::string pointer;  ///< JSON Pointer to the body ("/resource/aws_vpc/main" or ".../main/0")
  const Json* body = nullptr;
  std::string provider;       ///< provider key: "aws" or "aws.secondary"
  std::string region;         ///< literal region, or empty when unknown
  std::string constructPath;  ///< cdktf `//.metadata.path`, or empty
  std::size_t index = 0;      ///< position in StackModel::resources(), i.e. document order
  /// Its `count` is 0, or its `for_each` empty, with the stack's defaults: it
  /// does not exist unless the caller asks for it. ofType() leaves it out.
  bool disabled = false;
};

/// A configured provider block.
struct Provider {
  std::string key;     ///< "aws" or "aws.secondary"
  std::string type;    ///< "aws"
  std::string alias;   ///< empty for the default
  std::string region;  ///< literal region, or empty
  std::string pointer;
};

/// One use of a name: the string at `pointer`, in the block of `from`, names
/// `traversal.target`. Its strings are kept by the model that holds it.
struct Reference {
  /// What it names: a Traversal whose strings the model keeps.
  struct Target {
    std::string_view target;     ///< "aws_s3_bucket.logs", "data.aws_caller_identity.c", "var.x", "local.y"
    std::string_view attribute;  ///< the first attribute after the target ("arn"), or empty
    std::uint32_t offset = 0;    ///< where `target` starts in the string at `pointer`
    RefKind kind = RefKind::Resource;
  } traversal;
  std::string_view from;     ///< address of the using resource, or "output.x", "local.x", "provider.aws", ...
  std::string_view pointer;  ///< JSON Pointer of the string that holds it
};

/// Strings kept for as long as their pool, in blocks: one allocation for many
/// short strings, and a view of a kept string never moves (the pool may).
class StringPool {
 public:
  /// A copy of `text` that lives as long as the pool.
  std::string_view keep(std::string_view text);

 private:
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* free_ = nullptr;     ///< the unused end of the last block
  std::size_t left_ = 0;     ///< bytes at `free_`
};

/// The meaning of one Terraform JSON document.
class StackModel {
 public:
  /// Builds the model; fails with a one-line message naming the place of a wrong shape.
  static Result<StackModel> build(const Json& root);

  StackModel() = default;
  StackModel(StackModel&&) = default;
  StackModel& operator=(StackModel&&) = default;
  /// Not copied: its indexes and references view strings that it owns.
  StackModel(const StackModel&) = delete;
  StackModel& operator=(const StackModel&) = delete;

  const Json& root() const { return *root_; }
  const std::vector<Resource>& resources() const { return resources_; }
  const std::vector<Provider>& providers() const { return providers_; }
  const std::vector<Reference>& references() const { return references_; }

  /// The resource or data source at `address`, or null.
  const Resource* find(std::string_view address) const;
  /// All resources of `type` (managed only) that exist with the stack's defaults, in document order.
  std::vector<const Resource*> ofType(std::string_view type) const;
  /// All data sources of `type`, in document order.
  std::vector<const Resource*> dataOfType(std::string_view type) const;
  /// The provider block for `key` ("aws", "aws.secondary"), or null.
  const Provider* provider(std::string_view key) const;
  /// Distinct regions of the AWS providers, in document order.
  std::vector<std::string> regions() const;
  /// The AWS provider key for `region` ("aws" for the default), or empty.
  std::string providerKeyFor(std::string_view region) const;

  /// References whose target is `target` ("aws_vpc.main", "var.x").
  std::vector<const Reference*> usersOf(std::string_view target) const;
  /// References made from the block of `from`.
  std::vector<const Reference*> usesBy(std::string_view from) const;
  /// True if `target` names something defined in the stack.
  bool defines(std::string_view target) const;
  /// References whose target is not defined in the stack.
  std::vector<const Reference*> unresolved() const;

  /// The resource of `type` (any type when empty) that `value` names: the one
  /// such resource its expression refers to in any form ("${aws_x.y.id}",
  /// "${aws_x.y[0].id}", "${one(aws_x.y[*].id)}", a local that does, `each.value`
  /// through the `for_each` of `within`), or the one whose `byAttribute` equals
  /// the value's literal (a variable's default counts); null if none or several.
  const Resource* referenced(const Json* value, std::string_view type, std::string_view byAttribute = "",
                             const Resource* within = nullptr) const;
  /// The resource of `type` whose `byAttribute` is the literal `value`, or null.
  const Resource* byLiteral(std::string_view type, std::string_view byAttribute, const std::string& value) const;

  /// The highest major version of the AWS provider that the stack's version
  /// constraints allow (`required_providers`, or an old provider block's
  /// `version`), or nullopt when nothing caps it.
  std::optional<int> awsProviderMaxMajor() const { return awsMaxMajor_; }

  const Json* variable(std::string_view name) const;
  /// The JSON Pointer of a variable's body ("/variable/x", or "/variable/x/0" in array form).
  std::string variablePointer(std::string_view name) const;
  const Json* local(std::string_view name) const;
  /// Names of variables in document order.
  std::vector<std::string> variableNames() const;

 private:
  const Json* root_ = nullptr;
  std::vector<Resource> resources_;
  std::vector<Provider> providers_;
  std::vector<Reference> references_;
  StringPool strings_;  ///< the references' `from` and `pointer`
  // The keys view the resources' addresses and the references' strings:
  // both are final when the indexes are built.
  std::unordered_map<std::string_view, std::size_t> byAddress_;
  std::unordered_map<std::string, std::vector<std::size_t>> byType_;
  /// A group of references: `count` places in an order array from `begin`.
  struct Span {
    std::uint32_t begin = 0, count = 0;
  };
  std::unordered_map<std::string_view, Span> usersOf_;  ///< by target, spans of byTarget_
  std::unordered_map<std::string_view, Span> usesBy_;   ///< by `from`, spans of byFrom_
  std::vector<std::uint32_t> byTarget_, byFrom_;
  std::vector<const Reference*> group(const std::unordered_map<std::string_view, Span>& groups,
                                      const std::vector<std::uint32_t>& order, std::string_view key) const;
  std::unordered_map<std::string, const Json*> variables_;
  std::unordered_map<std::string, std::string> variablePointers_;
  std::unordered_map<std::string, const Json*> locals_;
  std::vector<std::string> variableOrder_;
  std::unordered_map<std::string, bool> modules_;
  std::optional<int> awsMaxMajor_;
  // "type|attribute" -> literal value -> resource, built on first use by referenced()
  mutable std::unordered_map<std::string, std::unordered_map<std::string, const Resource*>> byLiteral_;

  friend class ModelBuilder;
};

/// Joins a pointer and tokens: pointerJoin("/resource", {"aws_vpc", "main"}).
std::string pointerJoin(std::string base, std::initializer_list<std::string_view> tokens);

/// The body's value at a dotted path of keys, following single-element arrays
/// (nested blocks written as arrays): get(body, "deployment_controller.type").
const Json* getPath(const Json& body, std::string_view dottedPath);
/// The body's string value at `key`, or empty.
std::string stringAt(const Json& body, std::string_view key);
/// A nested block as a list of objects whether written as object or array.
std::vector<const Json*> blocks(const Json& body, std::string_view key);

}  // namespace tfmend
