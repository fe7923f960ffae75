#include "tfmend/names.h"

#include <cctype>
#include <cstdio>
#include <vector>

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

namespace {

std::uint32_t rotl(std::uint32_t x, int c) { return (x << c) | (x >> (32 - c)); }

void md5Block(std::uint32_t h[4], const unsigned char* p) {
  static const std::uint32_t k[64] = {
      0xd76aa478, 0xe8c7b756, 0x242070db, 0xc1bdceee, 0xf57c0faf, 0x4787c62a, 0xa8304613, 0xfd469501, 0x698098d8, 0x8b44f7af,
      0xffff5bb1, 0x895cd7be, 0x6b901122, 0xfd987193, 0xa679438e, 0x49b40821, 0xf61e2562, 0xc040b340, 0x265e5a51, 0xe9b6c7aa,
      0xd62f105d, 0x02441453, 0xd8a1e681, 0xe7d3fbc8, 0x21e1cde6, 0xc33707d6, 0xf4d50d87, 0x455a14ed, 0xa9e3e905, 0xfcefa3f8,
      0x676f02d9, 0x8d2a4c8a, 0xfffa3942, 0x8771f681, 0x6d9d6122, 0xfde5380c, 0xa4beea44, 0x4bdecfa9, 0xf6bb4b60, 0xbebfbc70,
      0x289b7ec6, 0xeaa127fa, 0xd4ef3085, 0x04881d05, 0xd9d4d039, 0xe6db99e5, 0x1fa27cf8, 0xc4ac5665, 0xf4292244, 0x432aff97,
      0xab9423a7, 0xfc93a039, 0x655b59c3, 0x8f0ccc92, 0xffeff47d, 0x85845dd1, 0x6fa87e4f, 0xfe2ce6e0, 0xa3014314, 0x4e0811a1,
      0xf7537e82, 0xbd3af235, 0x2ad7d2bb, 0xeb86d391};
  static const int r[64] = {7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 7, 12, 17, 22, 5, 9,  14, 20, 5, 9,
                            14, 20, 5, 9,  14, 20, 5, 9,  14, 20, 4, 11, 16, 23, 4, 11, 16, 23, 4, 11, 16, 23,
                            4, 11, 16, 23, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21, 6, 10, 15, 21};
  std::uint32_t w[16];
  for (int i = 0; i < 16; ++i) {
    w[i] = std::uint32_t(p[4 * i]) | (std::uint32_t(p[4 * i + 1]) << 8) | (std::uint32_t(p[4 * i + 2]) << 16) |
           (std::uint32_t(p[4 * i + 3]) << 24);
  }
  std::uint32_t a = h[0], b = h[1], c = h[2], d = h[3];
  for (int i = 0; i < 64; ++i) {
    std::uint32_t f;
    int g;
    if (i < 16) f = (b & c) | (~b & d), g = i;
    else if (i < 32) f = (d & b) | (~d & c), g = (5 * i + 1) % 16;
    else if (i < 48) f = b ^ c ^ d, g = (3 * i + 5) % 16;
    else f = c ^ (b | ~d), g = (7 * i) % 16;
    std::uint32_t t = d;
    d = c;
    c = b;
    b = b + rotl(a + f + k[i] + w[g], r[i]);
    a = t;
  }
  h[0] += a, h[1] += b, h[2] += c, h[3] += d;
}

}  // namespace

std::string md5Hex(std::string_view text) {
  std::uint32_t h[4] = {0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476};
  std::size_t full = text.size() / 64 * 64;
  for (std::size_t i = 0; i < full; i += 64) md5Block(h, reinterpret_cast<const unsigned char*>(text.data() + i));
  unsigned char tail[128] = {};
  std::size_t rest = text.size() - full;
  for (std::size_t i = 0; i < rest; ++i) tail[i] = static_cast<unsigned char>(text[full + i]);
  tail[rest] = 0x80;
  std::size_t tailLength = rest + 1 + 8 <= 64 ? 64 : 128;
  std::uint64_t bits = static_cast<std::uint64_t>(text.size()) * 8;
  for (int i = 0; i < 8; ++i) tail[tailLength - 8 + i] = static_cast<unsigned char>(bits >> (8 * i));
  for (std::size_t i = 0; i < tailLength; i += 64) md5Block(h, tail + i);
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(32, '0');
  std::size_t at = 0;
  for (auto v : h) {
    for (int i = 0; i < 4; ++i) {
      unsigned byte = (v >> (8 * i)) & 0xff;
      out[at++] = kHex[byte >> 4];
      out[at++] = kHex[byte & 0xf];
    }
  }
  return out;
}

std::string cdktfLogicalId(std::string_view path) {
  std::vector<std::string> components;
  std::size_t start = path.find('/');  // the stack itself is not part of the id
  if (start == std::string_view::npos) return std::string(path);
  for (++start; start <= path.size();) {
    std::size_t slash = path.find('/', start);
    std::string c(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (c != "Default") components.push_back(c);
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  auto sanitize = [](const std::string& s) {
    std::string out;
    for (char c : s) {
      if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '-') out += c;
    }
    return out;
  };
  if (components.size() == 1) return sanitize(components[0]);
  std::string joined;
  for (const auto& c : components) joined += (joined.empty() ? "" : "/") + c;
  std::string hash = md5Hex(joined).substr(0, 8);
  for (auto& c : hash) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  std::string human;
  std::string previous;
  for (const auto& c : components) {
    bool duplicate = !previous.empty() && previous.size() >= c.size() &&
                     previous.compare(previous.size() - c.size(), c.size(), c) == 0;
    if (!duplicate) {
      if (c != "Resource") human += (human.empty() ? "" : "_") + sanitize(c);
      previous = c;
    }
  }
  return human.substr(0, 240) + "_" + hash;
}

}  // namespace tfmend
