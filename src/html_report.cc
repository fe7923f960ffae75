// The HTML report: one self-contained page (no scripts, fonts or images from
// elsewhere) for a person to look at after a bulk run. On a dry run (--diff)
// it says "would fix" wherever nothing was written.
#include <map>
#include <string>

#include "tfmend/diff.h"
#include "tfmend/report.h"

namespace tfmend {

namespace {

std::string escape(const std::string& s) {
  std::string out;
  out.reserve(s.size());
  for (char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      default: out += c;
    }
  }
  return out;
}

/// The diff with each line classed for colour.
std::string diffHtml(const std::string& diff) {
  std::string out;
  forEachDiffLine(diff, [&](DiffLine kind, const std::string& line) {
    const char* cls = kind == DiffLine::File      ? "f"
                      : kind == DiffLine::Hunk    ? "h"
                      : kind == DiffLine::Added   ? "a"
                      : kind == DiffLine::Removed ? "d"
                                                  : "c";
    out += std::string("<span class=\"") + cls + "\">" + escape(line) + "</span>\n";
  });
  return out;
}

}  // namespace

std::string formatHtml(const std::vector<FileReport>& files, const ReportContext& ctx) {
  std::map<std::string, std::pair<std::size_t, std::size_t>> byRule;  // fixed, left
  std::map<std::string, std::size_t> byStatus;
  for (const auto& f : files) {
    byStatus[toString(f.status)]++;
    for (const auto& x : f.fixed) byRule[x.rule].first++;
    for (const auto& x : f.findings) byRule[x.rule].second++;
  }
  std::size_t most = 1;
  for (const auto& [id, c] : byRule) most = std::max(most, c.first + c.second);
  std::string out =
      "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>tfmend report</title>\n<style>"
      "body{font-family:system-ui,sans-serif;margin:2em;color:#222}h1{font-size:1.4em}"
      "table{border-collapse:collapse}td,th{padding:.25em .8em;border-bottom:1px solid #ddd;text-align:left}"
      ".clean{color:#2a7}.fixed{color:#27a}.findings{color:#b70}.failed{color:#c22}"
      "pre{background:#f6f6f6;padding:.6em;overflow-x:auto;font-size:.85em}"
      ".a{color:#175f17}.d{color:#a11}.h{color:#067}.f{font-weight:bold}"
      "svg text{font-size:12px;font-family:sans-serif}</style></head><body>\n";
  // What became of the fixes: applied, or on a dry run only shown.
  const std::string fixedWord = ctx.diffOnly ? "would fix" : "fixed";
  auto statusText = [&](const std::string& status) {
    return status == "fixed" && ctx.diffOnly ? std::string("would be fixed") : status;
  };
  out += "<h1>tfmend " + std::string(TFMEND_VERSION) + ": " + std::to_string(files.size()) + " file" +
         (files.size() == 1 ? "" : "s") + (ctx.diffOnly ? " (dry run: nothing was written)" : "") + "</h1>\n<p>";
  for (const auto& [status, n] : byStatus) {
    out += "<span class=\"" + status + "\">" + std::to_string(n) + " " + statusText(status) + "</span> ";
  }
  out += "</p>\n<h2>Findings per rule</h2>\n";
  const int barWidth = 420, rowHeight = 22;
  out += "<svg role=\"img\" aria-label=\"findings per rule\" width=\"" + std::to_string(barWidth + 440) + "\" height=\"" +
         std::to_string(rowHeight * (byRule.size() + 1) + 10) + "\">\n";
  int y = 4;
  for (const auto& [id, c] : byRule) {
    const Rule* rule = ruleFor(ctx, id);
    int fixedW = static_cast<int>(barWidth * c.first / most), leftW = static_cast<int>(barWidth * c.second / most);
    out += "<text x=\"0\" y=\"" + std::to_string(y + 14) + "\">" + escape(id + " " + (rule ? std::string(rule->name) : "")) + "</text>";
    out += "<rect x=\"260\" y=\"" + std::to_string(y) + "\" width=\"" + std::to_string(fixedW) + "\" height=\"16\" fill=\"#27a\"/>";
    out += "<rect x=\"" + std::to_string(260 + fixedW) + "\" y=\"" + std::to_string(y) + "\" width=\"" + std::to_string(leftW) +
           "\" height=\"16\" fill=\"#d90\"/>";
    out += "<text x=\"" + std::to_string(266 + fixedW + leftW) + "\" y=\"" + std::to_string(y + 14) + "\">" +
           (ctx.diffOnly ? "would fix " + std::to_string(c.first) : std::to_string(c.first) + " fixed") + ", " +
           std::to_string(c.second) + " left</text>\n";
    y += rowHeight;
  }
  out += "</svg>\n<h2>Files</h2>\n<table><tr><th>file</th><th>status</th><th>" + fixedWord +
         "</th><th>left</th><th>reason</th></tr>\n";
  for (const auto& f : files) {
    out += "<tr><td>" + escape(f.path) + "</td><td class=\"" + std::string(toString(f.status)) + "\">" +
           statusText(toString(f.status)) + "</td><td>" +
           std::to_string(f.fixed.size()) + "</td><td>" + std::to_string(f.findings.size()) + "</td><td>" + escape(f.error) +
           "</td></tr>\n";
  }
  out += "</table>\n<h2>Findings and changes</h2>\n";
  for (const auto& f : files) {
    if (f.diff.empty() && f.findings.empty() && f.fixed.empty()) continue;
    out += "<details><summary>" + escape(f.path) + " (" +
           (ctx.diffOnly ? "would fix " + std::to_string(f.fixed.size())
                         : std::to_string(f.fixed.size()) + " fixed") +
           ", " + std::to_string(f.findings.size()) + " left)</summary>\n<ul>\n";
    const Redactor hide(ctx.showSecrets ? std::vector<std::string>() : f.secrets);
    auto item = [&](const Finding& x, const std::string& cls, const std::string& what) {
      std::string text = hide(x.message);
      out += "<li class=\"" + cls + "\">" + escape(what + x.rule + " " + (x.address.empty() ? "" : x.address + ": ") + text) +
             "</li>\n";
    };
    for (const auto& x : f.fixed) item(x, "fixed", fixedWord + ": ");
    for (const auto& x : f.findings) item(x, "findings", "");
    out += "</ul>\n";
    if (!f.diff.empty()) out += "<pre>" + diffHtml(f.diff) + "</pre>\n";
    out += "</details>\n";
  }
  out += "</body></html>\n";
  return out;
}

}  // namespace tfmend
