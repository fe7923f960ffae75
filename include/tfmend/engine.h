#pragma once
/// Engine: detect, apply fixes, re-detect until nothing changes, then verify
/// the result. The only place where a document is changed. `FixSession` is the
/// one engine step that `fix`, `review` and `apply` all go through, so a
/// guarantee added there holds for all three.

#include <functional>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <type_traits>
#include <unordered_set>
#include <vector>

#include "tfmend/document.h"
#include "tfmend/finding.h"
#include "tfmend/result.h"
#include "tfmend/rule.h"

namespace tfmend {

/// Which fixes the engine applies.
enum class FixMode { None, Safe, Unsafe };

/// The input's text, when the caller let it go once the tree was built: a
/// large file on disk, whose text would otherwise sit beside the tree and its
/// model at the peak of a fix. The engine reads it again in the few cases
/// where it needs it (a fix that changed nothing, a rule that failed).
struct TextAside {
  std::size_t bytes = 0;  ///< its size: room for the fixed text is made from it
  /// The same bytes again, or an error if they are not what was parsed.
  std::function<Result<std::string>()> readAgain;
};

struct EngineOptions {
  FixMode fixMode = FixMode::None;
  /// Passes of fix-then-redetect before giving up; fixes that build on others
  /// (a policy for a role that a replication fix added) need more than one.
  int maxPasses = 16;
  /// The applied findings keep their fixes' operations, as an export needs.
  /// A run that only writes or diffs the file keeps none: a region's mirror
  /// carries a copy of every resource it adds.
  bool keepAppliedOps = true;
  /// Set when the input document's text was let go (doc.text is empty).
  std::optional<TextAside> textAside;
};

/// A fix that was not applied, and why.
struct SkippedFix {
  Finding finding;
  std::string reason;
};

/// A rule that threw on a document: reported as that rule's failure on that
/// file, while every other rule's findings are kept.
struct RuleFailure {
  std::string rule;
  std::string message;
};

/// What one detection over a document found.
struct Detection {
  std::vector<Finding> findings;  ///< in document order, suppressions applied
  std::vector<RuleFailure> failures;
};

/// What the engine did to one document.
struct Outcome {
  std::vector<Finding> findings;  ///< what is left to report (all findings when not fixing)
  std::vector<Finding> applied;   ///< findings whose fix was applied, in order
  std::vector<int> appliedPass;   ///< the pass (from 1) in which each of `applied` was applied
  std::vector<SkippedFix> skipped;
  std::vector<RuleFailure> ruleFailures;  ///< when set, no fix was kept: the file is not written
  Json fixed;             ///< the document after the fixes; null when none was applied (the input is the result)
  std::string fixedText;  ///< `fixed` written in the input's style (the input's text if nothing changed; empty if no pass ran, as in a check)
  bool changed = false;
  std::vector<std::string> secrets;  ///< values that outputs must redact
  int passes = 0;                    ///< passes of fix-then-redetect
};

/// Runs `rules` over a model and returns their findings in document order,
/// with suppressions applied; a rule that throws (or whose fix throws while
/// it is made) is reported as a failure and the others still run.
/// The operations of the fixes allowed under `makeOps` are made; the others'
/// are left empty (their title and applicability stay), so that a check does
/// not build what only a fix reads.
[[nodiscard]] Detection detect(const StackModel& model, std::span<const Rule* const> rules, const Settings& settings,
                               FixMode makeOps = FixMode::Unsafe);

/// True if a fix of this applicability runs under `mode`.
bool allowedUnder(FixMode mode, Applicability a);

/// One document on its way through fixes.
///
///   FixSession s(doc, rules, settings);
///   auto d = s.beginPass();        // model + detection of the current document
///   s.apply(finding);              // verified; deferred if it overlaps this pass's fixes
///   s.endPass();
///   auto outcome = s.finish();     // whole-document verification, final detection
class FixSession {
 public:
  FixSession(const Document& doc, std::span<const Rule* const> rules, const Settings& settings);
  /// A session that fixes `doc.root` itself rather than a copy of it: the
  /// caller gives the tree up (it is null once a fix is applied) and keeps
  /// the text. One tree less at the peak of a large fix.
  FixSession(Document& doc, std::span<const Rule* const> rules, const Settings& settings, std::true_type takeTree);
  ~FixSession();
  FixSession(const FixSession&) = delete;
  FixSession& operator=(const FixSession&) = delete;

  /// Builds the model of the current document and detects on it. The
  /// detection is the session's (findings may carry large fixes) and lasts
  /// until the next beginPass() or finish().
  [[nodiscard]] Result<const Detection*> beginPass();

  /// What became of a fix.
  enum class Verdict {
    Applied,
    Deferred,  ///< it overlaps a fix applied in this pass; it is detected afresh in the next
    Refused,   ///< its patch does not apply, or a reference it writes would not resolve
  };
  struct Verdicted {
    Verdict verdict;
    std::string reason;  ///< why it was refused
  };
  /// Applies `f`'s fix: only if its patch applies, whole, and every reference
  /// it writes resolves (counting what the fix adds itself). A fix with the
  /// same operations as one applied in this pass is applied with it.
  [[nodiscard]] Verdicted apply(const Finding& f);
  /// What the document would be with `f`'s fix, verified as apply() verifies;
  /// the session does not change.
  [[nodiscard]] Result<Json> preview(const Finding& f) const;
  /// Ends the pass: keys added to sorted objects go to their sorted place.
  void endPass();
  /// Makes, in each pass's detection, only the operations of the fixes
  /// allowed under `mode` (all of them unless told): the engine's run does
  /// not make those it will not apply. finish()'s last detection makes none.
  void makeOpsFor(FixMode mode) { makeOps_ = mode; }
  /// The input's text was let go: read it again through `aside` when needed.
  void setTextAside(TextAside aside) { aside_ = std::move(aside); }
  /// Whether applied() keeps the fixes' operations (by default it does, as an
  /// export reads them). A caller that will not read them says so before the
  /// first pass: apply() then keeps the finding without them, rather than a
  /// second copy of a large fix beside the detection's and the document's.
  void keepAppliedOps(bool keep) { keepOps_ = keep; }

  /// Verifies the whole document (it is well-formed; no reference that
  /// resolved in the input dangles; no index into a local's literal object
  /// names a key the object lacks, unless the input did so already), detects
  /// once more and returns the outcome.
  /// The outcome takes the document: the session is spent afterwards.
  [[nodiscard]] Result<Outcome> finish();

  /// The document as the fixes applied so far left it.
  const Json& document() const { return doc_ ? *doc_ : input_.root; }
  const std::vector<Finding>& applied() const { return applied_; }
  /// The number of the current (or last) pass, from 1.
  int pass() const { return passNumber_; }

 private:
  struct Pass;
  [[nodiscard]] Status verify(const Finding& f) const;
  /// True if `fixed` is the input's tree, taken or not.
  bool sameAsInput(const Json& fixed) const;
  /// The input's text, read again if it was let go.
  Result<std::string> inputText() const;
  std::size_t inputBytes() const { return aside_ ? aside_->bytes : input_.text.size(); }

  const Document& input_;
  Json* takeable_ = nullptr;  ///< the input's tree, when the session may fix it in place
  bool taken_ = false;        ///< the input's tree is doc_ now; inputHash_ stands for it
  std::size_t inputHash_ = 0;
  std::span<const Rule* const> rules_;
  const Settings& settings_;
  /// The document being fixed: a copy of the input's, made when the first fix
  /// is applied (a run that applies none, as `check`, copies nothing).
  std::optional<Json> doc_;
  bool spent_ = false;  // finish() moved the document out
  std::unordered_set<std::string> originalUnresolved_;  ///< filled by the first pass
  std::unordered_set<std::string> originalMissingKeys_;  ///< indexes into locals that the input already gets wrong
  std::vector<Finding> applied_;
  std::vector<int> appliedPass_;
  int passNumber_ = 0;
  FixMode makeOps_ = FixMode::Unsafe;
  bool keepOps_ = true;
  std::unique_ptr<Pass> pass_;
  std::unique_ptr<Pass> settled_;  ///< the last pass, when it changed nothing
  std::optional<TextAside> aside_;
};

/// Runs `rules` over `doc`, fixing as `options` says, pass after pass.
[[nodiscard]] Result<Outcome> runEngine(const Document& doc, std::span<const Rule* const> rules, const Settings& settings,
                                        const EngineOptions& options);

/// As runEngine, but fixes `doc.root` in place instead of a copy: for a caller
/// that needs only the input's text, path and style afterwards (doc.root is
/// null once a fix was applied).
[[nodiscard]] Result<Outcome> runEngineInPlace(Document& doc, std::span<const Rule* const> rules, const Settings& settings,
                                               const EngineOptions& options);

}  // namespace tfmend
