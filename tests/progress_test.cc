#include "progress.h"

#include <gtest/gtest.h>

namespace tfmend {
namespace {

TEST(Progress, LineShowsDoneRateAndTimeLeft) {
  EXPECT_EQ(Progress::line(25, 100, 40, 5.0, 10), "[##........] 25/100 files, 40 findings, 5.0 files/s, 15s left");
  EXPECT_EQ(Progress::line(100, 100, 40, 10.0, 10), "[##########] 100/100 files, 40 findings, 10.0 files/s");
}

TEST(Progress, DisabledDrawsNothing) {
  std::FILE* f = std::tmpfile();
  Progress p(10, false, f);
  p.step(1);
  p.finish();
  EXPECT_EQ(std::ftell(f), 0);
  std::fclose(f);
}

}  // namespace
}  // namespace tfmend
