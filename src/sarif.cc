// SARIF 2.1.0 output, in the subset GitHub code scanning reads: one run, the
// rules that ran, one result per finding with a physical location (file and
// line) and a logical one (the resource address).
#include <functional>
#include <string>

#include "tfmend/registry.h"
#include "tfmend/report.h"
#include "tfmend/diff.h"
#include "tfmend/names.h"

namespace tfmend {

namespace {

const char* sarifLevel(Severity s) {
  return s == Severity::High ? "error" : s == Severity::Medium ? "warning" : "note";
}

const char* securitySeverity(Severity s) { return s == Severity::High ? "8.0" : s == Severity::Medium ? "5.0" : "2.0"; }

}  // namespace

Json formatSarif(const std::vector<FileReport>& files, const ReportContext& ctx) {
  Json rules = Json::array();
  for (const Rule* r : ctx.rules) {
    Json jr;
    jr["id"] = std::string(r->id);
    jr["name"] = std::string(r->name);
    jr["shortDescription"] = {{"text", std::string(r->summary)}};
    std::string doc(ruleDoc(r->id));
    if (!doc.empty()) jr["help"] = {{"text", doc}, {"markdown", doc}};
    jr["defaultConfiguration"] = {{"level", sarifLevel(r->severity)}};
    jr["properties"] = {{"tags", Json::array({"terraform", "aws"})}, {"security-severity", securitySeverity(r->severity)}};
    rules.push_back(std::move(jr));
  }
  Json results = Json::array();
  Json notifications = Json::array();
  for (const auto& file : files) {
    if (!file.error.empty()) {
      notifications.push_back({{"level", "error"}, {"message", {{"text", file.error}}}});
      continue;
    }
    for (std::size_t i = 0; i < file.findings.size(); ++i) {
      const Finding& f = file.findings[i];
      const Rule* rule = ruleFor(ctx, f.rule);
      Json jr;
      jr["ruleId"] = f.rule;
      for (std::size_t k = 0; k < ctx.rules.size(); ++k) {
        if (ctx.rules[k]->id == f.rule) jr["ruleIndex"] = k;
      }
      jr["level"] = sarifLevel(rule ? rule->severity : Severity::Medium);
      std::string text = ctx.showSecrets ? f.message : redact(f.message, file.secrets);
      jr["message"] = {{"text", (f.address.empty() ? "" : f.address + ": ") + text}};
      Json location;
      location["physicalLocation"] = {{"artifactLocation", {{"uri", file.path}}},
                                      {"region", {{"startLine", i < file.lines.size() ? file.lines[i] : 1}}}};
      if (!f.address.empty()) {
        location["logicalLocations"] = Json::array({{{"name", f.address}, {"fullyQualifiedName", f.address}, {"kind", "resource"}}});
      }
      jr["locations"] = Json::array({location});
      jr["partialFingerprints"] = {
          {"tfmend/v1", shortHash(f.rule + "|" + f.address + "|" + f.pointer, 16)}};
      if (!f.constructPath.empty()) jr["properties"] = {{"constructPath", f.constructPath}};
      results.push_back(std::move(jr));
    }
  }
  Json run;
  run["tool"] = {{"driver", {{"name", "tfmend"}, {"version", TFMEND_VERSION}, {"semanticVersion", TFMEND_VERSION}, {"rules", rules}}}};
  run["results"] = results;
  run["invocations"] = Json::array({{{"executionSuccessful", notifications.empty()}, {"toolExecutionNotifications", notifications}}});
  Json out;
  out["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  out["version"] = "2.1.0";
  out["runs"] = Json::array({run});
  return out;
}

}  // namespace tfmend
