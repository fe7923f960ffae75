#include "tfmend/regions.h"

#include <map>

#include "tfmend/naming.h"

namespace tfmend {

bool isSideWord(std::string_view token) {
  for (std::string_view w : {"primary", "secondary", "tertiary", "dr", "replica", "backup", "failover", "source", "destination"}) {
    if (token == w) return true;
  }
  return false;
}

std::string regionWord(const StackModel& model, const std::string& region) {
  std::map<std::string, int> counts;
  for (const Resource& r : model.resources()) {
    if (r.region != region || r.isData) continue;
    // Only the resource's own part of the path, not the construct scopes above it.
    std::string own = r.constructPath.empty() ? r.name : r.constructPath;
    std::string text = lower(own);
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
      if (i < text.size() && !isNameSeparator(text[i])) continue;
      std::string token = text.substr(start, i - start);
      if (isSideWord(token)) counts[token]++;
      start = i + 1;
    }
  }
  std::string best;
  int bestCount = 0;
  for (const auto& [w, k] : counts) {
    if (k > bestCount) best = w, bestCount = k;
  }
  return best.empty() ? region : best;
}

std::string swapWord(const std::string& text, const std::string& from, const std::string& to) {
  if (from.empty() || from == to) return text;
  bool regionName = from.find('-') != std::string::npos;  // "us-east-1": a substring anywhere
  std::string out;
  std::size_t i = 0;
  while (i < text.size()) {
    if (text.compare(i, from.size(), from) == 0) {
      bool startOk = regionName || i == 0 || isNameSeparator(text[i - 1]);
      std::size_t end = i + from.size();
      bool endOk = regionName || end == text.size() || isNameSeparator(text[end]);
      if (startOk && endOk) {
        out += to;
        i = end;
        continue;
      }
    }
    out += text[i++];
  }
  return out;
}

}  // namespace tfmend
