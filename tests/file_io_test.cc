#include "tfmend/file_io.h"

#include <csignal>
#include <filesystem>
#include <gtest/gtest.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "test_support.h"

namespace tfmend {
namespace {

TEST(FileIo, AtomicWriteKeepsModeAndLeavesNoTemporaryFile) {
  std::string dir = test::tempDir();
  std::string path = dir + "/cdk.tf.json";
  test::writeFile(path, "old");
  ::chmod(path.c_str(), 0640);
  ASSERT_TRUE(writeAtomically(path, "new"));
  EXPECT_EQ(test::readFile(path), "new");
  struct stat st {};
  ::stat(path.c_str(), &st);
  EXPECT_EQ(st.st_mode & 0777, 0640u);
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()), 1);
}

TEST(FileIo, FailedWriteLeavesTheOriginal) {
  // A name of 250 bytes exists, but its temporary sibling would exceed
  // NAME_MAX: the write must fail before touching the original (even as root).
  std::string dir = test::tempDir();
  std::string path = dir + "/" + std::string(241, 'x') + ".tf.json";
  test::writeFile(path, "original");
  auto s = writeAtomically(path, "new");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message, path + ": cannot write: cannot create a temporary file: File name too long");
  EXPECT_EQ(test::readFile(path), "original");
  EXPECT_EQ(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()), 1);
}

TEST(FileIo, ReadErrorsNameTheFile) {
  EXPECT_EQ(readInput("/nonexistent/x.tf.json").error().message, "/nonexistent/x.tf.json: cannot read: No such file or directory");
}

TEST(FileIo, ExpandsFoldersSkippingNodeModules) {
  std::string dir = test::tempDir();
  for (auto p : {"/b/cdk.tf.json", "/a/cdk.tf.json", "/node_modules/x.tf.json", "/.terraform/y.tf.json", "/c/other.json"}) {
    test::writeFile(dir + p, "{}");
  }
  auto paths = expandPaths({dir});
  ASSERT_EQ(paths.size(), 2u);
  EXPECT_EQ(paths[0].path, dir + "/a/cdk.tf.json");
  EXPECT_EQ(paths[1].path, dir + "/b/cdk.tf.json");
}

std::size_t entries(const std::string& dir) {
  return static_cast<std::size_t>(std::distance(std::filesystem::directory_iterator(dir), std::filesystem::directory_iterator()));
}

TEST(FileIo, ReadsOnlyRegularFiles) {
  std::string dir = test::tempDir();
  std::string fifo = dir + "/pipe.tf.json";
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0644), 0);
  EXPECT_EQ(readInput(fifo).error().message, fifo + ": cannot read: not a regular file");  // and does not wait for a writer
  EXPECT_EQ(readInput("/dev/zero").error().message, "/dev/zero: cannot read: not a regular file");
  EXPECT_EQ(readInput(dir).error().message, dir + ": cannot read: is a directory");
}

TEST(FileIo, SizeLimit) {
  std::string dir = test::tempDir();
  std::string path = dir + "/big.tf.json";
  test::writeFile(path, "{}");
  std::filesystem::resize_file(path, (256u << 20) + 1);  // sparse
  EXPECT_EQ(readInput(path).error().message, path + ": cannot read: larger than the limit of 256 MiB");
  test::writeFile(path, std::string(1000, ' '));
  EXPECT_EQ(readInput(path, 999).error().message, path + ": cannot read: larger than the limit of 999 bytes");
  EXPECT_EQ(readInput(path, 1000)->size(), 1000u);
}

TEST(FileIo, WritesThroughASymbolicLink) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/real/cdk.tf.json", "old");
  std::filesystem::create_directories(dir + "/stack");
  std::filesystem::create_symlink("../real/cdk.tf.json", dir + "/stack/cdk.tf.json");
  ASSERT_TRUE(writeAtomically(dir + "/stack/cdk.tf.json", "new"));
  EXPECT_TRUE(std::filesystem::is_symlink(dir + "/stack/cdk.tf.json"));
  EXPECT_EQ(test::readFile(dir + "/real/cdk.tf.json"), "new");
  EXPECT_EQ(entries(dir + "/stack"), 1u);
  EXPECT_EQ(entries(dir + "/real"), 1u);
}

TEST(FileIo, RefusesAReadOnlyFile) {
  std::string dir = test::tempDir();
  std::string path = dir + "/cdk.tf.json";
  test::writeFile(path, "old");
  ::chmod(path.c_str(), 0444);
  auto s = writeAtomically(path, "new");
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message, path + ": not written: the file is read-only");
  EXPECT_EQ(test::readFile(path), "old");
  EXPECT_EQ(entries(dir), 1u);
}

TEST(FileIo, AFileChangedSinceItWasReadIsLeftAlone) {
  std::string dir = test::tempDir();
  std::string path = dir + "/cdk.tf.json";
  test::writeFile(path, "{\"a\": 1}");
  auto read = readFile(path);
  ASSERT_TRUE(read && read->stamp);
  ASSERT_TRUE(writeAtomically(path, "{\"a\": 2}", read->stamp));  // unchanged: written
  auto again = readFile(path);
  test::writeFile(path, "{\"a\": 3}");  // someone else's edit, same size
  auto s = writeAtomically(path, "{\"a\": 4}", again->stamp);
  ASSERT_FALSE(s);
  EXPECT_EQ(s.error().message, path + ": not written: the file changed while tfmend ran");
  EXPECT_EQ(test::readFile(path), "{\"a\": 3}");
  EXPECT_EQ(entries(dir), 1u);
}

TEST(FileIo, AFileTooLargeForTheLimitIsAnErrorNotASignal) {
  std::string dir = test::tempDir();
  std::string path = dir + "/cdk.tf.json";
  test::writeFile(path, "old");
  pid_t pid = ::fork();
  if (pid == 0) {
    rlimit limit{4096, 4096};
    ::setrlimit(RLIMIT_FSIZE, &limit);
    auto s = writeAtomically(path, std::string(10000, 'x'));
    bool ok = !s && s.error().message == path + ": cannot write: write: File too large";
    ::_exit(ok ? 0 : 1);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << "killed by signal " << WTERMSIG(status);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(test::readFile(path), "old");
  EXPECT_EQ(entries(dir), 1u);
}

TEST(FileIo, SweepsOnlyItsOwnOrphanedTemporaries) {
  std::string dir = test::tempDir();
  const std::vector<std::string> gone = {"cdk.tf.json.tfmend-999999999-AbC123"};  // no such process
  const std::vector<std::string> kept = {
      "cdk.tf.json",
      "cdk.tf.json.tfmend-1-AbC123",          // process 1 is alive
      "cdk.tf.json.tfmend-999999999-AbC12",   // not the exact pattern
      "cdk.tf.json.tfmend-999999999-AbC1234",
      "cdk.tf.json.tfmend-notours",
      ".tfmend-999999999-AbC123",             // no name before the suffix
      "cdk.tf.json.tfmend-Xy9Z01",            // an older version's, but fresh
  };
  for (const auto& name : gone) test::writeFile(dir + "/" + name, "tmp");
  for (const auto& name : kept) test::writeFile(dir + "/" + name, "tmp");
  sweepTemporaries(dir);
  for (const auto& name : gone) EXPECT_FALSE(std::filesystem::exists(dir + "/" + name)) << name;
  for (const auto& name : kept) EXPECT_TRUE(std::filesystem::exists(dir + "/" + name)) << name;
  // An older version's temporary file goes once it is ten minutes old.
  std::filesystem::last_write_time(dir + "/cdk.tf.json.tfmend-Xy9Z01",
                                   std::filesystem::file_time_type::clock::now() - std::chrono::minutes(11));
  sweepTemporaries(dir);
  EXPECT_FALSE(std::filesystem::exists(dir + "/cdk.tf.json.tfmend-Xy9Z01"));
}

}  // namespace
}  // namespace tfmend
