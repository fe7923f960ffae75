// tfmend.toml through the binary: read strictly, errors with file, line and
// column (exit 2), values checked as on the command line.
#include <gtest/gtest.h>

#include "test_support.h"

namespace tfmend {
namespace {

using test::runTfmend;

const std::string kSuppression =
    "{\n  \"resource\": {\n    \"aws_vpc\": {\n      \"a\": {\n        \"//\": {\n          \"tfmend\": {\n"
    "            \"ignore\": [\n              {\n                \"reason\": \"r\",\n                \"rule\": \"TFM100\"\n"
    "              }\n            ]\n          }\n        },\n        \"cidr_block\": \"10.0.0.0/16\"\n      }\n    }\n  }\n}";

/// Runs `tfmend check` in a folder whose tfmend.toml is `toml`.
test::Run checkWith(const std::string& toml, const std::string& dir = test::tempDir()) {
  test::writeFile(dir + "/tfmend.toml", toml);
  test::writeFile(dir + "/cdk.tf.json", kSuppression);
  return runTfmend({"check", "cdk.tf.json"}, "", dir);
}

/// The error tfmend prints for tfmend.toml in `dir` at `where`.
void expectError(const std::string& toml, const std::string& where, const std::string& message) {
  std::string dir = test::tempDir();
  auto r = checkWith(toml, dir);
  EXPECT_EQ(r.exitCode, 2) << toml;
  EXPECT_EQ(r.err, "tfmend: error: " + dir + "/tfmend.toml:" + where + ": " + message + "\n") << toml;
  EXPECT_EQ(r.out, "") << toml;
}

TEST(Config, InvalidToml) {
  // CLI11's reader took this as select = ["TFM001"] and ran TFM001 to TFM009.
  expectError("select = [TFM001\n", "1:11", "invalid TOML: Error while parsing boolean: expected 'true', saw 'T'");
  expectError("select = [\"TFM001\"\n", "1:20", "invalid TOML: Error while parsing array: encountered end-of-file");
  expectError("env-suffix = \"dev\"\nenv-suffix = \"prod\"\n", "2:14",
              "invalid TOML: Error while parsing key-value pair: cannot redefine existing string 'env-suffix'");
}

TEST(Config, UnknownAndDuplicateKeys) {
  expectError("ignore = [\"TFM100\"]\nselct = [\"TFM001\"]\n", "2:1", "unknown key \"selct\" (did you mean \"select\"?)");
  expectError("[tool.tfmend]\nselect = []\n", "1:2", "unknown key \"tool\"");
  expectError("config = \"other.toml\"\n", "1:1", "unknown key \"config\"");
  expectError("env-suffix = \"dev\"\nenv_suffix = \"prod\"\n", "2:1", "duplicate key \"env_suffix\" (\"env-suffix\" is set at line 1)");
  expectError("output-format = \"json\"\nformat = \"text\"\n", "2:1", "duplicate key \"format\" (\"output-format\" is set at line 1)");
}

TEST(Config, WrongTypes) {
  expectError("env-suffix = 5\n", "1:14", "env-suffix: must be a string, not an integer");
  expectError("select = \"TFM001\"\n", "1:10", "select: must be a list of strings, not a string");
  expectError("select = [\"TFM001\", 3]\n", "1:21", "select: must be a list of strings, not a list with an integer");
  expectError("require-cmk = \"yes\"\n", "1:15", "require-cmk: must be a boolean (true or false), not a string");
  expectError("jobs = 1.5\n", "1:8", "jobs: must be an integer, not a float");
  expectError("memory-threshold-percent = \"80\"\n", "1:28", "memory-threshold-percent: must be a number, not a string");
}

TEST(Config, ValuesAreCheckedAsOnTheCommandLine) {
  for (std::string bad : {"nan", "inf", "-inf", "-5", "0", "100.5"}) {
    expectError("memory-threshold-percent = " + bad + "\n", "1:28",
                "memory-threshold-percent: must be a number greater than 0 and at most 100, not " + bad);
  }
  expectError("replication-latency-threshold-s = 1e400\n", "1:40",
              "invalid TOML: Error while parsing floating-point: '1e400' could not be interpreted as a value");
  expectError("env-suffix = \"-dev\"\n", "1:14",
              "env-suffix: \"-dev\" is not a name fragment: lowercase letters and digits, hyphens only inside, at most 32 "
              "characters (e.g. \"dev\", \"prod-eu\")");
  expectError("phase-variable = \"migration phase\"\n", "1:18",
              "phase-variable: \"migration phase\" is not a Terraform identifier (a letter or _, then letters, digits, _ and -)");
  expectError("fail-on = \"critical\"\n", "1:11", "fail-on: critical not in {low,medium,high}");
  expectError("jobs = 0\n", "1:8", "jobs: Value 0 not in range 1 to 1024");
}

TEST(Config, EveryRunOptionCanBeSetAndTheCommandLineWins) {
  std::string dir = test::tempDir();
  // Keys of other commands (unsafe-fixes is fix's) are accepted and left out.
  auto r = checkWith(
      "select = [\"tfm1\"]\nrequire-cmk = true\nphase-variable = \"phase\"\nunsafe-fixes = true\n"
      "output-format = \"concise\"\nfail-on = \"medium\"\nreplication_lag_threshold_ms = 2000\n",
      dir);
  EXPECT_EQ(r.exitCode, 0) << r.err;  // TFM100 is low
  EXPECT_EQ(r.out,
            "cdk.tf.json:8:15: TFM100 [low] aws_vpc.a: suppression of TFM100 matches no finding\n"
            "found 1 finding in 1 file: 1 fixable with `tfmend fix`\n");
  r = runTfmend({"check", "--fail-on", "low", "--format", "json", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(Json::parse(r.out)["summary"]["findings"], 1);
  r = runTfmend({"fix", "--diff", "cdk.tf.json"}, "", dir);  // the same file serves fix
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(r.err, "would fix 1 finding, 0 remaining\n");
}

TEST(Config, RequireCmkAndPhaseVariableReachTheRules) {
  // TFM003 asks S3 buckets for a customer-managed key only with require-cmk.
  std::string stores = std::string(TFMEND_SOURCE_DIR) + "/golden/TFM003-unencrypted-data-store/other-data-stores/input.tf.json";
  std::string dir = test::tempDir();
  test::writeFile(dir + "/stack/cdk.tf.json", test::readFile(stores));
  auto count = [&](const test::Run& r) { return Json::parse(r.out)["summary"]["findings"].get<int>(); };
  auto plain = runTfmend({"check", "--isolated", "--select", "TFM003", "--format", "json", "stack"}, "", dir);
  test::writeFile(dir + "/tfmend.toml", "require-cmk = true\nselect = [\"TFM003\"]\n");
  auto withCmk = runTfmend({"check", "--format", "json", "stack"}, "", dir);
  EXPECT_LT(count(plain), count(withCmk));
  EXPECT_NE(withCmk.out.find("(require-cmk)"), std::string::npos);
  // TFM011 applies only in a stack that declares the phase variable.
  std::string weights =
      std::string(TFMEND_SOURCE_DIR) + "/golden/TFM011-static-routing-weights/existing-phase-variable-array-form/input.tf.json";
  test::writeFile(dir + "/stack/cdk.tf.json", test::readFile(weights));
  test::writeFile(dir + "/tfmend.toml", "select = [\"TFM011\"]\n");
  EXPECT_EQ(count(runTfmend({"check", "--format", "json", "stack"}, "", dir)), 0);
  test::writeFile(dir + "/tfmend.toml", "select = [\"TFM011\"]\nphase-variable = \"rollout_phase\"\n");
  EXPECT_EQ(count(runTfmend({"check", "--format", "json", "stack"}, "", dir)), 2);
}

TEST(Config, BaselineIsRelativeToTheConfigFile) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/stack/cdk.tf.json", kSuppression);
  auto saved = runTfmend({"check", "--isolated", "--format", "json", "stack/cdk.tf.json"}, "", dir);
  test::writeFile(dir + "/baseline.json", saved.out);
  test::writeFile(dir + "/tfmend.toml", "baseline = \"baseline.json\"\n");
  auto r = runTfmend({"check", "cdk.tf.json"}, "", dir + "/stack");
  // Paths in the baseline are as written where it was made: stack/cdk.tf.json is not cdk.tf.json.
  EXPECT_EQ(r.exitCode, 1);
  r = runTfmend({"check", "stack/cdk.tf.json"}, "", dir);
  EXPECT_EQ(r.exitCode, 0) << r.out << r.err;
  EXPECT_EQ(r.out, "all checks passed; 1 finding in the baseline not shown\n");
}

}  // namespace
}  // namespace tfmend
