#pragma once
/// Naming helpers shared by rules: stable short hashes, and AWS name limits.

#include <cstdint>
#include <string>
#include <string_view>

namespace tfmend {

/// 64-bit FNV-1a: stable across platforms and runs (unlike std::hash).
std::uint64_t fnv1a(std::string_view text);

/// The first `length` hex digits of fnv1a(text).
std::string shortHash(std::string_view text, std::size_t length = 6);

/// Lowercase hex MD5 of `text` (RFC 1321): cdktf derives logical ids from it,
/// and tfmend names what it adds the same way.
std::string md5Hex(std::string_view text);

/// The logical id cdktf gives a construct at `path` ("stack/a/b"): the path
/// below the stack, components joined by "_" (a component that ends its
/// predecessor dropped, "Default" and "Resource" hidden as cdktf hides them),
/// then "_" and the first 8 hex digits of the MD5 of the components joined by
/// "/", upper case. A construct directly under the stack keeps its id.
std::string cdktfLogicalId(std::string_view path);

}  // namespace tfmend
