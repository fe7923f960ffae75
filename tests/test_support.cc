#include "test_support.h"

#include <algorithm>
#include <array>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <gtest/gtest.h>
#include <sstream>
#include <sys/wait.h>
#include <unistd.h>

namespace tfmend::test {

std::string readFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void writeFile(const std::string& path, const std::string& text) {
  std::filesystem::create_directories(std::filesystem::path(path).parent_path());
  std::ofstream out(path, std::ios::binary);
  out << text;
}

std::string tempDir() {
  std::string tmpl = (std::filesystem::temp_directory_path() / "tfmend-test-XXXXXX").string();
  char* dir = ::mkdtemp(tmpl.data());
  return dir ? std::string(dir) : std::string();
}


Run runTfmend(const std::vector<std::string>& args, const std::string& stdinText, const std::string& cwd) {
  // stdout and stderr go to files so that a large output cannot block the child.
  std::string dir = tempDir();
  std::string in = dir + "/stdin", out = dir + "/stdout", err = dir + "/stderr";
  writeFile(in, stdinText);
  pid_t pid = ::fork();
  if (pid == 0) {
    if (!cwd.empty() && ::chdir(cwd.c_str()) != 0) ::_exit(127);
    FILE* fi = std::freopen(in.c_str(), "r", stdin);
    FILE* fo = std::freopen(out.c_str(), "w", stdout);
    FILE* fe = std::freopen(err.c_str(), "w", stderr);
    (void)fi; (void)fo; (void)fe;
    std::vector<char*> argv;
    std::string bin = TFMEND_BINARY;
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    ::setenv("NO_COLOR", "1", 1);
    ::execv(bin.c_str(), argv.data());
    ::_exit(127);
  }
  int status = 0;
  ::waitpid(pid, &status, 0);
  Run r;
  r.exitCode = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  r.out = readFile(out);
  r.err = readFile(err);
  std::filesystem::remove_all(dir);
  return r;
}

int shell(const std::string& command) {
  int status = std::system(command.c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::vector<std::string> goldenStacks() {
  std::vector<std::string> out;
  for (const auto& e : std::filesystem::directory_iterator(std::string(TFMEND_SOURCE_DIR) + "/golden/payment-migration/stacks")) {
    out.push_back((e.path() / "cdk.tf.json").string());
  }
  std::sort(out.begin(), out.end());
  return out;
}

Document load(const std::string& path) {
  auto doc = parseDocument(path, readFile(path));
  if (!doc) ADD_FAILURE() << doc.error().message;
  return doc ? std::move(*doc) : Document{};
}

}  // namespace tfmend::test
