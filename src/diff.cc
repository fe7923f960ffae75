#include "tfmend/diff.h"

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <limits>
#include <stdexcept>
#include <optional>
#include <string_view>
#include <unordered_map>

#include <dtl/dtl.hpp>

#include "tfmend/document.h"

namespace tfmend {

namespace {

constexpr const char* kNoNewline = "\n\\ No newline at end of file";

/// The lines of a text without their newline, as views: a line is kept as
/// where it starts (4 bytes, not a 16-byte view). A last line that lacks a
/// newline carries the "\ No newline" marker, so that it differs from the same
/// line with a newline.
class Lines {
 public:
  explicit Lines(const std::string& text) : text_(text) {
    if (text.size() >= std::numeric_limits<std::uint32_t>::max()) throw std::length_error("unifiedDiff: the text is too large");
    std::size_t n = 0;
    for (const char* p = text.data(); (p = static_cast<const char*>(std::memchr(p, '\n', text.data() + text.size() - p))); ++p) ++n;
    starts_.reserve(n + 2);
    std::size_t start = 0;
    while (start < text.size()) {
      starts_.push_back(static_cast<std::uint32_t>(start));
      std::size_t nl = text.find('\n', start);
      if (nl == std::string::npos) {
        last_ = text.substr(start) + kNoNewline;
        break;
      }
      start = nl + 1;
    }
    count_ = starts_.size();
    starts_.push_back(static_cast<std::uint32_t>(text.size()));  // where a line after the last would start
  }

  std::size_t size() const { return count_; }
  std::string_view operator[](std::size_t i) const {
    if (i + 1 == count_ && !last_.empty()) return last_;
    return {text_.data() + starts_[i], starts_[i + 1] - starts_[i] - 1};
  }

 private:
  const std::string& text_;
  std::vector<std::uint32_t> starts_;
  std::string last_;
  std::size_t count_ = 0;
};

std::string range(std::size_t start, std::size_t length) {
  return std::to_string(length == 0 ? start : start + 1) + "," + std::to_string(length);
}

enum class Step { Common, Add, Delete };

/// Lines are numbered in 30 bits: the script keeps a line's step in the other two.
constexpr unsigned kStepShift = 30;
constexpr std::uint32_t kLineMask = (std::uint32_t{1} << kStepShift) - 1;

/// The edit script from `a` to `b`, found span by span: lines both share at
/// the start and the end are common; a large span in between is cut at lines
/// that occur once in each side, in the same order (the anchors of patience
/// diff), and only the spans between anchors go to Myers' algorithm (dtl),
/// whose time grows with a span's size times its edits. A fix of a large
/// stack thus costs about the size of what it changed, not of the file.
class Aligner {
 public:
  Aligner(const Lines& a, const Lines& b) : a_(a), b_(b) {}

  /// One line of the script: its place in `a` (common or removed) or in `b`
  /// (added), with its step in the top two bits (4 bytes a line).
  class Entry {
   public:
    Entry(std::size_t line, Step step) : bits_(static_cast<std::uint32_t>(line) | (static_cast<std::uint32_t>(step) << kStepShift)) {}
    std::uint32_t line() const { return bits_ & kLineMask; }
    Step step() const { return static_cast<Step>(bits_ >> kStepShift); }

   private:
    std::uint32_t bits_;
  };

  std::vector<Entry> run() {
    out_.reserve(a_.size() + b_.size());
    align(0, a_.size(), 0, b_.size(), 0);
    slideDown();
    return std::move(out_);
  }

  /// The text of a line of the script.
  std::string_view text(const Entry& e) const { return e.step() == Step::Add ? b_[e.line()] : a_[e.line()]; }

 private:
  /// Spans up to this many lines (both sides) go to Myers whole: as before,
  /// and cheap at this size.
  static constexpr std::size_t kWhole = 2000;
  static constexpr int kMaxDepth = 32;

  void align(std::size_t a0, std::size_t a1, std::size_t b0, std::size_t b1, int depth) {
    if ((a1 - a0) + (b1 - b0) <= kWhole || depth > kMaxDepth) return myers(a0, a1, b0, b1);
    while (a0 < a1 && b0 < b1 && a_[a0] == b_[b0]) {
      common(a0);
      ++a0, ++b0;
    }
    std::size_t same = 0;
    while (a1 - same > a0 && b1 - same > b0 && a_[a1 - 1 - same] == b_[b1 - 1 - same]) ++same;
    std::size_t tail = a1 - same;
    a1 -= same, b1 -= same;
    if ((a1 - a0) + (b1 - b0) <= kWhole) {
      myers(a0, a1, b0, b1);
    } else {
      auto anchors = anchorsOf(a0, a1, b0, b1);
      if (anchors.empty()) {
        myers(a0, a1, b0, b1);
      } else {
        for (auto [i, j] : anchors) {
          align(a0, i, b0, j, depth + 1);
          common(i);
          a0 = i + 1, b0 = j + 1;
        }
        align(a0, a1, b0, b1, depth + 1);
      }
    }
    for (std::size_t k = 0; k < same; ++k) common(tail + k);
  }

  /// Lines that occur exactly once in a[a0, a1) and once in b[b0, b1), as
  /// pairs of positions, longest chain increasing on both sides.
  std::vector<std::pair<std::uint32_t, std::uint32_t>> anchorsOf(std::size_t a0, std::size_t a1, std::size_t b0,
                                                                  std::size_t b1) const {
    using Pairs = std::vector<std::pair<std::uint32_t, std::uint32_t>>;
    Pairs pairs;  // in the order of a
    {
      // An open-addressed table of the lines of a: a slot names its line by
      // its place in a (no copy of the text) and counts it on each side, up to
      // 2, in the top bits of the places (8 bytes a slot).
      struct Seen {
        std::uint32_t atA = 0, atB = 0;
        unsigned inA() const { return atA >> kStepShift; }
        unsigned inB() const { return atB >> kStepShift; }
      };
      auto counted = [](std::uint32_t& at, std::size_t line, unsigned seen) {
        at = static_cast<std::uint32_t>(line) | (std::min(seen + 1, 2u) << kStepShift);
      };
      std::size_t size = 16;
      while (size < 2 * (a1 - a0)) size *= 2;
      std::vector<Seen> table(size);
      const std::hash<std::string_view> hash;
      auto slotOf = [&](std::string_view line) -> Seen& {
        for (std::size_t at = hash(line) & (size - 1);; at = (at + 1) & (size - 1)) {
          Seen& s = table[at];
          if (s.inA() == 0 || a_[s.atA & kLineMask] == line) return s;
        }
      };
      for (std::size_t i = a0; i < a1; ++i) {
        Seen& s = slotOf(a_[i]);
        counted(s.atA, s.inA() == 0 ? i : s.atA & kLineMask, s.inA());
      }
      std::size_t unique = 0;
      for (std::size_t j = b0; j < b1; ++j) {
        Seen& s = slotOf(b_[j]);
        if (s.inA() == 0) continue;  // not a line of a (the slot stays empty)
        unique += s.inA() == 1 && s.inB() == 0;
        unique -= s.inA() == 1 && s.inB() == 1;
        counted(s.atB, j, s.inB());
      }
      pairs.reserve(unique);
      for (std::size_t i = a0; i < a1; ++i) {
        const Seen& s = slotOf(a_[i]);
        if (s.inA() == 1 && s.inB() == 1) pairs.emplace_back(static_cast<std::uint32_t>(i), s.atB & kLineMask);
      }
    }  // the table goes before the chain is built
    // Longest increasing subsequence of the b positions (patience sorting).
    constexpr std::uint32_t kNone = std::numeric_limits<std::uint32_t>::max();
    std::vector<std::uint32_t> tops, back(pairs.size());
    for (std::size_t k = 0; k < pairs.size(); ++k) {
      auto pos = std::lower_bound(tops.begin(), tops.end(), pairs[k].second,
                                  [&](std::uint32_t t, std::uint32_t j) { return pairs[t].second < j; });
      back[k] = pos == tops.begin() ? kNone : *(pos - 1);
      if (pos == tops.end()) tops.push_back(static_cast<std::uint32_t>(k));
      else *pos = static_cast<std::uint32_t>(k);
    }
    Pairs chain;
    chain.reserve(tops.size());
    for (std::uint32_t k = tops.empty() ? kNone : tops.back(); k != kNone; k = back[k]) chain.push_back(pairs[k]);
    std::reverse(chain.begin(), chain.end());
    return chain;
  }

  /// Where a run of only additions (or only removals) could sit in several
  /// places (an inserted block whose first line equals the line after it),
  /// it is put as low as it goes: an added resource then starts at its own
  /// key, not at the closing brackets of the one before. One rule for every
  /// span, however it was aligned.
  void slideDown() {
    const std::size_t n = out_.size();
    for (std::size_t s = 0; s < n;) {
      if (out_[s].step() == Step::Common) {
        ++s;
        continue;
      }
      std::size_t e = s;
      while (e < n && out_[e].step() == out_[s].step()) ++e;
      if (e < n && out_[e].step() != Step::Common) {  // adds next to removals: left as they are
        while (e < n && out_[e].step() != Step::Common) ++e;
        s = e;
        continue;
      }
      // The run [s, e) moves one line down: the common line after it takes
      // its first place, and the first changed line goes after the run.
      while (e < n && out_[e].step() == Step::Common && text(out_[e]) == text(out_[s])) {
        std::swap(out_[s], out_[e]);
        ++s, ++e;
      }
      s = e;
    }
  }

  void myers(std::size_t a0, std::size_t a1, std::size_t b0, std::size_t b1) {
    if (a0 == a1 || b0 == b1) {
      for (std::size_t i = a0; i < a1; ++i) out_.emplace_back(i, Step::Delete);
      for (std::size_t j = b0; j < b1; ++j) out_.emplace_back(j, Step::Add);
      return;
    }
    std::vector<std::string_view> a, b;
    a.reserve(a1 - a0), b.reserve(b1 - b0);
    for (std::size_t i = a0; i < a1; ++i) a.push_back(a_[i]);
    for (std::size_t j = b0; j < b1; ++j) b.push_back(b_[j]);
    dtl::Diff<std::string_view, std::vector<std::string_view>> diff(a, b);
    if (a.size() + b.size() > 20000) diff.onHuge();
    diff.compose();
    // The script is in order: the places of its lines are counted off both sides.
    std::size_t i = a0, j = b0;
    for (const auto& step : diff.getSes().getSequence()) {
      if (step.second.type == dtl::SES_ADD) {
        out_.emplace_back(j++, Step::Add);
      } else if (step.second.type == dtl::SES_DELETE) {
        out_.emplace_back(i++, Step::Delete);
      } else {
        common(i++);
        ++j;
      }
    }
  }

  void common(std::size_t i) { out_.emplace_back(i, Step::Common); }

  const Lines& a_;
  const Lines& b_;
  std::vector<Entry> out_;
};

}  // namespace

std::string unifiedDiff(const std::string& path, const std::string& before, const std::string& after, int context) {
  if (before == after) return {};
  Lines a(before), b(after);
  if (a.size() + b.size() >= kLineMask) throw std::length_error("unifiedDiff: too many lines");
  Aligner aligner(a, b);
  const auto seq = aligner.run();
  const std::size_t n = seq.size();
  std::string out = "--- a/" + path + "\n+++ b/" + path + "\n";
  const std::size_t ctx = static_cast<std::size_t>(context);
  // The hunks' spans of the script, each once: changes closer than twice the context share one.
  std::vector<std::pair<std::size_t, std::size_t>> hunks;
  for (std::size_t i = 0, last = n; i < n; ++i) {
    if (seq[i].step() == Step::Common) continue;
    if (last != n && i - last <= 2 * ctx + 1) {
      hunks.back().second = std::min(n, i + ctx + 1);
    } else {
      hunks.push_back({i > ctx ? i - ctx : 0, std::min(n, i + ctx + 1)});
    }
    last = i;
  }
  // The output is made once at its size (a header is at most 64 bytes), not by doubling.
  std::size_t bytes = out.size();
  for (auto [begin, end] : hunks) {
    bytes += 64;
    for (std::size_t i = begin; i < end; ++i) bytes += aligner.text(seq[i]).size() + 2;
  }
  out.reserve(bytes);
  auto put = [&](char mark, const Aligner::Entry& e) {
    out += mark;
    out += aligner.text(e);
    out += '\n';
  };
  // Lines of the old and new file consumed before sequence position `pos`.
  std::size_t oldBefore = 0, newBefore = 0, pos = 0;
  for (auto [begin, end] : hunks) {
    for (; pos < begin; ++pos) {
      if (seq[pos].step() != Step::Add) ++oldBefore;
      if (seq[pos].step() != Step::Delete) ++newBefore;
    }
    std::size_t oldLen = 0, newLen = 0;
    for (std::size_t i = begin; i < end; ++i) {
      if (seq[i].step() != Step::Add) ++oldLen;
      if (seq[i].step() != Step::Delete) ++newLen;
    }
    out += "@@ -" + range(oldBefore, oldLen) + " +" + range(newBefore, newLen) + " @@\n";
    // Within a run of changes, removals come first, as diff(1) writes them.
    for (std::size_t i = begin; i < end;) {
      if (seq[i].step() == Step::Common) {
        put(' ', seq[i++]);
        continue;
      }
      std::size_t run = i;
      while (run < end && seq[run].step() != Step::Common) ++run;
      for (std::size_t k = i; k < run; ++k) {
        if (seq[k].step() == Step::Delete) put('-', seq[k]);
      }
      for (std::size_t k = i; k < run; ++k) {
        if (seq[k].step() == Step::Add) put('+', seq[k]);
      }
      i = run;
    }
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

/// Replaces every occurrence of `what` (not empty) in `text` by eight stars, in
/// place and in one sweep of the text: replacing one occurrence at a time
/// moved the rest of the text each time, quadratic in a large diff.
/// Returns whether anything was replaced.
bool starAll(std::string& text, std::string_view what) {
  constexpr std::string_view kStars = "********";
  std::vector<std::size_t> at;
  for (auto pos = text.find(what); pos != std::string::npos; pos = text.find(what, pos + what.size())) at.push_back(pos);
  if (at.empty()) return false;
  const std::size_t n = what.size(), size = text.size();
  char* data = text.data();
  if (n >= kStars.size()) {
    // The text shrinks: move each piece forward.
    std::size_t to = at[0];
    for (std::size_t k = 0; k < at.size(); ++k) {
      std::memcpy(data + to, kStars.data(), kStars.size());
      to += kStars.size();
      const std::size_t from = at[k] + n, end = k + 1 < at.size() ? at[k + 1] : size;
      std::memmove(data + to, data + from, end - from);
      to += end - from;
    }
    text.resize(to);
  } else {
    // The text grows: make room at the end and move each piece back, last first.
    text.resize(size + at.size() * (kStars.size() - n));
    data = text.data();
    std::size_t to = text.size(), end = size;
    for (std::size_t k = at.size(); k-- > 0;) {
      const std::size_t from = at[k] + n;
      to -= end - from;
      std::memmove(data + to, data + from, end - from);
      to -= kStars.size();
      std::memcpy(data + to, kStars.data(), kStars.size());
      end = at[k];
    }
  }
  return true;
}

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

Redactor::Redactor(const std::vector<std::string>& given) {
  // Each secret once (findings of many resources may carry the same one), longest first.
  for (const auto& s : given) {
    if (!s.empty()) secrets_.push_back(s);
  }
  std::sort(secrets_.begin(), secrets_.end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  secrets_.erase(std::unique(secrets_.begin(), secrets_.end()), secrets_.end());
  JsonStyle compact;
  compact.indent.clear();
  for (const auto& secret : secrets_) {
    std::string written = serialize(Json(secret), compact);
    written_.push_back(written.substr(1, written.size() - 2));  // without the quotes
  }
}

std::string redact(std::string text, const std::vector<std::string>& secrets) {
  if (secrets.empty()) return text;
  return Redactor(secrets)(std::move(text));
}

std::string Redactor::operator()(std::string text) const {
  if (secrets_.empty()) return text;
  JsonStyle compact;
  compact.indent.clear();
  // As written by tfmend (messages, fixed output).
  for (const auto& written : written_) starAll(text, written);
  // As the input may spell it (`\u0061`, `\/`): every JSON string literal, read.
  // The text is copied only from the first literal that changes: most texts
  // (a large diff) have none and are returned as they are.
  std::string out;
  std::size_t copied = 0;  // text[0, copied) is in `out`
  std::size_t i = 0;
  while (i < text.size()) {
    std::size_t quote = text.find('"', i);
    if (quote == std::string::npos) break;
    i = quote;
    // A literal without a backslash reads as it is written: the pass above
    // has already replaced every secret in it.
    std::size_t close = text.find_first_of("\"\\\n", i + 1);
    if (close != std::string::npos && text[close] == '"') {
      i = close + 1;
      continue;
    }
    auto literal = stringLiteralAt(text, i);
    if (!literal) {
      ++i;
      continue;
    }
    std::string value = literal->first;
    bool hit = false;
    for (const auto& secret : secrets_) hit = starAll(value, secret) || hit;
    if (hit) {
      out.append(text, copied, i - copied);
      out += serialize(Json(value), compact);
      copied = literal->second;
    }
    i = literal->second;
  }
  if (copied == 0) return text;
  out.append(text, copied, std::string::npos);
  return out;
}

}  // namespace tfmend
