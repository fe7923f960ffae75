#pragma once
/// What values stand for before Terraform runs: literals, a variable's
/// default, a local's value, and the resources an expression refers to in any
/// form (`x[0]`, `x[count.index]`, splats, `one()`, `try()`, `element()`,
/// `each.value` through the block's `for_each`). One evaluator that every rule
/// uses; where a value cannot be known, it says so, and rules claim nothing.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "tfmend/json.h"
#include "tfmend/stack_model.h"

namespace tfmend {

/// The literal behind `value`: itself when it holds no template; the literal
/// default of `${var.x}` or the literal value of `${local.x}` (following
/// locals and attribute paths into object values); nullopt when unknown.
std::optional<Json> literalOf(const StackModel& m, const Json* value);
/// The literal behind `value` as literalOf reads it, but with the variables
/// named in `assumed` taking the given values instead of their defaults: what
/// a value becomes once a fix changes a default.
std::optional<Json> literalAssuming(const StackModel& m, const Json* value, const std::map<std::string, Json>& assumed);
/// A boolean (`true`, or the strings "true"/"false"), resolved as literalOf does.
std::optional<bool> boolOf(const StackModel& m, const Json* value);
/// An integer (a number, or a string of digits within the range of long long).
std::optional<long long> intOf(const StackModel& m, const Json* value);
/// A string (a number is not a string).
std::optional<std::string> stringOf(const StackModel& m, const Json* value);

/// The boolean variable whose default, set to `wanted`, would make `value`
/// evaluate to `wanted` (read directly or through locals and conditionals): a
/// module's input that a fix should flip rather than override. nullopt if none.
std::optional<std::string> variableThatMakes(const StackModel& m, const Json* value, const Json& wanted);

/// What an expression refers to.
struct Targets {
  std::vector<const Resource*> resources;  ///< distinct resources and data sources, in order of mention
  /// It also reads something tfmend cannot see into: a module output, remote
  /// state, a variable without a literal default, a resource outside the stack.
  bool unknown = false;
};
/// The resources `value` refers to, directly or through locals, and (for
/// `each.*` / `count.*`) through the `for_each` of `within`.
Targets targetsOf(const StackModel& m, const Json* value, const Resource* within = nullptr);

/// An index with a literal key into a local whose value is a literal object
/// that lacks that key (`local.t[var.p]["us-west-2"]`, where a row of `local.t`
/// has no "us-west-2"): Terraform refuses it at plan ("Invalid index"). An
/// index tfmend cannot read (`[var.p]`) stands for every key of the object.
struct MissingKey {
  std::string pointer;     ///< the JSON Pointer of the string that holds the index
  std::string expression;  ///< the indexed local as written: `local.t[var.p]["us-west-2"]`
  std::string object;      ///< the object that lacks the key: `local.t.legacy`
  std::string key;         ///< "us-west-2"
};
/// Every such index in the document, in the order of the model's references.
std::vector<MissingKey> missingLocalKeys(const StackModel& m);

/// `text` with every `${local.x}` interpolation replaced by the local's string
/// value (literal or template), recursively: how a name built from locals reads.
std::string expandLocals(const StackModel& m, const std::string& text);

}  // namespace tfmend
