// The check cache: same bytes, build, rules and settings give the stored
// report; anything else is checked afresh; no secret is ever stored.
#include "cache.h"

#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <gtest/gtest.h>

#include "test_support.h"

namespace tfmend {
namespace {

namespace fs = std::filesystem;
using test::runTfmend;

std::vector<std::string> entries(const std::string& folder) {
  std::vector<std::string> out;
  if (!fs::exists(folder)) return out;
  for (const auto& e : fs::recursive_directory_iterator(folder)) {
    if (e.is_regular_file() && e.path().extension() == ".json") out.push_back(e.path().string());
  }
  return out;
}

std::string stack(const std::string& name) {
  return test::readFile(std::string(TFMEND_SOURCE_DIR) + "/golden/payment-migration/stacks/" + name + "/cdk.tf.json");
}

TEST(Cache, ASecondCheckReadsTheStoredReportAndPrintsTheSame) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/a/cdk.tf.json", stack("model-output"));
  test::writeFile(dir + "/b/cdk.tf.json", stack("failure-03"));
  for (std::string format : {"text", "json", "github"}) {
    auto cold = runTfmend({"check", "--isolated", "--format", format, "."}, "", dir);
    auto warm = runTfmend({"check", "--isolated", "--format", format, "."}, "", dir);
    EXPECT_EQ(cold.exitCode, 1) << cold.err;
    EXPECT_EQ(warm.exitCode, cold.exitCode);
    EXPECT_EQ(warm.out, cold.out) << format;
    EXPECT_EQ(warm.err, cold.err) << format;
  }
  EXPECT_EQ(entries(dir + "/.tfmend_cache").size(), 2u);
  EXPECT_EQ(test::readFile(dir + "/.tfmend_cache/.gitignore"), "# Automatically created by tfmend.\n*\n");
  EXPECT_TRUE(fs::exists(dir + "/.tfmend_cache/CACHEDIR.TAG"));
}

TEST(Cache, TheStoredReportIsWhatIsPrinted) {
  // Proof that the second run reads the cache: an entry edited by hand shows.
  std::string dir = test::tempDir();
  test::writeFile(dir + "/cdk.tf.json", stack("failure-01"));
  auto cold = runTfmend({"check", "--isolated", "--cache-dir", "c", "cdk.tf.json"}, "", dir);
  auto stored = entries(dir + "/c");
  ASSERT_EQ(stored.size(), 1u);
  Json entry = Json::parse(test::readFile(stored[0]));
  ASSERT_EQ(entry["findings"].size(), 2u);
  entry["findings"][0]["message"] = "from the cache";
  test::writeFile(stored[0], entry.dump());
  auto warm = runTfmend({"check", "--isolated", "--cache-dir", "c", "cdk.tf.json"}, "", dir);
  EXPECT_NE(warm.out.find("from the cache"), std::string::npos) << warm.out;
  // --no-cache reads and writes none.
  auto fresh = runTfmend({"check", "--isolated", "--no-cache", "--cache-dir", "c", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(fresh.out, cold.out);
  auto none = runTfmend({"check", "--isolated", "--no-cache", "cdk.tf.json"}, "", dir);
  EXPECT_FALSE(fs::exists(dir + "/.tfmend_cache"));
  // A damaged entry is a miss, and is replaced.
  test::writeFile(stored[0], "{not json");
  auto repaired = runTfmend({"check", "--isolated", "--cache-dir", "c", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(repaired.out, cold.out);
  EXPECT_NO_THROW(Json::parse(test::readFile(stored[0])));
}

TEST(Cache, OtherBytesRulesOrSettingsAreCheckedAfresh) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/cdk.tf.json", stack("failure-01"));
  auto first = runTfmend({"check", "--isolated", "--format", "json", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(Json::parse(first.out)["summary"]["findings"], 2);
  auto other = runTfmend({"check", "--isolated", "--format", "json", "--env-suffix", "prod", "cdk.tf.json"}, "", dir);
  EXPECT_NE(other.out, first.out);
  auto fewer = runTfmend({"check", "--isolated", "--format", "json", "--ignore", "TFM001", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(Json::parse(fewer.out)["summary"]["findings"], 0);
  auto fixed = runTfmend({"fix", "--isolated", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(fixed.exitCode, 0) << fixed.err;
  auto after = runTfmend({"check", "--isolated", "--format", "json", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(Json::parse(after.out)["summary"]["findings"], 0) << after.out;
  EXPECT_EQ(entries(dir + "/.tfmend_cache").size(), 4u);
}

TEST(Cache, AFileEditedInTheSameSizeRightAfterACheckIsCheckedAgain) {
  // The fast path trusts a file's status only once its last change has settled.
  std::string dir = test::tempDir();
  std::string text = stack("failure-01");
  test::writeFile(dir + "/cdk.tf.json", text);
  auto first = runTfmend({"check", "--isolated", "--format", "json", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(Json::parse(first.out)["summary"]["findings"], 2);
  std::string same = text;
  auto at = same.find("\"payment-vpc-legacy\"");
  ASSERT_NE(at, std::string::npos);
  same.replace(at, 20, "\"payment-vpc-lega-v\"");  // same size, other name: still lacks the suffix
  auto tail = same.find("\"payment-vpc-legacy\"");
  ASSERT_NE(tail, std::string::npos);
  same.replace(tail, 20, "\"payment-vpc-le-dev\"");  // the second VPC now carries it
  ASSERT_EQ(same.size(), text.size());
  test::writeFile(dir + "/cdk.tf.json", same);
  auto second = runTfmend({"check", "--isolated", "--format", "json", "cdk.tf.json"}, "", dir);
  EXPECT_NE(second.out, first.out);
  EXPECT_EQ(Json::parse(second.out)["summary"]["findings"], 1) << second.out;
}

TEST(Cache, AnUnchangedFileIsNotReadAgain) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/cdk.tf.json", stack("failure-01"));
  // Settled: its last change two seconds and more ago.
  auto old = std::filesystem::file_time_type::clock::now() - std::chrono::seconds(10);
  std::filesystem::last_write_time(dir + "/cdk.tf.json", old);
  ::sleep(2);  // the change time (set by the line above) settles too
  auto first = runTfmend({"check", "--isolated", "--cache-dir", "c", "cdk.tf.json"}, "", dir);
  std::vector<fs::path> records;
  for (const auto& e : fs::directory_iterator(dir + "/c/paths")) records.push_back(e.path());
  ASSERT_EQ(records.size(), 1u);
  // Point the file's status record at an entry of its own: the next run must
  // take the report from there, without reading and hashing the file.
  std::string record = test::readFile(records[0].string());
  std::string key = record.substr(record.find('\n') + 1);
  Json entry = Json::parse(test::readFile(dir + "/c/" + key.substr(0, 2) + "/" + key.substr(2) + ".json"));
  entry["findings"][0]["message"] = "by its status";
  std::string other(64, 'f');
  test::writeFile(dir + "/c/ff/" + other.substr(2) + ".json", entry.dump());
  test::writeFile(records[0].string(), record.substr(0, record.find('\n') + 1) + other);
  auto second = runTfmend({"check", "--isolated", "--cache-dir", "c", "cdk.tf.json"}, "", dir);
  EXPECT_NE(second.out.find("by its status"), std::string::npos) << second.out;
  // Touched (status changed, bytes not): read and hashed again, the true entry.
  std::filesystem::last_write_time(dir + "/cdk.tf.json", old);
  auto third = runTfmend({"check", "--isolated", "--cache-dir", "c", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(third.out, first.out);
}

TEST(Cache, NoSecretIsEverStored) {
  std::string dir = test::tempDir();
  std::string text = stack("failure-02");  // a literal master password
  test::writeFile(dir + "/cdk.tf.json", text);
  auto r = runTfmend({"check", "--isolated", "--format", "json", "cdk.tf.json"}, "", dir);
  ASSERT_EQ(r.exitCode, 1) << r.err;
  auto doc = Json::parse(text);
  std::string secret;
  for (auto& [type, byName] : doc["resource"].items()) {
    for (auto& [name, body] : byName.items()) {
      if (body.contains("master_password") && body["master_password"].is_string()) secret = body["master_password"];
    }
  }
  ASSERT_FALSE(secret.empty());
  auto stored = entries(dir + "/.tfmend_cache");
  ASSERT_EQ(stored.size(), 1u);
  EXPECT_EQ(test::readFile(stored[0]).find(secret), std::string::npos);
  auto warm = runTfmend({"check", "--isolated", "--format", "json", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(warm.out, r.out);
  // --show-secrets bypasses the cache: what it prints is not what was stored.
  auto shown = runTfmend({"check", "--isolated", "--show-secrets", "--format", "json", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(shown.exitCode, 1);
}

TEST(Cache, AFolderThatCannotBeWrittenCostsOnlyTheCache) {
  std::string dir = test::tempDir();
  test::writeFile(dir + "/cdk.tf.json", stack("failure-01"));
  test::writeFile(dir + "/blocked", "a file where the cache folder would be");
  auto r = runTfmend({"check", "--isolated", "--cache-dir", "blocked/c", "cdk.tf.json"}, "", dir);
  EXPECT_EQ(r.exitCode, 1);
  EXPECT_EQ(r.err, "");
}

}  // namespace
}  // namespace tfmend
