#pragma once
/// Finding and Fix: what a rule reports, and the repair it proposes as data.

#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "tfmend/json.h"

namespace tfmend {

/// How much a rule's failure matters (the seed's categories A, B, C).
enum class Severity { Low, Medium, High };

/// Whether `tfmend fix` applies a fix by default (safe) or only with
/// `--unsafe-fixes` (unsafe), as ruff does.
enum class Applicability { Safe, Unsafe };

/// A repair as RFC 6902 JSON Patch operations; the engine alone applies it.
struct Fix {
  Applicability applicability = Applicability::Safe;
  std::string title;
  Json ops = Json::array();
  /// Makes `ops` only when someone will read them, for a fix that is costly to
  /// make (a region's mirror copies every resource of a layer). detect() runs
  /// it while the model it reads is alive, or drops it when the operations
  /// will not be read (a check reads only the title and applicability). Null
  /// once run, and for fixes made at once.
  std::function<Json()> makeOps;
  /// Terraform will destroy and recreate a resource to apply this.
  bool forcesReplacement = false;
};

/// One failure found by one rule at one place.
struct Finding {
  std::string rule;  ///< rule ID, "TFM001"
  std::string message;
  std::string address;  ///< "aws_vpc.main", or empty for a stack-level finding
  std::string pointer;  ///< JSON Pointer of the offending value
  std::string constructPath;
  std::optional<Fix> fix;
  /// Why there is no fix, in one line (empty when there is one).
  std::string noFixReason;
  /// Literal values that must never be printed (secrets); outputs redact them.
  std::vector<std::string> secrets;

  /// Identifies the fix across passes and runs: rule, address, pointer and title.
  std::string fixKey() const;
  /// A copy whose fix has no operations (nor maker); all else is kept. What a
  /// run that will not export its fixes keeps of one it applied. Copies every
  /// field by name: a new field of Finding or Fix must be added there.
  Finding withoutOps() const;
  /// Drops the fix's operations and maker in place, as withoutOps() leaves them.
  void dropOps();
  /// Marks the finding as having no fix, for `reason`.
  void withoutFix(std::string reason) {
    fix.reset();
    noFixReason = std::move(reason);
  }
};

const char* toString(Severity s);
const char* toString(Applicability a);

/// Builders for JSON Patch operations.
Json opAdd(const std::string& path, Json value);
Json opReplace(const std::string& path, Json value);
Json opRemove(const std::string& path);
Json opTest(const std::string& path, Json value);

}  // namespace tfmend
