// The floor: the least any tool built on tfmend's parser can do. It reads
// every file named and parses it with nlohmann::ordered_json; with --dump it
// also writes each document back with indent 2 (what `fix` must at least do).
// bench/ratios.sh runs it beside tfmend in one run.
#include <fstream>
#include <iostream>
#include <iterator>
#include <string>

#include <nlohmann/json.hpp>

int main(int argc, char** argv) {
  bool dump = false;
  std::size_t bytes = 0, files = 0;
  for (int i = 1; i < argc; ++i) {
    std::string path = argv[i];
    if (path == "--dump") {
      dump = true;
      continue;
    }
    std::ifstream in(path, std::ios::binary);
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    auto doc = nlohmann::ordered_json::parse(text, nullptr, false);
    if (dump) bytes += doc.dump(2).size();
    bytes += text.size();
    ++files;
  }
  std::cout << files << " files, " << bytes << " bytes\n";
  return 0;
}
