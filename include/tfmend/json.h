#pragma once
/// The JSON type of the whole project: insertion-ordered, so that key order of
/// the input survives a round trip.

#include <nlohmann/json.hpp>
#include <string>
#include <string_view>

namespace tfmend {
using Json = nlohmann::ordered_json;
using JsonPointer = Json::json_pointer;

/// Escapes one JSON Pointer token (RFC 6901: `~` as `~0`, `/` as `~1`).
inline std::string pointerToken(std::string_view token) {
  std::string out;
  out.reserve(token.size());
  for (char c : token) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}
}  // namespace tfmend
