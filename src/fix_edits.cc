#include "tfmend/fix_edits.h"

#include <cstdio>
#include <unordered_map>

#include "tfmend/diff.h"
#include "tfmend/document.h"
#include "tfmend/engine.h"

namespace tfmend {

namespace {

/// Offsets of the start of each line (from 1), plus the end of the text.
std::vector<std::size_t> lineStarts(const std::string& text) {
  std::vector<std::size_t> starts{0, 0};  // [0] unused: lines count from 1
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') starts.push_back(i + 1);
  }
  if (starts.back() != text.size()) starts.push_back(text.size());
  return starts;
}

/// The offset where line `line` (from 1) starts; the text's end past its last line.
std::size_t startOf(const std::vector<std::size_t>& starts, std::size_t line) {
  return line < starts.size() ? starts[line] : starts.back();
}

/// Line and column (from 1) of an offset in `text`.
std::pair<int, int> position(const std::string& text, std::size_t offset) {
  int line = 1;
  std::size_t lineStart = 0;
  for (std::size_t i = 0; i < offset && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      lineStart = i + 1;
    }
  }
  return {line, static_cast<int>(offset - lineStart) + 1};
}

}  // namespace

std::vector<TextEdit> textEdits(const std::string& before, const std::string& after) {
  // A diff without context has one hunk per changed run of lines; its header
  // says which lines of each side the run covers.
  std::string diff = unifiedDiff("f", before, after, 0);
  auto oldStarts = lineStarts(before), newStarts = lineStarts(after);
  std::vector<TextEdit> edits;
  forEachDiffLine(diff, [&](DiffLine kind, const std::string& line) {
    if (kind != DiffLine::Hunk) return;
    unsigned long a = 0, b = 1, c = 0, d = 1;
    if (std::sscanf(line.c_str(), "@@ -%lu,%lu +%lu,%lu", &a, &b, &c, &d) < 4) {
      b = d = 1;
      if (std::sscanf(line.c_str(), "@@ -%lu +%lu", &a, &c) < 2) return;
    }
    // "-a,0" is an insertion after line a; "-a,b" replaces lines a to a+b-1.
    std::size_t firstOld = b == 0 ? a + 1 : a, firstNew = d == 0 ? c + 1 : c;
    std::size_t from = startOf(oldStarts, firstOld), to = startOf(oldStarts, firstOld + b);
    std::size_t newFrom = startOf(newStarts, firstNew), newTo = startOf(newStarts, firstNew + d);
    TextEdit e;
    std::tie(e.startLine, e.startColumn) = position(before, from);
    std::tie(e.endLine, e.endColumn) = position(before, to);
    e.inserted = after.substr(newFrom, newTo - newFrom);
    edits.push_back(std::move(e));
  });
  return edits;
}

std::vector<std::vector<TextEdit>> fixEdits(const std::string& path, const std::string& text,
                                            const std::vector<Finding>& findings, std::span<const Rule* const> rules,
                                            const Settings& settings) {
  std::vector<std::vector<TextEdit>> out(findings.size());
  bool anyFix = false;
  for (const auto& f : findings) anyFix = anyFix || f.fix.has_value();
  if (!anyFix) return out;
  auto doc = parseDocument(path, text);
  if (!doc) return out;
  FixSession session(*doc, rules, settings);
  auto detection = session.beginPass();
  if (!detection) return out;
  std::unordered_map<std::string, const Finding*> offered;
  for (const auto& f : (*detection)->findings) {
    if (f.fix) offered.emplace(f.fixKey(), &f);
  }
  for (std::size_t i = 0; i < findings.size(); ++i) {
    if (!findings[i].fix) continue;
    auto it = offered.find(findings[i].fixKey());
    if (it == offered.end()) continue;
    auto fixed = session.preview(*it->second);
    if (!fixed) continue;
    out[i] = textEdits(text, serialize(*fixed, doc->style));
  }
  session.endPass();
  return out;
}

}  // namespace tfmend
