#pragma once
/// SHA-256 (FIPS 180-4), for the content hashes of exported fixes: an export
/// must refuse a file that changed since, and a 64-bit hash is too weak a
/// guard for that.

#include <string>
#include <string_view>

namespace tfmend {

/// Lowercase hex SHA-256 of `data`.
std::string sha256Hex(std::string_view data);

}  // namespace tfmend
