#include "tfmend/diff.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace tfmend {
namespace {

TEST(Diff, EqualTextsGiveNothing) { EXPECT_EQ(unifiedDiff("a", "x\n", "x\n"), ""); }

TEST(Diff, HunksWithThreeLinesOfContext) {
  std::string a = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\n";
  std::string b = "1\n2\nthree\n4\n5\n6\n7\n8\n9\n10\n11\n12\n13\n14\n15\nsixteen\n";
  EXPECT_EQ(unifiedDiff("s.tf.json", a, b),
            "--- a/s.tf.json\n+++ b/s.tf.json\n"
            "@@ -1,6 +1,6 @@\n 1\n 2\n-3\n+three\n 4\n 5\n 6\n"
            "@@ -13,3 +13,4 @@\n 13\n 14\n 15\n+sixteen\n");
}

TEST(Diff, MissingNewlineAtEnd) {
  EXPECT_EQ(unifiedDiff("f", "a\nb", "a\nc"),
            "--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n");
}

TEST(Diff, AppliesWithGitApplyAndPatch) {
  std::string dir = test::tempDir();
  std::string before = "{\n  \"a\": 1,\n  \"b\": {\n  }\n}", after = "{\n  \"a\": 1,\n  \"b\": {\n    \"c\": 2\n  },\n  \"d\": 3\n}";
  test::writeFile(dir + "/x/s.tf.json", before);
  test::writeFile(dir + "/p.diff", unifiedDiff("x/s.tf.json", before, after));
  ASSERT_EQ(test::shell("cd " + dir + " && git init -q . && git apply p.diff"), 0);
  EXPECT_EQ(test::readFile(dir + "/x/s.tf.json"), after);
  test::writeFile(dir + "/x/s.tf.json", before);
  ASSERT_EQ(test::shell("cd " + dir + " && patch -s -p1 < p.diff"), 0);
  EXPECT_EQ(test::readFile(dir + "/x/s.tf.json"), after);
}

TEST(Diff, LargeFilesAreDiffedSpanBySpanAndStillApply) {
  // 30,000 lines, with edits spread over the file and repeated lines (as JSON
  // closing brackets are): the anchored path, checked by git apply.
  std::string before, after;
  for (int i = 0; i < 10000; ++i) {
    std::string item = "  \"item" + std::to_string(i) + "\": {\n  },\n";
    before += item + "  x\n";
    if (i % 997 == 0) after += "  \"new" + std::to_string(i) + "\": {\n  },\n";
    if (i % 1499 == 0) continue;  // removed
    after += item + (i % 2003 == 0 ? "  y\n" : "  x\n");
  }
  std::string diff = unifiedDiff("big.txt", before, after);
  int hunks = 0;
  forEachDiffLine(diff, [&](DiffLine kind, const std::string&) { hunks += kind == DiffLine::Hunk; });
  EXPECT_EQ(hunks, 11 + 7 + 4 - 1);  // additions, removals, changes (item 0 is removed); one hunk at item 0
  std::string dir = test::tempDir();
  test::writeFile(dir + "/big.txt", before);
  test::writeFile(dir + "/p.diff", diff);
  ASSERT_EQ(test::shell("cd " + dir + " && git init -q . && git apply p.diff"), 0);
  EXPECT_EQ(test::readFile(dir + "/big.txt"), after);
}

TEST(Diff, AnInsertedBlockSitsAsLowAsItCan) {
  // The new member could be shown as "+  },\n+  \"b\": {" or as "+  \"b\": {\n+  },":
  // the second reads as what happened.
  std::string a = "{\n  \"a\": {\n  },\n  \"c\": 1\n}\n";
  std::string b = "{\n  \"a\": {\n  },\n  \"b\": {\n  },\n  \"c\": 1\n}\n";
  EXPECT_EQ(unifiedDiff("f", a, b), "--- a/f\n+++ b/f\n@@ -1,5 +1,7 @@\n {\n   \"a\": {\n   },\n+  \"b\": {\n+  },\n   \"c\": 1\n }\n");
}

TEST(Diff, RedactsSecretsAsWrittenInJson) {
  EXPECT_EQ(redact("-  \"master_password\": \"Chan\\\"ge\",\n", {"Chan\"ge"}), "-  \"master_password\": \"********\",\n");
}

/// Every spelling of a secret is redacted; a secret that holds another is
/// redacted whole, whichever order the findings gave them in; literals
/// without escapes are copied as they are.
TEST(Diff, RedactsEverySpellingAndTheLongestSecretFirst) {
  std::string text = "+  \"a\": \"x-\\u0053ecret1-y\",\n+  \"b\": \"Secret1Secret1-long\",\n+  \"c\": \"plain \\\\ text\",\n";
  EXPECT_EQ(redact(text, {"Secret1", "Secret1-long", "Secret1", ""}),
            "+  \"a\": \"x-********-y\",\n+  \"b\": \"****************\",\n+  \"c\": \"plain \\\\ text\",\n");
  EXPECT_EQ(redact(text, {}), text);
  EXPECT_EQ(redact("\"unterminated Secret1\n", {"Secret1"}), "\"unterminated ********\n");
}

/// Only the literals that change are rewritten: text before, between and after
/// two escaped secrets is kept byte for byte.
TEST(Diff, RedactionRewritesOnlyTheLiteralsThatHoldASecret) {
  std::string text = "head \"k\\n\" \"\\u0053ecret1\" mid \"no\" \"a-\\u0053ecret1-b\" tail";
  EXPECT_EQ(redact(text, {"Secret1"}), "head \"k\\n\" \"********\" mid \"no\" \"a-********-b\" tail");
  std::string none = "\"k\\n\" \"\\u0041\" \"";
  EXPECT_EQ(redact(none, {"Secret1"}), none);
}

/// Secrets shorter than, as long as and longer than the eight stars, at the
/// text's ends, side by side and many times over: the same text as replacing
/// one occurrence at a time (what redaction did before it replaced them all
/// in one sweep).
TEST(Diff, RedactionReplacesEveryOccurrenceWhateverItsLength) {
  auto oneAtATime = [](std::string text, const std::string& secret) {
    for (auto pos = text.find(secret); pos != std::string::npos; pos = text.find(secret, pos + 8)) {
      text.replace(pos, secret.size(), "********");
    }
    return text;
  };
  for (const std::string secret : {"pw", "Secret_8", "a-much-longer-secret"}) {
    std::string text = secret + secret + " x " + secret + "\n";
    for (int i = 0; i < 300; ++i) text += "line " + std::to_string(i) + (i % 7 == 0 ? " " + secret : "") + "\n";
    text += secret;
    const std::string want = oneAtATime(text, secret);
    EXPECT_EQ(redact(text, {secret}), want) << secret;
    EXPECT_EQ(want.find(secret), std::string::npos);
  }
}

TEST(Diff, Colors) { EXPECT_EQ(colorizeDiff("-a\n+b\n"), "\033[31m-a\033[0m\n\033[32m+b\033[0m\n"); }

}  // namespace
}  // namespace tfmend
