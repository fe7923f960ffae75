#include "tfmend/report.h"

#include <map>
#include <ostream>
#include <sstream>
#include <string>

#include "tfmend/diff.h"
#include "tfmend/registry.h"

namespace tfmend {

const Rule* ruleFor(const ReportContext& ctx, std::string_view id) {
  for (const Rule* r : ctx.rules) {
    if (r->id == id) return r;
  }
  return findRule(id);
}

std::pair<int, int> positionOf(const FileReport& file, std::size_t i) {
  int line = i < file.lines.size() ? file.lines[i] : 1;
  int column = i < file.columns.size() ? file.columns[i] : 1;
  return {line, column};
}

const char* toString(FileStatus s) {
  switch (s) {
    case FileStatus::Clean: return "clean";
    case FileStatus::Fixed: return "fixed";
    case FileStatus::Findings: return "findings";
    case FileStatus::Failed: return "failed";
  }
  return "failed";
}

namespace {

/// What hides the file's secrets in its messages; nothing with --show-secrets.
Redactor redactorFor(const FileReport& file, const ReportContext& ctx) {
  return Redactor(ctx.showSecrets ? std::vector<std::string>() : file.secrets);
}

std::string plural(std::size_t n, const char* word) {
  return std::to_string(n) + " " + word + (n == 1 ? "" : "s");
}

}  // namespace

std::string formatTextFile(const FileReport& file, const ReportContext& ctx) {
  std::string out;
  if (!file.error.empty()) return out;
  const Redactor hide = redactorFor(file, ctx);
  if (ctx.showFixes) {
    for (const auto& f : file.fixed) {
      out.append(file.path).append(": ").append(f.address).append(": ");
      out.append(ctx.diffOnly ? "would fix: " : "fixed: ").append(f.fix->title).append(" [").append(f.rule).append("]\n");
    }
  }
  for (std::size_t i = 0; i < file.findings.size(); ++i) {
    const Finding& f = file.findings[i];
    const Rule* rule = ruleFor(ctx, f.rule);
    auto [line, column] = positionOf(file, i);
    // The location first, as compilers print it, so that editors and terminals jump to it.
    out.append(file.path).append(":").append(std::to_string(line)).append(":").append(std::to_string(column));
    out.append(": ").append(f.rule).append(" [").append(toString(rule ? rule->severity : Severity::Medium)).append("] ");
    if (!f.address.empty()) out.append(f.address).append(": ");
    out.append(hide(f.message)).append("\n");
    if (ctx.concise) continue;
    if (!f.constructPath.empty()) out.append("  construct: ").append(f.constructPath).append("\n");
    if (f.fix) {
      out.append("  fix (").append(toString(f.fix->applicability)).append("): ").append(f.fix->title).append("\n");
    } else if (!f.noFixReason.empty()) {
      out.append("  no fix: ").append(f.noFixReason).append("\n");
    }
  }
  return out;
}

void writeText(std::ostream& out, const std::vector<FileReport>& files, const ReportContext& ctx) {
  std::size_t total = 0, safe = 0, unsafe = 0, fixed = 0, withFindings = 0, errors = 0;
  for (const auto& file : files) {
    errors += file.ruleFailures.size();
    if (!file.error.empty()) {
      ++errors;
      continue;
    }
    if (!file.findings.empty()) ++withFindings;
    fixed += file.fixed.size();
    total += file.findings.size();
    for (const auto& f : file.findings) {
      if (f.fix) (f.fix->applicability == Applicability::Safe ? safe : unsafe)++;
    }
    if (file.text) {
      out << *file.text;
    } else {
      out << formatTextFile(file, ctx);
    }
  }
  std::string summary;
  if (ctx.fixing) {
    summary = (ctx.diffOnly ? "would fix " : "fixed ") + plural(fixed, "finding") + ", " + std::to_string(total) +
              " remaining";
  } else if (total == 0 && errors == 0) {
    summary = "all checks passed";
  } else if (total == 0) {
    summary = "";
  } else {
    summary = "found " + plural(total, "finding") + " in " + plural(withFindings, "file");
  }
  if (errors > 0) summary += (total == 0 && !ctx.fixing ? "no findings, " : ", ") + plural(errors, "error");
  std::vector<std::string> hints;
  if (ctx.fixMode == FixMode::None && safe > 0) hints.push_back(std::to_string(safe) + " fixable with `tfmend fix`");
  if (ctx.fixMode != FixMode::Unsafe && unsafe > 0) {
    hints.push_back(std::to_string(unsafe) + (ctx.fixMode == FixMode::None && safe > 0 ? " more" : "") +
                    " with `tfmend fix --unsafe-fixes`");
  }
  for (std::size_t i = 0; i < hints.size(); ++i) summary += (i == 0 ? ": " : ", ") + hints[i];
  if (ctx.baselined > 0) {
    summary += (summary.empty() ? "" : "; ") + plural(ctx.baselined, "finding") + " in the baseline not shown";
  }
  out << summary << "\n";
}

std::string formatText(const std::vector<FileReport>& files, const ReportContext& ctx) {
  std::ostringstream out;
  writeText(out, files, ctx);
  return std::move(out).str();
}

Json formatJsonRecord(const FileReport& file, const ReportContext& ctx) {
  Json jf;
  jf["path"] = file.path;
  jf["error"] = file.error.empty() ? Json(nullptr) : Json(file.error);
  jf["status"] = toString(file.status);
  jf["findings"] = Json::array();
  const Redactor hide = redactorFor(file, ctx);
  for (std::size_t i = 0; i < file.findings.size(); ++i) {
    const Finding& f = file.findings[i];
    const Rule* rule = ruleFor(ctx, f.rule);
    Json jfind;
    jfind["rule"] = f.rule;
    jfind["name"] = rule ? std::string(rule->name) : "";
    jfind["severity"] = rule ? toString(rule->severity) : "medium";
    jfind["message"] = hide(f.message);
    jfind["address"] = f.address;
    jfind["pointer"] = f.pointer;
    jfind["construct_path"] = f.constructPath;
    auto [line, column] = positionOf(file, i);
    jfind["line"] = line;
    jfind["column"] = column;
    jfind["url"] = rule ? ruleUrl(*rule, ctx.docsBaseUrl) : "";
    jfind["fix"] = f.fix ? Json{{"applicability", toString(f.fix->applicability)},
                                {"title", f.fix->title},
                                {"forces_replacement", f.fix->forcesReplacement}}
                         : Json(nullptr);
    if (!f.fix) jfind["no_fix_reason"] = f.noFixReason;
    jf["findings"].push_back(std::move(jfind));
  }
  if (!file.ruleFailures.empty()) {
    jf["rule_errors"] = Json::array();
    for (const auto& rf : file.ruleFailures) jf["rule_errors"].push_back({{"rule", rf.rule}, {"message", rf.message}});
  }
  if (ctx.fixing) {
    jf["fixed"] = Json::array();
    for (const auto& f : file.fixed) jf["fixed"].push_back({{"rule", f.rule}, {"address", f.address}, {"title", f.fix->title}});
    // With --diff the patch travels in the record instead of beside it.
    if (ctx.diffOnly && !file.diff.empty()) jf["diff"] = file.diff;
  }
  return jf;
}

Json formatJson(const std::vector<FileReport>& files, const ReportContext& ctx) {
  Json out;
  out["tool"] = {{"name", "tfmend"}, {"version", TFMEND_VERSION}};
  out["files"] = Json::array();
  std::size_t findings = 0, fixable = 0, errors = 0, fixed = 0;
  for (const auto& file : files) {
    if (!file.error.empty()) ++errors;
    errors += file.ruleFailures.size();
    for (const auto& f : file.findings) fixable += f.fix ? 1 : 0;
    findings += file.findings.size();
    fixed += file.fixed.size();
    out["files"].push_back(formatJsonRecord(file, ctx));
  }
  out["summary"] = {{"files", files.size()}, {"findings", findings}, {"fixable", fixable}, {"errors", errors}};
  if (ctx.baselined > 0) out["summary"]["baselined"] = ctx.baselined;
  if (ctx.fixing) out["summary"]["fixed"] = fixed;
  return out;
}

std::string formatSummary(const std::vector<FileReport>& files, const ReportContext& ctx) {
  std::map<std::string, std::pair<std::size_t, std::size_t>> byRule;  // id -> fixed, left
  std::map<FileStatus, std::size_t> byStatus;
  for (const auto& file : files) {
    byStatus[file.status]++;
    for (const auto& f : file.fixed) byRule[f.rule].first++;
    for (const auto& f : file.findings) byRule[f.rule].second++;
  }
  auto pad = [](std::string s, std::size_t n, bool right = false) {
    if (s.size() >= n) return s;
    return right ? std::string(n - s.size(), ' ') + s : s + std::string(n - s.size(), ' ');
  };
  std::string out = "\n";
  if (!byRule.empty()) {
    out += "rule    " + pad("name", 32) + pad("found", 7, true) + pad("fixed", 7, true) + pad("left", 7, true) + "\n";
  }
  for (const auto& [id, counts] : byRule) {
    const Rule* rule = ruleFor(ctx, id);
    out += pad(id, 8) + pad(rule ? std::string(rule->name) : "", 32) +
           pad(std::to_string(counts.first + counts.second), 7, true) + pad(std::to_string(counts.first), 7, true) +
           pad(std::to_string(counts.second), 7, true) + "\n";
  }
  out += "files: " + std::to_string(files.size());
  std::string sep = " (";
  for (FileStatus status : {FileStatus::Clean, FileStatus::Fixed, FileStatus::Findings, FileStatus::Failed}) {
    if (byStatus.count(status)) {
      out += sep + std::to_string(byStatus[status]) + " " + toString(status);
      sep = ", ";
    }
  }
  out += sep == " (" ? "\n" : ")\n";
  for (const auto& file : files) {
    if (!file.error.empty()) out += "  failed: " + file.error + "\n";
    for (const auto& rf : file.ruleFailures) out += "  failed: " + file.path + ": rule " + rf.rule + ": " + rf.message + "\n";
  }
  return out;
}

void writeReport(std::ostream& out, std::string_view format, const std::vector<FileReport>& files,
                 const ReportContext& ctx, bool quiet) {
  if (format == "json") {
    out << formatJson(files, ctx).dump(2) << "\n";
  } else if (format == "sarif") {
    out << formatSarif(files, ctx).dump(2) << "\n";
  } else if (format == "github") {
    out << formatGithub(files, ctx);
  } else if (format == "html") {
    out << formatHtml(files, ctx);
  } else if (format == "jsonl") {
    for (const auto& file : files) out << formatJsonRecord(file, ctx).dump() << "\n";
  } else {
    bool anyFindings = false;
    for (const auto& file : files) anyFindings = anyFindings || !file.findings.empty();
    if (quiet && !anyFindings) return;
    // File by file, straight to the stream: the report of a large fleet is
    // never one string.
    writeText(out, files, ctx);
    if (files.size() > 1 && !quiet && !ctx.concise) out << formatSummary(files, ctx);
  }
}

std::string formatReport(std::string_view format, const std::vector<FileReport>& files, const ReportContext& ctx, bool quiet) {
  std::ostringstream out;
  writeReport(out, format, files, ctx, quiet);
  return std::move(out).str();
}

std::string formatErrors(const std::vector<FileReport>& files) {
  std::string out;
  for (const auto& file : files) {
    if (!file.error.empty()) out += "error: " + file.error + "\n";
    for (const auto& rf : file.ruleFailures) out += "error: " + file.path + ": rule " + rf.rule + " failed: " + rf.message + "\n";
  }
  return out;
}

namespace {

std::string escapeData(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '%') out += "%25";
    else if (c == '\r') out += "%0D";
    else if (c == '\n') out += "%0A";
    else out += c;
  }
  return out;
}

std::string escapeProperty(const std::string& s) {
  std::string out;
  for (char c : escapeData(s)) {
    if (c == ':') out += "%3A";
    else if (c == ',') out += "%2C";
    else out += c;
  }
  return out;
}

const char* githubLevel(Severity s) {
  return s == Severity::High ? "error" : s == Severity::Medium ? "warning" : "notice";
}

}  // namespace

std::string formatGithub(const std::vector<FileReport>& files, const ReportContext& ctx) {
  std::string out;
  for (const auto& file : files) {
    if (!file.error.empty()) {
      out += "::error file=" + escapeProperty(file.path) + ",title=tfmend::" + escapeData(file.error) + "\n";
      continue;
    }
    const Redactor hide = redactorFor(file, ctx);
    for (std::size_t i = 0; i < file.findings.size(); ++i) {
      const Finding& f = file.findings[i];
      const Rule* rule = ruleFor(ctx, f.rule);
      int line = positionOf(file, i).first;
      out += std::string("::") + githubLevel(rule ? rule->severity : Severity::Medium) +
             " file=" + escapeProperty(file.path) + ",line=" + std::to_string(line) +
             ",title=" + escapeProperty(f.rule + " " + std::string(rule ? rule->name : "")) +
             "::" + escapeData((f.address.empty() ? "" : f.address + ": ") + hide(f.message)) + "\n";
    }
  }
  return out;
}

}  // namespace tfmend
