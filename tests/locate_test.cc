#include "tfmend/locate.h"

#include <gtest/gtest.h>

namespace tfmend {
namespace {

using P = std::vector<TextPosition>;

TEST(Locate, KeysAndElementsInCdktfLayout) {
  std::string text = "{\n  \"a\": {\n    \"b\": [\n      1,\n      2\n    ]\n  }\n}";
  EXPECT_EQ(locate(text, {"/a", "/a/b", "/a/b/1", ""}), (P{{2, 3}, {3, 5}, {5, 7}, {1, 1}}));
}

TEST(Locate, AnyLayout) {
  // One line, odd spacing, CRLF: positions are those of the text itself.
  EXPECT_EQ(locate("{\"x\":1, \"y\" :{ \"z\":[true,  {\"w\":null}]}}", {"/y/z/1/w", "/y/z/1", "/x"}),
            (P{{1, 29}, {1, 28}, {1, 2}}));
  EXPECT_EQ(locate("{\r\n\t\"a\": 1,\r\n\t\"b\": 2\r\n}", {"/b"}), (P{{3, 2}}));
  EXPECT_EQ(locate("  [0, 1]", {""}), (P{{1, 3}}));
}

TEST(Locate, MissingPointersGoToTheirDeepestAncestor) {
  std::string text = "{\n  \"a\": {\n    \"b\": 1\n  }\n}";
  EXPECT_EQ(locate(text, {"/a/nope/deeper", "/nope", "/a/b/0", "not-a-pointer"}), (P{{2, 3}, {1, 1}, {3, 5}, {1, 1}}));
}

TEST(Locate, EscapedKeysAndTokens) {
  // Keys with escapes (as JSON writes them) and pointer tokens with ~0 and ~1.
  std::string text = "{\"a/b\": {\"t~\": 1}, \"\\u00e9\\n\": 2, \"\\ud83d\\ude00\": 3, \"q\\\"\": {\"r\": \"}]\\\"\"}, \"s\": 4}";
  EXPECT_EQ(locate(text, {"/a~1b/t~0", "/\xc3\xa9\n", "/\xf0\x9f\x98\x80", "/s"}), (P{{1, 10}, {1, 20}, {1, 35}, {1, 76}}));
}

TEST(Locate, SkipsWhatNoPointerEnters) {
  // Strings holding brackets, quotes and backslashes in skipped values do not confuse the walk.
  std::string text = "{\"skip\": {\"x\": \"{[\\\\\", \"y\": [\"]\", {\"z\": \"\\\"}\"}]}, \"k\": [1, 2, [3]], \"want\": 5}";
  EXPECT_EQ(locate(text, {"/want", "/k/2/0"}), (P{{1, 69}, {1, 64}}));
}

TEST(Locate, TruncatedTextDoesNotReadPastItsEnd) {
  // Not valid JSON, so never given by the runner; must still stay in bounds.
  for (std::string text : {"{\"a\": {\"b\": \"unterminated", "{\"a\": [1, ", "{\"a\\", "[", "{\"a\": \"\\u12"}) {
    auto at = locate(text, {"/a/b", "/a/1", "/a"});
    EXPECT_EQ(at.size(), 3u) << text;
  }
}

}  // namespace
}  // namespace tfmend
