#pragma once
/// The secret values of a document, by the catalogue: whatever sits at a
/// secret-bearing key is redacted from every output, whichever rules run,
/// whatever is suppressed.

#include <string>
#include <vector>

#include "tfmend/json.h"

namespace tfmend {

/// Every literal value of `root` at a secret-bearing key: the catalogue's
/// secret arguments of every resource type (and the literal defaults of
/// variables they read), provider credentials, Lambda and container
/// environment values under secret-like names, and variables marked
/// sensitive; then `extra`.
std::vector<std::string> documentSecrets(const Json& root, std::vector<std::string> extra = {});

}  // namespace tfmend
