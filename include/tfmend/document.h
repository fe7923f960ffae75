#pragma once
/// Document: one Terraform JSON file as read, with the formatting facts needed
/// to write it back the way it came.

#include <string>
#include <vector>

#include "tfmend/json.h"
#include "tfmend/result.h"

namespace tfmend {

/// How a JSON text is laid out; learned from the input, used to write it back.
struct JsonStyle {
  /// One level of indentation; empty means compact (no whitespace at all).
  std::string indent = "  ";
  /// cdktf writes empty objects and arrays over two lines (`{\n    }`).
  bool brokenEmptyContainers = false;
  bool trailingNewline = false;
};

/// A parsed Terraform JSON file.
struct Document {
  std::string path;  ///< as given by the user; "-" for stdin
  std::string text;  ///< the exact bytes read
  Json root;
  JsonStyle style;
  /// True when serialize(root, style) reproduces `text` byte for byte.
  bool roundTrips = false;
};

/// Parses `text` read from `path`; errors name the file, line and column.
Result<Document> parseDocument(std::string path, std::string text);

/// Learns indentation, empty-container layout and trailing newline from text.
JsonStyle detectStyle(const std::string& text);

/// Writes `value` in `style`, as cdktf (JavaScript) would for the same style.
std::string serialize(const Json& value, const JsonStyle& style);

/// The 1-based line at which each of `pointers` starts in serialize(value, style).
/// Pointers that do not exist map to line 1.
std::vector<int> linesOf(const Json& value, const JsonStyle& style, const std::vector<std::string>& pointers);

}  // namespace tfmend
