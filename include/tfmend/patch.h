#pragma once
/// JSON Patch (RFC 6902: add, remove, replace, test) on ordered JSON, applied
/// all or nothing. A key added to an object whose keys are sorted goes to its
/// sorted place, so a fixed cdktf file still looks synthesized.

#include <optional>
#include <set>
#include <string>

#include "tfmend/json.h"
#include "tfmend/result.h"

namespace tfmend {

/// The operations of RFC 6902 that tfmend uses.
enum class OpKind { Add, Remove, Replace, Test };

/// The kind of a patch operation, or nullopt for one tfmend does not apply (move, copy, malformed).
std::optional<OpKind> opKindOf(const Json& op);

/// Objects whose keys were sorted and that gained keys, to be sorted once at the
/// end of a batch of patches rather than at every insertion: inserting in place
/// rebuilds the object, which made many fixes into one large object quadratic.
class SortLater {
 public:
  /// Notes `object` at `pointer` before a new key is appended to it.
  void note(const std::string& pointer, const Json& object);
  /// Sorts the keys of every noted object of `doc`; forgets them.
  void sortAll(Json& doc);

 private:
  std::set<std::string> sorted_, unsorted_;
};

/// Applies every operation of `ops` to `doc`, or none of them: on the first
/// failing operation the earlier ones are undone and the error names it. With
/// `later`, a key added to a sorted object is appended and `later` sorts it.
Status applyPatch(Json& doc, const Json& ops, SortLater* later = nullptr);

/// True if the keys of `object` are in strictly ascending byte order.
bool keysSorted(const Json& object);

/// Adds `key` to `object` at its sorted place when the keys are sorted, else last.
void insertKey(Json& object, const std::string& key, Json value);

}  // namespace tfmend
