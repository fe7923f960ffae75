// .pre-commit-hooks.yaml, run by the real pre-commit (skipped where it is not
// installed; CI installs Debian's): a project's commit fails on findings, and
// the fix hook fixes and fails until the fixed file is staged.
#include <cstdlib>
#include <filesystem>
#include <gtest/gtest.h>

#include "test_support.h"

namespace tfmend {
namespace {

const std::string kUnusedSuppression =
    "{\n  \"resource\": {\n    \"aws_vpc\": {\n      \"a\": {\n        \"//\": {\n          \"tfmend\": {\n"
    "            \"ignore\": [\n              {\n                \"reason\": \"r\",\n                \"rule\": \"TFM100\"\n"
    "              }\n            ]\n          }\n        },\n        \"cidr_block\": \"10.0.0.0/16\"\n      }\n    }\n  }\n}";

const std::string kGit = "git -c user.name=t -c user.email=t@example.com -c init.defaultBranch=main -c commit.gpgsign=false";

/// Runs a shell command; its exit code, and its output in `output`.
int shellOutput(const std::string& command, std::string& output) {
  std::string file = test::tempDir() + "/out";
  int rc = test::shell(command + " >" + file + " 2>&1");
  output = test::readFile(file);
  return rc;
}

TEST(PreCommit, CheckAndFixHooks) {
  if (test::shell("command -v pre-commit >/dev/null 2>&1") != 0) GTEST_SKIP() << "pre-commit is not installed";
  // The hooks repository: this repository's .pre-commit-hooks.yaml, committed.
  std::string hooks = test::tempDir();
  std::filesystem::copy_file(std::string(TFMEND_SOURCE_DIR) + "/.pre-commit-hooks.yaml", hooks + "/.pre-commit-hooks.yaml");
  ASSERT_EQ(test::shell("cd " + hooks + " && " + kGit + " init -q . && " + kGit + " add . && " + kGit + " commit -qm hooks"), 0);
  std::string rev;
  ASSERT_EQ(shellOutput("cd " + hooks + " && git rev-parse HEAD", rev), 0);
  rev.erase(rev.find_last_not_of("\n") + 1);

  std::string project = test::tempDir();
  test::writeFile(project + "/.pre-commit-config.yaml",
                  "repos:\n  - repo: " + hooks + "\n    rev: " + rev + "\n    hooks:\n      - id: tfmend\n      - id: tfmend-fix\n");
  test::writeFile(project + "/stacks/app/cdk.tf.json", kUnusedSuppression);
  test::writeFile(project + "/notes.json", "{}");
  ASSERT_EQ(test::shell("cd " + project + " && " + kGit + " init -q . && " + kGit + " add ."), 0);
  std::string binDir = std::filesystem::path(TFMEND_BINARY).parent_path().string();
  std::string env = "PATH=" + binDir + ":$PATH PRE_COMMIT_HOME=" + project + "/.cache SKIP= ";

  std::string out;
  int rc = shellOutput("cd " + project + " && " + env + "pre-commit run --hook-stage commit tfmend", out);
  EXPECT_NE(rc, 0) << out;
  EXPECT_NE(out.find("tfmend check"), std::string::npos) << out;
  EXPECT_NE(out.find("Failed"), std::string::npos) << out;
  EXPECT_NE(out.find("stacks/app/cdk.tf.json:8:15: TFM100 [low] aws_vpc.a: suppression of TFM100 matches no finding"),
            std::string::npos)
      << out;

  rc = shellOutput("cd " + project + " && " + env + "pre-commit run --hook-stage commit tfmend-fix", out);
  EXPECT_NE(rc, 0) << out;  // it changed a file
  EXPECT_NE(out.find("files were modified by this hook"), std::string::npos) << out;
  EXPECT_EQ(test::readFile(project + "/stacks/app/cdk.tf.json").find("tfmend"), std::string::npos);

  // Staged, the fixed file passes both hooks.
  ASSERT_EQ(test::shell("cd " + project + " && " + kGit + " add ."), 0);
  rc = shellOutput("cd " + project + " && " + env + "pre-commit run --hook-stage commit", out);
  EXPECT_EQ(rc, 0) << out;
  EXPECT_NE(out.find("tfmend check"), std::string::npos) << out;
  EXPECT_NE(out.find("Passed"), std::string::npos) << out;
}

}  // namespace
}  // namespace tfmend
