#pragma once
/// Resource names: which attribute names a resource (from the AWS catalogue),
/// the stack's naming convention (an environment suffix, and the prefix its
/// names share), and names that fit AWS's limits. TFM001 checks names with it;
/// fixers that add resources name them with it, so what they add re-checks clean.

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "tfmend/aws_catalog.h"
#include "tfmend/settings.h"
#include "tfmend/stack_model.h"

namespace tfmend {

/// The name of a resource, with where it is and what limits it has.
struct NameValue {
  const Resource* resource;
  const aws::NameFacts* facts;  ///< the catalogue's limits for it
  std::string_view attribute;   ///< "name", "name_prefix", "tags.Name"
  std::string pointer;
  std::string_view value;     ///< as written (a view of the document's string)
  std::string_view expanded;  ///< with `${local.x}` replaced by the local's value (`value` when it has none)
};

/// The limits of the `Name` tag, which any resource may carry (renamed in place).
const aws::NameFacts& nameTagFacts();

/// Every name of the stack that is not only a reference to another resource's
/// attribute: the per-type name attribute (or its `*_prefix`), and the Name tag.
/// The names view the model's document; an expansion that differs from its
/// name is kept in `expansions`.
std::vector<NameValue> nameValues(const StackModel& model, StringPool& expansions);

/// How the environment is written in names: a literal ("dev"), a variable
/// ("${var.environment_suffix}") or Terraform's workspace.
struct Suffix {
  std::string text;        ///< what a name must contain ("dev", "${var.env}")
  std::string expression;  ///< the traversal in interpolation mode ("var.env", "terraform.workspace"); empty for a literal
  std::optional<std::string> knownValue;  ///< the variable's default, where it has one
  char separator = '-';
  bool leading = false;  ///< the environment opens names ("dev-payments") rather than ending them
  std::string evidence;  ///< for -v: where it came from
};

/// The suffix from the settings, an environment variable most names use (or
/// an explicit `environment_suffix` variable), or a clear majority of literal
/// names that carry the same environment word; nullopt when the stack has no
/// convention tfmend can see.
std::optional<Suffix> determineSuffix(const StackModel& model, const Settings& settings, const std::vector<NameValue>& names);

/// Whether a name carries the suffix.
enum class Carries { Yes, No, Unknown };
/// Yes if `name` (as expanded) carries the suffix as a whole token anywhere
/// (prefix, middle or end); Unknown when it is built from values tfmend cannot
/// see (a variable without default, a module output, another resource's attribute).
Carries carries(const StackModel& model, const NameValue& name, const Suffix& suffix);

/// The length of `name` once Terraform renders it: interpolations count as
/// their known value (a variable's default) or as `assumed` characters each.
/// `assumptions` is set when some were assumed.
std::size_t renderedLength(const StackModel& model, const std::string& name, std::size_t assumed, bool* assumptions = nullptr);

/// The length an interpolation whose value is unknown is assumed to have.
constexpr std::size_t kAssumedInterpolationLength = 8;

/// `name` made to fit `facts`: unchanged when its rendered length fits;
/// otherwise its literal part is cut (never inside an interpolation) and given
/// a short hash of the whole, keeping `keepTail` (the suffix) whole at the end.
/// The result never ends in a separator and keeps the type's name pattern.
/// Empty when even a short base does not fit.
std::string fitName(const StackModel& model, const std::string& name, const aws::NameFacts& facts,
                    const std::string& keepTail = "");

/// `base` + separator + suffix, fitted to `facts` (see fitName).
std::string withSuffix(const StackModel& model, const std::string& base, const Suffix& suffix, const aws::NameFacts& facts);

bool isNameSeparator(char c);
/// True if `token` appears in `text` as a whole token (bounded by separators), in any case.
bool hasToken(std::string_view text, const std::string& token);
std::string lower(std::string s);
/// `c` in lower case if it is an ASCII capital.
constexpr char asciiLower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

/// Names for resources a fixer adds, in the stack's convention: the prefix
/// most of its names share (`${var.project}-`, `${local.name}-`) and the
/// environment suffix, within the type's limits. Determined once per pass.
class Namer {
 public:
  Namer(const StackModel& model, const Settings& settings);
  /// A name for a new resource of `type` from `base` (which carries neither prefix nor suffix).
  std::string name(std::string base, std::string_view type) const;
  /// `name` without the stack's prefix and suffix, to derive names of related resources.
  std::string baseOf(const std::string& name) const;
  /// The base of `r`'s own name (its name attribute as written, literal or
  /// template, without prefix and suffix), or `fallback` (its construct id
  /// when empty) where it has none of its own.
  std::string baseName(const Resource& r, const std::string& fallback = "") const;
  /// What tells one provider's copy of a resource from another's in the name
  /// of an account-wide (IAM) resource that fixes add once per provider: empty
  /// for the default provider (or the stack's only AWS provider), else the
  /// provider's region, or its alias where the region is unknown or another
  /// provider has it too. Two providers in one account then never give two
  /// resources one name; two accounts lose nothing by it.
  std::string providerQualifier(const std::string& providerKey) const;
  /// name() of `base`, unless a resource of `type` in the stack already has that
  /// name (compared without case, as IAM compares) or `given` holds it (what the
  /// same rule names in this pass): then with a short hash of `owner` (what the
  /// new resource is for) before the suffix. The result goes into `given`.
  std::string uniqueName(const std::string& base, std::string_view type, std::string_view owner,
                         std::set<std::string>* given = nullptr) const;
  /// True if a resource of `type` in the stack has the name `name` (as
  /// written, or as rendered where its values are known), compared without case.
  bool nameTaken(const std::string& name, std::string_view type) const;
  /// True if the stack's names follow a convention (an environment, a shared prefix).
  bool hasConvention() const { return suffix_.has_value() || !prefix_.empty(); }
  /// The suffix convention, if the stack has one.
  const std::optional<Suffix>& suffix() const { return suffix_; }
  /// Every name of the stack (nameValues), as the convention was read from.
  const std::vector<NameValue>& names() const { return names_; }

 private:
  /// The names of one type's name attribute, lowered: as written, and as
  /// rendered where their values are known.
  struct Taken {
    std::unordered_set<std::string> written;
    std::unordered_set<std::string> rendered;
  };
  const Taken& takenOf(std::string_view type, std::string_view attribute) const;

  const StackModel& model_;
  StringPool expansions_;  ///< before names_, which views it
  std::vector<NameValue> names_;
  std::optional<Suffix> suffix_;
  std::string prefix_;  ///< the template prefix most names start with ("${var.project}-"), or empty
  /// Built on first use, per type: a rule that names thousands of new
  /// resources asks thousands of times. A Namer serves one thread (one pass).
  mutable std::unordered_map<std::string, Taken> taken_;
};

}  // namespace tfmend
