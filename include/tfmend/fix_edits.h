#pragma once
/// Fixes as text edits: what each finding's fix changes in the file's text,
/// as line and column regions with their replacement, for SARIF `fixes[]`.

#include <span>
#include <string>
#include <vector>

#include "tfmend/finding.h"
#include "tfmend/rule.h"
#include "tfmend/settings.h"

namespace tfmend {

/// Replace the text from (startLine, startColumn) up to, not including,
/// (endLine, endColumn) with `inserted`. Lines and columns count from 1; an
/// insertion has an empty region (start == end).
struct TextEdit {
  int startLine = 1, startColumn = 1, endLine = 1, endColumn = 1;
  std::string inserted;
};

/// The edits that turn `before` into `after`, as whole lines: one per changed
/// run of lines, in order.
std::vector<TextEdit> textEdits(const std::string& before, const std::string& after);

/// For each of `findings` (found in `text`, the content of `path`), the edits
/// its fix makes on its own to `text`: the fix as the engine previews it (so
/// verified as `fix` would), written in the file's layout. Empty for a finding
/// without a fix, or whose fix is not offered on `text` as it is (a fix that
/// builds on another one's).
std::vector<std::vector<TextEdit>> fixEdits(const std::string& path, const std::string& text,
                                            const std::vector<Finding>& findings, std::span<const Rule* const> rules,
                                            const Settings& settings);

}  // namespace tfmend
