#include "tfmend/registry.h"

#include <gtest/gtest.h>

namespace tfmend {
namespace {

TEST(Registry, SortedUniqueAndDocumented) {
  auto rules = allRules();
  ASSERT_FALSE(rules.empty());
  for (std::size_t i = 1; i < rules.size(); ++i) EXPECT_LT(rules[i - 1]->id, rules[i]->id);
  for (const Rule* r : rules) {
    EXPECT_FALSE(ruleDoc(r->id).empty()) << r->id << " has no docs/rules page";
    EXPECT_NE(ruleDoc(r->id).find(std::string(r->name)), std::string_view::npos) << r->id;
    EXPECT_EQ(findRule(r->id), r);
  }
}

TEST(Registry, SelectByIdPrefixAndName) {
  auto all = selectRules(allRules(), {}, {});
  ASSERT_TRUE(all);
  EXPECT_EQ(all->size(), allRules().size());
  auto some = selectRules(allRules(), {"TFM10"}, {"invalid-suppression"});
  ASSERT_TRUE(some);
  ASSERT_EQ(some->size(), 1u);
  EXPECT_EQ(some->at(0)->id, "TFM100");
  auto bad = selectRules(allRules(), {"TFM9"}, {});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "unknown rule selector \"TFM9\" (see `tfmend rules`)");
}

}  // namespace
}  // namespace tfmend
