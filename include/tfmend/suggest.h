#pragma once
/// Did-you-mean: the closest of a few known words to a mistyped one, for
/// commands, options, rule IDs and config keys.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace tfmend {

/// The candidate closest to `word` (case-insensitive edit distance, a swap of
/// two neighbours counting as one edit), if it is close enough to be a typo:
/// at most one edit for words up to 7 characters, two up to 11, three beyond.
std::optional<std::string> closestMatch(std::string_view word, const std::vector<std::string>& candidates);

/// " (did you mean \"x\"?)" for the closest candidate, or "" when none is close.
std::string didYouMean(std::string_view word, const std::vector<std::string>& candidates);

}  // namespace tfmend
