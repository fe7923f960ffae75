#include "merge.h"

#include <algorithm>
#include <functional>
#include <map>
#include <optional>

#include "fix_export.h"
#include "runner.h"
#include "tfmend/document.h"
#include "tfmend/file_io.h"
#include "tfmend/registry.h"

namespace tfmend {

namespace {

/// Shards' outputs are tfmend's own files, but a fleet's report can outgrow the
/// limit meant for one stack.
constexpr std::uint64_t kMaxShardBytes = std::uint64_t{4} << 30;

const std::string kAdvice = "merge only the outputs of one run split with --shard";

/// Reads fields of a file's record, keeping the first problem with its place.
class Fields {
 public:
  explicit Fields(std::string where) : where_(std::move(where)) {}

  /// obj[key] when `ok` holds for it; else null, and the problem is kept.
  const Json* field(const Json& obj, const std::string& at, const std::string& key, bool (*ok)(const Json&),
                    const std::string& expected) {
    auto it = obj.find(key);
    if (it != obj.end() && ok(*it)) return &*it;
    fail(at + "/" + key, "expected " + expected);
    return nullptr;
  }
  std::string text(const Json& obj, const std::string& at, const std::string& key) {
    const Json* v = field(obj, at, key, [](const Json& j) { return j.is_string(); }, "a string");
    return v ? v->get<std::string>() : std::string();
  }
  int position(const Json& obj, const std::string& at, const std::string& key) {
    auto ok = [](const Json& j) { return j.is_number_unsigned() && j.get<std::uint64_t>() >= 1 && j.get<std::uint64_t>() <= 1u << 30; };
    const Json* v = field(obj, at, key, ok, "a line or column number");
    return v ? v->get<int>() : 1;
  }
  /// Each element of the list obj[key] (an object), with its place.
  void forEach(const Json& obj, const std::string& at, const std::string& key, bool required,
               const std::function<void(const Json&, const std::string&)>& each) {
    if (!required && !obj.contains(key)) return;
    const Json* list = field(obj, at, key, [](const Json& j) { return j.is_array(); }, "a list");
    for (std::size_t i = 0; list && i < list->size() && !problem_; ++i) {
      std::string place = at + "/" + key + "/" + std::to_string(i);
      if ((*list)[i].is_object()) each((*list)[i], place);
      else fail(place, "expected an object");
    }
  }
  void fail(const std::string& at, const std::string& what) {
    if (!problem_) problem_ = where_ + at + ": " + what;
  }
  const std::optional<std::string>& problem() const { return problem_; }

 private:
  std::string where_;
  std::optional<std::string> problem_;
};

std::optional<FileStatus> statusNamed(const std::string& name) {
  for (FileStatus s : {FileStatus::Clean, FileStatus::Fixed, FileStatus::Findings, FileStatus::Failed}) {
    if (name == toString(s)) return s;
  }
  return std::nullopt;
}

/// What a shard's file is.
enum class Kind { Report, Export };

std::optional<Kind> kindOf(const Json& root) {
  if (!root.is_object()) return std::nullopt;
  if (root.value("kind", Json("")) == "tfmend-fixes") return Kind::Export;
  if (root.contains("tool") && root.contains("files") && root["files"].is_array() && root.contains("summary") &&
      root["summary"].is_object()) {
    return Kind::Report;
  }
  return std::nullopt;
}

const char* kindName(Kind k) { return k == Kind::Report ? "a JSON report" : "a fix export"; }

/// Remembers which shard holds each file: a file in two shards is refused.
class FileOwners {
 public:
  Status claim(const std::string& path, const std::string& file, const std::string& at) {
    auto [it, fresh] = owners_.emplace(path, file);
    if (fresh) return okStatus();
    return Error{file + ": " + at + ": " + Json(path).dump() + " is also in " + it->second + "; each file must come from one shard"};
  }

 private:
  std::map<std::string, std::string> owners_;
};

/// The base URL that `url`, the page of rule `id`, was made from (see ruleUrl).
std::optional<std::string> docsBaseOf(const std::string& url, const std::string& id) {
  const Rule* rule = findRule(id);
  if (!rule) return std::nullopt;
  std::string page = ruleUrl(*rule, "");
  if (url.size() <= page.size() || url.compare(url.size() - page.size(), page.size(), page) != 0) return std::nullopt;
  return url.substr(0, url.size() - page.size());
}

}  // namespace

Result<FileReport> fileReportFromJson(const Json& record, const std::string& where) {
  if (!record.is_object()) return Error{where + ": expected a file's record (an object)"};
  Fields in(where);
  FileReport r;
  r.path = in.text(record, "", "path");
  auto stringOrNull = [](const Json& j) { return j.is_string() || j.is_null(); };
  if (const Json* e = in.field(record, "", "error", stringOrNull, "a string or null"); e && e->is_string()) r.error = e->get<std::string>();
  if (auto status = statusNamed(in.text(record, "", "status"))) {
    r.status = *status;
  } else {
    in.fail("/status", "expected \"clean\", \"fixed\", \"findings\" or \"failed\"");
  }
  in.forEach(record, "", "findings", true, [&](const Json& jf, const std::string& at) {
    Finding f;
    f.rule = in.text(jf, at, "rule");
    if (!in.problem() && !findRule(f.rule)) in.fail(at + "/rule", "unknown rule " + Json(f.rule).dump());
    f.message = in.text(jf, at, "message");
    f.address = in.text(jf, at, "address");
    f.pointer = in.text(jf, at, "pointer");
    f.constructPath = in.text(jf, at, "construct_path");
    r.lines.push_back(in.position(jf, at, "line"));
    r.columns.push_back(in.position(jf, at, "column"));
    const Json* fix = in.field(jf, at, "fix", [](const Json& j) { return j.is_null() || j.is_object(); }, "an object or null");
    if (fix && fix->is_object()) {
      Fix x;
      std::string applicability = in.text(*fix, at + "/fix", "applicability");
      if (applicability != "safe" && applicability != "unsafe" && !in.problem()) {
        in.fail(at + "/fix/applicability", "expected \"safe\" or \"unsafe\"");
      }
      x.applicability = applicability == "unsafe" ? Applicability::Unsafe : Applicability::Safe;
      x.title = in.text(*fix, at + "/fix", "title");
      const Json* replaces = in.field(*fix, at + "/fix", "forces_replacement", [](const Json& j) { return j.is_boolean(); }, "true or false");
      x.forcesReplacement = replaces && replaces->get<bool>();
      f.fix = std::move(x);
    } else if (fix) {
      f.noFixReason = in.text(jf, at, "no_fix_reason");
    }
    r.findings.push_back(std::move(f));
  });
  in.forEach(record, "", "rule_errors", false, [&](const Json& je, const std::string& at) {
    r.ruleFailures.push_back({in.text(je, at, "rule"), in.text(je, at, "message")});
  });
  // The report names what was fixed by its title only; that stands in for its message.
  in.forEach(record, "", "fixed", false, [&](const Json& jx, const std::string& at) {
    Finding f;
    f.rule = in.text(jx, at, "rule");
    f.address = in.text(jx, at, "address");
    f.fix = Fix{};
    f.fix->title = in.text(jx, at, "title");
    f.message = f.fix->title;
    r.fixed.push_back(std::move(f));
  });
  if (record.contains("diff")) r.diff = in.text(record, "", "diff");
  if (in.problem()) return Error{*in.problem()};
  return r;
}

Result<MergedReport> mergeReports(const std::vector<ShardOutput>& shards) {
  MergedReport merged;
  FileOwners owners;
  std::optional<std::string> docsBase;
  std::string docsFrom;
  for (const auto& shard : shards) {
    const Json& root = shard.root;
    const Json version = root["tool"].is_object() ? root["tool"].value("version", Json()) : Json();
    if (!root["tool"].is_object() || root["tool"].value("name", Json()) != "tfmend" || version != TFMEND_VERSION) {
      return Error{shard.file + ": /tool/version: " + (version.is_null() ? std::string("missing") : version.dump()) +
                   ", and this is tfmend " TFMEND_VERSION "; merge reports written by this version"};
    }
    const bool fixing = root["summary"].contains("fixed");
    if (&shard == &shards.front()) {
      merged.fixing = fixing;
    } else if (fixing != merged.fixing) {
      auto command = [](bool f) { return std::string(f ? "a `fix` report" : "a `check` report"); };
      return Error{shard.file + ": /summary: " + command(fixing) + ", and " + shards.front().file + " is " +
                   command(merged.fixing) + "; " + kAdvice};
    }
    if (root["summary"].contains("baselined")) {
      const Json& b = root["summary"]["baselined"];
      if (!b.is_number_unsigned()) return Error{shard.file + ": /summary/baselined: expected a number of findings"};
      merged.baselined += b.get<std::size_t>();
    }
    const Json& files = root["files"];
    for (std::size_t i = 0; i < files.size(); ++i) {
      const std::string at = "/files/" + std::to_string(i);
      auto report = fileReportFromJson(files[i], shard.file + ": " + at);
      if (!report) return report.error();
      if (fixing && !files[i].contains("fixed")) return Error{shard.file + ": " + at + "/fixed: expected a list"};
      if (auto s = owners.claim(report->path, shard.file, at + "/path"); !s) return s.error();
      // The rule URLs were made from one --docs-base-url: the merged report makes them again from it.
      for (std::size_t k = 0; k < report->findings.size(); ++k) {
        const Json url = files[i]["findings"][k].value("url", Json());
        std::string place = at + "/findings/" + std::to_string(k) + "/url";
        auto base = url.is_string() ? docsBaseOf(url.get<std::string>(), report->findings[k].rule) : std::nullopt;
        if (!base) return Error{shard.file + ": " + place + ": expected the URL of " + report->findings[k].rule + "'s page"};
        if (!docsBase) {
          docsBase = base;
          docsFrom = shard.file;
        } else if (*base != *docsBase) {
          return Error{shard.file + ": " + place + ": rule pages at " + Json(*base).dump() + ", and at " + Json(*docsBase).dump() +
                       " in " + docsFrom + "; " + kAdvice};
        }
      }
      merged.anyDiff = merged.anyDiff || !report->diff.empty();
      merged.files.push_back(std::move(*report));
    }
  }
  if (docsBase) merged.docsBaseUrl = *docsBase;
  // One run lists a folder's files sorted by path (paths.cc); a shard keeps that order.
  std::stable_sort(merged.files.begin(), merged.files.end(), [](const FileReport& a, const FileReport& b) { return a.path < b.path; });
  return merged;
}

Result<Json> mergeExports(const std::vector<ShardOutput>& shards) {
  const ShardOutput& first = shards.front();
  FileOwners owners;
  std::vector<Json> files;
  for (const auto& shard : shards) {
    if (auto checked = checkExport(shard.root, shard.file); !checked) return checked.error();
    // The run's identity: every shard must have been made by the same command.
    for (const char* key : {"tool", "format", "fix_mode", "rules", "settings"}) {
      const Json mine = shard.root.value(key, Json()), theirs = first.root.value(key, Json());
      if (mine == theirs) continue;
      const Json patch = Json::diff(theirs, mine);
      std::string at = "/";
      at += key;
      if (!patch.empty()) at += patch[0]["path"].get<std::string>();
      auto valueIn = [&](const Json& root) {
        Json::json_pointer p(at);
        return root.contains(p) ? root.at(p).dump() : std::string("nothing");
      };
      return Error{shard.file + ": " + at + ": " + valueIn(shard.root) + ", and " + valueIn(first.root) + " in " + first.file + "; " +
                   kAdvice};
    }
    const Json& records = shard.root["files"];
    for (std::size_t i = 0; i < records.size(); ++i) {
      std::string at = "/files/" + std::to_string(i) + "/path";
      if (auto s = owners.claim(records[i]["path"].get<std::string>(), shard.file, at); !s) return s.error();
      files.push_back(records[i]);
    }
  }
  std::stable_sort(files.begin(), files.end(),
                   [](const Json& a, const Json& b) { return a["path"].get<std::string>() < b["path"].get<std::string>(); });
  Json out = first.root;
  out["files"] = std::move(files);
  return out;
}

int runMerge(const MergeOptions& options, std::ostream& out, std::ostream& err) {
  auto refuse = [&](const std::string& message) {
    err << "tfmend: error: " << oneLine(message) << "\n";
    return 2;
  };
  std::vector<ShardOutput> shards;
  std::optional<Kind> kind;
  for (const auto& file : options.inputs) {
    auto text = readInput(file, kMaxShardBytes);
    if (!text) return refuse(text.error().message);
    auto doc = parseDocument(file, std::move(*text));
    if (!doc) return refuse(doc.error().message);
    auto k = kindOf(doc->root);
    if (!k) {
      return refuse(file + ": not a tfmend JSON report or fix export (written by `tfmend check --format json` or "
                           "`tfmend fix --export-fixes`)");
    }
    if (kind && *k != *kind) {
      return refuse(file + ": " + kindName(*k) + ", and " + shards.front().file + " is " + kindName(*kind) +
                    "; merge reports or exports, not both");
    }
    kind = k;
    shards.push_back({file, std::move(doc->root)});
  }
  const std::string target = options.output.empty() ? "-" : options.output;

  if (kind == Kind::Export) {
    auto merged = mergeExports(shards);
    if (!merged) return refuse(merged.error().message);
    if (auto s = writeExport(target, *merged, out); !s) return refuse(s.error().message);
    std::size_t fixes = 0;
    for (const auto& f : (*merged)["files"]) fixes += f["fixes"].size();
    const std::size_t files = (*merged)["files"].size();
    if (!options.quiet) {
      err << "merged " << shards.size() << " export" << (shards.size() == 1 ? "" : "s") << ": " << fixes << " fix"
          << (fixes == 1 ? "" : "es") << " to " << files << " file" << (files == 1 ? "" : "s") << "\n";
    }
    return 0;
  }

  auto merged = mergeReports(shards);
  if (!merged) return refuse(merged.error().message);
  ReportContext ctx;
  ctx.rules = options.rules;
  ctx.fixing = merged->fixing;
  ctx.fixMode = !merged->fixing ? FixMode::None : options.unsafeFixes ? FixMode::Unsafe : FixMode::Safe;
  ctx.diffOnly = merged->fixing && (options.diff || merged->anyDiff);
  ctx.showFixes = options.showFixes;
  ctx.concise = options.format == "concise";
  ctx.docsBaseUrl = merged->docsBaseUrl;
  ctx.sourceRoot = options.sourceRoot;
  ctx.baselined = merged->baselined;

  const bool text = options.format == "text" || options.format == "full" || options.format == "concise";
  if (text) err << formatErrors(merged->files);
  std::string report = formatReport(options.format, merged->files, ctx, options.quiet);
  if (target == "-") {
    out << report << std::flush;
  } else if (auto s = writeAtomically(target, report); !s) {
    return refuse(s.error().message);
  }
  RunTally tally;
  tally.failOn = options.failOn;
  for (const auto& file : merged->files) tally.add(file, ctx);
  return tally.exitCode(options.exitZero);
}

}  // namespace tfmend
