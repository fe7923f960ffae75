#include "tfmend/file_io.h"

#include <filesystem>
#include <gtest/gtest.h>
#include <sys/stat.h>

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

}  // namespace
}  // namespace tfmend
