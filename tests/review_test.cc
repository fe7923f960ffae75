// `tfmend review`, scripted (one answer a line) and on a terminal (single keys
// through a pseudo-terminal).
#include <fcntl.h>
#include <gtest/gtest.h>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <thread>
#include <sstream>

#include "review.h"
#include "tfmend/registry.h"
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

TEST(Review, QuitKeepsWhatWasAcceptedAndSaysSo) {
  std::string path = copyOf("failure-01");
  auto r = runTfmend({"review", "--isolated", path}, "?\ny\nq\n");
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_NE(r.out.find("d - apply no more fixes in this file (keep what was accepted)\n"), std::string::npos);
  EXPECT_NE(r.out.find("(2/2) Apply this fix [y,n,a,d,q,?]? q\n"
                       "applied 1 fix to 1 file (quit: the fixes accepted so far were kept)\n"),
            std::string::npos)
      << r.out;
  std::string after = test::readFile(path);
  EXPECT_EQ(count(after, "\"Name\": \"payment-vpc-legacy-dev\""), 1u);  // as git add -p keeps what was staged
}

TEST(Review, EndOfInputKeepsWhatWasAccepted) {
  std::string path = copyOf("failure-01");
  auto r = runTfmend({"review", "--isolated", path}, "y\n");
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_NE(r.out.find("(2/2) Apply this fix [y,n,a,d,q,?]? \n"
                       "applied 1 fix to 1 file (end of input: the fixes accepted so far were kept)\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(count(test::readFile(path), "\"Name\": \"payment-vpc-legacy-dev\""), 1u);
}

TEST(Review, CounterAndEnterShowsHelp) {
  std::string path = copyOf("failure-01");
  std::string before = test::readFile(path);
  auto r = runTfmend({"review", "--isolated", path}, "\nn\nn\n");
  EXPECT_EQ(r.exitCode, 0);
  EXPECT_NE(r.out.find("(1/2) Apply this fix [y,n,a,d,q,?]? \n"
                       "y - apply this fix\n"),
            std::string::npos)
      << r.out;
  EXPECT_EQ(r.out.find("unknown answer"), std::string::npos);
  EXPECT_EQ(count(r.out, "(1/2) Apply this fix"), 2u);  // asked again after the help
  EXPECT_EQ(count(r.out, "(2/2) Apply this fix"), 1u);
  EXPECT_NE(r.out.find("applied 0 fixes to 0 files\n"), std::string::npos);
  EXPECT_EQ(test::readFile(path), before);
}

TEST(Review, FilesAreWrittenAtTheEndOnly) {
  // d on the first file, then end of input in the second: both keep what was accepted.
  // (failure-02's KMS alias renames are unsafe: they replace the alias.)
  std::string first = copyOf("failure-01"), second = copyOf("failure-02");
  auto r = runTfmend({"review", "--isolated", "--unsafe-fixes", first, second}, "y\nd\ny\n");
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("applied 2 fixes to 2 files (end of input: the fixes accepted so far were kept)\n"), std::string::npos)
      << r.out;
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

TEST(Review, AcceptedFixesCanBeWrittenAsCdktfOverrides) {
  std::string path = copyOf("failure-01");
  std::string before = test::readFile(path);
  std::string ts = test::tempDir() + "/fixes.ts";
  auto r = runTfmend({"review", "--isolated", "--emit-overrides", "typescript", ts, path}, "n\ny\n");
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.err.find("wrote 1 accepted fix of 1 stack as cdktf overrides to " + ts), std::string::npos) << r.err;
  EXPECT_EQ(test::readFile(path), before);  // the stack stays as it is
  std::string source = test::readFile(ts);
  EXPECT_EQ(count(source, ".addOverride(\"tags.Name\", \"payment-vpc-legacy-dev\")"), 1u) << source;
  EXPECT_NE(source.find("failure-01/networking/secondary-vpc"), std::string::npos);
  EXPECT_EQ(source.find("failure-01/networking/primary-vpc\").addOverride"), std::string::npos);  // rejected
  auto toStdout = runTfmend({"review", "--isolated", "--emit-overrides", "python", "-", path}, "y\n");
  EXPECT_EQ(toStdout.exitCode, 2);
  EXPECT_NE(toStdout.err.find("needs a file"), std::string::npos);
}

/// Answers "y", and edits the file under review the first time it is asked.
class EditingAnswers : public Answers {
 public:
  explicit EditingAnswers(std::string path) : path_(std::move(path)) {}
  char next() override {
    if (!edited_) test::writeFile(path_, test::readFile(path_) + "\n");
    edited_ = true;
    return 'y';
  }

 private:
  std::string path_;
  bool edited_ = false;
};

TEST(Review, AFileEditedDuringTheReviewIsNotOverwritten) {
  std::string path = copyOf("failure-01");
  ReviewOptions options;
  options.rules.assign(allRules().begin(), allRules().end());
  EditingAnswers answers(path);
  std::ostringstream out, err;
  int code = runReview({InputPath{path, ""}}, options, answers, out, err);
  EXPECT_EQ(code, 2);
  EXPECT_NE(err.str().find(path), std::string::npos) << err.str();
  std::string after = test::readFile(path);
  EXPECT_EQ(count(after, "payment-vpc-legacy-dev"), 0u);  // the other edit was kept
  EXPECT_EQ(after.back(), '\n');
}

TEST(Review, SingleKeysOnATerminal) {
  std::string path = copyOf("failure-02");
  int master = -1;
  pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::setenv("NO_COLOR", "1", 1);
    ::execl(TFMEND_BINARY, TFMEND_BINARY, "review", "--isolated", "--unsafe-fixes", path.c_str(), static_cast<char*>(nullptr));
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

TEST(Review, CtrlCRestoresTheTerminalAndWritesNothing) {
  // Two files: the first one's fix is accepted and the review is done with it
  // (d), then Ctrl-C at the second: nothing at all is written.
  std::string first = copyOf("failure-01"), second = copyOf("failure-02");
  std::string before1 = test::readFile(first), before2 = test::readFile(second);
  int master = -1;
  pid_t pid = ::forkpty(&master, nullptr, nullptr, nullptr);
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    ::setenv("NO_COLOR", "1", 1);
    // stty runs on the same terminal after tfmend: it shows what tfmend left.
    ::execl("/bin/sh", "sh", "-c", "\"$0\" review --isolated --unsafe-fixes \"$1\" \"$2\"; echo \"exit=$?\"; stty -a", TFMEND_BINARY,
            first.c_str(), second.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  std::string screen;
  // Reads until `what` shows (or, for "", until the terminal closes), for at most 20 s.
  auto readUntil = [&](const std::string& what, std::size_t from = 0) {
    auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    while (std::chrono::steady_clock::now() < deadline && (what.empty() || screen.find(what, from) == std::string::npos)) {
      pollfd p{master, POLLIN, 0};
      if (::poll(&p, 1, 100) <= 0) continue;
      char buf[4096];
      ssize_t n = ::read(master, buf, sizeof buf);
      if (n <= 0) return what.empty();
      screen.append(buf, static_cast<std::size_t>(n));
    }
    return !what.empty() && screen.find(what, from) != std::string::npos;
  };
  ASSERT_TRUE(readUntil("(1/2) Apply this fix [y,n,a,d,q,?]? ")) << screen;
  auto type = [&](const char* key) {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));  // as a person types, after the question
    return ::write(master, key, 1);
  };
  ASSERT_EQ(type("y"), 1);
  ASSERT_TRUE(readUntil("(2/2) Apply this fix [y,n,a,d,q,?]? ")) << screen;
  ASSERT_EQ(type("d"), 1);
  ASSERT_TRUE(readUntil(second + ": ")) << screen;
  ASSERT_TRUE(readUntil("Apply this fix [y,n,a,d,q,?]? ", screen.find(second + ": "))) << screen;
  ASSERT_EQ(type("\x03"), 1);  // Ctrl-C
  ASSERT_TRUE(readUntil("")) << screen;  // tfmend, then stty -a, have run
  int status = 0;
  ::waitpid(pid, &status, 0);
  ::close(master);
  EXPECT_NE(screen.find("^C\r\ninterrupted: nothing written\r\nexit=130"), std::string::npos) << screen;
  ASSERT_NE(screen.find("exit=130"), std::string::npos) << screen;
  std::string settings = screen.substr(screen.find("exit=130"));
  EXPECT_NE(settings.find(" icanon"), std::string::npos) << settings;
  EXPECT_EQ(settings.find("-icanon"), std::string::npos) << settings;
  EXPECT_EQ(settings.find("-echo "), std::string::npos) << settings;
  EXPECT_EQ(settings.find("-isig"), std::string::npos) << settings;
  EXPECT_EQ(test::readFile(first), before1);
  EXPECT_EQ(test::readFile(second), before2);
}

}  // namespace
}  // namespace tfmend
