// The project's JSON type (include/tfmend/json.h): key order kept, large
// objects indexed, and the UTF-8 helpers every report relies on.
#include "tfmend/json.h"

#include <map>
#include <random>
#include <gtest/gtest.h>

namespace tfmend {
namespace {

Json manyKeys(int n) {
  Json j = Json::object();
  for (int i = 0; i < n; ++i) j["k" + std::to_string(i)] = i;
  return j;
}

TEST(Json, LargeObjectsKeepOrderAndFindEveryKey) {
  Json j = manyKeys(100);
  int i = 0;
  for (const auto& [key, value] : j.items()) {
    EXPECT_EQ(key, "k" + std::to_string(i));
    EXPECT_EQ(value, i++);
  }
  for (int k = 0; k < 100; ++k) EXPECT_EQ(j.at("k" + std::to_string(k)), k);
  EXPECT_FALSE(j.contains("k100"));
  EXPECT_EQ(j.find(std::string_view("k42")).value(), 42);
  EXPECT_EQ(j.value("k7", -1), 7);
  EXPECT_EQ(j.at(JsonPointer("/k99")), 99);
}

TEST(Json, IndexFollowsErasureCopiesAndMoves) {
  Json j = manyKeys(40);
  j.erase("k3");
  EXPECT_FALSE(j.contains("k3"));
  EXPECT_EQ(j.at("k39"), 39);  // moved one place up
  EXPECT_EQ(j.size(), 39u);
  j["k3"] = 3;  // back, now last
  EXPECT_EQ((--j.end()).key(), "k3");
  EXPECT_EQ(j.at("k3"), 3);
  Json copy = j;
  copy["new"] = 1;
  EXPECT_TRUE(copy.contains("new"));
  EXPECT_FALSE(j.contains("new"));
  Json moved = std::move(copy);
  EXPECT_EQ(moved.at("k20"), 20);
  moved.erase(moved.find("k20"));
  EXPECT_FALSE(moved.contains("k20"));
  EXPECT_EQ(moved.at("k21"), 21);
  moved.clear();
  for (int i = 0; i < 50; ++i) moved["x" + std::to_string(i)] = i;
  EXPECT_EQ(moved.at("x49"), 49);
  EXPECT_FALSE(moved.contains("k21"));
  EXPECT_EQ(Json::parse(j.dump()), j);
}

/// The object type copied and assigned whole (and onto itself) has an index
/// of its own: the copy finds every key, and a change to it leaves the original.
TEST(Json, AnObjectCopiedOrAssignedHasAnIndexOfItsOwn) {
  Json j = manyKeys(40);
  const Json::object_t& original = j.get_ref<const Json::object_t&>();
  ASSERT_TRUE(original.indexed());
  Json::object_t copied(original);
  Json::object_t assigned;
  assigned = original;
  const Json::object_t& same = assigned;
  assigned = same;
  for (Json::object_t* o : {&copied, &assigned}) {
    EXPECT_TRUE(o->indexed());
    for (int i = 0; i < 40; ++i) EXPECT_EQ(o->at("k" + std::to_string(i)), i);
    (*o)["new"] = 1;
    EXPECT_EQ(o->at("new"), 1);
  }
  EXPECT_EQ(original.count("new"), 0u);
  assigned = manyKeys(3).get_ref<const Json::object_t&>();
  EXPECT_FALSE(assigned.indexed());
  EXPECT_EQ(assigned.at("k2"), 2);
  EXPECT_EQ(assigned.count("k39"), 0u);
}

TEST(Json, TheFirstOfDuplicateKeysWinsAsInAScan) {
  // Only a range or a list given to the map itself can hold a key twice; a
  // lookup finds the first, indexed (40 members) or not (10).
  for (int n : {10, 40}) {
    std::vector<Json::object_t::value_type> members;
    for (int i = 0; i < n; ++i) members.emplace_back("k" + std::to_string(i % (n - 5)), i);
    Json::object_t m(members.begin(), members.end());
    EXPECT_EQ(m.at("k3"), 3) << n;
    EXPECT_EQ(m.at("k" + std::to_string(n - 6)), n - 6) << n;
    EXPECT_EQ(m.count("k" + std::to_string(n - 5)), 0u) << n;
  }
}

TEST(Json, IndexAgreesWithAMapThroughInsertsAndErasures) {
  // Random inserts and erasures that cross the index's threshold both ways
  // and grow its table several times, checked against std::map.
  std::mt19937 random(7);
  Json j = Json::object();
  std::map<std::string, int> expected;
  for (int step = 0; step < 20000; ++step) {
    std::string key = "key" + std::to_string(random() % 300);
    bool shrink = (step / 2500) % 2 == 1;  // phases that empty the object, phases that fill it
    if (random() % 4 < (shrink ? 3u : 1u)) {
      EXPECT_EQ(j.erase(key), expected.erase(key)) << step;
    } else {
      j[key] = step;
      expected[key] = step;
    }
    if (step % 97 == 0) {
      ASSERT_EQ(j.size(), expected.size()) << step;
      for (int k = 0; k < 300; ++k) {
        std::string probe = "key" + std::to_string(k);
        auto it = expected.find(probe);
        ASSERT_EQ(j.contains(probe), it != expected.end()) << step << " " << probe;
        if (it != expected.end()) ASSERT_EQ(j.at(probe), it->second) << step << " " << probe;
      }
    }
  }
}

TEST(Json, LookupsInALargeObjectGoThroughTheIndex) {
  // Whether lookups are constant time is the benchmark's to measure; here,
  // that every object from kIndexFrom members on has its index, through
  // growth, erasure, copies and moves, and finds every key with it.
  constexpr int kFrom = static_cast<int>(Json::object_t::kIndexFrom);
  EXPECT_FALSE(manyKeys(kFrom - 1).get_ref<const Json::object_t&>().indexed());
  Json j = manyKeys(100000);
  EXPECT_TRUE(j.get_ref<const Json::object_t&>().indexed());
  long long sum = 0;
  for (int i = 0; i < 100000; ++i) sum += j.at("k" + std::to_string(i)).get<long long>();
  EXPECT_EQ(sum, 99999LL * 100000 / 2);
  j = manyKeys(1000);  // an erasure re-indexes the object: a smaller one
  for (int i = 0; i < 1000 - kFrom; ++i) j.erase("k" + std::to_string(i));
  EXPECT_TRUE(j.get_ref<const Json::object_t&>().indexed());
  j.erase("k999");
  EXPECT_FALSE(j.get_ref<const Json::object_t&>().indexed());  // below kIndexFrom: a scan
  EXPECT_EQ(j.at("k998"), 998);
  Json copy = manyKeys(kFrom);
  Json moved = std::move(copy);
  EXPECT_TRUE(moved.get_ref<const Json::object_t&>().indexed());
  EXPECT_EQ(moved.at("k0"), 0);
}

TEST(Json, Utf8) {
  EXPECT_TRUE(isValidUtf8("plain \xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  for (const char* bad : {"\xFF", "\x80", "\xC3", "\xC0\xAF", "\xE0\x80\xAF", "\xED\xA0\x80", "\xF4\x90\x80\x80"}) {
    EXPECT_FALSE(isValidUtf8(bad)) << bad;
  }
  EXPECT_EQ(toValidUtf8("a\xFF" "b"), "a\xEF\xBF\xBD" "b");
  EXPECT_EQ(oneLine("a\nb\tc\xFF"), "a?b?c\xEF\xBF\xBD");
  EXPECT_EQ(oneLine(std::string(10, 'x'), 4), "xxxx...");
  EXPECT_EQ(oneLine("\xC3\xA9\xC3\xA9", 3), "\xC3\xA9...");  // never half a character
}

}  // namespace
}  // namespace tfmend
