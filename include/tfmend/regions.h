#pragma once
/// How a stack tells its regions apart in names: a side word ("primary",
/// "secondary", "dr", ...) or the region's own name. Rules that add resources
/// to another region (mirrored compute, alarms, DNS records) name them with it.

#include <map>
#include <string>
#include <string_view>

#include "tfmend/stack_model.h"

namespace tfmend {

/// Words that name a side of a multi-region stack (the catalogue's side words).
bool isSideWord(std::string_view token);

/// The word that the stack's construct paths and names use for each region: the
/// side word most common among its resources, else the region's name. Built in
/// one pass over the stack, so that rules ask it as often as they like.
class RegionWords {
 public:
  explicit RegionWords(const StackModel& model);
  std::string of(const std::string& region) const;

 private:
  std::map<std::string, std::string> words_;
};

/// `text` with `from` replaced by `to`: whole tokens for words, anywhere for
/// region names ("us-east-1" inside "awslogs-region").
std::string swapWord(const std::string& text, const std::string& from, const std::string& to);

}  // namespace tfmend
