// `tfmend completion bash`, run in bash as bash completion runs it.
#include <gtest/gtest.h>

#include "test_support.h"

namespace tfmend {
namespace {

/// What bash completes for the words of `line` (the last one being completed).
std::string complete(const std::string& script, const std::string& line, const std::string& cwd) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/completion.bash", script);
  test::writeFile(dir + "/run.sh",
                  "source " + dir + "/completion.bash\n"
                  "COMP_WORDS=(" + line + ")\n"
                  "COMP_CWORD=$((${#COMP_WORDS[@]} - 1))\n"
                  "[[ \"" + line + "\" == *' ' ]] && { COMP_WORDS+=(''); COMP_CWORD=${#COMP_WORDS[@]}; COMP_CWORD=$((COMP_CWORD - 1)); }\n"
                  "_tfmend\n"
                  "printf '%s\\n' \"${COMPREPLY[@]}\" | sort > " + dir + "/out\n");
  EXPECT_EQ(test::shell("cd " + cwd + " && bash " + dir + "/run.sh"), 0);
  return test::readFile(dir + "/out");
}

TEST(Completion, CommandsOptionsValuesAndFiles) {
  auto r = test::runTfmend({"completion", "bash"});
  ASSERT_EQ(r.exitCode, 0);
  EXPECT_EQ(r.out.rfind("# bash completion for tfmend", 0), 0u);
  std::string dir = test::tempDir();
  test::writeFile(dir + "/stack.tf.json", "{}");
  EXPECT_EQ(complete(r.out, "tfmend ch", dir), "check\n");
  EXPECT_EQ(complete(r.out, "tfmend check --se", dir), "--select\n");
  EXPECT_EQ(complete(r.out, "tfmend fix --unsafe", dir), "--unsafe-fixes\n");
  EXPECT_EQ(complete(r.out, "tfmend me", dir), "merge\n");
  EXPECT_EQ(complete(r.out, "tfmend merge --out", dir), "--output\n--output-format\n");
  EXPECT_EQ(complete(r.out, "tfmend check --format s", dir), "sarif\n");
  EXPECT_EQ(complete(r.out, "tfmend check --fail-on h", dir), "high\n");
  EXPECT_EQ(complete(r.out, "tfmend check --select TFM001,TFM00", dir),
            "TFM001,TFM001\nTFM001,TFM002\nTFM001,TFM003\nTFM001,TFM004\nTFM001,TFM005\nTFM001,TFM006\nTFM001,TFM007\n"
            "TFM001,TFM008\nTFM001,TFM009\n");
  EXPECT_EQ(complete(r.out, "tfmend explain unencrypted", dir), "unencrypted-data-store\n");
  EXPECT_EQ(complete(r.out, "tfmend check st", dir), "stack.tf.json\n");
  auto bad = test::runTfmend({"completion", "fish"});
  EXPECT_EQ(bad.exitCode, 2);
  EXPECT_EQ(bad.err, "tfmend: error: shell: fish not in {bash}\nrun `tfmend completion --help` for usage\n");
}

}  // namespace
}  // namespace tfmend
