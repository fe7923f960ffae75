#include "fix_export.h"

#include <filesystem>
#include <map>

#include "sha256.h"
#include "tfmend/diff.h"
#include "tfmend/document.h"
#include "tfmend/file_io.h"
#include "tfmend/registry.h"
#include "tfmend/secrets.h"

namespace tfmend {

namespace fs = std::filesystem;

Json exportRecord(const Document& doc, const Outcome& outcome) {
  Json fixes = Json::array();
  for (std::size_t i = 0; i < outcome.applied.size(); ++i) {
    const Finding& f = outcome.applied[i];
    fixes.push_back({{"pass", i < outcome.appliedPass.size() ? outcome.appliedPass[i] : 1},
                     {"rule", f.rule},
                     {"address", f.address},
                     {"pointer", f.pointer},
                     {"message", redact(f.message, f.secrets)},
                     {"title", f.fix->title},
                     {"applicability", toString(f.fix->applicability)},
                     {"ops", f.fix->ops}});
  }
  return {{"path", doc.path}, {"sha256", sha256Hex(doc.text)}, {"fixes", fixes}};
}

Json settingsJson(const Settings& s) {
  Json out = {{"require_cmk", s.requireCmk},
              {"replication_lag_threshold_ms", s.replicationLagThresholdMs},
              {"memory_threshold_percent", s.memoryThresholdPercent},
              {"replication_latency_threshold_s", s.replicationLatencyThresholdSeconds},
              {"phase_variable", s.phaseVariable},
              {"phase_weights", s.phaseWeights}};
  out["env_suffix"] = s.envSuffix ? Json(*s.envSuffix) : Json(nullptr);
  return out;
}

namespace {

/// The settings of an export, checked field by field.
Result<Settings> settingsFrom(const Json& j, const std::string& where) {
  Settings s;
  if (!j.is_object()) return Error{where + ": settings must be an object"};
  auto number = [&](const char* key, double& into) -> Status {
    if (!j.contains(key)) return okStatus();
    if (!j[key].is_number()) return Error{where + ": settings." + key + " must be a number"};
    into = j[key].get<double>();
    return okStatus();
  };
  for (auto [key, into] : {std::pair<const char*, double*>{"replication_lag_threshold_ms", &s.replicationLagThresholdMs},
                           {"memory_threshold_percent", &s.memoryThresholdPercent},
                           {"replication_latency_threshold_s", &s.replicationLatencyThresholdSeconds}}) {
    if (auto st = number(key, *into); !st) return st.error();
  }
  if (j.contains("require_cmk")) {
    if (!j["require_cmk"].is_boolean()) return Error{where + ": settings.require_cmk must be true or false"};
    s.requireCmk = j["require_cmk"].get<bool>();
  }
  if (j.contains("env_suffix") && !j["env_suffix"].is_null()) {
    if (!j["env_suffix"].is_string()) return Error{where + ": settings.env_suffix must be a string"};
    s.envSuffix = j["env_suffix"].get<std::string>();
  }
  if (j.contains("phase_variable")) {
    if (!j["phase_variable"].is_string()) return Error{where + ": settings.phase_variable must be a string"};
    s.phaseVariable = j["phase_variable"].get<std::string>();
  }
  if (j.contains("phase_weights")) {
    const Json& w = j["phase_weights"];
    if (!w.is_object()) return Error{where + ": settings.phase_weights must be an object"};
    s.phaseWeights.clear();
    for (const auto& [phase, list] : w.items()) {
      if (!list.is_array()) return Error{where + ": settings.phase_weights." + phase + " must be a list of weights"};
      for (const auto& v : list) {
        if (!v.is_number_integer() || v.get<long long>() < 0 || v.get<long long>() > 255) {
          return Error{where + ": settings.phase_weights." + phase + " must hold weights from 0 to 255"};
        }
        s.phaseWeights[phase].push_back(v.get<int>());
      }
    }
  }
  return s;
}

/// One file's fixes, gathered from the exports.
struct Planned {
  std::string sha256;
  std::string source;  // the export it came from
  Json fixes = Json::array();
  std::vector<const Rule*> rules;
  Settings settings;
  FixMode mode = FixMode::Unsafe;
};

/// `path` inside the current directory, or why not: apply never writes outside it.
Result<std::string> insideWorkingDirectory(const std::string& path) {
  fs::path p(path);
  if (p.empty() || p.is_absolute()) return Error{path + ": refused: an exported path must be relative to the current directory"};
  for (const auto& part : p.lexically_normal()) {
    if (part == "..") return Error{path + ": refused: the path leaves the current directory"};
  }
  std::error_code ec;
  fs::path cwd = fs::canonical(fs::current_path(), ec);
  fs::path real = fs::weakly_canonical(cwd / p, ec);
  if (ec) return Error{path + ": cannot resolve: " + ec.message()};
  auto rel = real.lexically_relative(cwd);
  if (rel.empty() || *rel.begin() == "..") return Error{path + ": refused: it resolves outside the current directory"};
  if (p.extension() != ".json") return Error{path + ": refused: not a JSON file"};
  return path;
}

Result<std::map<std::string, Planned>> readExports(const std::vector<std::string>& exportFiles) {
  std::map<std::string, Planned> plan;
  for (const auto& file : exportFiles) {
    auto text = readInput(file);
    if (!text) return text.error();
    auto doc = parseDocument(file, *text);
    if (!doc) return doc.error();
    auto checked = checkExport(doc->root, file);
    if (!checked) return checked.error();
    const Json& files = doc->root["files"];
    for (std::size_t i = 0; i < files.size(); ++i) {
      const Json& f = files[i];
      std::string path = f["path"].get<std::string>();
      auto [it, fresh] =
          plan.try_emplace(path, Planned{f["sha256"].get<std::string>(), file, f["fixes"], checked->rules, checked->settings, checked->mode});
      if (!fresh && (it->second.sha256 != f["sha256"] || it->second.fixes != f["fixes"])) {
        return Error{file + ": /files/" + std::to_string(i) + ": " + path + " also has other fixes in " + it->second.source +
                     "; apply one export at a time"};
      }
    }
  }
  return plan;
}

/// Applies one file's exported fixes through the engine step, pass by pass
/// as `fix` applied them: each one only if its rule still finds its finding
/// and proposes exactly these operations.
Result<Outcome> replay(const Document& doc, const Planned& p) {
  FixSession session(doc, p.rules, p.settings);
  std::size_t next = 0;
  while (next < p.fixes.size()) {
    int pass = p.fixes[next].value("pass", Json(1)).is_number_integer() ? p.fixes[next]["pass"].get<int>() : 1;
    auto found = session.beginPass();
    if (!found) return found.error();
    for (; next < p.fixes.size(); ++next) {
      const Json& fix = p.fixes[next];
      if (fix.value("pass", Json(1)) != pass) break;
      std::string what = fix["rule"].get<std::string>() + " at " + fix["address"].get<std::string>();
      const Finding* match = nullptr;
      for (const auto& f : (*found)->findings) {
        if (f.rule == fix["rule"] && f.address == fix["address"] && f.pointer == fix["pointer"] && f.fix && f.fix->title == fix["title"]) {
          match = &f;
          break;
        }
      }
      if (!match) return Error{doc.path + ": fix " + what + " refused: its finding no longer exists"};
      if (!allowedUnder(p.mode, match->fix->applicability)) {
        return Error{doc.path + ": fix " + what + " refused: it is unsafe, and the export was made without --unsafe-fixes"};
      }
      if (match->fix->ops != fix["ops"]) {
        return Error{doc.path + ": fix " + what + " refused: it is not the fix " + fix["rule"].get<std::string>() + " proposes (was it edited?)"};
      }
      auto v = session.apply(*match);
      if (v.verdict != FixSession::Verdict::Applied) {
        return Error{doc.path + ": fix " + what + " refused: " + (v.reason.empty() ? "it overlaps another fix of its pass" : v.reason)};
      }
    }
    session.endPass();
  }
  return session.finish();
}

}  // namespace

Result<ExportFile> checkExport(const Json& root, const std::string& file) {
  if (!root.is_object() || root.value("kind", Json("")) != "tfmend-fixes" || !root.contains("files") || !root["files"].is_array()) {
    return Error{file + ": not a tfmend fix export (written by `tfmend fix --export-fixes`)"};
  }
  if (root.value("format", Json(0)) != 2) return Error{file + ": export format " + root.value("format", Json(0)).dump() + " is not 2; export the fixes again"};
  if (!root.contains("rules") || !root["rules"].is_array()) return Error{file + ": /rules: expected a list of rule IDs"};
  ExportFile out;
  for (const auto& id : root["rules"]) {
    const Rule* r = id.is_string() ? findRule(id.get<std::string>()) : nullptr;
    if (!r) return Error{file + ": /rules: unknown rule " + id.dump()};
    out.rules.push_back(r);
  }
  auto settings = settingsFrom(root.value("settings", Json::object()), file + ": /settings");
  if (!settings) return settings.error();
  out.settings = std::move(*settings);
  out.mode = root.value("fix_mode", Json("unsafe")) == "safe" ? FixMode::Safe : FixMode::Unsafe;
  for (std::size_t i = 0; i < root["files"].size(); ++i) {
    const Json& f = root["files"][i];
    std::string where = file + ": /files/" + std::to_string(i);
    if (!f.is_object() || !f.contains("path") || !f["path"].is_string() || !f.contains("sha256") || !f["sha256"].is_string() ||
        !f.contains("fixes") || !f["fixes"].is_array()) {
      return Error{where + ": expected {\"path\": string, \"sha256\": string, \"fixes\": [...]}"};
    }
    for (std::size_t k = 0; k < f["fixes"].size(); ++k) {
      const Json& fix = f["fixes"][k];
      if (fix.is_object() && fix.contains("pass") && (!fix["pass"].is_number_integer() || fix["pass"].get<long long>() < 1 ||
                                                      fix["pass"].get<long long>() > 1000)) {
        return Error{where + "/fixes/" + std::to_string(k) + ": \"pass\" must be a pass number"};
      }
      for (const char* key : {"rule", "address", "pointer", "title"}) {
        if (!fix.is_object() || !fix.contains(key) || !fix[key].is_string()) {
          return Error{where + "/fixes/" + std::to_string(k) + ": \"" + key + "\" must be a string"};
        }
      }
      if (!fix.contains("ops") || !fix["ops"].is_array()) return Error{where + "/fixes/" + std::to_string(k) + ": \"ops\" must be a list"};
    }
  }
  return out;
}

Json exportDocument(const std::vector<Json>& files, std::span<const Rule* const> rules, const Settings& settings, FixMode mode) {
  Json doc;
  doc["tool"] = {{"name", "tfmend"}, {"version", TFMEND_VERSION}};
  doc["kind"] = "tfmend-fixes";
  doc["format"] = 2;
  doc["fix_mode"] = mode == FixMode::Safe ? "safe" : "unsafe";
  doc["rules"] = Json::array();
  for (const Rule* r : rules) doc["rules"].push_back(std::string(r->id));
  doc["settings"] = settingsJson(settings);
  doc["files"] = Json::array();
  for (const auto& f : files) {
    if (!f.is_null() && !f["fixes"].empty()) doc["files"].push_back(f);
  }
  return doc;
}

Status writeExport(const std::string& path, const Json& document, std::ostream& stdoutStream) {
  if (path == "-") {
    stdoutStream << document.dump(2) << "\n";
    return okStatus();
  }
  // An export replaces only an earlier export (or an empty file), so that
  // `--export-fixes s/cdk.tf.json s/cdk.tf.json` cannot replace the stack.
  if (auto existing = readInput(path); existing && existing->find_first_not_of(" \t\r\n") != std::string::npos) {
    auto doc = parseDocument(path, std::move(*existing));
    if (!doc || !doc->root.is_object() || doc->root.value("kind", Json("")) != "tfmend-fixes") {
      return Error{path + ": refused: the file exists and is not a tfmend fix export"};
    }
  }
  return writeAtomically(path, document.dump(2) + "\n");
}

int applyExports(const std::vector<std::string>& exportFiles, const ApplyOptions& options, std::ostream& out,
                 std::ostream& err) {
  auto plan = readExports(exportFiles);
  if (!plan) {
    err << "error: " << oneLine(plan.error().message) << "\n";
    return 2;
  }
  std::size_t applied = 0, files = 0, failed = 0;
  for (const auto& [path, p] : *plan) {
    auto fail = [&](const std::string& message) {
      err << "error: " << oneLine(message) << "\n";
      ++failed;
    };
    auto inside = insideWorkingDirectory(path);
    if (!inside) {
      fail(inside.error().message);
      continue;
    }
    auto file = readFile(path);
    if (!file) {
      fail(file.error().message);
      continue;
    }
    const std::string& text = file->text;
    if (sha256Hex(text) != p.sha256) {
      fail(path + ": changed since the fixes were exported (" + p.source + "); not applied");
      continue;
    }
    auto doc = parseDocument(path, text);
    if (!doc) {
      fail(doc.error().message);
      continue;
    }
    auto outcome = replay(*doc, p);
    if (!outcome) {
      fail(outcome.error().message + "; nothing written");
      continue;
    }
    if (options.diffOnly) {
      std::string d = unifiedDiff(path, doc->text, outcome->fixedText);
      out << (options.showSecrets ? d : redact(d, documentSecrets(doc->root, outcome->secrets)));
    } else if (outcome->changed) {
      if (auto s = writeAtomically(path, outcome->fixedText, file->stamp); !s) {
        fail(s.error().message);
        continue;
      }
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
