#include "tfmend/regions.h"

#include <map>

#include "tfmend/aws_catalog.h"
#include "tfmend/naming.h"

namespace tfmend {

bool isSideWord(std::string_view token) { return aws::sideOf(token).has_value(); }

RegionWords::RegionWords(const StackModel& model) {
  std::map<std::string, std::map<std::string, int>> counts;  // region -> word -> uses
  for (const Resource& r : model.resources()) {
    if (r.region.empty() || r.isData) continue;
    std::string text = lower(r.constructPath.empty() ? r.name : r.constructPath);
    std::size_t start = 0;
    for (std::size_t i = 0; i <= text.size(); ++i) {
      if (i < text.size() && !isNameSeparator(text[i])) continue;
      std::string_view token(text.data() + start, i - start);
      if (isSideWord(token)) counts[r.region][std::string(token)]++;
      start = i + 1;
    }
  }
  for (const auto& [region, words] : counts) {
    std::string best;
    int bestCount = 0;
    for (const auto& [w, k] : words) {
      if (k > bestCount) best = w, bestCount = k;
    }
    words_[region] = best;
  }
}

std::string RegionWords::of(const std::string& region) const {
  auto it = words_.find(region);
  return it == words_.end() || it->second.empty() ? region : it->second;
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
