#include "tfmend/document.h"

#include <bit>
#include <cstddef>
#include <cstring>
#include <iterator>
#include <optional>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <vector>

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

/// What both SAX handlers below share: positions for messages, the refusals
/// of binary values and deep nesting, and nlohmann's parse errors turned
/// into messages that never quote the input.
class SaxBase {
 public:
  SaxBase(const std::string& text, const char** readUpTo) : text_(text), readUpTo_(readUpTo) {}

  bool binary(Json::binary_t&) { return fail(here(), "binary values are not JSON"); }

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

  std::optional<std::pair<std::size_t, std::string>> error;  ///< byte offset, message

 protected:
  bool fail(std::size_t at, std::string message) {
    if (!error) error.emplace(at, std::move(message));
    return false;
  }

  bool refuseDepth(std::size_t depth) {
    if (depth < kMaxNestingDepth) return true;
    return fail(here() > 0 ? here() - 1 : 0, "nested deeper than " + std::to_string(kMaxNestingDepth) + " levels");
  }

  bool refuseDuplicate(const std::string& key) { return fail(keyStart(), "duplicate key " + quotedKey(key)); }

  /// The byte the lexer has read up to (one past the last token, or its look-ahead).
  std::size_t here() const { return static_cast<std::size_t>(*readUpTo_ - text_.data()); }

  /// True if the integer just read is spelled "-0" (the lexer read one byte past it, unless at the end).
  bool endsInMinusZero() const {
    std::size_t end = here();
    if (end > 0 && !(end == text_.size() && text_[end - 1] == '0')) --end;
    return end >= 2 && text_[end - 1] == '0' && text_[end - 2] == '-';
  }

 private:
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

  const std::string& text_;
  const char** readUpTo_;
};

/// Builds the document from nlohmann's SAX events, refusing duplicate keys and
/// deep nesting as it goes and keeping the spelling of numbers that would not
/// be written back as they came. Iterative: no recursion per level.
///
/// The members of open objects and the items of open arrays wait in two
/// scratch stacks that keep their room from container to container; a
/// container is made when it closes, in one allocation of its exact size,
/// its keys and values moved in. Growing each container by doubling instead
/// costs an allocation and a copy of every key per doubling, and leaves up to
/// half of its room unused for the document's life.
class Builder : public SaxBase {
 public:
  using SaxBase::SaxBase;

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
  // Strings are copied, not moved: a copy is one allocation of the exact
  // size, while a moved-from lexer buffer must regrow by doubling for the
  // next string (several allocations, and up to twice the room kept).
  bool string(std::string& v) { return put(Json(static_cast<const std::string&>(v))); }

  bool start_object(std::size_t) { return open(true); }
  bool start_array(std::size_t) { return open(false); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(std::string& k) {
    Level& level = levels_.back();
    if (level.known.has(members_, level.begin, k)) return refuseDuplicate(k);
    members_.emplace_back(static_cast<const std::string&>(k), nullptr);
    level.known.added(members_, level.begin);
    return true;
  }

  Json root;
  std::shared_ptr<NumberSpellings> numbers_;

 private:
  using Member = std::pair<std::string, Json>;

  /// The keys of one open object, which are members_[begin...]: scanned
  /// while few, hashed (to positions in members_, never copies of the keys)
  /// once many.
  class Keys {
   public:
    bool has(const std::vector<Member>& members, std::size_t begin, const std::string& k) const {
      if (!byHash_) {
        for (std::size_t i = begin; i < members.size(); ++i) {
          if (members[i].first == k) return true;
        }
        return false;
      }
      auto [from, to] = byHash_->equal_range(std::hash<std::string>{}(k));
      for (auto it = from; it != to; ++it) {
        if (members[it->second].first == k) return true;
      }
      return false;
    }
    /// Notes the member just added at the back of `members`.
    void added(const std::vector<Member>& members, std::size_t begin) {
      if (members.size() - begin < IndexedOrderedMap<std::string, Json>::kIndexFrom) return;
      if (!byHash_) {
        byHash_ = std::make_unique<std::unordered_multimap<std::size_t, std::size_t>>();
        for (std::size_t i = begin; i + 1 < members.size(); ++i) byHash_->emplace(std::hash<std::string>{}(members[i].first), i);
      }
      byHash_->emplace(std::hash<std::string>{}(members.back().first), members.size() - 1);
    }

   private:
    std::unique_ptr<std::unordered_multimap<std::size_t, std::size_t>> byHash_;
  };

  struct Level {
    bool object;
    std::size_t begin;  ///< its first member (or item) in members_ (or items_)
    Keys known;
  };

  bool put(Json value) {
    if (levels_.empty()) {
      root = std::move(value);
    } else if (levels_.back().object) {
      members_.back().second = std::move(value);  // the key read last
    } else {
      items_.push_back(std::move(value));
    }
    return true;
  }

  bool open(bool object) {
    if (!refuseDepth(levels_.size())) return false;
    levels_.push_back(Level{object, object ? members_.size() : items_.size(), {}});
    return true;
  }

  bool close() {
    Level& level = levels_.back();
    Json done;
    if (level.object) {
      done = Json::object();
      auto first = members_.begin() + static_cast<std::ptrdiff_t>(level.begin);
      done.get_ref<Json::object_t&>().assignDistinct(first, members_.end());
      members_.erase(first, members_.end());
    } else {
      done = Json::array();
      auto first = items_.begin() + static_cast<std::ptrdiff_t>(level.begin);
      auto& items = done.get_ref<Json::array_t&>();
      items.reserve(static_cast<std::size_t>(items_.end() - first));
      std::move(first, items_.end(), std::back_inserter(items));
      items_.erase(first, items_.end());
    }
    levels_.pop_back();
    return put(std::move(done));
  }

  std::vector<Level> levels_;   ///< open containers, innermost last
  std::vector<Member> members_;  ///< members of the open objects, in order
  std::vector<Json> items_;      ///< items of the open arrays, in order
};

/// Refuses what Builder refuses, keeping only the keys of the objects still
/// open: a fixed text is checked without building a second tree.
class Checker : public SaxBase {
 public:
  using SaxBase::SaxBase;

  bool null() { return true; }
  bool boolean(bool) { return true; }
  bool number_integer(Json::number_integer_t) { return true; }
  bool number_unsigned(Json::number_unsigned_t) { return true; }
  bool number_float(Json::number_float_t, const std::string&) { return true; }
  bool string(std::string&) { return true; }

  bool start_object(std::size_t) {
    if (!refuseDepth(open_.size())) return false;
    open_.emplace_back();
    return true;
  }
  bool start_array(std::size_t) {
    if (!refuseDepth(open_.size())) return false;
    open_.emplace_back();  // an array's set stays empty
    return true;
  }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(std::string& k) {
    if (!open_.back().insert(k).second) return refuseDuplicate(k);
    return true;
  }

 private:
  bool close() {
    open_.pop_back();
    return true;
  }
  std::vector<std::unordered_set<std::string>> open_;  ///< the keys of each open container
};

/// Runs `handler` over `text`; the error, if any, as parseDocument reports it.
template <typename Handler>
Status runSax(const std::string& path, const std::string& text, Handler& handler, const char*& readUpTo) {
  if (text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Error{oneLine(path) + ":1:1: invalid JSON: the file is empty"};
  }
  const char* begin = text.data();
  bool ok = Json::sax_parse(TrackingIterator(begin, &readUpTo), TrackingIterator(begin + text.size(), &readUpTo), &handler);
  if (!ok || handler.error) {
    auto [at, message] = handler.error.value_or(std::pair<std::size_t, std::string>{0, "invalid JSON"});
    auto [line, column] = lineAndColumn(text, at);
    return Error{oneLine(path) + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " + message};
  }
  return okStatus();
}

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
  // Newlines are found with memchr; most lines do not end in a bracket.
  for (std::size_t nl = text.find('\n', 1); nl != std::string::npos && !style.brokenEmptyContainers;
       nl = text.find('\n', nl + 1)) {
    const char open = text[nl - 1];
    if (open != '{' && open != '[') continue;
    std::size_t j = nl + 1;
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
    if (j < text.size() && text[j] == (open == '{' ? '}' : ']')) style.brokenEmptyContainers = true;
  }
  return style;
}

Result<Document> parseDocument(std::string path, std::string text) {
  Document doc;
  doc.path = std::move(path);
  doc.text = std::move(text);
  const char* readUpTo = doc.text.data();
  Builder builder(doc.text, &readUpTo);
  if (auto s = runSax(doc.path, doc.text, builder, readUpTo); !s) return s.error();
  doc.root = std::move(builder.root);
  doc.style = detectStyle(doc.text);
  doc.style.numbers = std::move(builder.numbers_);
  return doc;
}

Status checkParses(const std::string& path, const std::string& text) {
  const char* readUpTo = text.data();
  Checker checker(text, &readUpTo);
  return runSax(path, text, checker, readUpTo);
}

bool roundTrips(const Document& doc) { return serialize(doc.root, doc.style) == doc.text; }

}  // namespace tfmend
