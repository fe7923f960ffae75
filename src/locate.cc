#include "tfmend/locate.h"

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstring>
#include <map>
#include <string>

#include "tfmend/json.h"

namespace tfmend {

namespace {

constexpr std::size_t kNowhere = std::string::npos;

/// The bytes that skipping a container must stop at: quotes and brackets.
constexpr auto kStructural = [] {
  std::array<bool, 256> t{};
  for (unsigned char c : {'"', '{', '}', '[', ']'}) t[c] = true;
  return t;
}();

/// The pointers asked for, as a tree of their tokens: a walk of the text
/// enters only the members and elements that some pointer names.
struct Trie {
  struct Node {
    std::map<std::string, std::size_t, std::less<>> children;
    std::size_t offset = kNowhere;  ///< where the text holds it, once found
  };
  std::vector<Node> nodes{Node{}};

  /// The node of `pointer`'s token path, and the nodes on the way (root first).
  std::vector<std::size_t> insert(const std::string& pointer) {
    std::vector<std::size_t> path{0};
    if (pointer.empty() || pointer[0] != '/') return path;
    std::size_t from = 1;
    while (true) {
      std::size_t to = pointer.find('/', from);
      std::string token = pointer.substr(from, to == std::string::npos ? std::string::npos : to - from);
      std::string plain;
      for (std::size_t k = 0; k < token.size(); ++k) {
        if (token[k] == '~' && k + 1 < token.size() && (token[k + 1] == '0' || token[k + 1] == '1')) {
          plain += token[k + 1] == '0' ? '~' : '/';
          ++k;
        } else {
          plain += token[k];
        }
      }
      std::size_t at = path.back();
      auto it = nodes[at].children.find(plain);
      if (it == nodes[at].children.end()) {
        nodes.push_back(Node{});
        it = nodes[at].children.emplace(std::move(plain), nodes.size() - 1).first;
      }
      path.push_back(it->second);
      if (to == std::string::npos) break;
      from = to + 1;
    }
    return path;
  }
};

/// Walks a valid JSON text. It trusts the text's validity (the parser has
/// checked it) but never reads past its end, whatever it holds.
class Walker {
 public:
  Walker(std::string_view text, Trie& trie) : t_(text), trie_(trie) {}

  void run() {
    space();
    if (i_ >= t_.size()) return;
    trie_.nodes[0].offset = i_;
    value(0);
  }

 private:
  void space() {
    while (i_ < t_.size() && (t_[i_] == ' ' || t_[i_] == '\t' || t_[i_] == '\n' || t_[i_] == '\r')) ++i_;
  }

  void skipString() {
    // To the next quote that no odd run of backslashes escapes.
    for (++i_; i_ < t_.size();) {
      const void* quote = std::memchr(t_.data() + i_, '"', t_.size() - i_);
      if (!quote) break;
      std::size_t at = static_cast<std::size_t>(static_cast<const char*>(quote) - t_.data());
      std::size_t backslashes = 0;
      while (at - backslashes > i_ && t_[at - 1 - backslashes] == '\\') ++backslashes;
      i_ = at + 1;
      if (backslashes % 2 == 0) return;
    }
    i_ = t_.size();
  }

  /// The decoded text of the string at i_; `buffer` holds it when it had
  /// escapes (rare in keys), decoded by the JSON parser itself.
  std::string_view readString(std::string& buffer) {
    std::size_t quote = i_;
    std::size_t end = quote + 1;
    while (end < t_.size() && t_[end] != '"' && t_[end] != '\\') ++end;
    if (end >= t_.size() || t_[end] == '"') {
      i_ = std::min(end + 1, t_.size());
      return t_.substr(quote + 1, std::min(end, t_.size()) - quote - 1);
    }
    skipString();
    try {
      buffer = Json::parse(t_.substr(quote, i_ - quote)).get<std::string>();
    } catch (const Json::exception&) {
      buffer.assign(t_.substr(quote + 1, i_ - quote - 1));  // only a text that is not JSON gets here
    }
    return buffer;
  }

  /// Skips one value of any kind without building it.
  void skipValue() {
    if (i_ >= t_.size()) return;
    char c = t_[i_];
    if (c == '"') return skipString();
    if (c != '{' && c != '[') {
      while (i_ < t_.size() && t_[i_] != ',' && t_[i_] != '}' && t_[i_] != ']' && t_[i_] != ' ' && t_[i_] != '\n' &&
             t_[i_] != '\r' && t_[i_] != '\t') {
        ++i_;
      }
      return;
    }
    std::size_t depth = 0;
    while (i_ < t_.size()) {
      // Most bytes of a container are none of the five that matter here.
      while (i_ < t_.size() && !kStructural[static_cast<unsigned char>(t_[i_])]) ++i_;
      if (i_ >= t_.size()) break;
      c = t_[i_];
      if (c == '"') {
        skipString();
        continue;
      }
      if (c == '{' || c == '[') ++depth;
      if ((c == '}' || c == ']') && --depth == 0) {
        ++i_;
        return;
      }
      ++i_;
    }
  }

  /// The value at i_, whose trie node is `node`.
  void value(std::size_t node) {
    auto& children = trie_.nodes[node].children;
    if (children.empty() || i_ >= t_.size()) return skipValue();
    char c = t_[i_];
    if (c == '{') {
      ++i_;
      std::string buffer;
      while (true) {
        space();
        if (i_ >= t_.size() || t_[i_] == '}') break;
        if (t_[i_] == ',') {
          ++i_;
          continue;
        }
        std::size_t keyAt = i_;
        std::string_view key = readString(buffer);
        auto it = trie_.nodes[node].children.find(key);
        space();
        if (i_ < t_.size() && t_[i_] == ':') ++i_;
        space();
        if (it == trie_.nodes[node].children.end()) {
          skipValue();
        } else {
          std::size_t child = it->second;
          trie_.nodes[child].offset = keyAt;
          value(child);
        }
      }
      i_ = std::min(i_ + 1, t_.size());
    } else if (c == '[') {
      ++i_;
      std::size_t index = 0;
      while (true) {
        space();
        if (i_ >= t_.size() || t_[i_] == ']') break;
        if (t_[i_] == ',') {
          ++i_;
          ++index;
          continue;
        }
        auto it = trie_.nodes[node].children.find(std::to_string(index));
        if (it == trie_.nodes[node].children.end()) {
          skipValue();
        } else {
          std::size_t child = it->second;
          trie_.nodes[child].offset = i_;
          value(child);
        }
      }
      i_ = std::min(i_ + 1, t_.size());
    } else {
      skipValue();
    }
  }

  std::string_view t_;
  Trie& trie_;
  std::size_t i_ = 0;
};

}  // namespace

std::vector<TextPosition> locate(std::string_view text, const std::vector<std::string>& pointers) {
  Trie trie;
  std::vector<std::vector<std::size_t>> paths;
  paths.reserve(pointers.size());
  for (const auto& p : pointers) paths.push_back(trie.insert(p));
  Walker(text, trie).run();
  // Each pointer's offset: its own, or its deepest ancestor's that was found.
  std::vector<std::size_t> offsets;
  offsets.reserve(pointers.size());
  for (const auto& path : paths) {
    std::size_t at = 0;
    for (std::size_t node : path) {
      if (trie.nodes[node].offset == kNowhere) break;
      at = trie.nodes[node].offset;
    }
    offsets.push_back(at);
  }
  // Offsets to lines and columns in one pass over the text, in offset order.
  std::vector<std::size_t> order(offsets.size());
  for (std::size_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](std::size_t a, std::size_t b) { return offsets[a] < offsets[b]; });
  std::vector<TextPosition> out(pointers.size());
  int line = 1;
  std::size_t lineStart = 0, scanned = 0;
  for (std::size_t k : order) {
    std::size_t target = std::min(offsets[k], text.size());
    while (scanned < target) {
      const void* nl = std::memchr(text.data() + scanned, '\n', target - scanned);
      if (!nl) {
        scanned = target;
        break;
      }
      ++line;
      lineStart = static_cast<std::size_t>(static_cast<const char*>(nl) - text.data()) + 1;
      scanned = lineStart;
    }
    out[k] = {line, static_cast<int>(target - lineStart) + 1};
  }
  return out;
}

}  // namespace tfmend
