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
    EXPECT_TRUE(roundTrips(doc)) << path;
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
    EXPECT_TRUE(roundTrips(*doc)) << text;
  }
}

TEST(Document, JavaScriptNumberFormat) {
  auto doc = parseDocument("x", "{\"a\": 0.5, \"b\": 60, \"c\": -3, \"d\": 1.25e-7}");
  ASSERT_TRUE(doc);
  JsonStyle compact;
  compact.indent.clear();
  EXPECT_EQ(serialize(doc->root, compact), "{\"a\":0.5,\"b\":60,\"c\":-3,\"d\":1.25e-07}");
}

}  // namespace
}  // namespace tfmend

namespace tfmend {
namespace {

TEST(Document, DuplicateKeyIsRefusedWithTheLineOfTheSecond) {
  auto doc = parseDocument("dup.tf.json",
                           "{\n  \"resource\": {\n    \"aws_vpc\": {}\n  },\n  \"resource\": {\n    \"aws_subnet\": {}\n  }\n}\n");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().message, "dup.tf.json:5:3: duplicate key \"resource\"");
}

TEST(Document, DuplicateKeyInALargeObjectAndUnderAnotherSpelling) {
  std::string text = "{";
  for (int i = 0; i < 100; ++i) text += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ",\n";
  auto doc = parseDocument("big.tf.json", text + "\"\\u006b7\": 0}");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().message, "big.tf.json:101:1: duplicate key \"k7\"");
  auto quoted = parseDocument("q.tf.json", "{\"a\\\"\\\\\": 1, \"a\\\"\\\\\": 2}");
  ASSERT_FALSE(quoted);
  EXPECT_EQ(quoted.error().message, "q.tf.json:1:14: duplicate key \"a\\\"\\\\\"");
}

TEST(Document, UntouchedNumbersKeepTheirSpelling) {
  std::string text =
      "{\n  \"big\": 123456789012345678901234567890,\n  \"tiny\": 1e-400,\n  \"one\": 1.0,\n  \"e\": 1.25e-7,\n"
      "  \"minus_zero\": -0,\n  \"exp\": 1E2,\n  \"plain\": 0.5,\n  \"again\": 1.0\n}\n";
  auto doc = parseDocument("n.tf.json", text);
  ASSERT_TRUE(doc);
  EXPECT_TRUE(roundTrips(*doc));
  EXPECT_EQ(serialize(doc->root, doc->style), text);
  // A number a fix wrote is written as tfmend writes numbers.
  Json changed = doc->root;
  changed["one"] = 2.5;
  changed["added"] = 1.0;
  std::string out = serialize(changed, doc->style);
  EXPECT_NE(out.find("\"one\": 2.5,"), std::string::npos) << out;
  EXPECT_NE(out.find("\"big\": 123456789012345678901234567890,"), std::string::npos) << out;
  EXPECT_NE(out.find("\"again\": 1.0,"), std::string::npos) << out;
  EXPECT_NE(out.find("\"added\": 1.0\n"), std::string::npos) << "same value, so one of its spellings: " << out;
}

TEST(Document, NumberBeyondADoubleIsAClearError) {
  auto doc = parseDocument("n.tf.json", "{\n  \"threshold\": 1e400\n}\n");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().message, "n.tf.json:2:16: number out of range (its magnitude exceeds 1.8e308)");
  auto negative = parseDocument("n.tf.json", "[-1e400]");
  ASSERT_FALSE(negative);
  EXPECT_EQ(negative.error().message, "n.tf.json:1:2: number out of range (its magnitude exceeds 1.8e308)");
}

TEST(Document, NestingLimit) {
  std::size_t limit = kMaxNestingDepth;
  EXPECT_TRUE(parseDocument("ok.tf.json", std::string(limit, '[') + std::string(limit, ']')));
  auto deep = parseDocument("deep.tf.json", std::string(limit + 1, '[') + std::string(limit + 1, ']'));
  ASSERT_FALSE(deep);
  EXPECT_EQ(deep.error().message, "deep.tf.json:1:1001: nested deeper than 1000 levels");
  auto deeper = parseDocument("deeper.tf.json", std::string(1000000, '['));
  ASSERT_FALSE(deeper);
  EXPECT_EQ(deeper.error().message, "deeper.tf.json:1:1001: nested deeper than 1000 levels");
}

TEST(Document, ParseErrorsNeverQuoteTheInput) {
  auto escape = parseDocument("s.tf.json", "{\"password\": \"ChangeMe12345!\\q\"}");
  ASSERT_FALSE(escape);
  EXPECT_EQ(escape.error().message,
            "s.tf.json:1:30: invalid JSON: value - invalid string: forbidden character after backslash");
  auto unterminated = parseDocument("u.tf.json", "{\"password\": \"ChangeMe12345!" + std::string(1 << 20, 'x'));
  ASSERT_FALSE(unterminated);
  EXPECT_EQ(unterminated.error().message, "u.tf.json:1:1048605: invalid JSON: value - invalid string: missing closing quote");
  auto utf8 = parseDocument("b.tf.json", "{\"password\": \"Change\xFFMe\"}");
  ASSERT_FALSE(utf8);
  EXPECT_EQ(utf8.error().message, "b.tf.json:1:21: invalid JSON: value - invalid string: ill-formed UTF-8 byte");
}

TEST(Document, ErrorsShowAnUnprintableFileNameAsOneLine) {
  auto doc = parseDocument("a\nb\xFF.tf.json", "{");
  ASSERT_FALSE(doc);
  EXPECT_EQ(doc.error().message, "a?b\xEF\xBF\xBD.tf.json:1:2: invalid JSON: object key - unexpected end of input; expected string literal");
}

}  // namespace
}  // namespace tfmend

namespace tfmend {
namespace {

/// checkParses reads back what tfmend wrote without building a tree: it must
/// refuse exactly what parseDocument refuses, with the same message.
TEST(Document, CheckParsesRefusesWhatParseDocumentRefusesWithTheSameMessage) {
  std::string keys = "{";
  for (int i = 0; i < 100; ++i) keys += "\"k" + std::to_string(i) + "\": " + std::to_string(i) + ",\n";
  const std::vector<std::string> bad = {
      "",
      "  \n",
      "{\"a\": 1,}",
      "{\n  \"resource\": {\n    \"aws_vpc\": {}\n  },\n  \"resource\": {}\n}\n",
      keys + "\"\\u006b7\": 0}",
      "{\"a\": {\"b\": 1, \"b\": 2}}",
      "[{\"x\": 1}, {\"x\": 1, \"x\": 2}]",
      "{\"t\": 1e400}",
      std::string(kMaxNestingDepth + 1, '[') + std::string(kMaxNestingDepth + 1, ']'),
      std::string("{\"a\": \"x\0y\"}", 12),
      "{\"password\": \"Change\xFFMe\"}",
  };
  for (const std::string& text : bad) {
    auto parsed = parseDocument("f.tf.json", text);
    ASSERT_FALSE(parsed) << text.substr(0, 80);
    auto checked = checkParses("f.tf.json", text);
    ASSERT_FALSE(checked) << text.substr(0, 80);
    EXPECT_EQ(checked.error().message, parsed.error().message);
  }
  // Keys repeat freely across objects and arrays; only a repeat within one object is refused.
  for (const std::string& text : {std::string("{\"a\": {\"a\": {\"a\": 1}}, \"b\": [{\"a\": 1}, {\"a\": 2}]}"),
                                  std::string(kMaxNestingDepth, '[') + std::string(kMaxNestingDepth, ']'), keys + "\"k100\": 0}"}) {
    EXPECT_TRUE(parseDocument("f.tf.json", text));
    EXPECT_TRUE(checkParses("f.tf.json", text)) << text.substr(0, 80);
  }
}

}  // namespace
}  // namespace tfmend
