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

}  // namespace tfmend
