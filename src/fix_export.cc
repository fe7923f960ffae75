#include "fix_export.h"

#include <map>

#include "sha256.h"
#include "tfmend/diff.h"
#include "tfmend/document.h"
#include "tfmend/engine.h"
#include "tfmend/file_io.h"

namespace tfmend {

Json exportDocument(const std::vector<Json>& files) {
  Json doc;
  doc["tool"] = {{"name", "tfmend"}, {"version", TFMEND_VERSION}};
  doc["kind"] = "tfmend-fixes";
  doc["format"] = 1;
  doc["files"] = Json::array();
  for (const auto& f : files) {
    if (!f.is_null() && !f["fixes"].empty()) doc["files"].push_back(f);
  }
  return doc;
}

Status writeExport(const std::string& path, const Json& document) { return writeAtomically(path, document.dump(2) + "\n"); }

namespace {

/// One file's fixes, gathered from the exports.
struct Planned {
  std::string sha256;
  std::string source;  // the export it came from
  Json fixes = Json::array();
  Json redact = Json::array();  // pointers of secrets in the original
};

Result<std::map<std::string, Planned>> readExports(const std::vector<std::string>& exportFiles) {
  std::map<std::string, Planned> plan;
  for (const auto& file : exportFiles) {
    auto text = readInput(file);
    if (!text) return text.error();
    auto doc = parseDocument(file, *text);
    if (!doc) return doc.error();
    const Json& root = doc->root;
    if (!root.is_object() || root.value("kind", "") != "tfmend-fixes" || !root.contains("files") || !root["files"].is_array()) {
      return Error{file + ": not a tfmend fix export (written by `tfmend fix --export-fixes`)"};
    }
    for (std::size_t i = 0; i < root["files"].size(); ++i) {
      const Json& f = root["files"][i];
      std::string where = file + ": /files/" + std::to_string(i);
      if (!f.is_object() || !f.contains("path") || !f["path"].is_string() || !f.contains("sha256") ||
          !f.contains("fixes") || !f["fixes"].is_array()) {
        return Error{where + ": expected {\"path\", \"sha256\", \"fixes\"}"};
      }
      std::string path = f["path"].get<std::string>();
      auto [it, fresh] = plan.try_emplace(path, Planned{f["sha256"].get<std::string>(), file});
      if (!fresh) {
        if (it->second.sha256 != f["sha256"] || it->second.fixes != f["fixes"]) {
          return Error{where + ": " + path + " also has other fixes in " + it->second.source + "; apply one export at a time"};
        }
        continue;
      }
      it->second.fixes = f["fixes"];
      if (f.contains("redact") && f["redact"].is_array()) it->second.redact = f["redact"];
    }
  }
  return plan;
}

}  // namespace

int applyExports(const std::vector<std::string>& exportFiles, const ApplyOptions& options, std::ostream& out,
                 std::ostream& err) {
  auto plan = readExports(exportFiles);
  if (!plan) {
    err << "error: " << plan.error().message << "\n";
    return 2;
  }
  std::size_t applied = 0, files = 0, failed = 0;
  for (const auto& [path, p] : *plan) {
    auto text = readInput(path);
    if (!text) {
      err << "error: " << text.error().message << "\n";
      ++failed;
      continue;
    }
    if (sha256Hex(*text) != p.sha256) {
      err << "error: " << path << ": changed since the fixes were exported (" << p.source << "); not applied\n";
      ++failed;
      continue;
    }
    auto doc = parseDocument(path, *text);
    if (!doc) {
      err << "error: " << doc.error().message << "\n";
      ++failed;
      continue;
    }
    Json fixed = doc->root;
    std::string problem;
    for (const auto& fix : p.fixes) {
      if (!fix.contains("ops")) {
        problem = "a fix without ops";
        break;
      }
      if (auto s = applyFixVerified(fixed, fix["ops"]); !s) {
        problem = "fix " + fix.value("rule", std::string("?")) + " at " + fix.value("address", std::string("?")) +
                  " does not apply: " + s.error().message;
        break;
      }
    }
    if (!problem.empty()) {
      err << "error: " << path << ": " << problem << "; nothing written\n";
      ++failed;
      continue;
    }
    std::string result = serialize(fixed, doc->style);
    if (options.diffOnly) {
      std::vector<std::string> secrets;
      for (const auto& at : p.redact) {
        try {
          const Json& v = doc->root.at(JsonPointer(at.get<std::string>()));
          if (v.is_string()) secrets.push_back(v.get<std::string>());
        } catch (const Json::exception&) {
        }
      }
      std::string d = unifiedDiff(path, doc->text, result);
      out << (options.showSecrets ? d : redact(d, secrets));
    } else if (auto s = writeAtomically(path, result); !s) {
      err << "error: " << s.error().message << "\n";
      ++failed;
      continue;
    }
    applied += p.fixes.size();
    ++files;
  }
  err << (options.diffOnly ? "would apply " : "applied ") << applied << " fix" << (applied == 1 ? "" : "es") << " to "
      << files << " file" << (files == 1 ? "" : "s");
  if (failed > 0) err << ", " << failed << " refused";
  err << "\n";
  return failed > 0 ? 2 : 0;
}

}  // namespace tfmend
