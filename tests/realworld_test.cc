// The real-world corpus (tests/realworld/): public stacks nobody here wrote,
// with a strict AWS reviewer's label on every finding
// (tests/realworld/labels.json). This test fails on a crash, on a finding
// without a label (or a label without its finding), on any rule whose
// precision (right / all) is under 90 %, and on a fix that does not pass the
// checks every fix passes: re-check, idempotence, references, provider
// schema, IAM policies. It checks each stack in two configurations: the
// defaults, and --require-cmk (TFM003's opt-in). It also keeps the precision
// table of docs/precision.md true (TFMEND_UPDATE_GOLDEN=1 rewrites it).
#include <filesystem>
#include <map>
#include <set>
#include <gtest/gtest.h>

#include "tfmend/engine.h"
#include "tfmend/registry.h"
#include "test_support.h"

namespace tfmend {
namespace {

namespace fs = std::filesystem;

const std::string kRoot = std::string(TFMEND_SOURCE_DIR) + "/tests/realworld";

/// A corpus stack: its slug and file.
struct Stack {
  std::string slug, path;
};

std::vector<Stack> corpus() {
  std::vector<Stack> out;
  Json manifest = Json::parse(test::readFile(kRoot + "/manifest.json"));
  for (const auto& e : manifest) out.push_back({e["slug"].get<std::string>(), kRoot + "/" + e["file"].get<std::string>()});
  return out;
}

std::string keyOf(const std::string& slug, const Finding& f) { return slug + "|" + f.rule + "|" + f.address + "|" + f.pointer; }

/// Labels by slug|rule|address|pointer.
std::map<std::string, Json> labels() {
  std::map<std::string, Json> out;
  Json all = Json::parse(test::readFile(kRoot + "/labels.json"));
  for (const auto& l : all["labels"]) {
    std::string key = l["stack"].get<std::string>() + "|" + l["rule"].get<std::string>() + "|" + l["address"].get<std::string>() + "|" +
                      l["pointer"].get<std::string>();
    EXPECT_FALSE(out.count(key)) << "labelled twice: " << key;
    std::string verdict = l["label"];
    EXPECT_TRUE(verdict == "right" || verdict == "wrong" || verdict == "preference") << key << ": " << verdict;
    EXPECT_FALSE(l.value("why", "").empty()) << key << ": a label says why";
    out[key] = l;
  }
  return out;
}

struct Config {
  std::string name;
  Settings settings;
};

std::vector<Config> configs() {
  Settings cmk;
  cmk.requireCmk = true;
  return {{"default", Settings{}}, {"require-cmk", cmk}};
}

/// Per configuration and rule: findings, right, wrong, preference.
struct Tally {
  int findings = 0, right = 0, wrong = 0, preference = 0;
};

std::string precisionTable(const std::map<std::string, std::map<std::string, Tally>>& tallies) {
  std::string out = "| configuration | rule | findings | right | wrong | preference | precision |\n|---|---|---|---|---|---|---|\n";
  for (const auto& [config, byRule] : tallies) {
    for (const Rule* r : allRules()) {
      if (!r->check) continue;
      auto it = byRule.find(std::string(r->id));
      Tally t = it == byRule.end() ? Tally{} : it->second;
      std::string precision = t.findings == 0 ? "n/a" : std::to_string(100 * t.right / t.findings) + " %";
      out += "| " + config + " | " + std::string(r->id) + " " + std::string(r->name) + " | " + std::to_string(t.findings) + " | " +
             std::to_string(t.right) + " | " + std::to_string(t.wrong) + " | " + std::to_string(t.preference) + " | " + precision + " |\n";
    }
  }
  return out;
}

TEST(RealWorld, NoCrashEveryFindingLabelledPrecisionAtLeast90) {
  auto stacks = corpus();
  ASSERT_GE(stacks.size(), 40u);
  auto byKey = labels();
  std::set<std::string> seen;
  std::map<std::string, std::map<std::string, Tally>> tallies;
  for (const auto& config : configs()) {
    for (const auto& s : stacks) {
      SCOPED_TRACE(s.slug + " (" + config.name + ")");
      Document doc = test::load(s.path);
      auto out = runEngine(doc, allRules(), config.settings, EngineOptions{});
      ASSERT_TRUE(out) << out.error().message;
      for (const auto& rf : out->ruleFailures) ADD_FAILURE() << "rule " << rf.rule << " failed: " << rf.message;
      for (const auto& f : out->findings) {
        std::string key = keyOf(s.slug, f);
        seen.insert(key);
        Tally& t = tallies[config.name][f.rule];
        ++t.findings;
        auto l = byKey.find(key);
        if (l == byKey.end()) {
          ADD_FAILURE() << "no label for " << key << ": " << f.message;
          continue;
        }
        std::string verdict = l->second["label"];
        (verdict == "right" ? t.right : verdict == "wrong" ? t.wrong : t.preference)++;
      }
    }
  }
  for (const auto& [key, l] : byKey) EXPECT_TRUE(seen.count(key)) << "a label for a finding that no longer exists: " << key;
  for (const auto& [config, byRule] : tallies) {
    for (const auto& [rule, t] : byRule) {
      EXPECT_GE(t.right * 10, t.findings * 9) << config << " " << rule << ": " << t.right << " right of " << t.findings;
    }
  }
  // docs/precision.md holds this table between its markers.
  std::string docPath = std::string(TFMEND_SOURCE_DIR) + "/docs/precision.md";
  std::string doc = test::readFile(docPath);
  const std::string begin = "<!-- precision table: begin -->\n", end = "<!-- precision table: end -->";
  auto b = doc.find(begin), e = doc.find(end);
  ASSERT_NE(b, std::string::npos);
  ASSERT_NE(e, std::string::npos);
  std::string table = precisionTable(tallies);
  if (std::getenv("TFMEND_UPDATE_GOLDEN")) {
    doc = doc.substr(0, b + begin.size()) + table + doc.substr(e);
    test::writeFile(docPath, doc);
  }
  EXPECT_EQ(doc.substr(b + begin.size(), e - b - begin.size()), table);
}

TEST(RealWorld, EveryFixPassesTheHarnessChecks) {
  for (const auto& config : configs()) {
    for (const auto& s : corpus()) {
      SCOPED_TRACE(s.slug + " (" + config.name + ")");
      Document doc = test::load(s.path);
      EngineOptions fix;
      fix.fixMode = FixMode::Unsafe;
      auto out = runEngine(doc, allRules(), config.settings, fix);
      ASSERT_TRUE(out) << out.error().message;
      for (const auto& sk : out->skipped) ADD_FAILURE() << sk.finding.rule << " " << sk.finding.address << ": " << sk.reason;
      if (!out->changed) continue;
      auto fixed = parseDocument("fixed", out->fixedText);
      ASSERT_TRUE(fixed);
      // Re-check: nothing left that a fix could repair.
      auto recheck = runEngine(*fixed, allRules(), config.settings, EngineOptions{});
      ASSERT_TRUE(recheck);
      for (const auto& f : recheck->findings) EXPECT_FALSE(f.fix.has_value()) << f.rule << " " << f.address << ": " << f.message;
      // Idempotence.
      auto twice = runEngine(*fixed, allRules(), config.settings, fix);
      ASSERT_TRUE(twice);
      EXPECT_FALSE(twice->changed);
      // References: none that resolved before dangles now.
      auto before = StackModel::build(doc.root);
      auto after = StackModel::build(fixed->root);
      ASSERT_TRUE(before && after);
      std::set<std::string, std::less<>> unresolved;
      for (const Reference* r : before->unresolved()) unresolved.emplace(r->traversal.target);
      for (const Reference* r : after->unresolved()) {
        EXPECT_TRUE(unresolved.count(r->traversal.target)) << r->pointer << " -> " << r->traversal.target;
      }
      // Provider schema and IAM policies: what the fixes wrote is valid (the
      // corpus itself may use arguments of older providers).
      auto known = test::schemaViolations(doc.root);
      std::set<std::string> old(known.begin(), known.end());
      for (const auto& v : test::schemaViolations(fixed->root)) EXPECT_TRUE(old.count(v)) << "not in the AWS provider schema: " << v;
      auto oldPolicies = test::iamPolicyProblems(doc.root);
      std::set<std::string> oldProblems(oldPolicies.begin(), oldPolicies.end());
      for (const auto& p : test::iamPolicyProblems(fixed->root)) EXPECT_TRUE(oldProblems.count(p)) << "IAM policy: " << p;
      auto oldDuplicates = test::duplicateGlobalNames(doc.root);
      std::set<std::string> oldNames(oldDuplicates.begin(), oldDuplicates.end());
      for (const auto& d : test::duplicateGlobalNames(fixed->root)) EXPECT_TRUE(oldNames.count(d)) << d;
    }
  }
}

}  // namespace
}  // namespace tfmend
