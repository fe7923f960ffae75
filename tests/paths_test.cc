// Expanding the paths named on the command line into input files (src/paths.cc).
#include <algorithm>
#include <filesystem>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_support.h"
#include "tfmend/file_io.h"

namespace tfmend {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> pathsOf(const std::vector<InputPath>& inputs) {
  std::vector<std::string> out;
  for (const auto& in : inputs) out.push_back(in.path + (in.error.empty() ? "" : " -> " + in.error));
  return out;
}

TEST(Paths, EachRealFileOnce) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/a/cdk.tf.json", "{}");
  test::writeFile(dir + "/b/cdk.tf.json", "{}");
  fs::create_symlink("../a/cdk.tf.json", dir + "/b/link.tf.json");
  // Named twice, once through a `..` spelling, and through its folder.
  auto inputs = expandPaths({dir + "/a/cdk.tf.json", dir + "/a/cdk.tf.json", dir + "/b/../a/cdk.tf.json", dir});
  EXPECT_EQ(pathsOf(inputs), (std::vector<std::string>{dir + "/a/cdk.tf.json", dir + "/b/cdk.tf.json"}));
}

/// The walk resolves on disk only its root and links to files; a folder's
/// real path is its parent's and its name. Named through a link to the folder,
/// through `..`, or directly, a file still comes once, and --exclude still
/// matches folders under a root given through a link.
TEST(Paths, AFileFoundUnderALinkedRootIsStillTheSameFile) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/real/a/cdk.tf.json", "{}");
  test::writeFile(dir + "/real/skip/cdk.tf.json", "{}");
  fs::create_symlink("real", dir + "/alias");
  auto inputs = expandPaths({dir + "/alias", dir + "/real/a/cdk.tf.json", dir + "/real/../real"}, {dir + "/real/skip"});
  EXPECT_EQ(pathsOf(inputs), (std::vector<std::string>{dir + "/alias/a/cdk.tf.json"}));
  // A link to a folder inside the walk is not followed; a link to a file is
  // (and is the file it leads to).
  fs::create_symlink("../a", dir + "/real/skip/to-a");
  fs::create_symlink("../a/cdk.tf.json", dir + "/real/skip/other.tf.json");
  auto again = expandPaths({dir + "/real/skip", dir + "/real"});
  EXPECT_EQ(pathsOf(again), (std::vector<std::string>{dir + "/real/skip/cdk.tf.json", dir + "/real/skip/other.tf.json"}));
}

/// Folders read by several threads at once: the same files, in the same order.
TEST(Paths, ReadByManyThreadsTheFilesAreTheSame) {
  std::string dir = test::tempDir();
  std::vector<std::string> want;
  for (int team = 0; team < 6; ++team) {
    for (int stack = 0; stack < 20; ++stack) {
      std::string folder = dir + "/team" + std::to_string(team) + "/deep/stack" + std::to_string(stack);
      test::writeFile(folder + "/cdk.tf.json", "{}");
      test::writeFile(folder + "/notes.json", "{}");
      want.push_back(folder + "/cdk.tf.json");
    }
  }
  test::writeFile(dir + "/team2/node_modules/x/cdk.tf.json", "{}");
  test::writeFile(dir + "/skip/cdk.tf.json", "{}");
  std::sort(want.begin(), want.end());
  for (int threads : {1, 2, 8}) {
    EXPECT_EQ(pathsOf(expandPaths({dir}, {dir + "/skip"}, threads)), want) << threads;
  }
}

TEST(Paths, SkipsExcludedFolders) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/stack/cdk.tf.json", "{}");
  test::writeFile(dir + "/fixed/stack/cdk.tf.json", "{}");
  auto inputs = expandPaths({dir}, {dir + "/fixed"});
  EXPECT_EQ(pathsOf(inputs), (std::vector<std::string>{dir + "/stack/cdk.tf.json"}));
  // Named differently (relative to the folder, with a trailing slash) it is still the same folder.
  auto again = expandPaths({dir}, {dir + "/stack/../fixed/"});
  EXPECT_EQ(pathsOf(again), (std::vector<std::string>{dir + "/stack/cdk.tf.json"}));
}

TEST(Paths, AnUnreadableSubfolderIsReportedAndItsSiblingsStillFound) {
  std::string dir = test::tempDir();
  ::chmod(dir.c_str(), 0755);
  test::writeFile(dir + "/a/cdk.tf.json", "{}");
  test::writeFile(dir + "/locked/cdk.tf.json", "{}");
  test::writeFile(dir + "/z/cdk.tf.json", "{}");
  for (const char* sub : {"/a", "/z"}) ::chmod((dir + sub).c_str(), 0755);
  ::chmod((dir + "/locked").c_str(), 0);
  // Root reads every folder: the expansion runs as nobody in a child process.
  pid_t pid = ::fork();
  if (pid == 0) {
    if (::geteuid() == 0 && (::setgid(65534) != 0 || ::setuid(65534) != 0)) ::_exit(3);
    std::vector<std::string> want = {dir + "/a/cdk.tf.json", dir + "/locked -> " + dir + "/locked: cannot read: Permission denied",
                                     dir + "/z/cdk.tf.json"};
    for (int threads : {1, 3}) {
      auto got = pathsOf(expandPaths({dir}, {}, threads));
      if (got != want) {
        for (const auto& g : got) std::fprintf(stderr, "got (%d threads): %s\n", threads, g.c_str());
        ::_exit(1);
      }
    }
    ::_exit(0);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::chmod((dir + "/locked").c_str(), 0755);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

}  // namespace
}  // namespace tfmend
