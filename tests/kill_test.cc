// `tfmend fix -j 2` over a fleet, killed with SIGKILL at random moments: no
// file may ever be half written, and the next run must finish the job and
// leave no temporary file behind.
#include <chrono>
#include <csignal>
#include <filesystem>
#include <gtest/gtest.h>
#include <map>
#include <random>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "test_support.h"

namespace tfmend {
namespace {

namespace fs = std::filesystem;

/// Every golden stack, `copies` times, under a fresh folder; path -> bytes.
std::map<std::string, std::string> fleet(const std::string& dir, int copies) {
  std::map<std::string, std::string> files;
  for (const auto& p : test::goldenStacks()) {
    for (int c = 0; c < copies; ++c) {
      std::string path = dir + "/team" + std::to_string(c) + "/" + fs::path(p).parent_path().filename().string() + "/cdk.tf.json";
      files[path] = test::readFile(p);
      test::writeFile(path, files[path]);
    }
  }
  return files;
}

std::vector<std::string> temporaries(const std::string& dir) {
  std::vector<std::string> out;
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    if (e.path().filename().string().find(".tfmend-") != std::string::npos) out.push_back(e.path().string());
  }
  return out;
}

pid_t start(const std::vector<std::string>& args) {
  std::fflush(stdout);  // else the child's freopen writes the parent's buffered lines again
  pid_t pid = ::fork();
  if (pid == 0) {
    std::freopen("/dev/null", "w", stdout);
    std::freopen("/dev/null", "w", stderr);
    std::vector<std::string> copy = args;
    std::vector<char*> argv;
    std::string bin = TFMEND_BINARY;
    argv.push_back(bin.data());
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  return pid;
}

TEST(Kill, AKilledFleetFixCorruptsNothingAndTheNextRunCleansUp) {
  // What a complete run writes, file by file.
  std::string reference = test::tempDir();
  auto original = fleet(reference, 2);
  auto t0 = std::chrono::steady_clock::now();
  auto full = test::runTfmend({"fix", "--isolated", "--no-progress", "-j", "2", reference});
  auto fullTime = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - t0);
  ASSERT_NE(full.exitCode, 2) << full.err;
  std::map<std::string, std::string> fixed;
  std::size_t changed = 0;
  for (const auto& [path, bytes] : original) {
    std::string rel = path.substr(reference.size());
    fixed[rel] = test::readFile(path);
    changed += fixed[rel] != bytes;
  }
  ASSERT_GE(changed, 10u);  // the safe fixes of five stacks, in each copy

  std::random_device seedSource;
  unsigned seed = seedSource();
  std::mt19937 random(seed);
  std::uniform_int_distribution<long> when(0, std::max<long>(1, fullTime.count()));
  for (int trial = 0; trial < 8; ++trial) {
    std::string dir = test::tempDir();
    fleet(dir, 2);
    long ms = when(random);
    pid_t pid = start({"fix", "--isolated", "--no-progress", "-j", "2", dir});
    std::this_thread::sleep_for(std::chrono::milliseconds(ms));
    ::kill(pid, SIGKILL);
    int status = 0;
    ::waitpid(pid, &status, 0);
    std::size_t done = 0;
    for (const auto& [path, bytes] : original) {
      std::string rel = path.substr(reference.size());
      std::string now = test::readFile(dir + rel);
      EXPECT_TRUE(now == bytes || now == fixed[rel]) << rel << " is neither the original nor the fixed file (seed " << seed
                                                       << ", killed after " << ms << " ms)";
      done += now == fixed[rel] && now != bytes;
    }
    auto again = test::runTfmend({"fix", "--isolated", "--no-progress", "-j", "2", dir});
    EXPECT_NE(again.exitCode, 2) << again.err;
    EXPECT_EQ(temporaries(dir), std::vector<std::string>{}) << "seed " << seed << ", killed after " << ms << " ms";
    for (const auto& [rel, bytes] : fixed) EXPECT_TRUE(test::readFile(dir + rel) == bytes) << rel;
    std::printf("trial %d: killed after %ld ms (a full run takes %lld ms), %zu of %zu files already fixed\n", trial, ms,
                static_cast<long long>(fullTime.count()), done, changed);
    fs::remove_all(dir);
  }
}

}  // namespace
}  // namespace tfmend
