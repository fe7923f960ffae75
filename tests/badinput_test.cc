// The bad-input corpus (tests/badinput/): every case through every command
// (check, fix, fix --diff, review, apply) and every format. Each case must
// give exit 2 and exactly one line naming the file and the place (expected.txt
// holds them), the other files must still be processed, and nothing may be
// written: the bad files keep their bytes and no temporary file is left.
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include "test_support.h"
#include "tfmend/json.h"

namespace tfmend {
namespace {

namespace fs = std::filesystem;
using test::runTfmend;

const std::string kCorpus = std::string(TFMEND_SOURCE_DIR) + "/tests/badinput";

/// One bad input: its path in the workspace and the error line it must give.
struct Case {
  std::string path;
  std::string error;
};

/// The large cases, made at test time: too large to commit.
void writeGenerated(const std::string& dir) {
  test::writeFile(dir + "/depth-1001-arrays.tf.json", std::string(1001, '[') + std::string(1001, ']'));
  test::writeFile(dir + "/depth-100000-arrays.tf.json", std::string(100000, '[') + std::string(100000, ']'));
  std::string objects;
  for (int i = 0; i < 1001; ++i) objects += "{\"a\":";
  test::writeFile(dir + "/depth-1001-objects.tf.json", objects + "1" + std::string(1001, '}'));
  test::writeFile(dir + "/unterminated-4mb-string.tf.json", "{\"a\": \"" + std::string(4u << 20, 'x'));
  // Larger than the 256 MiB limit, without using the disk: a sparse file.
  std::string big = dir + "/larger-than-the-limit.tf.json";
  test::writeFile(big, "{");
  fs::resize_file(big, (256u << 20) + 1);
  ::mkfifo((dir + "/a-fifo.tf.json").c_str(), 0644);
  test::writeFile(dir + "/bad-name-\xff.tf.json", "{\"a\": tru}");
  test::writeFile(dir + "/new\nline.tf.json", "{\"a\": tru}");
}

/// The corpus copied into a fresh folder, with a good stack that has fixes
/// last; the cases in expected.txt's order.
struct Workspace {
  std::string dir, good;
  std::vector<Case> cases;
  std::map<std::string, std::string> before;  // path -> bytes (or, when large, identity), of the files that must not change

  static Workspace make() {
    Workspace w;
    w.dir = test::tempDir();
    for (const auto& e : fs::directory_iterator(kCorpus + "/cases")) fs::copy_file(e.path(), w.dir + "/" + e.path().filename().string());
    writeGenerated(w.dir);
    std::ifstream expected(kCorpus + "/expected.txt");
    for (std::string line; std::getline(expected, line);) {
      if (line.empty() || line[0] == '#') continue;
      std::size_t end = line.find(".tf.json") + 8;
      w.cases.push_back({w.dir + "/" + line.substr(0, end), w.dir + "/" + line});
    }
    // Names no line of expected.txt can hold, and a device.
    std::string ff = w.dir + "/bad-name-\xff.tf.json", nl = w.dir + "/new\nline.tf.json";
    w.cases.push_back({ff, toValidUtf8(w.dir) + "/bad-name-\xEF\xBF\xBD.tf.json:1:10: invalid JSON: value - invalid literal"});
    w.cases.push_back({nl, w.dir + "/new?line.tf.json:1:10: invalid JSON: value - invalid literal"});
    w.cases.push_back({"/dev/zero", "/dev/zero: cannot read: not a regular file"});
    w.good = w.dir + "/good/cdk.tf.json";
    test::writeFile(w.good, test::readFile(test::goldenStacks().front()));
    for (const auto& c : w.cases) {
      if (fs::is_regular_file(c.path)) w.before[c.path] = fingerprint(c.path);
    }
    return w;
  }

  std::vector<std::string> args(std::vector<std::string> front) const {
    for (const auto& c : cases) front.push_back(c.path);
    front.push_back(good);
    return front;
  }

  /// A file's bytes; for the sparse file over the size limit (reading 256 MiB
  /// per test would make the suite crawl), its inode, size and modification
  /// time, which any write or replacement changes.
  static std::string fingerprint(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return "missing";
    if (st.st_size <= (16 << 20)) return test::readFile(path);
    return "inode " + std::to_string(st.st_ino) + " size " + std::to_string(st.st_size) + " mtime " +
           std::to_string(st.st_mtim.tv_sec) + "." + std::to_string(st.st_mtim.tv_nsec);
  }

  /// The bad files still hold their bytes, and no temporary file was left.
  void expectNothingWritten() const {
    for (const auto& [path, bytes] : before) {
      EXPECT_TRUE(fingerprint(path) == bytes) << path << " changed";
    }
    for (const auto& e : fs::recursive_directory_iterator(dir)) {
      EXPECT_EQ(e.path().filename().string().find(".tfmend-"), std::string::npos) << e.path();
    }
  }
};

std::vector<std::string> lines(const std::string& text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) out.push_back(line);
  return out;
}

/// The first lines of `err` are the cases' errors, in order, one line each.
void expectErrorLines(const std::string& err, const Workspace& w, bool nothingElse) {
  auto got = lines(err);
  ASSERT_GE(got.size(), w.cases.size()) << err;
  for (std::size_t i = 0; i < w.cases.size(); ++i) EXPECT_EQ(got[i], "error: " + w.cases[i].error);
  if (nothingElse) EXPECT_EQ(got.size(), w.cases.size()) << err;
}

class BadInput : public ::testing::TestWithParam<std::string> {};

TEST(BadInput, CorpusHasAtLeastAHundredCases) {
  Workspace w = Workspace::make();
  EXPECT_GE(w.cases.size(), 100u);
  std::size_t files = std::distance(fs::directory_iterator(kCorpus + "/cases"), fs::directory_iterator());
  EXPECT_EQ(files + 9, w.cases.size()) << "every case has its line in expected.txt";
}

/// Checks the report of one run in `format` against the expected lines.
void expectReport(const std::string& format, const test::Run& r, const Workspace& w, bool fixing) {
  EXPECT_EQ(r.exitCode, 2) << format;
  const std::size_t n = w.cases.size();
  if (format == "text") {
    expectErrorLines(r.err, w, false);
    EXPECT_NE((fixing ? r.out : r.out).find(fixing ? "fixed " : w.good + ":"), std::string::npos) << r.out;
  } else if (format == "json" || format == "jsonl") {
    std::vector<Json> files;
    if (format == "json") {
      Json j = Json::parse(r.out);
      for (const auto& f : j["files"]) files.push_back(f);
      EXPECT_EQ(j["summary"]["errors"], n);
    } else {
      for (const auto& l : lines(r.out)) files.push_back(Json::parse(l));
    }
    ASSERT_EQ(files.size(), n + 1);
    for (std::size_t i = 0; i < n; ++i) {
      EXPECT_EQ(files[i]["error"], w.cases[i].error);
      EXPECT_EQ(files[i]["status"], "failed");
    }
    EXPECT_EQ(files[n]["path"], w.good);
    EXPECT_TRUE(files[n]["error"].is_null());
    EXPECT_EQ(files[n]["status"], fixing ? "fixed" : "findings");
  } else if (format == "sarif") {
    Json j = Json::parse(r.out);
    const Json& notes = j["runs"][0]["invocations"][0]["toolExecutionNotifications"];
    ASSERT_EQ(notes.size(), n);
    for (std::size_t i = 0; i < n; ++i) EXPECT_EQ(notes[i]["message"]["text"], w.cases[i].error);
    if (!fixing) EXPECT_FALSE(j["runs"][0]["results"].empty());
  } else if (format == "github") {
    auto out = lines(r.out);
    std::size_t errors = std::count_if(out.begin(), out.end(), [](const std::string& l) { return l.rfind("::error file=", 0) == 0 && l.find("title=tfmend::") != std::string::npos; });
    EXPECT_EQ(errors, n);
    for (const auto& c : w.cases) {
      std::string escaped = c.error;
      for (std::size_t pos = escaped.find('%'); pos != std::string::npos; pos = escaped.find('%', pos + 3)) escaped.replace(pos, 1, "%25");
      EXPECT_NE(r.out.find(",title=tfmend::" + escaped + "\n"), std::string::npos) << c.error;
    }
  } else if (format == "html") {
    EXPECT_NE(r.out.find("<html"), std::string::npos);
    EXPECT_NE(r.out.find("invalid JSON: value - invalid literal"), std::string::npos);
    EXPECT_NE(r.out.find("cannot read: not a regular file"), std::string::npos);
  }
}

TEST_P(BadInput, Check) {
  Workspace w = Workspace::make();
  auto r = runTfmend(w.args({"check", "--isolated", "--no-progress", "--format", GetParam()}));
  expectReport(GetParam(), r, w, false);
  w.expectNothingWritten();
}

TEST_P(BadInput, Fix) {
  Workspace w = Workspace::make();
  std::string good = test::readFile(w.good);
  auto r = runTfmend(w.args({"fix", "--isolated", "--no-progress", "-j", "2", "--format", GetParam()}));
  expectReport(GetParam(), r, w, true);
  w.expectNothingWritten();
  EXPECT_NE(test::readFile(w.good), good) << "the good stack is still fixed";
}

INSTANTIATE_TEST_SUITE_P(EveryFormat, BadInput, ::testing::Values("text", "json", "jsonl", "sarif", "github", "html"));

TEST(BadInput, FixDiff) {
  Workspace w = Workspace::make();
  std::string good = test::readFile(w.good);
  auto r = runTfmend(w.args({"fix", "--isolated", "--no-progress", "--diff"}));
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.out.rfind("--- a/" + w.good + "\n+++ b/" + w.good + "\n", 0), 0u) << "only the good stack's diff";
  expectErrorLines(r.err, w, false);
  w.expectNothingWritten();
  EXPECT_EQ(test::readFile(w.good), good);
}

TEST(BadInput, Review) {
  Workspace w = Workspace::make();
  std::string good = test::readFile(w.good);
  auto r = runTfmend(w.args({"review", "--isolated"}), "a\n");
  EXPECT_EQ(r.exitCode, 2);
  auto got = lines(r.err);
  ASSERT_EQ(got.size(), w.cases.size()) << r.err;
  for (std::size_t i = 0; i < w.cases.size(); ++i) {
    const Case& c = w.cases[i];
    if (c.error.find(": /") == std::string::npos) {
      EXPECT_EQ(got[i], "error: " + c.error);
    } else {
      // A document the model refuses: review.cc words it as "PATH: MESSAGE;
      // nothing written", where MESSAGE names the path again.
      EXPECT_EQ(got[i].rfind("error: " + c.path + ": ", 0), 0u) << got[i];
      EXPECT_NE(got[i].find(c.error.substr(c.path.size())), std::string::npos) << got[i];
    }
  }
  EXPECT_NE(r.out.find("to 1 file\n"), std::string::npos) << r.out;
  w.expectNothingWritten();
  EXPECT_NE(test::readFile(w.good), good);
}

TEST(BadInput, ApplyRefusesEachAsAnExport) {
  Workspace w = Workspace::make();
  for (const auto& c : w.cases) {
    auto r = runTfmend({"apply", c.path}, "", w.dir);
    EXPECT_EQ(r.exitCode, 2) << c.path;
    // A case that parses is no export; the others fail as they fail everywhere.
    bool parses = c.error.find(": /") != std::string::npos;
    std::string expected = parses ? c.path + ": not a tfmend fix export (written by `tfmend fix --export-fixes`)" : c.error;
    EXPECT_EQ(r.err, "error: " + expected + "\n");
  }
  w.expectNothingWritten();
}

}  // namespace
}  // namespace tfmend
