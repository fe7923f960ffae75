#pragma once
/// PatchBuilder: the JSON Patch of a fix that adds resources and edits existing
/// ones. New resources are written as cdktf writes them: keys sorted, a `"//"`
/// metadata block with construct path and unique id (when the stack has them),
/// the provider alias of their region, in their section's sorted place.

#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "tfmend/json.h"
#include "tfmend/stack_model.h"

namespace tfmend {

class PatchBuilder {
 public:
  explicit PatchBuilder(const StackModel& model) : model_(model) {}

  /// Adds a managed resource of `type` beside `near` (same construct scope),
  /// under provider `providerKey` ("aws", "aws.secondary"); returns its address.
  std::string addResource(std::string_view type, std::string_view id, const Resource& near,
                          std::string_view providerKey, Json body);
  /// Adds a managed resource at an explicit construct path (or, in a stack
  /// without cdktf metadata, with the logical name `name`); returns its address.
  /// Use reserveAt first when other new bodies must refer to it.
  std::string addResourceAt(std::string_view type, const std::string& constructPath, const std::string& name,
                            std::string_view providerKey, Json body);
  /// The address addResourceAt will give, unique in the stack and in this fix.
  std::string reserveAt(std::string_view type, const std::string& constructPath, const std::string& name);
  /// Adds a data source the same way; returns its address ("data.type.name").
  std::string addData(std::string_view type, std::string_view id, const Resource& near, std::string_view providerKey,
                      Json body);
  /// The address addResource would give a resource of `type` with `id` beside
  /// `near`, whether or not it exists: fixes that must share one new resource
  /// look it up there.
  std::string plannedAddress(std::string_view type, std::string_view id, const Resource& near) const;
  /// Sets a top-level argument of `r`, guarded by a test of its old value
  /// (unless `guard` is false: a secret's old value must not be written into
  /// the fix, which can be exported).
  void set(const Resource& r, std::string_view key, Json value, bool guard = true);
  /// Removes a top-level argument of `r`, guarded by a test of its old value
  /// unless `guard` is false.
  void remove(const Resource& r, std::string_view key, bool guard = true);
  /// Adds a variable (or replaces nothing: it must be new).
  void addVariable(std::string_view name, Json body);
  /// Adds a local value.
  void addLocal(std::string_view name, Json value);
  /// Appends an operation of the fix's own making (after the additions).
  void addOp(Json op) { edits_.push_back(std::move(op)); }

  /// The operations, in a stable order.
  Json ops() const;

 private:
  std::string add(bool data, std::string_view type, std::string_view id, const Resource& near,
                  std::string_view providerKey, Json body);

  const StackModel& model_;
  Json edits_ = Json::array();
  // section -> type -> name -> body, for what this fix adds
  std::map<std::string, std::map<std::string, std::map<std::string, Json>>> added_;
  std::map<std::string, Json> variables_, locals_;
  /// The logical name and construct path reserved for "type|path|name".
  std::pair<std::string, std::string> reserve(std::string_view type, const std::string& constructPath,
                                              const std::string& name);

  std::map<std::string, std::pair<std::string, std::string>> reserved_;  // "type|path|name" -> logical name, path
  std::unordered_set<std::string> reservedAddresses_;  // "type.logical" of every reserved_ entry
  std::unordered_map<std::string, int> firstFree_;     // a name's base -> the "-n" its last search found free
};

/// The resource's own id in the construct tree (the last path component), or
/// its logical name: what the ids of resources a fix adds beside it start with.
std::string constructId(const Resource& r);

/// The resource's whole construct path below the stack, joined by "-"
/// ("compute-primary-service"), or its logical name: unique in the stack, for
/// the ids of resources added to a shared construct scope (alarms beside the
/// stack's other alarms) that must not collide with each other.
std::string scopedId(const Resource& r);

/// `value` with the keys of every object sorted, as cdktf writes them.
Json sortedKeys(Json value);

/// "${address.attribute}".
std::string ref(std::string_view address, std::string_view attribute);

/// The stack's customer-managed KMS key under provider `providerKey` (first
/// in document order), or null. Per provider, not per region: two providers
/// in one region may be two accounts.
const Resource* kmsKeyOf(const StackModel& model, std::string_view providerKey);

/// `${arn}` of the stack's KMS key under `providerKey`, adding one (rotation on,
/// with an alias named in the stack's convention) to `b` where the provider has
/// none. The new key hangs at the provider's first resource, so that every fix
/// that needs it names the same one (the engine applies one; the others find
/// it next pass). Empty when the stack has no resource under that provider.
std::string providerKeyArn(PatchBuilder& b, const StackModel& model, const class Namer& namer, const std::string& providerKey,
                           const std::string& region);

/// Why a fix that writes `what` (which needs AWS provider `minMajor` or later)
/// cannot be offered on a stack whose version constraints stop before it; empty
/// when it can.
std::string providerTooOld(const StackModel& model, int minMajor, std::string_view what);

/// The region of the resource that `value` ("${aws_x.y.attr}") refers to, or
/// of an ARN literal; empty when unknown.
std::string regionOfReference(const StackModel& model, const std::string& value);

}  // namespace tfmend
