// The binary end to end: exit codes, stdout and stderr, exactly.
#include <filesystem>
#include <gtest/gtest.h>
#include <sys/stat.h>

#include "test_support.h"

namespace tfmend {
namespace {

using test::runTfmend;

const std::string kClean = "{\n  \"resource\": {\n    \"aws_vpc\": {\n      \"a\": {\n        \"cidr_block\": \"10.0.0.0/16\"\n      }\n    }\n  }\n}";
const std::string kUnusedSuppression =
    "{\n  \"resource\": {\n    \"aws_vpc\": {\n      \"a\": {\n        \"//\": {\n          \"tfmend\": {\n"
    "            \"ignore\": [\n              {\n                \"reason\": \"r\",\n                \"rule\": \"TFM100\"\n"
    "              }\n            ]\n          }\n        },\n        \"cidr_block\": \"10.0.0.0/16\"\n      }\n    }\n  }\n}";

TEST(Cli, Version) {
  auto r = runTfmend({"--version"});
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_EQ(r.out, "tfmend " TFMEND_VERSION "\n");
}

TEST(Cli, HelpOnEverySubcommand) {
  for (std::string sub : {"check", "fix", "rules", "explain"}) {
    auto r = runTfmend({sub, "--help"});
    EXPECT_EQ(r.exitCode, 0) << sub;
    EXPECT_NE(r.out.find("Usage:"), std::string::npos) << sub;
  }
}

TEST(Cli, UsageErrorsExitTwo) {
  auto r = runTfmend({"check", "--format", "xml", "x"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err, "tfmend: error: --format: xml not in {text,json,jsonl,sarif,github,html}\nrun `tfmend --help` for usage\n");
  r = runTfmend({"check", "--select", "NOPE", "x"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err, "tfmend: error: unknown rule selector \"NOPE\" (see `tfmend rules`)\n");
}

TEST(Cli, CleanFileExitsZero) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/cdk.tf.json", kClean);
  auto r = runTfmend({"check", "--isolated", dir + "/cdk.tf.json"});
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_EQ(r.out, "all checks passed\n");
  EXPECT_EQ(r.err, "");
}

TEST(Cli, InvalidJsonIsOneLineExitTwoAndOthersGoOn) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/a/cdk.tf.json", "{\n  \"resource\": {\n}");
  test::writeFile(dir + "/b/cdk.tf.json", kClean);
  auto r = runTfmend({"fix", "--isolated", dir});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err, "error: " + dir + "/a/cdk.tf.json:3:2: invalid JSON: object - unexpected end of input; expected '}'\n");
  EXPECT_EQ(r.out, "fixed 0 findings, 0 remaining, 1 error\n\nfiles: 2 (1 clean, 1 failed)\n  failed: " + dir +
                       "/a/cdk.tf.json:3:2: invalid JSON: object - unexpected end of input; expected '}'\n");
  EXPECT_EQ(test::readFile(dir + "/a/cdk.tf.json"), "{\n  \"resource\": {\n}");
}

TEST(Cli, MissingFileAndWrongShape) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/shape.tf.json", "{\"resource\": {\"aws_vpc\": []}}");
  auto r = runTfmend({"check", "--isolated", "--format", "json", dir + "/none.tf.json", dir + "/shape.tf.json"});
  EXPECT_EQ(r.exitCode, 2);
  Json j = Json::parse(r.out);
  EXPECT_EQ(j["files"][0]["error"], dir + "/none.tf.json: cannot read: No such file or directory");
  EXPECT_EQ(j["files"][1]["error"], dir + "/shape.tf.json: /resource/aws_vpc: expected an object, found an array");
  EXPECT_EQ(j["summary"]["errors"], 2);
}

TEST(Cli, FixDiffWritesNothingAndTheDiffApplies) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/stack/cdk.tf.json", kUnusedSuppression);
  auto r = runTfmend({"fix", "--isolated", "--diff", "stack/cdk.tf.json"}, "", dir);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(test::readFile(dir + "/stack/cdk.tf.json"), kUnusedSuppression);
  EXPECT_EQ(r.err, "would fix 1 finding, 0 remaining\n");
  test::writeFile(dir + "/p.diff", r.out);
  ASSERT_EQ(test::shell("cd " + dir + " && git init -q . && git apply p.diff"), 0) << r.out;
  auto after = runTfmend({"fix", "--isolated", "stack/cdk.tf.json"}, "", dir);
  EXPECT_EQ(after.exitCode, 0);
  EXPECT_EQ(after.out, "fixed 0 findings, 0 remaining\n");
}

TEST(Cli, FixInPlaceKeepsModeAndExitNonZeroOnFix) {
  std::string dir = test::tempDir();
  std::string path = dir + "/cdk.tf.json";
  test::writeFile(path, kUnusedSuppression);
  ::chmod(path.c_str(), 0600);
  auto r = runTfmend({"fix", "--isolated", "--show-fixes", "--exit-non-zero-on-fix", path});
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(r.out, path + ": aws_vpc.a: fixed: remove the unused suppression of TFM100 [TFM100]\nfixed 1 finding, 0 remaining\n");
  // The last suppression takes its "//" with it.
  EXPECT_EQ(test::readFile(path), "{\n  \"resource\": {\n    \"aws_vpc\": {\n      \"a\": {\n"
                                  "        \"cidr_block\": \"10.0.0.0/16\"\n      }\n    }\n  }\n}");
  struct stat st {};
  ::stat(path.c_str(), &st);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
}

TEST(Cli, StdinFixPrintsTheFixedJson) {
  auto r = runTfmend({"fix", "--isolated", "-"}, kUnusedSuppression);
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_EQ(r.out, "{\n  \"resource\": {\n    \"aws_vpc\": {\n      \"a\": {\n        \"cidr_block\": \"10.0.0.0/16\"\n      }\n    }\n  }\n}");
  EXPECT_EQ(r.err, "fixed 1 finding, 0 remaining\n");
}

TEST(Cli, ConfigFileFoundUpwardAndCommandLineWins) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/tfmend.toml", "ignore = [\"TFM100\"]\n");
  test::writeFile(dir + "/sub/cdk.tf.json", kUnusedSuppression);
  auto r = runTfmend({"check", "cdk.tf.json"}, "", dir + "/sub");
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_EQ(r.out, "all checks passed\n");
  r = runTfmend({"check", "--ignore", "TFM101", "cdk.tf.json"}, "", dir + "/sub");
  EXPECT_EQ(r.exitCode, 1);
  test::writeFile(dir + "/tfmend.toml", "colour = true\n");
  r = runTfmend({"check", "cdk.tf.json"}, "", dir + "/sub");
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err, "tfmend: error: " + dir + "/tfmend.toml: unknown option \"colour\" for `tfmend check`\n");
}

TEST(Cli, RulesAndExplain) {
  auto r = runTfmend({"rules"});
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_NE(r.out.find("TFM100  unused-suppression"), std::string::npos);
  r = runTfmend({"explain", "TFM100"});
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_EQ(r.out.rfind("# TFM100 unused-suppression", 0), 0u) << r.out;
  r = runTfmend({"explain", "TFM999"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err, "tfmend: error: unknown rule \"TFM999\" (see `tfmend rules`)\n");
}

TEST(Cli, SarifAndGithubFormats) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/cdk.tf.json", kUnusedSuppression);
  auto r = runTfmend({"check", "--isolated", "--format", "sarif", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(r.exitCode, 1);
  Json s = Json::parse(r.out);
  EXPECT_EQ(s["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["region"]["startLine"], 8);
  r = runTfmend({"check", "--isolated", "--format", "github", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(r.out, "::notice file=cdk.tf.json,line=8,title=TFM100 unused-suppression::aws_vpc.a: suppression of TFM100 matches no finding\n");
}

}  // namespace
}  // namespace tfmend

#include <poll.h>
#include <pty.h>
#include <sys/wait.h>

namespace tfmend {
namespace {

/// Runs tfmend on a pseudo-terminal and returns what the terminal showed.
std::string onTerminal(const std::vector<std::string>& args, bool noColor) {
  int master = -1;
  pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  if (pid == 0) {
    if (noColor) ::setenv("NO_COLOR", "1", 1);
    else ::unsetenv("NO_COLOR");
    std::vector<char*> argv{const_cast<char*>(TFMEND_BINARY)};
    for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execv(TFMEND_BINARY, argv.data());
    ::_exit(127);
  }
  std::string screen;
  char buf[4096];
  while (true) {
    pollfd p{master, POLLIN, 0};
    if (::poll(&p, 1, 2000) <= 0) break;
    ssize_t n = ::read(master, buf, sizeof buf);
    if (n <= 0) break;
    screen.append(buf, static_cast<std::size_t>(n));
  }
  ::waitpid(pid, nullptr, 0);
  ::close(master);
  return screen;
}

TEST(Cli, DiffIsColouredOnATerminalUnlessNoColor) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/cdk.tf.json", kUnusedSuppression);
  std::string coloured = onTerminal({"fix", "--isolated", "--diff", dir + "/cdk.tf.json"}, false);
  EXPECT_NE(coloured.find("\033[31m-"), std::string::npos) << coloured;
  std::string plain = onTerminal({"fix", "--isolated", "--diff", dir + "/cdk.tf.json"}, true);
  EXPECT_EQ(plain.find("\033["), std::string::npos) << plain;
  EXPECT_NE(plain.find("-          \"tfmend\": {"), std::string::npos) << plain;
}

}  // namespace
}  // namespace tfmend

namespace tfmend {
namespace {

TEST(Cli, TheSecretIsNeverPrintedUnlessAsked) {
  std::string stack = std::string(TFMEND_SOURCE_DIR) + "/golden/payment-migration/stacks/failure-03/cdk.tf.json";
  const std::string secret = "ChangeMe12345!";
  for (const char* format : {"text", "json", "jsonl", "sarif", "github", "html"}) {
    auto r = runTfmend({"check", "--isolated", "-v", "--format", format, stack});
    EXPECT_EQ(r.out.find(secret), std::string::npos) << format;
    EXPECT_EQ(r.err.find(secret), std::string::npos) << format;
  }
  auto diff = runTfmend({"fix", "--isolated", "-v", "--unsafe-fixes", "--diff", stack});
  EXPECT_EQ(diff.out.find(secret), std::string::npos);
  EXPECT_EQ(diff.err.find(secret), std::string::npos);
  EXPECT_NE(diff.out.find("\"master_password\": \"********\""), std::string::npos);
  auto shown = runTfmend({"fix", "--isolated", "--unsafe-fixes", "--diff", "--show-secrets", stack});
  EXPECT_NE(shown.out.find("-        \"master_password\": \"ChangeMe12345!\","), std::string::npos);
}

}  // namespace
}  // namespace tfmend
