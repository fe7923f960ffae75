// SARIF 2.1.0 output, in the subset GitHub code scanning reads: one run, the
// rules that ran (with their pages), one result per finding with a physical
// location (file relative to %SRCROOT%, line and column), a logical one (the
// resource address) and, where the finding has a fix, the fix as text edits.
#include <cctype>
#include <filesystem>
#include <string>

#include "tfmend/diff.h"
#include "tfmend/names.h"
#include "tfmend/registry.h"
#include "tfmend/report.h"

namespace tfmend {

namespace {

namespace fs = std::filesystem;

const char* sarifLevel(Severity s) {
  return s == Severity::High ? "error" : s == Severity::Medium ? "warning" : "note";
}

const char* securitySeverity(Severity s) { return s == Severity::High ? "8.0" : s == Severity::Medium ? "5.0" : "2.0"; }

/// A path as a URI reference: every byte but unreserved ones and "/" percent-encoded.
std::string percentEncode(const std::string& path) {
  static const char* hex = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : path) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

/// The source root, absolute, with symbolic links resolved.
fs::path rootOf(const ReportContext& ctx) {
  std::error_code ec;
  fs::path root = ctx.sourceRoot.empty() ? fs::current_path(ec) : fs::path(ctx.sourceRoot);
  fs::path resolved = fs::weakly_canonical(fs::absolute(root, ec), ec);
  return ec ? root : resolved;
}

/// Where `path` is: relative to %SRCROOT% when it is under the root, whatever
/// the working directory and however the path was given; else an absolute file URI.
Json artifactLocation(const std::string& path, const fs::path& root) {
  if (path == "-") return {{"uri", "stdin"}};
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec).lexically_normal();
  // The folder is resolved, not the file: a stack that is a link keeps its own name.
  fs::path folder = fs::weakly_canonical(absolute.parent_path(), ec);
  if (!ec) absolute = folder / absolute.filename();
  fs::path relative = absolute.lexically_relative(root);
  if (!relative.empty() && *relative.begin() != "..") {
    return {{"uri", percentEncode(relative.generic_string())}, {"uriBaseId", "%SRCROOT%"}};
  }
  return {{"uri", "file://" + percentEncode(absolute.generic_string())}};
}

Json region(int startLine, int startColumn, int endLine, int endColumn) {
  return {{"startLine", startLine}, {"startColumn", startColumn}, {"endLine", endLine}, {"endColumn", endColumn}};
}

}  // namespace

Json formatSarif(const std::vector<FileReport>& files, const ReportContext& ctx) {
  Json rules = Json::array();
  for (const Rule* r : ctx.rules) {
    Json jr;
    jr["id"] = std::string(r->id);
    jr["name"] = std::string(r->name);
    jr["shortDescription"] = {{"text", std::string(r->summary)}};
    jr["fullDescription"] = {{"text", ruleDescription(*r)}};
    jr["helpUri"] = ruleUrl(*r, ctx.docsBaseUrl);
    std::string doc(ruleDoc(r->id));
    if (!doc.empty()) jr["help"] = {{"text", doc}, {"markdown", doc}};
    jr["defaultConfiguration"] = {{"level", sarifLevel(r->severity)}};
    jr["properties"] = {{"tags", Json::array({"terraform", "aws"})}, {"security-severity", securitySeverity(r->severity)}};
    rules.push_back(std::move(jr));
  }
  const fs::path root = rootOf(ctx);
  Json results = Json::array();
  Json notifications = Json::array();
  for (const auto& file : files) {
    if (!file.error.empty()) {
      notifications.push_back({{"level", "error"}, {"message", {{"text", file.error}}}});
      continue;
    }
    const Json where = artifactLocation(file.path, root);
    const Redactor hide(ctx.showSecrets ? std::vector<std::string>() : file.secrets);
    for (std::size_t i = 0; i < file.findings.size(); ++i) {
      const Finding& f = file.findings[i];
      const Rule* rule = ruleFor(ctx, f.rule);
      Json jr;
      jr["ruleId"] = f.rule;
      for (std::size_t k = 0; k < ctx.rules.size(); ++k) {
        if (ctx.rules[k]->id == f.rule) jr["ruleIndex"] = k;
      }
      jr["level"] = sarifLevel(rule ? rule->severity : Severity::Medium);
      std::string text = hide(f.message);
      jr["message"] = {{"text", (f.address.empty() ? "" : f.address + ": ") + text}};
      auto [line, column] = positionOf(file, i);
      Json location;
      location["physicalLocation"] = {{"artifactLocation", where}, {"region", {{"startLine", line}, {"startColumn", column}}}};
      if (!f.address.empty()) {
        location["logicalLocations"] = Json::array({{{"name", f.address}, {"fullyQualifiedName", f.address}, {"kind", "resource"}}});
      }
      jr["locations"] = Json::array({location});
      jr["partialFingerprints"] = {
          {"tfmend/v1", shortHash(f.rule + "|" + f.address + "|" + f.pointer, 16)}};
      if (f.fix && i < file.fixEdits.size() && !file.fixEdits[i].empty()) {
        Json replacements = Json::array();
        for (const auto& e : file.fixEdits[i]) {
          replacements.push_back(
              {{"deletedRegion", region(e.startLine, e.startColumn, e.endLine, e.endColumn)},
               {"insertedContent", {{"text", hide(e.inserted)}}}});
        }
        jr["fixes"] = Json::array({{{"description", {{"text", f.fix->title}}},
                                    {"artifactChanges", Json::array({{{"artifactLocation", where}, {"replacements", replacements}}})}}});
      }
      Json properties;
      if (!f.constructPath.empty()) properties["constructPath"] = f.constructPath;
      if (f.fix) properties["applicability"] = toString(f.fix->applicability);
      if (!f.fix && !f.noFixReason.empty()) properties["noFixReason"] = f.noFixReason;
      if (!properties.empty()) jr["properties"] = properties;
      results.push_back(std::move(jr));
    }
  }
  Json run;
  run["tool"] = {{"driver", {{"name", "tfmend"},
                             {"version", TFMEND_VERSION},
                             {"semanticVersion", TFMEND_VERSION},
                             {"informationUri", "https://github.com/tfmend/tfmend"},
                             {"rules", rules}}}};
  std::string rootUri = "file://" + percentEncode(root.generic_string());
  if (rootUri.back() != '/') rootUri += '/';
  run["originalUriBaseIds"] = {{"%SRCROOT%", {{"uri", rootUri}}}};
  run["results"] = results;
  run["invocations"] = Json::array({{{"executionSuccessful", notifications.empty()}, {"toolExecutionNotifications", notifications}}});
  Json out;
  out["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  out["version"] = "2.1.0";
  out["runs"] = Json::array({run});
  return out;
}

}  // namespace tfmend
