#include "baseline.h"

#include <filesystem>

#include "tfmend/file_io.h"

namespace tfmend {

namespace {

std::string keyOf(const std::string& path, const std::string& rule, const std::string& address, const std::string& pointer) {
  return baselinePath(path) + '\x1f' + rule + '\x1f' + address + '\x1f' + pointer;
}

}  // namespace

std::string baselinePath(const std::string& path) {
  std::string p = std::filesystem::path(path).lexically_normal().generic_string();
  return p.empty() ? "." : p;
}

Result<Baseline> Baseline::load(const std::string& path) {
  auto text = readInput(path);
  if (!text) return Error{"--baseline " + text.error().message};
  const std::string notAReport =
      path + ": not a tfmend JSON report (write one with `tfmend check --format json`)";
  Json doc = Json::parse(*text, nullptr, false);
  if (doc.is_discarded() || !doc.is_object() || !doc.contains("files") || !doc["files"].is_array()) {
    return Error{notAReport};
  }
  Baseline b;
  for (const auto& file : doc["files"]) {
    if (!file.is_object() || !file.contains("path") || !file["path"].is_string()) return Error{notAReport};
    if (!file.contains("findings") || !file["findings"].is_array()) return Error{notAReport};
    for (const auto& f : file["findings"]) {
      auto field = [&](const char* name) {
        return f.is_object() && f.contains(name) && f[name].is_string() ? f[name].get<std::string>() : std::string();
      };
      if (field("rule").empty()) return Error{notAReport};
      b.counts_[keyOf(file["path"].get<std::string>(), field("rule"), field("address"), field("pointer"))]++;
    }
  }
  return b;
}

std::size_t Baseline::filter(FileReport& report) {
  std::size_t removed = 0, kept = 0;
  for (std::size_t i = 0; i < report.findings.size(); ++i) {
    const Finding& f = report.findings[i];
    auto it = counts_.find(keyOf(report.path, f.rule, f.address, f.pointer));
    if (it != counts_.end() && it->second > 0) {
      --it->second;
      ++removed;
      continue;
    }
    // Keep the finding and what lines up with it.
    if (kept != i) {
      report.findings[kept] = std::move(report.findings[i]);
      if (i < report.lines.size()) report.lines[kept] = report.lines[i];
      if (i < report.columns.size()) report.columns[kept] = report.columns[i];
      if (i < report.fixEdits.size()) report.fixEdits[kept] = std::move(report.fixEdits[i]);
    }
    ++kept;
  }
  report.findings.resize(kept);
  if (report.lines.size() > kept) report.lines.resize(kept);
  if (report.columns.size() > kept) report.columns.resize(kept);
  if (report.fixEdits.size() > kept) report.fixEdits.resize(kept);
  if (report.status == FileStatus::Findings && report.findings.empty()) {
    report.status = report.fixed.empty() ? FileStatus::Clean : FileStatus::Fixed;
  }
  return removed;
}

}  // namespace tfmend
