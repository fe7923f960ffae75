#pragma once
/// A progress bar on stderr for long runs: files done of total, findings so
/// far, rate and time left. Only on a terminal; nothing when stderr is piped.

#include <chrono>
#include <cstdio>
#include <string>

namespace tfmend {

class Progress {
 public:
  /// `enabled` is false when stderr is not a terminal (or with -q).
  Progress(std::size_t total, bool enabled, std::FILE* to = stderr);
  /// One more file is done, with this many findings (left and fixed).
  void step(std::size_t findings);
  /// Clears the bar.
  void finish();

  /// The line drawn for `done` of `total` after `seconds` (for tests).
  static std::string line(std::size_t done, std::size_t total, std::size_t findings, double seconds, int width);

 private:
  std::size_t total_, done_ = 0, findings_ = 0;
  bool enabled_;
  std::FILE* to_;
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now(), lastDraw_{};
};

}  // namespace tfmend
