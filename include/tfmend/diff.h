#pragma once
/// Unified diffs (made with dtl) that `git apply` and `patch -p1` accept.

#include <functional>
#include <string>
#include <vector>

namespace tfmend {

/// The unified diff from `before` to `after` with `--- a/PATH` / `+++ b/PATH`
/// headers and `context` lines of context; empty when the texts are equal.
std::string unifiedDiff(const std::string& path, const std::string& before, const std::string& after, int context = 3);

/// What a line of a unified diff is.
enum class DiffLine { File, Hunk, Added, Removed, Context };

/// Calls `f(kind, line)` for each line of `diff` (without its newline).
void forEachDiffLine(const std::string& diff, const std::function<void(DiffLine, const std::string&)>& f);

/// ANSI colours for a terminal: removals red, additions green, hunk headers cyan.
std::string colorizeDiff(const std::string& diff);

/// Replaces every occurrence of each secret (as written in JSON, or as the
/// input may spell it) by "********". Made once for many texts of one file:
/// it sorts the secrets and spells each one once.
class Redactor {
 public:
  explicit Redactor(const std::vector<std::string>& secrets);
  std::string operator()(std::string text) const;

 private:
  std::vector<std::string> secrets_;  ///< distinct, longest first
  std::vector<std::string> written_;  ///< each as tfmend writes it in JSON, without the quotes
};

/// `text` with every occurrence of each secret (as written in JSON) replaced by "********".
std::string redact(std::string text, const std::vector<std::string>& secrets);

}  // namespace tfmend
