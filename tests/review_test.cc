// `tfmend review`, scripted (one answer a line) and on a terminal (single keys
// through a pseudo-terminal).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <sstream>

#include "review.h"
#include "test_support.h"

namespace tfmend {
namespace {

using test::runTfmend;

std::string copyOf(const std::string& stack) {
  std::string dir = test::tempDir();
  std::string path = dir + "/cdk.tf.json";
  test::writeFile(path, test::readFile(std::string(TFMEND_SOURCE_DIR) + "/golden/payment-migration/stacks/" + stack + "/cdk.tf.json"));
  return path;
}

std::size_t count(const std::string& s, const std::string& what) {
  std::size_t n = 0;
  for (auto pos = s.find(what); pos != std::string::npos; pos = s.find(what, pos + 1)) ++n;
  return n;
}

TEST(Review, ScriptedAnswersApplyOnlyWhatWasAccepted) {
  std::string path = copyOf("failure-01");
  std::string before = test::readFile(path);
  auto r = runTfmend({"review", "--isolated", path}, "n\ny\n");
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_EQ(count(r.out, "Apply this fix [y,n,a,d,q,?]? "), 2u);
  EXPECT_NE(r.out.find("fix (safe): rename to \"payment-vpc-legacy-dev\""), std::string::npos);
  EXPECT_NE(r.out.find("-          \"Name\": \"payment-vpc-legacy\","), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("applied 1 fix to 1 file\n"), std::string::npos);
  std::string after = test::readFile(path);
  EXPECT_EQ(count(after, "\"Name\": \"payment-vpc-legacy-dev\""), 1u);  // the second VPC only
  EXPECT_EQ(count(after, "\"Name\": \"payment-vpc-legacy\""), 1u);
  auto again = runTfmend({"check", "--isolated", "--format", "json", path});
  EXPECT_EQ(Json::parse(again.out)["summary"]["findings"], 1);
}

TEST(Review, QuitWritesNothingAndHelpIsShown) {
  std::string path = copyOf("failure-01");
  std::string before = test::readFile(path);
  auto r = runTfmend({"review", "--isolated", path}, "?\ny\nq\n");
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_NE(r.out.find("d - apply no more fixes in this file (write what was accepted)\n"), std::string::npos);
  EXPECT_NE(r.out.find("applied 0 fixes to 0 files (quit)\n"), std::string::npos);
  EXPECT_EQ(test::readFile(path), before);
}

TEST(Review, AFixThatDependsOnARejectedOneIsNotOffered) {
  // Rejecting the replication (TFM005) leaves the replication role without a
  // use, so its policy (TFM006) is never offered; accepting one offers it.
  std::string path = copyOf("model-output");
  auto rejectAll = runTfmend({"review", "--isolated", "--unsafe-fixes", "--select", "TFM005,TFM006", path}, "n\nn\nn\n");
  EXPECT_EQ(count(rejectAll.out, "Apply this fix"), 3u) << rejectAll.out;
  EXPECT_EQ(rejectAll.out.find("payment-s3-replication-policy-dev"), std::string::npos);
  auto acceptOne = runTfmend({"review", "--isolated", "--unsafe-fixes", "--select", "TFM005,TFM006", path}, "n\ny\ny\nd\n");
  EXPECT_NE(acceptOne.out.find("attach the least-privilege policy \"payment-s3-replication-policy-dev\""), std::string::npos)
      << acceptOne.out;
  EXPECT_NE(acceptOne.out.find("applied 2 fixes to 1 file\n"), std::string::npos);
  auto check = runTfmend({"check", "--isolated", "--select", "TFM005,TFM006", "--format", "json", path});
  EXPECT_EQ(Json::parse(check.out)["summary"]["findings"], 2);  // the task role and the other bucket
}

TEST(Review, RefusesAFixWhoseReferencesWouldDangleAsFixDoes) {
  std::string dir = test::tempDir();
  std::string path = dir + "/cdk.tf.json";
  std::string text = "{\n  \"resource\": {\n    \"aws_subnet\": {\n      \"s\": {\n        \"cidr_block\": \"10.0.0.0/24\"\n      }\n    }\n  }\n}";
  test::writeFile(path, text);
  ReviewOptions options;
  options.rules = {&test::danglingFixRule()};
  std::istringstream in("y\n");
  auto answers = lineAnswers(in);
  std::ostringstream out, err;
  int code = runReview({InputPath{path, ""}}, options, *answers, out, err);
  EXPECT_EQ(code, 0) << err.str();
  EXPECT_EQ(out.str(), "skipped TST002 at aws_subnet.s: its reference to aws_vpc.does_not_exist would not resolve\n"
                       "applied 0 fixes to 0 files\n");
  EXPECT_EQ(test::readFile(path), text);
}

TEST(Review, SingleKeysOnATerminal) {
  std::string path = copyOf("failure-02");
  int master = -1;
  pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::setenv("NO_COLOR", "1", 1);
    ::execl(TFMEND_BINARY, TFMEND_BINARY, "review", "--isolated", path.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  std::string screen;
  auto readUntil = [&](const std::string& what) {
    for (int i = 0; i < 100 && screen.find(what) == std::string::npos; ++i) {
      pollfd p{master, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buf[4096];
      ssize_t n = ::read(master, buf, sizeof buf);
      if (n <= 0) break;
      screen.append(buf, static_cast<std::size_t>(n));
    }
    return screen.find(what) != std::string::npos;
  };
  ASSERT_TRUE(readUntil("Apply this fix [y,n,a,d,q,?]? ")) << screen;
  ASSERT_EQ(::write(master, "a", 1), 1);  // one key, no Enter: this and all the rest
  ASSERT_TRUE(readUntil("applied 2 fixes to 1 file")) << screen;
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(master);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  EXPECT_EQ(count(screen, "Apply this fix"), 1u);
  EXPECT_EQ(count(test::readFile(path), "alias/payment-primary-dev"), 1u);
}

}  // namespace
}  // namespace tfmend
