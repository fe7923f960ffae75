#pragma once
/// Document: one Terraform JSON file as read, with the formatting facts needed
/// to write it back the way it came.

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "tfmend/json.h"
#include "tfmend/result.h"

namespace tfmend {

/// Input nested deeper than this (objects and arrays) is refused before it is
/// built: real stacks nest a few dozen levels, and every later step (model,
/// rules, serializer) may recurse once per level.
constexpr std::size_t kMaxNestingDepth = 1000;

/// Numbers as the input spelled them where tfmend would spell the parsed value
/// otherwise (123456789012345678901234567890, 1e-400, 1.0, 1.25e-7): by the
/// bits of the double they parse to, in document order.
using NumberSpellings = std::map<std::uint64_t, std::vector<std::string>>;

/// How a JSON text is laid out; learned from the input, used to write it back.
struct JsonStyle {
  /// One level of indentation; empty means compact (no whitespace at all).
  std::string indent = "  ";
  /// cdktf writes empty objects and arrays over two lines (`{\n    }`).
  bool brokenEmptyContainers = false;
  bool trailingNewline = false;
  /// Spellings to write for numbers of these values, so that a number no fix
  /// touched keeps its exact text; null when every number spells as tfmend would.
  std::shared_ptr<const NumberSpellings> numbers;
};

/// A parsed Terraform JSON file.
struct Document {
  std::string path;  ///< as given by the user; "-" for stdin
  std::string text;  ///< the exact bytes read
  Json root;
  JsonStyle style;
};

/// True when serialize(doc.root, doc.style) reproduces doc.text byte for
/// byte: a fix then changes only the lines it touches. Costs one serialization.
bool roundTrips(const Document& doc);

/// Parses `text` read from `path`. Refuses, with the file, line and column,
/// what Terraform would refuse or tfmend cannot keep: invalid JSON, duplicate
/// keys, numbers beyond a double, nesting deeper than kMaxNestingDepth. Error
/// messages never quote the input.
Result<Document> parseDocument(std::string path, std::string text);

/// Refuses what parseDocument refuses, with the same message, without
/// building the tree: for a text tfmend wrote and must be able to read back.
Status checkParses(const std::string& path, const std::string& text);

/// Learns indentation, empty-container layout and trailing newline from text.
JsonStyle detectStyle(const std::string& text);

/// Writes `value` in `style`, as cdktf (JavaScript) would for the same style.
/// A text expected to be large (0: unknown) is measured first and built in
/// one allocation of its size; a small one grows as it is written.
std::string serialize(const Json& value, const JsonStyle& style, std::size_t expectedSize = 0);

/// A number as serialize() writes it when the input gave no spelling ("60", "0.5").
std::string formatNumber(double value);


}  // namespace tfmend
