#pragma once
/// Engine: detect, apply the selected fixes, re-detect until nothing changes,
/// then verify the result. The only place where a document is changed.

#include <span>
#include <string>
#include <vector>

#include "tfmend/document.h"
#include "tfmend/finding.h"
#include "tfmend/result.h"
#include "tfmend/rule.h"

namespace tfmend {

/// Which fixes the engine applies.
enum class FixMode { None, Safe, Unsafe };

struct EngineOptions {
  FixMode fixMode = FixMode::None;
  /// Passes of fix-then-redetect before giving up; fixes that build on others
  /// (a policy for a role that a replication fix added) need more than one.
  int maxPasses = 16;
};

/// A fix that was not applied, and why.
struct SkippedFix {
  Finding finding;
  std::string reason;
};

/// What the engine did to one document.
struct Outcome {
  std::vector<Finding> findings;  ///< what is left to report (all findings when not fixing)
  std::vector<Finding> applied;   ///< findings whose fix was applied, in order
  std::vector<SkippedFix> skipped;
  Json fixed;             ///< the document after the fixes
  std::string fixedText;  ///< `fixed` written in the input's style (the input's text if nothing changed)
  bool changed = false;
  std::vector<std::string> secrets;  ///< values that outputs must redact
};

/// Runs `rules` over `doc`, fixing as `options` says.
Result<Outcome> runEngine(const Document& doc, std::span<const Rule* const> rules, const Settings& settings,
                          const EngineOptions& options);

/// Runs `rules` over a model and returns their findings in document order, with
/// suppressions applied.
std::vector<Finding> detect(const StackModel& model, std::span<const Rule* const> rules, const Settings& settings);

/// Applies one fix to `doc` on its own (as `tfmend review` and `tfmend apply`
/// do): all or nothing, and only if every reference it writes resolves in the
/// result; the error says why not.
Status applyFixVerified(Json& doc, const Json& ops);

/// True if a fix of this applicability runs under `mode`.
bool allowedUnder(FixMode mode, Applicability a);

}  // namespace tfmend
