// Writes JSON the way cdktf (JavaScript's JSON writer) does, so that a file
// nothing changed comes back byte for byte and a fixed file still looks
// synthesized.
#include <algorithm>
#include <bit>
#include <charconv>
#include <cstdint>
#include <cstdio>
#include <string>
#include <unordered_map>
#include <vector>

#include "tfmend/document.h"

namespace tfmend {

namespace {

bool needsEscape(unsigned char c) { return c < 0x20 || c == '"' || c == '\\'; }

/// Where the counting pass writes: only the length, so that the text can be
/// built in one allocation of its exact size (a doubling string holds its old
/// and new buffer at once, up to three times the text, at the worst time).
struct Counter {
  std::size_t size = 0;
  Counter& operator+=(char) {
    ++size;
    return *this;
  }
  Counter& operator+=(std::string_view s) {
    size += s.size();
    return *this;
  }
  void append(const std::string&, std::size_t, std::size_t n) { size += n; }
};

template <typename Out>
void appendEscaped(Out& out, const std::string& s) {
  out += '"';
  // Runs of plain bytes are copied whole; most strings are one such run.
  std::size_t plain = 0;
  while (plain < s.size() && !needsEscape(static_cast<unsigned char>(s[plain]))) ++plain;
  out.append(s, 0, plain);
  for (unsigned char c : std::string_view(s).substr(plain)) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", c);
          out += buf;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

template <typename Out>
class Writer {
 public:
  explicit Writer(const JsonStyle& style, Out out = Out()) : style_(style), out_(std::move(out)) {}

  void write(const Json& value, int depth) {
    switch (value.type()) {
      case Json::value_t::object: writeObject(value, depth); break;
      case Json::value_t::array: writeArray(value, depth); break;
      case Json::value_t::string: appendEscaped(out_, value.get_ref<const std::string&>()); break;
      case Json::value_t::number_float: writeFloat(value.get<double>()); break;
      case Json::value_t::number_integer: writeInteger(value.get<std::int64_t>()); break;
      case Json::value_t::number_unsigned: writeInteger(value.get<std::uint64_t>()); break;
      case Json::value_t::boolean: out_ += value.get<bool>() ? std::string_view("true") : std::string_view("false"); break;
      case Json::value_t::null: out_ += std::string_view("null"); break;
      default: out_ += value.dump(); break;
    }
  }

  Out& out() { return out_; }

 private:
  bool compact() const { return style_.indent.empty(); }

  void newline(int depth) {
    out_ += '\n';
    for (int i = 0; i < depth; ++i) out_ += style_.indent;
  }

  void writeEmpty(char open, char close, int depth) {
    out_ += open;
    if (style_.brokenEmptyContainers && !compact()) newline(depth);
    out_ += close;
  }

  void writeObject(const Json& value, int depth) {
    if (value.empty()) return writeEmpty('{', '}', depth);
    out_ += '{';
    bool first = true;
    for (const auto& [key, member] : value.items()) {
      if (!first) out_ += ',';
      first = false;
      if (!compact()) newline(depth + 1);
      appendEscaped(out_, key);
      out_ += compact() ? ":" : ": ";
      write(member, depth + 1);
    }
    if (!compact()) newline(depth);
    out_ += '}';
  }

  void writeArray(const Json& value, int depth) {
    if (value.empty()) return writeEmpty('[', ']', depth);
    out_ += '[';
    for (std::size_t i = 0; i < value.size(); ++i) {
      if (i > 0) out_ += ',';
      if (!compact()) newline(depth + 1);
      write(value[i], depth + 1);
    }
    if (!compact()) newline(depth);
    out_ += ']';
  }

  template <typename Integer>
  void writeInteger(Integer n) {
    char buf[24];
    auto end = std::to_chars(buf, buf + sizeof buf, n).ptr;
    out_ += std::string_view(buf, static_cast<std::size_t>(end - buf));
  }

  void writeFloat(double d) {
    if (style_.numbers) {
      // The input's spelling of this value, in document order: an untouched
      // number comes back as it was; any spelling of the value is that value.
      std::uint64_t bits = std::bit_cast<std::uint64_t>(d);
      if (auto it = style_.numbers->find(bits); it != style_.numbers->end()) {
        std::size_t& next = nextSpelling_[bits];
        out_ += it->second[std::min(next, it->second.size() - 1)];
        ++next;
        return;
      }
    }
    out_ += formatNumber(d);
  }

  const JsonStyle& style_;
  Out out_;
  std::unordered_map<std::uint64_t, std::size_t> nextSpelling_;
};

}  // namespace

namespace {

/// The length of the valid UTF-8 sequence (RFC 3629: no overlong forms, no
/// surrogates, at most U+10FFFF) that starts `s`, or 0 if none does.
std::size_t utf8SequenceLength(std::string_view s) {
  auto byte = [&](std::size_t i) { return static_cast<unsigned char>(s[i]); };
  unsigned char c = byte(0);
  if (c < 0x80) return 1;
  std::size_t n = c >= 0xC2 && c <= 0xDF ? 2 : c >= 0xE0 && c <= 0xEF ? 3 : c >= 0xF0 && c <= 0xF4 ? 4 : 0;
  if (n == 0 || s.size() < n) return 0;
  for (std::size_t i = 1; i < n; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
  }
  if (c == 0xE0 && byte(1) < 0xA0) return 0;  // overlong
  if (c == 0xED && byte(1) > 0x9F) return 0;  // surrogate
  if (c == 0xF0 && byte(1) < 0x90) return 0;  // overlong
  if (c == 0xF4 && byte(1) > 0x8F) return 0;  // above U+10FFFF
  return n;
}

}  // namespace

bool isValidUtf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = utf8SequenceLength(s.substr(i));
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::string toValidUtf8(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size();) {
    std::size_t n = utf8SequenceLength(s.substr(i));
    if (n == 0) {
      out += "\xEF\xBF\xBD";
      ++i;
    } else {
      out.append(s.substr(i, n));
      i += n;
    }
  }
  return out;
}

std::string oneLine(std::string_view text, std::size_t limit) {
  std::string line = toValidUtf8(text);
  for (char& c : line) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = '?';
  }
  if (line.size() > limit) {
    std::size_t cut = limit;
    while (cut > 0 && (static_cast<unsigned char>(line[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
    line = line.substr(0, cut) + "...";
  }
  return line;
}

std::string formatNumber(double value) {
  // JavaScript prints integral doubles without a fraction ("60", not "60.0").
  std::string s = Json(value).dump();
  if (s.size() > 2 && s.compare(s.size() - 2, 2, ".0") == 0) s.resize(s.size() - 2);
  return s;
}

std::string serialize(const Json& value, const JsonStyle& style, std::size_t expectedSize) {
  // Measuring costs a walk of the tree: worth it where a doubling buffer
  // would hold megabytes twice, not for a small stack.
  constexpr std::size_t kMeasureFrom = 1 << 20;
  std::string text;
  if (expectedSize == 0 || expectedSize >= kMeasureFrom) {
    Writer<Counter> counter(style);
    counter.write(value, 0);
    text.reserve(counter.out().size + 1);
  } else {
    text.reserve(expectedSize + expectedSize / 8);
  }
  Writer<std::string> writer(style, std::move(text));
  writer.write(value, 0);
  if (style.trailingNewline) writer.out() += '\n';
  return std::move(writer.out());
}

}  // namespace tfmend
