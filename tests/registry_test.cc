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

TEST(Registry, SelectorsInAnyCaseAndSuggestions) {
  auto some = selectRules(allRules(), {"tfm00", "Unused-Suppression", "all"}, {"tfm0", "INVALID-SUPPRESSION"});
  ASSERT_TRUE(some);
  ASSERT_EQ(some->size(), 1u);
  EXPECT_EQ(some->at(0)->id, "TFM100");
  auto spaced = selectRules(allRules(), {" TFM001", "TFM002 ", ""}, {});
  ASSERT_TRUE(spaced);
  EXPECT_EQ(spaced->size(), 2u);
  auto bad = selectRules(allRules(), {"TFM0022"}, {});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "unknown rule selector \"TFM0022\" (did you mean \"TFM002\"?)");
  bad = selectRules(allRules(), {}, {"hardcoded-secrets"});
  ASSERT_FALSE(bad);
  EXPECT_EQ(bad.error().message, "unknown rule selector \"hardcoded-secrets\" (did you mean \"hardcoded-secret\"?)");
  EXPECT_EQ(findRuleByIdOrName(allRules(), "tfm003"), findRule("TFM003"));
  EXPECT_EQ(findRuleByIdOrName(allRules(), "Unencrypted-Data-Store"), findRule("TFM003"));
  EXPECT_EQ(findRuleByIdOrName(allRules(), "TFM00"), nullptr);
}

TEST(Registry, PagesAndDescriptions) {
  const Rule& r = *findRule("TFM001");
  EXPECT_EQ(ruleUrl(r, kDefaultDocsBaseUrl),
            "https://github.com/tfmend/tfmend/blob/main/docs/rules/TFM001-missing-environment-suffix.md");
  EXPECT_EQ(ruleUrl(r, "https://example.com/docs"), "https://example.com/docs/TFM001-missing-environment-suffix.md");
  EXPECT_EQ(ruleDescription(*findRule("TFM003")),
            "A data store that is not encrypted at rest, or whose KMS key is of another region.");
  // A page whose section opens with a table or list falls back to the summary.
  EXPECT_EQ(ruleDescription(*findRule("TFM009")), std::string(findRule("TFM009")->summary));
  for (const Rule* rule : allRules()) EXPECT_FALSE(ruleDescription(*rule).empty()) << rule->id;
}

}  // namespace
}  // namespace tfmend
