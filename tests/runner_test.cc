#include "runner.h"

#include <atomic>
#include <gtest/gtest.h>
#include <filesystem>
#include <set>

#include "test_support.h"
#include "tfmend/diff.h"
#include "tfmend/engine.h"
#include "tfmend/memory.h"
#include "tfmend/registry.h"

namespace tfmend {
namespace {

TEST(Runner, OutputPathStaysInsideTheFolder) {
  EXPECT_EQ(*outputPathFor("out", "stacks/a/cdk.tf.json"), "out/stacks/a/cdk.tf.json");
  EXPECT_EQ(*outputPathFor("out", "/abs/a/cdk.tf.json"), "out/abs/a/cdk.tf.json");
  EXPECT_EQ(*outputPathFor("out", "a/../b/cdk.tf.json"), "out/b/cdk.tf.json");
  auto bad = outputPathFor("out", "../elsewhere/cdk.tf.json");
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "../elsewhere/cdk.tf.json: cannot write under --output-dir: the path leaves the folder");
}

TEST(Runner, OutputPathDoesNotFollowALinkOutOfTheFolder) {
  std::string dir = test::tempDir(), elsewhere = test::tempDir();
  std::filesystem::create_directories(dir + "/out");
  std::filesystem::create_directory_symlink(elsewhere, dir + "/out/stacks");
  std::filesystem::create_symlink(elsewhere + "/x.tf.json", dir + "/out/file.tf.json");
  auto viaFolder = outputPathFor(dir + "/out", "stacks/a/cdk.tf.json");
  ASSERT_FALSE(viaFolder);
  EXPECT_EQ(viaFolder.error().message, "stacks/a/cdk.tf.json: cannot write under --output-dir: a symbolic link leads outside the folder");
  auto viaFile = outputPathFor(dir + "/out", "file.tf.json");
  ASSERT_FALSE(viaFile);
  EXPECT_EQ(viaFile.error().message, "file.tf.json: cannot write under --output-dir: a symbolic link leads outside the folder");
  std::filesystem::create_directories(dir + "/out/inside");
  std::filesystem::create_directory_symlink(dir + "/out/inside", dir + "/out/alias");
  EXPECT_EQ(*outputPathFor(dir + "/out", "alias/cdk.tf.json"), dir + "/out/alias/cdk.tf.json");  // a link within is fine
}

TEST(Runner, ShardsPartitionTheInputs) {
  std::vector<InputPath> inputs;
  for (int i = 0; i < 200; ++i) inputs.push_back({"stacks/" + std::to_string(i) + "/cdk.tf.json", ""});
  std::set<std::string> seen;
  std::size_t total = 0;
  for (int k = 1; k <= 3; ++k) {
    auto part = shard(inputs, k, 3);
    EXPECT_GT(part.size(), 40u);  // roughly a third each
    total += part.size();
    for (const auto& p : part) seen.insert(p.path);
    EXPECT_EQ(shard(inputs, k, 3).size(), part.size());  // deterministic
  }
  EXPECT_EQ(total, inputs.size());
  EXPECT_EQ(seen.size(), inputs.size());
}

TEST(Runner, ResultsComeBackInInputOrderWhateverTheJobs) {
  std::vector<InputPath> inputs;
  for (const auto& p : test::goldenStacks()) inputs.push_back({p, ""});
  inputs.push_back({"/nonexistent/cdk.tf.json", ""});
  RunConfig config;
  config.rules = {allRules().begin(), allRules().end()};
  auto collect = [&](int jobs) {
    std::vector<std::string> out;
    std::atomic<int> prepared{0};
    processAll(
        inputs, config, jobs,
        [&](std::size_t i, FileResult& r) {
          out.push_back(std::to_string(i) + " " + r.report.path + " " + toString(r.report.status) + " " +
                        std::to_string(r.report.findings.size()) + " " + r.stdoutText);
        },
        // Each file is prepared once, before it is handed back.
        [&](std::size_t i, FileResult& r) {
          ++prepared;
          r.stdoutText += "prepared " + std::to_string(i);
        });
    EXPECT_EQ(prepared, static_cast<int>(inputs.size()));
    return out;
  };
  auto one = collect(1);
  EXPECT_EQ(one.size(), inputs.size());
  EXPECT_EQ(collect(4), one);
  EXPECT_EQ(one.back(), std::to_string(inputs.size() - 1) + " /nonexistent/cdk.tf.json failed 0 prepared " +
                            std::to_string(inputs.size() - 1));
}

/// A stack of `vpcs` VPCs without a Name tag (TST001 fixes each), in cdktf's layout.
std::string vpcStack(int vpcs) {
  Json byName = Json::object();
  for (int i = 0; i < vpcs; ++i) byName["vpc_" + std::to_string(i)] = Json{{"cidr_block", "10.0.0.0/16"}, {"tags", {{"Env", "dev"}}}};
  return serialize(Json{{"resource", {{"aws_vpc", byName}}}}, JsonStyle{});
}

/// A file large enough to let its text go while it is fixed (and to give
/// memory back between phases) is fixed, diffed and written as it would be
/// with its text kept.
TEST(Runner, ALargeFileIsFixedAsIfItKeptItsText) {
  const std::string text = vpcStack(12000);
  ASSERT_GE(text.size(), memory::kGiveBackFrom);
  const std::vector<const Rule*> rules = {&test::missingNameTagRule()};
  EngineOptions safe;
  safe.fixMode = FixMode::Safe;
  auto parsed = parseDocument("stack.tf.json", text);
  ASSERT_TRUE(parsed);
  auto expected = runEngine(*parsed, rules, Settings{}, safe);
  ASSERT_TRUE(expected && expected->changed);
  const std::string dir = test::tempDir(), path = dir + "/cdk.tf.json";
  RunConfig config;
  config.rules = rules;
  config.fixMode = FixMode::Safe;
  config.fixing = true;
  config.diffOnly = true;
  test::writeFile(path, text);
  FileResult diffed = processFile({path, ""}, config);
  EXPECT_EQ(diffed.report.error, "");
  EXPECT_EQ(diffed.report.fixed.size(), 12000u);
  EXPECT_EQ(diffed.report.diff, unifiedDiff(path, text, expected->fixedText));
  EXPECT_EQ(test::readFile(path), text);
  config.diffOnly = false;
  FileResult written = processFile({path, ""}, config);
  EXPECT_EQ(written.report.error, "");
  EXPECT_EQ(written.report.status, FileStatus::Fixed);
  EXPECT_EQ(test::readFile(path), expected->fixedText);
}

/// `text` with its first CIDR changed: as long, so that only the bytes tell.
std::string sameSizeChange(std::string text) {
  return text.replace(text.find("10.0.0.0"), 8, "10.9.9.9");
}

/// What another program wrote to the file while a large file's text was let
/// go is not overwritten, nor diffed against: the file fails, untouched.
TEST(Runner, ALargeFileThatChangesWhileItIsFixedIsLeftAlone) {
  static std::string changing;
  static const Rule writer{"TST007", "writes-the-file", Severity::Low, "appends to the file being fixed, once", "none",
                           [](const RuleContext&) -> std::vector<Finding> {
                             if (!changing.empty()) test::writeFile(changing, sameSizeChange(test::readFile(changing)));
                             changing.clear();
                             return {};
                           }};
  const std::string text = vpcStack(12000);
  const std::string dir = test::tempDir(), path = dir + "/cdk.tf.json";
  RunConfig config;
  config.rules = {&test::missingNameTagRule(), &writer};
  config.fixMode = FixMode::Safe;
  config.fixing = true;
  for (bool diffOnly : {true, false}) {
    config.diffOnly = diffOnly;
    test::writeFile(path, text);
    changing = path;
    FileResult r = processFile({path, ""}, config);
    EXPECT_EQ(r.report.status, FileStatus::Failed) << diffOnly;
    EXPECT_EQ(r.report.error, path + ": the file changed while tfmend ran; nothing written");
    EXPECT_EQ(r.report.diff, "");
    EXPECT_EQ(test::readFile(path), sameSizeChange(text));
  }
}

}  // namespace
}  // namespace tfmend
