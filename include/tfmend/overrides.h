#pragma once
/// Fixes that survive `cdktf synth`: the difference between a synthesized
/// stack and its fixed version, written as cdktf escape hatches
/// (`addOverride`) in TypeScript or Python, so that the app itself synthesizes
/// the fixed JSON. Overrides follow cdktf's merge rules (src: cdktf
/// lib/util.js deepMerge): objects merge key by key, so a change is written at
/// its deepest differing path; an array given whole is appended to the
/// existing one, so arrays change element by element (numeric path parts);
/// `undefined` deletes a key in TypeScript (Python has only None, which cdktf
/// writes as null: Terraform reads a null argument as unset).

#include <string>
#include <vector>

#include "tfmend/finding.h"
#include "tfmend/json.h"
#include "tfmend/result.h"

namespace tfmend {

enum class OverrideLanguage { TypeScript, Python };

/// One stack's fixes: the synthesized document, the fixed one, and the fixes
/// applied (for the comments that say which rule wrote what).
struct StackFixes {
  std::string path;  ///< the file, for messages
  const Json* before = nullptr;
  const Json* after = nullptr;
  std::vector<Finding> applied;
  std::vector<std::string> secrets;  ///< values that must never be written into source
};

/// One override.
struct Override {
  bool stackLevel = false;     ///< TerraformStack.addOverride (a new resource, a variable, a local)
  std::string constructPath;   ///< the element's construct path (element overrides)
  std::string path;            ///< the dotted override path
  Json value;                  ///< what it sets
  bool remove = false;         ///< delete the key (TypeScript undefined, Python None)
  std::string rule, title;     ///< the fix it comes from
};

/// The overrides that turn `before` into `after`; an error where a change
/// cannot be written as an override (an element without a construct path, a
/// key with a "." in it).
Result<std::vector<Override>> computeOverrides(const StackFixes& fixes);

/// A source file with `applyTfmendFixes(stack)` (TypeScript) or
/// `apply_tfmend_fixes(stack)` (Python) for the given stacks, keyed by stack
/// name (the first part of their construct paths).
Result<std::string> emitOverrides(const std::vector<StackFixes>& stacks, OverrideLanguage language);

}  // namespace tfmend
