#include <gtest/gtest.h>

#include "tfmend/document.h"

namespace tfmend {
namespace {

TEST(Serializer, CdktfLayoutForEmptyContainers) {
  JsonStyle style;
  style.brokenEmptyContainers = true;
  Json v = Json::parse(R"({"a": {}, "b": [], "c": {"d": []}})");
  EXPECT_EQ(serialize(v, style), "{\n  \"a\": {\n  },\n  \"b\": [\n  ],\n  \"c\": {\n    \"d\": [\n    ]\n  }\n}");
}

TEST(Serializer, EscapesLikeJavaScript) {
  JsonStyle compact;
  compact.indent.clear();
  EXPECT_EQ(serialize(Json("a\"b\\c\nd\x1f/\u00e9"), compact), "\"a\\\"b\\\\c\\nd\\u001f/\u00e9\"");
}

TEST(Serializer, DetectStyle) {
  EXPECT_EQ(detectStyle("{\"a\":1}").indent, "");
  EXPECT_EQ(detectStyle("{\n    \"a\": 1\n}\n").indent, "    ");
  EXPECT_TRUE(detectStyle("{\n    \"a\": 1\n}\n").trailingNewline);
  EXPECT_FALSE(detectStyle("{\n  \"a\": {}\n}").brokenEmptyContainers);
  EXPECT_TRUE(detectStyle("{\n  \"a\": {\n  }\n}").brokenEmptyContainers);
  EXPECT_TRUE(detectStyle("[\n]").brokenEmptyContainers);
  EXPECT_TRUE(detectStyle("{\"a\": [\n\t\t]}").brokenEmptyContainers);
  EXPECT_FALSE(detectStyle("{\n  \"a\": [\n    1\n  ]\n}\n").brokenEmptyContainers);
  EXPECT_FALSE(detectStyle("").brokenEmptyContainers);
}

}  // namespace
}  // namespace tfmend

namespace tfmend {
namespace {

/// serialize() measures a text of unknown or large size before writing it, so
/// it is built in one allocation of its size: no doubling buffer holding old
/// and new at once.
TEST(Serializer, BuildsTheTextInOneAllocationOfItsSize) {
  auto doc = parseDocument("s.tf.json",
                           "{\n  \"a\": \"tab\\there \\\"quoted\\\" \\u0001 \\u00e9\",\n  \"n\": [1, -0, 1.0, 2.5, 1e-400, 12345678901234567890],\n"
                           "  \"e\": {\n  },\n  \"l\": [\n  ],\n  \"t\": true,\n  \"z\": null\n}\n");
  ASSERT_TRUE(doc) << doc.error().message;
  Json big = doc->root;
  for (int i = 0; i < 2000; ++i) big["k" + std::to_string(i)] = doc->root;
  for (const JsonStyle& style : {doc->style, JsonStyle{}, JsonStyle{"", false, false, nullptr}, JsonStyle{"\t", true, true, nullptr}}) {
    std::string text = serialize(big, style);
    EXPECT_LE(text.capacity(), text.size() + 1) << "indent \"" << style.indent << "\"";
    // Expected to be large: measured too. Expected to be small: the same text, grown as written.
    EXPECT_LE(serialize(big, style, 4 << 20).capacity(), text.size() + 1);
    EXPECT_EQ(serialize(big, style, 100), text);
  }
}

}  // namespace
}  // namespace tfmend
