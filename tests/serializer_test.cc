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
}

}  // namespace
}  // namespace tfmend
