#include "tfmend/fix_edits.h"

#include <gtest/gtest.h>

namespace tfmend {
namespace {

TEST(FixEdits, ReplacedInsertedAndDeletedLines) {
  auto e = textEdits("a\nb\nc\n", "a\nB\nc\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(std::tie(e[0].startLine, e[0].startColumn, e[0].endLine, e[0].endColumn), std::make_tuple(2, 1, 3, 1));
  EXPECT_EQ(e[0].inserted, "B\n");
  e = textEdits("a\nc\n", "a\nb1\nb2\nc\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(std::tie(e[0].startLine, e[0].startColumn, e[0].endLine, e[0].endColumn), std::make_tuple(2, 1, 2, 1));
  EXPECT_EQ(e[0].inserted, "b1\nb2\n");
  e = textEdits("a\nb\nc\nd\n", "a\nd\n");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(std::tie(e[0].startLine, e[0].endLine), std::make_tuple(2, 4));
  EXPECT_EQ(e[0].inserted, "");
  EXPECT_TRUE(textEdits("same", "same").empty());
}

TEST(FixEdits, TwoRunsAndALastLineWithoutNewline) {
  auto e = textEdits("{\n  \"a\": 1,\n  \"b\": 2,\n  \"c\": 3\n}", "{\n  \"a\": 9,\n  \"b\": 2,\n  \"c\": 3,\n  \"d\": 4\n}");
  ASSERT_EQ(e.size(), 2u);
  EXPECT_EQ(std::tie(e[0].startLine, e[0].endLine), std::make_tuple(2, 3));
  EXPECT_EQ(e[0].inserted, "  \"a\": 9,\n");
  EXPECT_EQ(std::tie(e[1].startLine, e[1].endLine), std::make_tuple(4, 5));
  EXPECT_EQ(e[1].inserted, "  \"c\": 3,\n  \"d\": 4\n");
  // The last line changes and has no newline: the region ends at its end.
  e = textEdits("a\nb", "a\nc");
  ASSERT_EQ(e.size(), 1u);
  EXPECT_EQ(std::tie(e[0].startLine, e[0].startColumn, e[0].endLine, e[0].endColumn), std::make_tuple(2, 1, 2, 2));
  EXPECT_EQ(e[0].inserted, "c");
}

}  // namespace
}  // namespace tfmend
