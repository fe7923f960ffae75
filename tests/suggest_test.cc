#include "tfmend/suggest.h"

#include <gtest/gtest.h>

namespace tfmend {
namespace {

TEST(Suggest, ClosestWithinAFewEdits) {
  std::vector<std::string> commands = {"check", "fix", "review", "apply", "rules", "explain"};
  EXPECT_EQ(closestMatch("chek", commands), "check");
  EXPECT_EQ(closestMatch("CHECK", commands), "check");
  EXPECT_EQ(closestMatch("reveiw", commands), "review");  // a swap is one edit
  EXPECT_EQ(closestMatch("deploy", commands), std::nullopt);
  EXPECT_EQ(didYouMean("expalin", commands), " (did you mean \"explain\"?)");
  EXPECT_EQ(didYouMean("zzz", commands), "");
  std::vector<std::string> ids = {"TFM001", "TFM002", "TFM009", "TFM100"};
  EXPECT_EQ(closestMatch("TFM0022", ids), "TFM002");
  EXPECT_EQ(closestMatch("TFM999", ids), std::nullopt);  // two edits from TFM009: too far for six characters
  EXPECT_EQ(closestMatch("replication-lag-threshhold-ms", {"replication-lag-threshold-ms"}), "replication-lag-threshold-ms");
}

}  // namespace
}  // namespace tfmend
