#include "tfmend/expression.h"

#include <array>
#include <cctype>
#include <string>
#include <string_view>
#include <unordered_set>

namespace tfmend {

namespace {

// ASCII only, as HCL identifiers in references are; no locale lookup per byte.
bool identStart(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool identChar(char c) { return identStart(c) || (c >= '0' && c <= '9') || c == '-'; }

/// A small recursive scanner over Terraform's template and expression syntax:
/// enough to tell code from string literals and to find root traversals.
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  std::vector<Traversal> scanTemplateText() {
    scanTemplate(false);
    return std::move(out_);
  }

  std::vector<Traversal> scanBareExpression() {
    scanExpr(/*untilBrace=*/false);
    return std::move(out_);
  }

 private:
  char at(std::size_t i) const { return i < s_.size() ? s_[i] : '\0'; }

  // Literal template text. In a quoted string inside an expression, `\` escapes
  // and `"` ends it; at the top level (a JSON string) neither is special.
  void scanTemplate(bool quoted) {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (quoted && c == '\\') { i_ += 2; continue; }
      if (quoted && c == '"') { ++i_; return; }
      if ((c == '$' || c == '%') && at(i_ + 1) == c && at(i_ + 2) == '{') { i_ += 3; continue; }
      if ((c == '$' || c == '%') && at(i_ + 1) == '{') {
        i_ += 2;
        scanExpr(/*untilBrace=*/true);
        continue;
      }
      ++i_;
    }
  }

  void scanExpr(bool untilBrace) {
    int depth = 0;
    std::unordered_set<std::string_view> loopNames;  // views into the scanned text
    char previous = '\0';  // last non-space character of code
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == '"') {
        ++i_;
        scanTemplate(true);
        previous = '"';
        continue;
      }
      if (c == '{' || c == '(' || c == '[') {
        ++depth;
      } else if (c == '}' || c == ')' || c == ']') {
        if (c == '}' && depth == 0 && untilBrace) { ++i_; return; }
        --depth;
      } else if (std::isdigit(static_cast<unsigned char>(c))) {
        while (i_ < s_.size() && (identChar(s_[i_]) || s_[i_] == '.')) ++i_;
        previous = '0';
        continue;
      } else if (identStart(c)) {
        readTraversal(previous == '.', loopNames);
        previous = 'a';
        continue;
      }
      if (!std::isspace(static_cast<unsigned char>(c))) previous = c;
      ++i_;
    }
  }

  std::string_view readIdent() {
    std::size_t start = i_;
    while (i_ < s_.size() && identChar(s_[i_])) ++i_;
    return s_.substr(start, i_ - start);
  }

  static std::string joined(std::string_view a, std::string_view b, std::string_view c = {}) {
    std::string out;
    out.reserve(a.size() + b.size() + (c.empty() ? 0 : c.size() + 1));
    out.append(a).append(b);
    if (!c.empty()) out.append(".").append(c);
    return out;
  }

  void readTraversal(bool afterDot, std::unordered_set<std::string_view>& loopNames) {
    std::size_t start = i_;
    // The first four names of `a.b.c.d...`: no rule reads further.
    std::array<std::string_view, 4> parts;
    std::size_t count = 0;
    parts[count++] = readIdent();
    while (at(i_) == '.' && (identStart(at(i_ + 1)) || std::isdigit(static_cast<unsigned char>(at(i_ + 1))))) {
      ++i_;
      std::string_view part = readIdent();
      if (count < parts.size()) parts[count++] = part;
    }
    if (parts[0] == "for" && count == 1) {
      // `for k, v in ...`: the names up to `in` are local to the expression.
      std::size_t j = i_;
      while (j < s_.size()) {
        while (j < s_.size() && (std::isspace(static_cast<unsigned char>(s_[j])) || s_[j] == ',')) ++j;
        std::size_t nameStart = j;
        while (j < s_.size() && identChar(s_[j])) ++j;
        std::string_view name = s_.substr(nameStart, j - nameStart);
        if (name.empty() || name == "in") break;
        loopNames.insert(name);
      }
      return;
    }
    std::size_t k = i_;
    while (k < s_.size() && s_[k] == ' ') ++k;
    if (at(k) == ':' && at(k + 1) == ':') {  // provider::x::fn(...)
      while (i_ < s_.size() && (identChar(s_[i_]) || s_[i_] == ':')) ++i_;
      return;
    }
    if (afterDot || at(k) == '(') return;
    if (loopNames.count(parts[0])) return;
    Traversal t;
    t.offset = start;
    std::string_view head = parts[0];
    if (head == "var" && count >= 2) {
      t.kind = RefKind::Variable;
      t.target = joined("var.", parts[1]);
      if (count >= 3) t.attribute = parts[2];
    } else if (head == "local" && count >= 2) {
      t.kind = RefKind::Local;
      t.target = joined("local.", parts[1]);
      if (count >= 3) t.attribute = parts[2];
    } else if (head == "module" && count >= 2) {
      t.kind = RefKind::Module;
      t.target = joined("module.", parts[1]);
      if (count >= 3) t.attribute = parts[2];
    } else if (head == "data" && count >= 3) {
      t.kind = RefKind::Data;
      t.target = joined("data.", parts[1], parts[2]);
      if (count >= 4) t.attribute = parts[3];
    } else if (count >= 2 && head.find('_') != std::string_view::npos && head != "each" && head != "count" &&
               head != "self" && head != "path" && head != "terraform") {
      t.kind = RefKind::Resource;
      t.target = joined(head, "", parts[1]);
      if (count >= 3) t.attribute = parts[2];
    } else {
      return;
    }
    // `x.y[0].arn`, `x.y[*].arn`, `x.y.*.arn`: the attribute after an index or splat.
    if (t.attribute.empty()) t.attribute = attributeAfterIndex();
    out_.push_back(std::move(t));
  }

  /// The attribute name that follows an index (`[...]`) or a splat (`.*`) at
  /// the scanner's position, without moving it (the index may hold references).
  std::string_view attributeAfterIndex() const {
    std::size_t j = i_;
    if (at(j) == '.' && at(j + 1) == '*') {
      j += 2;
    } else if (at(j) == '[') {
      int depth = 0;
      for (; j < s_.size(); ++j) {
        if (s_[j] == '[') ++depth;
        if (s_[j] == ']' && --depth == 0) break;
      }
      if (j >= s_.size()) return {};
      ++j;
    } else {
      return {};
    }
    if (at(j) != '.' || !identStart(at(j + 1))) return {};
    std::size_t start = ++j;
    while (j < s_.size() && identChar(s_[j])) ++j;
    return s_.substr(start, j - start);
  }

  std::string_view s_;
  std::size_t i_ = 0;
  std::vector<Traversal> out_;
};

}  // namespace

std::vector<Traversal> referencesInTemplate(std::string_view text) {
  if (!hasTemplate(text)) return {};
  return Scanner(text).scanTemplateText();
}

std::vector<Traversal> referencesInExpression(std::string_view expr) { return Scanner(expr).scanBareExpression(); }

bool hasTemplate(std::string_view text) {
  return text.find("${") != std::string_view::npos || text.find("%{") != std::string_view::npos;
}

Traversal soleReference(std::string_view text) {
  if (text.size() < 4 || text.substr(0, 2) != "${" || text.back() != '}') return {};
  std::string_view inner = text.substr(2, text.size() - 3);
  for (char c : inner) {
    if (!(identChar(c) || c == '.')) return {};
  }
  auto refs = referencesInExpression(inner);
  if (refs.size() != 1 || refs[0].offset != 0) return {};
  return refs[0];
}

std::size_t closingBracket(std::string_view s, std::size_t at, char open, char close) {
  int depth = 1;
  bool quoted = false;
  std::size_t j = at + 1;
  for (; j < s.size() && depth > 0; ++j) {
    if (quoted) {
      if (s[j] == '\\') ++j;
      else if (s[j] == '"') quoted = false;
    } else if (s[j] == '"') {
      quoted = true;
    } else if (s[j] == open) {
      ++depth;
    } else if (s[j] == close) {
      --depth;
    }
  }
  return depth == 0 ? j : std::string_view::npos;
}

std::vector<TemplateSegment> templateSegments(std::string_view s) {
  std::vector<TemplateSegment> out;
  std::string literal;
  std::size_t i = 0;
  while (i < s.size()) {
    if ((s[i] == '$' || s[i] == '%') && i + 1 < s.size() && s[i + 1] == '{' && !(i > 0 && s[i - 1] == s[i])) {
      std::size_t j = closingBracket(s, i + 1, '{', '}');
      if (j == std::string_view::npos) j = s.size();  // unclosed: the rest is the interpolation
      if (!literal.empty()) out.push_back({false, std::move(literal)}), literal.clear();
      out.push_back({true, std::string(s.substr(i, j - i))});
      i = j;
      continue;
    }
    literal += s[i++];
  }
  if (!literal.empty()) out.push_back({false, std::move(literal)});
  return out;
}

std::string interpolate(std::string_view expr) { return "${" + std::string(expr) + "}"; }

}  // namespace tfmend
