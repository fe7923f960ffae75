#pragma once
/// Resource names: which attribute names a resource of each type, its AWS
/// limits, and the stack's environment suffix. TFM001 checks names with it;
/// fixers that add resources name them with it, so what they add re-checks clean.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "tfmend/rule.h"

namespace tfmend {

/// A name attribute of a resource type and the limits AWS puts on it.
struct NameAttribute {
  std::string_view type;
  std::string_view attribute;  ///< dotted path in the body
  std::size_t maxLength;
  bool lowercase;
  bool inPlace;  ///< the provider renames without replacing the resource
};

/// The attribute that names a resource of `type`, or null.
const NameAttribute* nameAttributeOf(std::string_view type);
/// The `Name` tag, a name of any resource (renamed in place).
const NameAttribute& nameTag();
/// The `name_prefix` of a type named by `name` (AWS appends 26 random
/// characters, so the prefix has that much less room; ALB and target group
/// prefixes have 6), or null.
const NameAttribute* prefixAttributeOf(std::string_view type);

/// A literal name of a resource, with where it is and what limits it has.
struct NameValue {
  const Resource* resource;
  const NameAttribute* attr;
  std::string pointer;
  std::string value;
};

/// Every literal name in the stack (per-type attribute and Name tag).
std::vector<NameValue> nameValues(const StackModel& model);

/// How the suffix is written: a literal ("dev") or a variable ("${var.environment_suffix}").
struct Suffix {
  std::string text;      ///< what a name must contain
  std::string variable;  ///< the variable's name in variable mode
  char separator = '-';
  std::string evidence;  ///< for -v: where it came from
};

/// The suffix from the settings, a suffix variable, or the names themselves;
/// without one, `ambiguity` says why (empty when there is no evidence at all).
std::optional<Suffix> determineSuffix(const StackModel& model, const Settings& settings,
                                      const std::vector<NameValue>& names, std::string& ambiguity);

/// True if `value` carries the suffix as a whole token (bounded by separators).
bool carries(const std::string& value, const Suffix& suffix);

/// `base` + separator + suffix within `maxLength`: too long a base is cut and
/// given a short hash of the whole, so that distinct names stay distinct.
/// Empty when the suffix leaves no room for a base.
std::string withSuffix(const std::string& base, const Suffix& suffix, std::size_t maxLength);

bool isNameSeparator(char c);
std::string lower(std::string s);

/// Names for resources a fixer adds: the stack's suffix (when it has one) is
/// appended within the type's limits. Determines the suffix once.
class Namer {
 public:
  explicit Namer(const RuleContext& ctx);
  /// A name for a new resource of `type` from `base` (which carries no suffix).
  std::string name(std::string base, std::string_view type) const;
  /// `name` without its trailing suffix token, to derive names of related resources.
  std::string baseOf(const std::string& name) const;

 private:
  std::optional<Suffix> suffix_;
};

}  // namespace tfmend
