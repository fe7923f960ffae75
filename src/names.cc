#include "tfmend/names.h"

#include <cstdio>

namespace tfmend {

std::uint64_t fnv1a(std::string_view text) {
  std::uint64_t h = 14695981039346656037ull;
  for (unsigned char c : text) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

std::string shortHash(std::string_view text, std::size_t length) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fnv1a(text)));
  return std::string(buf, length < 16 ? length : 16);
}

}  // namespace tfmend
