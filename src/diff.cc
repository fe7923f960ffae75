#include "tfmend/diff.h"

#include <optional>

#include <dtl/dtl.hpp>

#include "tfmend/document.h"

namespace tfmend {

namespace {

constexpr const char* kNoNewline = "\n\\ No newline at end of file";

/// Lines without their newline; a last line that lacks one carries the
/// "\ No newline" marker, so that it differs from the same line with a newline.
std::vector<std::string> splitLines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t nl = text.find('\n', start);
    if (nl == std::string::npos) {
      lines.push_back(text.substr(start) + kNoNewline);
      break;
    }
    lines.push_back(text.substr(start, nl - start));
    start = nl + 1;
  }
  return lines;
}

std::string range(std::size_t start, std::size_t length) {
  return std::to_string(length == 0 ? start : start + 1) + "," + std::to_string(length);
}

}  // namespace

std::string unifiedDiff(const std::string& path, const std::string& before, const std::string& after, int context) {
  if (before == after) return {};
  std::vector<std::string> a = splitLines(before), b = splitLines(after);
  dtl::Diff<std::string, std::vector<std::string>> diff(a, b);
  if (a.size() + b.size() > 20000) diff.onHuge();
  diff.compose();
  const auto& seq = diff.getSes().getSequence();
  const std::size_t n = seq.size();
  std::vector<std::size_t> changes;
  for (std::size_t i = 0; i < n; ++i) {
    if (seq[i].second.type != dtl::SES_COMMON) changes.push_back(i);
  }
  std::string out = "--- a/" + path + "\n+++ b/" + path + "\n";
  std::size_t ctx = static_cast<std::size_t>(context);
  std::size_t c = 0;
  // Lines of the old and new file consumed before sequence position `upTo`.
  std::size_t oldBefore = 0, newBefore = 0, pos = 0;
  while (c < changes.size()) {
    std::size_t first = changes[c], last = changes[c];
    while (c + 1 < changes.size() && changes[c + 1] - last <= 2 * ctx + 1) last = changes[++c];
    ++c;
    std::size_t begin = first > ctx ? first - ctx : 0;
    std::size_t end = std::min(n, last + ctx + 1);
    for (; pos < begin; ++pos) {
      if (seq[pos].second.type != dtl::SES_ADD) ++oldBefore;
      if (seq[pos].second.type != dtl::SES_DELETE) ++newBefore;
    }
    std::size_t oldLen = 0, newLen = 0;
    std::string body, added;  // within a run of changes, removals come first, as diff(1) writes them
    for (std::size_t i = begin; i < end; ++i) {
      auto type = seq[i].second.type;
      if (type != dtl::SES_ADD) ++oldLen;
      if (type != dtl::SES_DELETE) ++newLen;
      std::string line = (type == dtl::SES_COMMON ? " " : type == dtl::SES_ADD ? "+" : "-") + seq[i].first + "\n";
      if (type == dtl::SES_ADD) {
        added += line;
        continue;
      }
      if (type == dtl::SES_COMMON) {
        body += added;
        added.clear();
      }
      body += line;
    }
    body += added;
    out += "@@ -" + range(oldBefore, oldLen) + " +" + range(newBefore, newLen) + " @@\n" + body;
  }
  return out;
}

void forEachDiffLine(const std::string& diff, const std::function<void(DiffLine, const std::string&)>& f) {
  std::size_t start = 0;
  while (start < diff.size()) {
    std::size_t nl = diff.find('\n', start);
    std::string line = diff.substr(start, nl == std::string::npos ? std::string::npos : nl - start);
    start = nl == std::string::npos ? diff.size() : nl + 1;
    DiffLine kind = line.rfind("---", 0) == 0 || line.rfind("+++", 0) == 0 ? DiffLine::File
                    : line.rfind("@@", 0) == 0                               ? DiffLine::Hunk
                    : !line.empty() && line[0] == '+'                        ? DiffLine::Added
                    : !line.empty() && line[0] == '-'                        ? DiffLine::Removed
                                                                             : DiffLine::Context;
    f(kind, line);
  }
}

std::string colorizeDiff(const std::string& diff) {
  std::string out;
  forEachDiffLine(diff, [&](DiffLine kind, const std::string& line) {
    const char* color = kind == DiffLine::File      ? "\033[1m"
                        : kind == DiffLine::Hunk    ? "\033[36m"
                        : kind == DiffLine::Removed ? "\033[31m"
                        : kind == DiffLine::Added   ? "\033[32m"
                                                    : nullptr;
    out += color ? std::string(color) + line + "\033[0m\n" : line + "\n";
  });
  return out;
}

namespace {

/// The value of the JSON string literal that starts at text[at] (a '"'), and
/// where it ends (one past its closing quote); nullopt if it is not one.
std::optional<std::pair<std::string, std::size_t>> stringLiteralAt(const std::string& text, std::size_t at) {
  std::size_t end = at + 1;
  while (end < text.size() && text[end] != '"' && text[end] != '\n') {
    if (text[end] == '\\') ++end;
    ++end;
  }
  if (end >= text.size() || text[end] != '"') return std::nullopt;
  try {
    Json v = Json::parse(text.substr(at, end - at + 1));
    if (v.is_string()) return std::make_pair(v.get<std::string>(), end + 1);
  } catch (const Json::exception&) {
  }
  return std::nullopt;
}

}  // namespace

std::string redact(std::string text, const std::vector<std::string>& secrets) {
  bool any = false;
  for (const auto& s : secrets) any = any || !s.empty();
  if (!any) return text;
  JsonStyle compact;
  compact.indent.clear();
  // As written by tfmend (messages, fixed output).
  for (const auto& secret : secrets) {
    if (secret.empty()) continue;
    std::string written = serialize(Json(secret), compact);
    written = written.substr(1, written.size() - 2);  // without the quotes
    for (std::size_t pos = text.find(written); pos != std::string::npos; pos = text.find(written, pos + 8)) {
      text.replace(pos, written.size(), "********");
    }
  }
  // As the input may spell it (`\u0061`, `\/`): every JSON string literal, read.
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    if (text[i] != '"') {
      out += text[i++];
      continue;
    }
    auto literal = stringLiteralAt(text, i);
    if (!literal) {
      out += text[i++];
      continue;
    }
    std::string value = literal->first;
    bool hit = false;
    for (const auto& secret : secrets) {
      if (secret.empty()) continue;
      for (auto pos = value.find(secret); pos != std::string::npos; pos = value.find(secret, pos + 8)) {
        value.replace(pos, secret.size(), "********");
        hit = true;
      }
    }
    out += hit ? serialize(Json(value), compact) : text.substr(i, literal->second - i);
    i = literal->second;
  }
  return out;
}

}  // namespace tfmend
