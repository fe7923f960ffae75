#include "tfmend/patch.h"

#include <gtest/gtest.h>

#include "tfmend/finding.h"

namespace tfmend {
namespace {

TEST(Patch, AddGoesToItsSortedPlace) {
  Json doc = Json::parse(R"({"//": 1, "b": 2, "d": 4})");
  ASSERT_TRUE(applyPatch(doc, Json::array({opAdd("/c", 3), opAdd("/a", 0), opAdd("/e", 5)})));
  EXPECT_EQ(doc.dump(), R"({"//":1,"a":0,"b":2,"c":3,"d":4,"e":5})");
}

TEST(Patch, AddToUnsortedObjectAppends) {
  Json doc = Json::parse(R"({"z": 1, "a": 2})");
  ASSERT_TRUE(applyPatch(doc, Json::array({opAdd("/m", 3)})));
  EXPECT_EQ(doc.dump(), R"({"z":1,"a":2,"m":3})");
}

TEST(Patch, AllOrNothing) {
  Json doc = Json::parse(R"({"a": {"x": 1, "y": [1, 2]}, "b": 2})");
  Json before = doc;
  auto s = applyPatch(doc, Json::array({opAdd("/a/w", 0), opRemove("/a/x"), opReplace("/a/y/0", 9), opRemove("/b"),
                                        opReplace("/missing/key", 1)}));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message, "no value at /missing");
  EXPECT_EQ(doc.dump(), before.dump());  // order too
}

TEST(Patch, TestOperationGuards) {
  Json doc = Json::parse(R"({"a": [1, 2, 3]})");
  auto s = applyPatch(doc, Json::array({opTest("/a/1", 5), opRemove("/a/1")}));
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message, "test failed at /a/1");
  ASSERT_TRUE(applyPatch(doc, Json::array({opTest("/a/1", 2), opRemove("/a/1"), opAdd("/a/-", 4), opAdd("/a/0", 0)})));
  EXPECT_EQ(doc.dump(), R"({"a":[0,1,3,4]})");
}

TEST(Patch, Errors) {
  Json doc = Json::parse(R"({"a": [1]})");
  EXPECT_EQ(applyPatch(doc, Json::array({opAdd("/a/5", 1)})).error().message, "index 5 is out of range at /a/5");
  EXPECT_EQ(applyPatch(doc, Json::array({opAdd("/a/0/x", 1)})).error().message, "cannot add to a scalar at /a/0/x");
  EXPECT_EQ(applyPatch(doc, Json::array({Json{{"op", "move"}, {"path", "/a"}}})).error().message,
            "unsupported patch operation \"move\"");
  EXPECT_EQ(applyPatch(doc, Json::array({opAdd("a", 1)})).error().message, "invalid pointer \"a\"");
}

}  // namespace
}  // namespace tfmend
