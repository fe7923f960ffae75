// The golden harness: every directory golden/<RULE>-<name>/<case>/ (and
// tests/golden/ for the test-only rules) holds an input (input.tf.json, or a
// `source` file naming a synthesized stack under golden/), and what tfmend must
// make of it: findings.txt, expected.tf.json, expected.diff (and, where a case
// has it, titles.txt: the fix titles). The harness also
// checks that the fixed output re-checks clean, that fixing it again changes
// nothing, that every reference resolves, and that every argument exists in the
// AWS provider schema. TFMEND_UPDATE_GOLDEN=1 rewrites the expected files; review
// them with `git diff`.
#include <cstdlib>
#include <filesystem>
#include <functional>
#include <map>
#include <set>
#include <gtest/gtest.h>

#include "tfmend/diff.h"
#include "tfmend/engine.h"
#include "tfmend/registry.h"
#include "tfmend/values.h"
#include "test_support.h"

namespace tfmend {
namespace {

namespace fs = std::filesystem;

struct GoldenCase {
  std::string dir;
  std::string name;  // "TFM001-missing-environment-suffix/failure-01"
};

void PrintTo(const GoldenCase& c, std::ostream* os) { *os << c.name; }

std::vector<GoldenCase> discover() {
  std::vector<GoldenCase> out;
  for (std::string root : {std::string(TFMEND_SOURCE_DIR) + "/golden", std::string(TFMEND_SOURCE_DIR) + "/tests/golden"}) {
    if (!fs::is_directory(root)) continue;
    for (const auto& ruleDir : fs::directory_iterator(root)) {
      std::string ruleName = ruleDir.path().filename();
      if (!ruleDir.is_directory() || ruleName.size() < 7 || ruleName[6] != '-') continue;
      for (const auto& caseDir : fs::directory_iterator(ruleDir.path())) {
        if (caseDir.is_directory()) out.push_back({caseDir.path().string(), ruleName + "/" + caseDir.path().filename().string()});
      }
    }
  }
  std::sort(out.begin(), out.end(), [](auto& a, auto& b) { return a.name < b.name; });
  return out;
}

const Rule* ruleOf(const std::string& id) {
  if (const Rule* r = findRule(id)) return r;
  if (id == "TST001") return &test::missingNameTagRule();
  return nullptr;
}

std::string describe(const std::vector<Finding>& findings) {
  std::string out;
  for (const auto& f : findings) {
    out += f.address + " " + f.pointer + ": " + redact(f.message, f.secrets) + " [" + f.rule + "] fix=" +
           (f.fix ? toString(f.fix->applicability) : "none (" + f.noFixReason + ")") + "\n";
  }
  return out;
}

/// The fix titles, one line per finding with a fix: what the user is told a
/// fix will do. Checked where a case has titles.txt.
std::string titles(const std::vector<Finding>& findings) {
  std::string out;
  for (const auto& f : findings) {
    if (f.fix) out += f.rule + " " + f.address + ": " + redact(f.fix->title, f.secrets) + "\n";
  }
  return out;
}

class Golden : public ::testing::TestWithParam<GoldenCase> {};

TEST_P(Golden, Case) {
  const GoldenCase& c = GetParam();
  std::string inputPath = c.dir + "/input.tf.json";
  if (fs::exists(c.dir + "/source")) {
    std::string source = test::readFile(c.dir + "/source");
    source.erase(source.find_last_not_of("\n ") + 1);
    inputPath = std::string(TFMEND_SOURCE_DIR) + "/golden/" + source;
  }
  Document doc = test::load(inputPath);
  ASSERT_TRUE(roundTrips(doc)) << "golden inputs are in cdktf's layout";
  std::string ruleId = fs::path(c.dir).parent_path().filename().string().substr(0, 6);
  std::vector<const Rule*> rules = {ruleOf(ruleId)};
  ASSERT_NE(rules[0], nullptr) << ruleId;
  Settings settings;
  EngineOptions options;
  options.fixMode = FixMode::Unsafe;
  if (fs::exists(c.dir + "/options.json")) {
    Json o = Json::parse(test::readFile(c.dir + "/options.json"));
    if (o.contains("env_suffix")) settings.envSuffix = o["env_suffix"].get<std::string>();
    if (o.contains("require_cmk")) settings.requireCmk = o["require_cmk"].get<bool>();
    if (o.contains("phase_variable")) settings.phaseVariable = o["phase_variable"].get<std::string>();
    if (o.value("fix", "unsafe") == "safe") options.fixMode = FixMode::Safe;
    if (o.contains("also")) {
      for (const auto& id : o["also"]) rules.push_back(ruleOf(id.get<std::string>()));
    }
  }
  auto checked = runEngine(doc, rules, settings, EngineOptions{});
  ASSERT_TRUE(checked) << checked.error().message;
  if (c.name.size() > 11 && c.name.compare(c.name.size() - 11, 11, "/suppressed") == 0) {
    // A suppression case proves something only if the rule fires without it.
    Document stripped = doc;
    std::function<void(Json&)> strip = [&](Json& v) {
      if (v.is_object()) {
        if (v.contains("//") && v["//"].is_object()) v["//"].erase("tfmend");
        for (auto& [k, m] : v.items()) strip(m);
      } else if (v.is_array()) {
        for (auto& m : v) strip(m);
      }
    };
    strip(stripped.root);
    auto unsuppressed = runEngine(stripped, rules, settings, EngineOptions{});
    ASSERT_TRUE(unsuppressed);
    EXPECT_GT(unsuppressed->findings.size(), checked->findings.size()) << "the suppression suppresses nothing";
  }
  auto fixed = runEngine(doc, rules, settings, options);
  ASSERT_TRUE(fixed) << fixed.error().message;
  std::string findings = describe(checked->findings);
  std::string diff = redact(unifiedDiff("input.tf.json", doc.text, fixed->fixedText), fixed->secrets);
  if (std::getenv("TFMEND_UPDATE_GOLDEN")) {
    test::writeFile(c.dir + "/findings.txt", findings);
    test::writeFile(c.dir + "/expected.tf.json", fixed->fixedText);
    test::writeFile(c.dir + "/expected.diff", diff);
  }
  EXPECT_EQ(findings, test::readFile(c.dir + "/findings.txt"));
  if (fs::exists(c.dir + "/titles.txt")) {
    if (std::getenv("TFMEND_UPDATE_GOLDEN")) test::writeFile(c.dir + "/titles.txt", titles(checked->findings));
    EXPECT_EQ(titles(checked->findings), test::readFile(c.dir + "/titles.txt"));
  }
  EXPECT_EQ(fixed->fixedText, test::readFile(c.dir + "/expected.tf.json"));
  EXPECT_EQ(diff, test::readFile(c.dir + "/expected.diff"));
  EXPECT_TRUE(fixed->skipped.empty()) << fixed->skipped.front().reason;

  // The fixed output re-checks clean: whatever remains has no fix to offer.
  auto fixedDoc = parseDocument("expected.tf.json", fixed->fixedText);
  ASSERT_TRUE(fixedDoc);
  auto recheck = runEngine(*fixedDoc, rules, settings, EngineOptions{});
  ASSERT_TRUE(recheck);
  for (const auto& f : recheck->findings) {
    EXPECT_FALSE(f.fix && allowedUnder(options.fixMode, f.fix->applicability)) << describe({f});
  }
  // Fixing again changes nothing.
  auto twice = runEngine(*fixedDoc, rules, settings, options);
  ASSERT_TRUE(twice);
  EXPECT_FALSE(twice->changed);
  // Every reference resolves, every argument exists in the AWS provider.
  auto model = StackModel::build(fixedDoc->root);
  ASSERT_TRUE(model);
  for (const Reference* r : model->unresolved()) ADD_FAILURE() << r->pointer << " -> " << r->traversal.target;
  for (const MissingKey& k : missingLocalKeys(*model)) ADD_FAILURE() << k.pointer << " reads " << k.expression << ": " << k.object << " has no key " << k.key;
  for (const auto& v : test::schemaViolations(fixedDoc->root)) ADD_FAILURE() << "not in the AWS provider schema: " << v;
  for (const auto& p : test::iamPolicyProblems(fixedDoc->root)) ADD_FAILURE() << "IAM policy: " << p;
  for (const auto& d : test::duplicateGlobalNames(fixedDoc->root)) ADD_FAILURE() << d;
}

INSTANTIATE_TEST_SUITE_P(All, Golden, ::testing::ValuesIn(discover()), [](const auto& param) {
  std::string n = param.param.name;
  for (auto& ch : n) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return n;
});

TEST(GoldenStacks, EveryArgumentExistsInTheAwsProvider) {
  for (const auto& path : test::goldenStacks()) {
    Document doc = test::load(path);
    for (const auto& v : test::schemaViolations(doc.root)) ADD_FAILURE() << path << ": " << v;
  }
}

TEST(GoldenStacks, IamPolicyCheckCatchesBadPolicies) {
  Json bad = Json::parse(R"({"resource": {"aws_iam_policy": {
    "p": {"policy": "{\"Version\": \"2012-10-17\", \"Statement\": [{\"Effect\": \"Allow\", \"Action\": \"s3GetObject\", \"Resource\": [\"*\"]}]}"},
    "q": {"policy": "not json"}}}})");
  auto problems = test::iamPolicyProblems(bad);
  ASSERT_EQ(problems.size(), 3u);
  EXPECT_EQ(problems[0], "aws_iam_policy.p: bad action s3GetObject");
  EXPECT_EQ(problems[1], "aws_iam_policy.p: Resource \"*\"");
}

TEST(GoldenStacks, DuplicateNameCheckCatchesTwoRolesOfOneName) {
  Json bad = Json::parse(R"({"resource": {
    "aws_iam_role": {"a": {"name": "codedeploy-ecs-role-dev"}, "b": {"name": "CodeDeploy-ECS-Role-dev", "provider": "aws.secondary"},
                     "c": {"name": "app-${count.index}"}, "d": {"name": "app-${count.index}"}},
    "aws_iam_role_policy": {"p": {"name": "inline", "role": "x"}, "q": {"name": "inline", "role": "y"}},
    "aws_sqs_queue": {"e": {"name": "jobs"}, "f": {"name": "jobs", "provider": "aws.secondary"}}}})");
  EXPECT_EQ(test::duplicateGlobalNames(bad),
            std::vector<std::string>{"aws_iam_role name \"codedeploy-ecs-role-dev\" is given twice: aws_iam_role.a, aws_iam_role.b"});
}

TEST(GoldenStacks, SchemaCheckCatchesAnUnknownArgument) {
  Json bad = Json::parse(R"({"resource": {"aws_rds_cluster": {"c": {"storage_encrypted": true, "encrypted": true}}}})");
  EXPECT_EQ(test::schemaViolations(bad), std::vector<std::string>{"/resource/aws_rds_cluster/c/encrypted"});
}

}  // namespace
}  // namespace tfmend

namespace tfmend {
namespace {

TEST(GoldenStacks, IdealStackHasNoFindings) {
  Document doc = test::load(std::string(TFMEND_SOURCE_DIR) + "/golden/payment-migration/stacks/ideal/cdk.tf.json");
  auto out = runEngine(doc, allRules(), Settings{}, EngineOptions{});
  ASSERT_TRUE(out);
  EXPECT_EQ(describe(out->findings), "");
}

TEST(GoldenStacks, AllRulesComposeOnEveryStack) {
  EngineOptions fix;
  fix.fixMode = FixMode::Unsafe;
  for (const auto& path : test::goldenStacks()) {
    SCOPED_TRACE(path);
    Document doc = test::load(path);
    auto out = runEngine(doc, allRules(), Settings{}, fix);
    ASSERT_TRUE(out) << out.error().message;
    for (const auto& s : out->skipped) ADD_FAILURE() << s.finding.rule << " " << s.finding.address << ": " << s.reason;
    for (const auto& f : out->findings) EXPECT_FALSE(f.fix.has_value()) << describe({f});
    auto fixedDoc = parseDocument("fixed", out->fixedText);
    ASSERT_TRUE(fixedDoc);
    auto again = runEngine(*fixedDoc, allRules(), Settings{}, fix);
    ASSERT_TRUE(again);
    EXPECT_FALSE(again->changed);
    for (const auto& v : test::schemaViolations(fixedDoc->root)) ADD_FAILURE() << "not in the AWS provider schema: " << v;
    for (const auto& d : test::duplicateGlobalNames(fixedDoc->root)) ADD_FAILURE() << d;
  }
}

/// The model output: `check` lists all thirteen failures at once (eleven
/// rules, TFM001 for failures 1 and 2, TFM006 for 7 and 8); after one
/// `fix --unsafe-fixes` every failure is repaired.
TEST(GoldenStacks, ModelOutputFindsTheSeedFailures) {
  // The same, whether names carry the suffix as a literal or as `${var.environment_suffix}`.
  for (const char* stack : {"model-output", "model-output-suffix-variable"}) {
  SCOPED_TRACE(stack);
  Document doc = test::load(std::string(TFMEND_SOURCE_DIR) + "/golden/payment-migration/stacks/" + stack + "/cdk.tf.json");
  auto checked = runEngine(doc, allRules(), Settings{}, EngineOptions{});
  ASSERT_TRUE(checked);
  std::map<std::string, int> found;
  for (const auto& f : checked->findings) found[f.rule]++;
  // TFM001: two VPC names (1) and two KMS aliases (2); TFM003: the global
  // cluster and both regional clusters; TFM004: both clusters; TFM005: both
  // bucket pairs; TFM006: the task role (7) and the replication role (8);
  // TFM009: the secondary's replication lag and the service's memory.
  EXPECT_EQ(found, (std::map<std::string, int>{{"TFM001", 4}, {"TFM002", 1}, {"TFM003", 3}, {"TFM004", 2}, {"TFM005", 2}, {"TFM006", 2},
                                               {"TFM007", 1}, {"TFM008", 1}, {"TFM009", 2}, {"TFM010", 1}, {"TFM011", 1}}));
  EngineOptions fix;
  fix.fixMode = FixMode::Unsafe;
  auto fixed = runEngine(doc, allRules(), Settings{}, fix);
  ASSERT_TRUE(fixed);
  std::set<std::string> repaired;
  for (const auto& f : fixed->applied) repaired.insert(f.rule);
  EXPECT_EQ(repaired, (std::set<std::string>{"TFM001", "TFM002", "TFM003", "TFM004", "TFM005", "TFM006", "TFM007",
                                             "TFM008", "TFM009", "TFM010", "TFM011"}));
  EXPECT_EQ(describe(fixed->findings), "");
  }
}

/// Each single-failure stack is found by the rule that covers that seed failure.
TEST(GoldenStacks, EachSeedFailureIsFoundByItsRule) {
  // A region without compute (10) has no DNS record either, and TFM010 says so.
  const std::map<std::string, std::set<std::string>> rulesOfFailure = {
      {"failure-01", {"TFM001"}}, {"failure-02", {"TFM001"}}, {"failure-03", {"TFM002"}},
      {"failure-04", {"TFM003"}}, {"failure-05", {"TFM004"}}, {"failure-06", {"TFM005"}},
      {"failure-07", {"TFM006"}}, {"failure-08", {"TFM006"}}, {"failure-09", {"TFM007"}}, {"failure-10", {"TFM008", "TFM010"}},
      {"failure-11", {"TFM009"}}, {"failure-12", {"TFM010"}}, {"failure-13", {"TFM011"}}};
  for (const auto& [stack, rules] : rulesOfFailure) {
    Document doc = test::load(std::string(TFMEND_SOURCE_DIR) + "/golden/payment-migration/stacks/" + stack + "/cdk.tf.json");
    auto out = runEngine(doc, allRules(), Settings{}, EngineOptions{});
    ASSERT_TRUE(out);
    std::set<std::string> found;
    for (const auto& f : out->findings) found.insert(f.rule);
    EXPECT_EQ(found, rules) << stack << ":\n" << describe(out->findings);
  }
}

}  // namespace
}  // namespace tfmend

namespace tfmend {
namespace {

/// TFM001's titles say what a rename does: a KMS alias or an alarm is
/// replaced, an RDS instance is renamed in place but its endpoint moves, and
/// only a Name tag is renamed safely.
TEST(GoldenStacks, RenameTitlesSayWhatTheRenameDoes) {
  Document doc = test::load(std::string(TFMEND_SOURCE_DIR) + "/golden/TFM001-missing-environment-suffix/renames-that-replace/input.tf.json");
  Settings settings;
  settings.envSuffix = "prod";
  const Rule* rules[] = {findRule("TFM001")};
  auto out = runEngine(doc, rules, settings, EngineOptions{});
  ASSERT_TRUE(out);
  std::string titles;
  for (const auto& f : out->findings) {
    ASSERT_TRUE(f.fix);
    titles += f.address + ": " + toString(f.fix->applicability) + (f.fix->forcesReplacement ? ", forces replacement" : "") + ": " +
              f.fix->title + "\n";
  }
  EXPECT_EQ(titles,
            "aws_cloudwatch_metric_alarm.depth: unsafe, forces replacement: rename to \"orders-queue-depth-prod\" (forces replacement of the resource); "
            "also changes aws_cloudwatch_composite_alarm.orders, which named it\n"
            "aws_db_instance.ledger: unsafe: rename to \"ledger-db-prod\" (in place, but its endpoint or ARN changes with the name)\n"
            "aws_kms_alias.orders: unsafe, forces replacement: rename to \"alias/orders-data-prod\" (forces replacement of the resource); "
            "also changes aws_sqs_queue.orders, which named it\n"
            "aws_vpc.main: safe: rename to \"orders-network-prod\"\n");
}

/// TFM008's mirror of the compute layer is what cdktf itself synthesizes for
/// the secondary region of the ideal stack: the same addresses (cdktf's logical
/// ids), the same bodies, the same key order, up to the stack's name in the
/// construct paths.
TEST(GoldenStacks, MirroredRegionIsWhatCdktfSynthesizes) {
  std::string stacks = std::string(TFMEND_SOURCE_DIR) + "/golden/payment-migration/stacks/";
  Document failing = test::load(stacks + "failure-10/cdk.tf.json");
  Document ideal = test::load(stacks + "ideal/cdk.tf.json");
  const Rule* rules[] = {findRule("TFM008")};
  EngineOptions fix;
  fix.fixMode = FixMode::Unsafe;
  auto out = runEngine(failing, rules, Settings{}, fix);
  ASSERT_TRUE(out);
  std::size_t compared = 0;
  for (const auto& [type, byName] : out->fixed["resource"].items()) {
    for (const auto& [name, body] : byName.items()) {
      if (failing.root["resource"].contains(type) && failing.root["resource"][type].contains(name)) continue;
      ASSERT_TRUE(ideal.root["resource"].contains(type) && ideal.root["resource"][type].contains(name)) << type << "." << name;
      Json expected = ideal.root["resource"][type][name];
      std::string path = expected["//"]["metadata"]["path"];
      expected["//"]["metadata"]["path"] = "failure-10" + path.substr(path.find('/'));
      EXPECT_EQ(body.dump(), expected.dump()) << type << "." << name;
      ++compared;
    }
  }
  EXPECT_EQ(compared, 10u);
}

}  // namespace
}  // namespace tfmend
