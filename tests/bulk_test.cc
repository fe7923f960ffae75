// Bulk repair, exported fixes and the HTML report, end to end through the binary.
#include <filesystem>
#include <gtest/gtest.h>

#include "test_support.h"

namespace tfmend {
namespace {

namespace fs = std::filesystem;
using test::runTfmend;

/// A fleet: every golden stack, twice, under a temporary folder.
std::string fleet() {
  std::string dir = test::tempDir();
  int i = 0;
  for (const auto& p : test::goldenStacks()) {
    for (int copy = 0; copy < 2; ++copy) {
      test::writeFile(dir + "/team" + std::to_string(copy) + "/" + fs::path(p).parent_path().filename().string() +
                          "/cdk.tf.json",
                      test::readFile(p));
      ++i;
    }
  }
  return dir;
}

TEST(Bulk, ReportIsTheSameWhateverTheJobs) {
  std::string dir = fleet();
  auto one = runTfmend({"check", "--isolated", "--format", "json", "-j", "1", dir});
  auto two = runTfmend({"check", "--isolated", "--format", "json", "-j", "2", dir});
  auto four = runTfmend({"check", "--isolated", "--format", "jsonl", "-j", "4", dir});
  auto oneLines = runTfmend({"check", "--isolated", "--format", "jsonl", "-j", "1", dir});
  EXPECT_EQ(one.exitCode, 1);
  EXPECT_EQ(one.out, two.out);
  EXPECT_EQ(four.out, oneLines.out);
  EXPECT_EQ(std::count(four.out.begin(), four.out.end(), '\n'), 32);
  EXPECT_EQ(Json::parse(four.out.substr(0, four.out.find('\n')))["path"], dir + "/team0/failure-01/cdk.tf.json");
}

/// The text and SARIF reports, and the baseline's filter, are made for each
/// file on the worker that processed it: the report is still the same.
TEST(Bulk, EveryFormatAndTheBaselineAreTheSameWhateverTheJobs) {
  std::string dir = fleet();
  std::string baseline = test::tempDir() + "/baseline.json";
  auto saved = runTfmend({"check", "--isolated", "--format", "json", dir + "/team0"});
  ASSERT_EQ(saved.exitCode, 1) << saved.err;
  test::writeFile(baseline, saved.out);
  for (const char* format : {"text", "concise", "sarif", "github"}) {
    for (bool withBaseline : {false, true}) {
      std::vector<std::string> args = {"check", "--isolated", "--no-cache", "--format", format};
      if (withBaseline) args.insert(args.end(), {"--baseline", baseline});
      auto run = [&](const char* jobs) {
        auto a = args;
        a.insert(a.end(), {"-j", jobs, dir});
        return runTfmend(a);
      };
      auto one = run("1");
      auto four = run("4");
      EXPECT_EQ(one.exitCode, 1) << format << one.err;
      EXPECT_EQ(one.out, four.out) << format << " baseline " << withBaseline;
      EXPECT_EQ(one.err, four.err) << format << " baseline " << withBaseline;
      // The baseline takes out team0's findings, and only those.
      const bool team0 = one.out.find("/team0/") != std::string::npos;
      EXPECT_EQ(team0, !withBaseline) << format;
      EXPECT_NE(one.out.find("/team1/"), std::string::npos) << format;
    }
  }
}

TEST(Bulk, SummaryPerRuleAndPerFile) {
  std::string dir = fleet();
  auto r = runTfmend({"fix", "--isolated", "--unsafe-fixes", "--output-dir", dir + "/out", dir + "/team0"});
  EXPECT_EQ(r.exitCode, 0) << r.err;
  EXPECT_NE(r.out.find("TFM008  region-missing-compute                3      3      0\n"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("files: 16 (1 clean, 15 fixed)\n"), std::string::npos) << r.out;
  // Inputs untouched, fixed copies mirrored under the output folder.
  EXPECT_EQ(test::readFile(dir + "/team0/model-output/cdk.tf.json"), test::readFile(dir + "/team1/model-output/cdk.tf.json"));
  std::string copy = dir + "/out" + dir + "/team0/model-output/cdk.tf.json";
  ASSERT_TRUE(fs::exists(copy)) << copy;
  auto again = runTfmend({"check", "--isolated", copy});
  EXPECT_EQ(again.exitCode, 0) << again.out;
}

TEST(Bulk, ShardsSplitTheFleet) {
  std::string dir = fleet();
  std::size_t total = 0;
  for (const char* s : {"1/3", "2/3", "3/3"}) {
    auto r = runTfmend({"check", "--isolated", "--format", "jsonl", "--shard", s, dir});
    total += static_cast<std::size_t>(std::count(r.out.begin(), r.out.end(), '\n'));
  }
  EXPECT_EQ(total, 32u);
  auto bad = runTfmend({"check", "--isolated", "--shard", "4/3", dir});
  EXPECT_EQ(bad.exitCode, 2);
  EXPECT_EQ(bad.err, "tfmend: error: --shard: \"4/3\" is not K/N with 1 <= K <= N\nrun `tfmend check --help` for usage\n");
}

TEST(Bulk, ExportedFixesApplyLaterAndRefuseChangedFiles) {
  std::string dir = fleet();
  // Exports name files relative to where they were made; apply runs there too.
  std::string a = "team0/model-output/cdk.tf.json", b = "team1/model-output/cdk.tf.json";
  std::string original = test::readFile(dir + "/" + a);
  auto e1 = runTfmend({"fix", "--isolated", "--unsafe-fixes", "--export-fixes", "a.json", a}, "", dir);
  auto e2 = runTfmend({"fix", "--isolated", "--unsafe-fixes", "--export-fixes", "b.json", b}, "", dir);
  EXPECT_EQ(e1.exitCode, 0) << e1.err;
  EXPECT_EQ(test::readFile(dir + "/" + a), original);  // exporting changes no file
  Json exported = Json::parse(test::readFile(dir + "/a.json"));
  EXPECT_EQ(exported["files"][0]["fixes"].size(), 24u);
  EXPECT_EQ(exported["format"], 2);
  EXPECT_EQ(exported["rules"].size(), 13u);
  EXPECT_EQ(exported["files"][0]["fixes"][0]["pointer"].is_string(), true);
  // The export never carries the password.
  EXPECT_EQ(test::readFile(dir + "/a.json").find("ChangeMe12345!"), std::string::npos);
  // Applying both exports together gives what `fix` gives.
  auto applied = runTfmend({"apply", "a.json", "b.json"}, "", dir);
  EXPECT_EQ(applied.exitCode, 0) << applied.err;
  EXPECT_EQ(applied.err, "applied 48 fixes to 2 files\n");
  std::string reference = dir + "/ref.tf.json";
  test::writeFile(reference, original);
  runTfmend({"fix", "--isolated", "--unsafe-fixes", reference});
  EXPECT_EQ(test::readFile(dir + "/" + a), test::readFile(reference));
  // Applying again: the files have changed since the export.
  auto refused = runTfmend({"apply", "a.json"}, "", dir);
  EXPECT_EQ(refused.exitCode, 2);
  EXPECT_EQ(refused.err, "error: " + a + ": changed since the fixes were exported (a.json); not applied\n"
                         "applied 0 fixes to 0 files, 1 refused\n");
}

TEST(Bulk, ApplyTrustsNothingInTheExport) {
  std::string dir = fleet();
  std::string a = "team0/model-output/cdk.tf.json";
  runTfmend({"fix", "--isolated", "--unsafe-fixes", "--export-fixes", "a.json", a}, "", dir);
  Json exported = Json::parse(test::readFile(dir + "/a.json"));
  auto attempt = [&](const Json& doc, const std::string& cwd) {
    test::writeFile(dir + "/t.json", doc.dump(2));
    return runTfmend({"apply", dir + "/t.json"}, "", cwd);
  };
  // A path outside the folder it is applied in, absolute or through "..".
  Json outside = exported;
  outside["files"][0]["path"] = dir + "/" + a;
  auto r1 = attempt(outside, dir);
  EXPECT_EQ(r1.exitCode, 2);
  EXPECT_EQ(r1.err, "error: " + dir + "/" + a + ": refused: an exported path must be relative to the current directory\n"
                    "applied 0 fixes to 0 files, 1 refused\n");
  auto r2 = attempt(exported, dir + "/team1");
  EXPECT_EQ(r2.exitCode, 2);
  EXPECT_NE(r2.err.find("cannot read"), std::string::npos) << r2.err;
  Json dotdot = exported;
  dotdot["files"][0]["path"] = "../" + a;
  auto r3 = attempt(dotdot, dir + "/team1");
  EXPECT_EQ(r3.err, "error: ../" + a + ": refused: the path leaves the current directory\napplied 0 fixes to 0 files, 1 refused\n");
  // An edited operation (a policy that allows everything) is refused: apply
  // applies only the fix its rule proposes now.
  Json edited = exported;
  bool changed = false;
  for (auto& fix : edited["files"][0]["fixes"]) {
    for (auto& op : fix["ops"]) {
      if (!changed && op.contains("value") && op["value"].is_object() && op["value"].dump().find("\"actions\"") != std::string::npos) {
        op["value"] = Json::parse(R"({"statement": [{"actions": ["*"], "effect": "Allow", "resources": ["*"]}]})");
        changed = true;
      }
    }
  }
  ASSERT_TRUE(changed);
  auto r4 = attempt(edited, dir);
  EXPECT_EQ(r4.exitCode, 2);
  EXPECT_NE(r4.err.find("refused: it is not the fix TFM006 proposes (was it edited?); nothing written"), std::string::npos) << r4.err;
  // A fix whose finding is gone is refused; nothing is written.
  std::string before = test::readFile(dir + "/" + a);
  Json gone = exported;
  gone["files"][0]["fixes"][0]["address"] = "aws_vpc.elsewhere";
  auto r5 = attempt(gone, dir);
  EXPECT_EQ(r5.exitCode, 2);
  EXPECT_NE(r5.err.find("its finding no longer exists"), std::string::npos) << r5.err;
  EXPECT_EQ(test::readFile(dir + "/" + a), before);
  // Wrong shapes are errors, not crashes.
  Json numbers = exported;
  numbers["files"][0]["sha256"] = 12;
  auto r6 = attempt(numbers, dir);
  EXPECT_EQ(r6.exitCode, 2);
  EXPECT_EQ(r6.err, "error: " + dir + "/t.json: /files/0: expected {\"path\": string, \"sha256\": string, \"fixes\": [...]}\n");
}

TEST(Bulk, ApplyDiffRedactsTheSecret) {
  std::string dir = fleet();
  std::string a = "team0/failure-03/cdk.tf.json";
  runTfmend({"fix", "--isolated", "--unsafe-fixes", "--export-fixes", "x.json", a}, "", dir);
  auto d = runTfmend({"apply", "--diff", "x.json"}, "", dir);
  EXPECT_EQ(d.exitCode, 0) << d.err;
  EXPECT_NE(d.out.find("-        \"master_password\": \"********\","), std::string::npos) << d.out;
  EXPECT_EQ(d.out.find("ChangeMe"), std::string::npos);
}

TEST(Bulk, NotAnExport) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/x.json", "{\"files\": []}");
  auto r = runTfmend({"apply", dir + "/x.json"});
  EXPECT_EQ(r.exitCode, 2);
  EXPECT_EQ(r.err, "error: " + dir + "/x.json: not a tfmend fix export (written by `tfmend fix --export-fixes`)\n");
}

TEST(Bulk, HtmlReportIsSelfContained) {
  std::string dir = fleet();
  auto r = runTfmend({"fix", "--isolated", "--unsafe-fixes", "--diff", "--format", "html", dir + "/team0"});
  ASSERT_EQ(r.exitCode, 1);
  const std::string& html = r.out;  // with --diff, a format other than text still goes to stdout (the diff is inside)
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<svg role=\"img\" aria-label=\"findings per rule\""), std::string::npos);
  EXPECT_NE(html.find("<details><summary>" + dir + "/team0/model-output/cdk.tf.json (would fix 24, 0 left)"), std::string::npos);
  EXPECT_EQ(html.find("http://"), std::string::npos);
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("ChangeMe12345!"), std::string::npos);
  // Rendered by headless Chromium where it is installed.
  if (test::shell("command -v chromium >/dev/null 2>&1") != 0) GTEST_SKIP() << "chromium is not installed";
  test::writeFile(dir + "/report.html", html);
  std::string shot = dir + "/report.png";
  int rc = test::shell("chromium --headless --no-sandbox --disable-gpu --disable-quic --no-first-run "
                       "--disable-background-networking --disable-component-update --disable-sync --user-data-dir=" +
                       dir + "/profile --window-size=1200,900 --screenshot=" + shot + " file://" + dir +
                       "/report.html >/dev/null 2>&1");
  ASSERT_EQ(rc, 0);
  ASSERT_TRUE(fs::exists(shot));
  EXPECT_GT(fs::file_size(shot), 10000u);  // a page with a chart and tables, not a blank one
}

}  // namespace
}  // namespace tfmend
