#pragma once
/// The JSON type of the whole project: insertion-ordered, so that key order of
/// the input survives a round trip.

#include <nlohmann/json.hpp>

namespace tfmend {
using Json = nlohmann::ordered_json;
using JsonPointer = Json::json_pointer;
}  // namespace tfmend
