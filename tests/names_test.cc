#include "tfmend/names.h"

#include <gtest/gtest.h>

namespace tfmend {
namespace {

TEST(Names, Md5KnownVectors) {
  EXPECT_EQ(md5Hex(""), "d41d8cd98f00b204e9800998ecf8427e");
  EXPECT_EQ(md5Hex("abc"), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(md5Hex("12345678901234567890123456789012345678901234567890123456789012345678901234567890"),
            "57edf4a22be3c955ac49da2e2107b67a");
}

TEST(Names, LogicalIdsAsCdktfMakesThem) {
  // Values from stacks that cdktf 0.21 synthesized (golden/payment-migration).
  EXPECT_EQ(cdktfLogicalId("model-output/networking/primary-vpc"), "networking_primary-vpc_B06A8CA8");
  EXPECT_EQ(cdktfLogicalId("ideal/compute/secondary/cluster"), "compute_secondary_cluster_E844868F");
  EXPECT_EQ(cdktfLogicalId("stack/vpc"), "vpc");
  EXPECT_EQ(cdktfLogicalId("stack/a/Default"), "a");
}

TEST(Names, StableShortHashes) {
  EXPECT_EQ(shortHash("customer-facing-web-gateway-alb", 6), "ae8f63");
  EXPECT_EQ(fnv1a(""), 14695981039346656037ull);
}

}  // namespace
}  // namespace tfmend
