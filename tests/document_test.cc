#include "tfmend/document.h"

#include <gtest/gtest.h>

#include "test_support.h"

namespace tfmend {
namespace {

TEST(Document, EveryGoldenStackRoundTripsByteForByte) {
  auto stacks = test::goldenStacks();
  ASSERT_GE(stacks.size(), 15u);
  for (const auto& path : stacks) {
    Document doc = test::load(path);
    EXPECT_TRUE(doc.roundTrips) << path;
    EXPECT_EQ(serialize(doc.root, doc.style), doc.text) << path;
    EXPECT_EQ(doc.style.indent, "  ");
    EXPECT_TRUE(doc.style.brokenEmptyContainers) << path;
    EXPECT_FALSE(doc.style.trailingNewline) << path;
  }
}

TEST(Document, InvalidJsonNamesFileLineAndColumn) {
  auto doc = parseDocument("stack.tf.json", "{\n  \"resource\": {\n    \"aws_vpc\": ,\n  }\n}\n");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().message,
            "stack.tf.json:3:16: invalid JSON: value - unexpected ','; expected '[', '{', or a literal");
}

TEST(Document, EmptyFileIsAnError) {
  auto doc = parseDocument("empty.tf.json", "  \n");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().message, "empty.tf.json:1:1: invalid JSON: the file is empty");
}

TEST(Document, TruncatedFileIsAnError) {
  auto doc = parseDocument("cut.tf.json", "{\"a\": [1, 2");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().message, "cut.tf.json:1:12: invalid JSON: array - unexpected end of input; expected ']'");
}

TEST(Document, KeepsOtherLayouts) {
  for (std::string text : {std::string("{\"b\":1,\"a\":[1,{}]}"), std::string("{\n\t\"b\": 1,\n\t\"a\": []\n}\n"),
                           std::string("{\n    \"z\": {},\n    \"a\": \"\\u0001\\t\u00e9\"\n}\n")}) {
    auto doc = parseDocument("x.tf.json", text);
    ASSERT_TRUE(doc);
    EXPECT_TRUE(doc->roundTrips) << text;
  }
}

TEST(Document, JavaScriptNumberFormat) {
  auto doc = parseDocument("x", "{\"a\": 0.5, \"b\": 60, \"c\": -3, \"d\": 1.25e-7}");
  ASSERT_TRUE(doc);
  JsonStyle compact;
  compact.indent.clear();
  EXPECT_EQ(serialize(doc->root, compact), "{\"a\":0.5,\"b\":60,\"c\":-3,\"d\":1.25e-07}");
}

TEST(Document, LinesOfPointers) {
  auto doc = parseDocument("x", "{\n  \"a\": {\n    \"b\": [\n      1,\n      2\n    ]\n  }\n}");
  ASSERT_TRUE(doc);
  EXPECT_EQ(linesOf(doc->root, doc->style, {"/a", "/a/b", "/a/b/1", "/nope"}), (std::vector<int>{2, 3, 5, 1}));
}

}  // namespace
}  // namespace tfmend
