#include "tfmend/document.h"

#include <bit>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <optional>
#include <string>

namespace tfmend {

namespace {

/// 1-based line and column of byte offset `byte` (0-based) in `text`.
std::pair<int, int> lineAndColumn(const std::string& text, std::size_t byte) {
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

/// A `const char*` that tells how far nlohmann's lexer has read: its SAX
/// events carry no positions, and a duplicate key or a too-deep level must be
/// reported with its line.
class TrackingIterator {
 public:
  using iterator_category = std::input_iterator_tag;
  using value_type = char;
  using difference_type = std::ptrdiff_t;
  using pointer = const char*;
  using reference = const char&;

  TrackingIterator(const char* p, const char** readUpTo) : p_(p), readUpTo_(readUpTo) {}
  reference operator*() const { return *p_; }
  TrackingIterator& operator++() {
    *readUpTo_ = ++p_;
    return *this;
  }
  bool operator==(const TrackingIterator& o) const { return p_ == o.p_; }
  bool operator!=(const TrackingIterator& o) const { return p_ != o.p_; }

 private:
  const char* p_;
  const char** readUpTo_;
};

/// A key as an error message shows it: JSON-quoted, at most 64 bytes of it.
std::string quotedKey(const std::string& key) {
  std::string shown = key;
  if (shown.size() > 64) {
    std::size_t cut = 64;
    while (cut > 0 && (static_cast<unsigned char>(shown[cut]) & 0xC0) == 0x80) --cut;  // not inside a character
    shown = shown.substr(0, cut);
  }
  JsonStyle compact;
  compact.indent.clear();
  return serialize(Json(shown), compact) + (shown.size() < key.size() ? "..." : "");
}

/// Builds the document from nlohmann's SAX events, refusing duplicate keys and
/// deep nesting as it goes and keeping the spelling of numbers that would not
/// be written back as they came. Iterative: no recursion per level.
class Builder {
 public:
  Builder(const std::string& text, const char** readUpTo) : text_(text), readUpTo_(readUpTo) {}

  bool null() { return put(Json(nullptr)); }
  bool boolean(bool v) { return put(Json(v)); }
  bool number_integer(Json::number_integer_t v) {
    // "-0" reads as the integer 0; as a double it keeps its sign and writes back as "-0".
    if (v == 0 && endsInMinusZero()) return put(Json(-0.0));
    return put(Json(v));
  }
  bool number_unsigned(Json::number_unsigned_t v) { return put(Json(v)); }
  bool number_float(Json::number_float_t v, const std::string& spelled) {
    if (formatNumber(v) != spelled) {
      if (!numbers_) numbers_ = std::make_shared<NumberSpellings>();
      (*numbers_)[std::bit_cast<std::uint64_t>(v)].push_back(spelled);
    }
    return put(Json(v));
  }
  bool string(std::string& v) { return put(Json(std::move(v))); }
  bool binary(Json::binary_t&) { return fail(here(), "binary values are not JSON"); }

  bool start_object(std::size_t) { return open(Json::object()); }
  bool start_array(std::size_t) { return open(Json::array()); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(std::string& k) {
    auto& members = stack_.back()->get_ref<Json::object_t&>();
    // Json's objects are indexed: this stays linear in the file however many keys an object has.
    if (members.count(k) > 0) return fail(keyStart(), "duplicate key " + quotedKey(k));
    slot_ = &members.emplace(std::move(k), nullptr).first->second;
    return true;
  }

  bool parse_error(std::size_t position, const std::string& lastToken, const nlohmann::detail::exception& e) {
    // nlohmann counts bytes from 1 and points just past the offending token.
    std::size_t at = position > 0 ? position - 1 : 0;
    if (e.id == 406) {
      // The number is the token that ends at `position`: point at its start.
      std::size_t start = position;
      while (start > 0 && std::strchr("0123456789+-.eE", text_[start - 1]) != nullptr) --start;
      return fail(start, "number out of range (its magnitude exceeds 1.8e308)");
    }
    std::string detail = e.what();
    if (auto pos = detail.find(": "); pos != std::string::npos && detail.rfind("[json.exception", 0) == 0) {
      detail = detail.substr(pos + 2);
    }
    if (detail.rfind("syntax error while parsing ", 0) == 0) detail = detail.substr(std::string("syntax error while parsing ").size());
    // Never echo the input: it may be a secret, or 100 MB of an unterminated string.
    if (std::string lastRead = "; last read: '" + lastToken + "'"; detail.find(lastRead) != std::string::npos) {
      detail.erase(detail.find(lastRead), lastRead.size());
    }
    if (auto cut = detail.find("; last read: '"); cut != std::string::npos) detail.resize(cut);
    // nlohmann's lexer takes a NUL byte for the end of the input.
    if (at < text_.size() && text_[at] == '\0') {
      if (auto pos = detail.find("unexpected end of input"); pos != std::string::npos) detail.replace(pos, 23, "unexpected NUL byte");
    }
    return fail(at, "invalid JSON: " + detail);
  }

  Json root;
  std::shared_ptr<NumberSpellings> numbers_;
  std::optional<std::pair<std::size_t, std::string>> error;  ///< byte offset, message

 private:
  bool fail(std::size_t at, std::string message) {
    if (!error) error.emplace(at, std::move(message));
    return false;
  }

  /// The byte the lexer has read up to (one past the last token, or its look-ahead).
  std::size_t here() const { return static_cast<std::size_t>(*readUpTo_ - text_.data()); }

  /// The opening quote of the key just read: the lexer stopped after its closing quote.
  std::size_t keyStart() const {
    std::size_t i = here();
    if (i == 0) return 0;
    --i;  // the closing quote
    while (i > 0) {
      --i;
      if (text_[i] != '"') continue;
      std::size_t backslashes = 0;
      while (backslashes < i && text_[i - 1 - backslashes] == '\\') ++backslashes;
      if (backslashes % 2 == 0) return i;
    }
    return 0;
  }

  /// True if the integer just read is spelled "-0" (the lexer read one byte past it, unless at the end).
  bool endsInMinusZero() const {
    std::size_t end = here();
    if (end > 0 && !(end == text_.size() && text_[end - 1] == '0')) --end;
    return end >= 2 && text_[end - 1] == '0' && text_[end - 2] == '-';
  }

  Json* place(Json value) {
    if (stack_.empty()) {
      root = std::move(value);
      return &root;
    }
    Json& top = *stack_.back();
    if (top.is_array()) {
      auto& items = top.get_ref<Json::array_t&>();
      items.push_back(std::move(value));
      return &items.back();
    }
    *slot_ = std::move(value);
    return slot_;
  }

  bool put(Json value) {
    place(std::move(value));
    return true;
  }

  bool open(Json container) {
    if (stack_.size() >= kMaxNestingDepth) {
      return fail(here() > 0 ? here() - 1 : 0, "nested deeper than " + std::to_string(kMaxNestingDepth) + " levels");
    }
    stack_.push_back(place(std::move(container)));
    return true;
  }

  bool close() {
    // A container is complete: give back the room its growth left unused
    // (up to half of it), which would otherwise stay for the document's life.
    Json& done = *stack_.back();
    if (done.is_object()) done.get_ref<Json::object_t&>().fit();
    else done.get_ref<Json::array_t&>().shrink_to_fit();
    stack_.pop_back();
    return true;
  }

  const std::string& text_;
  const char** readUpTo_;
  std::vector<Json*> stack_;  ///< open containers; a parent gains no member while a child is open
  Json* slot_ = nullptr;      ///< where the value of the key just read goes
};

}  // namespace

JsonStyle detectStyle(const std::string& text) {
  JsonStyle style;
  style.trailingNewline = !text.empty() && text.back() == '\n';
  // The indentation unit is the whitespace that opens the first indented line.
  style.indent.clear();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n') continue;
    std::size_t j = i + 1;
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
    if (j < text.size() && j > i + 1) {
      style.indent = text.substr(i + 1, j - i - 1);
      break;
    }
  }
  // An empty container written over two lines: an opening bracket, a newline,
  // whitespace only, and its closing bracket. JSON strings cannot hold a raw
  // newline, so this scan cannot be fooled by string contents.
  for (std::size_t i = 0; i + 1 < text.size() && !style.brokenEmptyContainers; ++i) {
    if ((text[i] != '{' && text[i] != '[') || text[i + 1] != '\n') continue;
    std::size_t j = i + 2;
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
    if (j < text.size() && text[j] == (text[i] == '{' ? '}' : ']')) style.brokenEmptyContainers = true;
  }
  return style;
}

Result<Document> parseDocument(std::string path, std::string text) {
  Document doc;
  doc.path = std::move(path);
  doc.text = std::move(text);
  if (doc.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Error{oneLine(doc.path) + ":1:1: invalid JSON: the file is empty"};
  }
  const char* readUpTo = doc.text.data();
  Builder builder(doc.text, &readUpTo);
  const char* begin = doc.text.data();
  bool ok = Json::sax_parse(TrackingIterator(begin, &readUpTo), TrackingIterator(begin + doc.text.size(), &readUpTo),
                            &builder);
  if (!ok || builder.error) {
    auto [at, message] = builder.error.value_or(std::pair<std::size_t, std::string>{0, "invalid JSON"});
    auto [line, column] = lineAndColumn(doc.text, at);
    return Error{oneLine(doc.path) + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message};
  }
  doc.root = std::move(builder.root);
  doc.style = detectStyle(doc.text);
  doc.style.numbers = std::move(builder.numbers_);
  return doc;
}

bool roundTrips(const Document& doc) { return serialize(doc.root, doc.style) == doc.text; }

}  // namespace tfmend
