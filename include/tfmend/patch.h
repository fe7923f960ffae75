#pragma once
/// JSON Patch (RFC 6902: add, remove, replace, test) on ordered JSON, applied
/// all or nothing. A key added to an object whose keys are sorted goes to its
/// sorted place, so a fixed cdktf file still looks synthesized.

#include "tfmend/json.h"
#include "tfmend/result.h"

namespace tfmend {

/// Applies every operation of `ops` to `doc`, or none of them: on the first
/// failing operation the earlier ones are undone and the error names it.
Status applyPatch(Json& doc, const Json& ops);

/// True if the keys of `object` are in strictly ascending byte order.
bool keysSorted(const Json& object);

/// Adds `key` to `object` at its sorted place when the keys are sorted, else last.
void insertKey(Json& object, const std::string& key, Json value);

}  // namespace tfmend
