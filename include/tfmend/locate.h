#pragma once
/// Locate: where JSON pointers sit in a JSON text, as a line and a column,
/// read from the text itself, so they are right in any layout.

#include <string>
#include <string_view>
#include <vector>

namespace tfmend {

/// A place in a text: line and column from 1; the column counts bytes.
struct TextPosition {
  int line = 1;
  int column = 1;
  bool operator==(const TextPosition&) const = default;
};

/// Where each of `pointers` starts in `text`, which must be valid JSON (as
/// parseDocument accepted it): the opening quote of an object member's key,
/// the first byte of an array element, the first byte of the text for "".
/// A pointer that names nothing is placed where its deepest existing
/// ancestor is. One pass over the text, skipping what no pointer enters.
std::vector<TextPosition> locate(std::string_view text, const std::vector<std::string>& pointers);

}  // namespace tfmend
