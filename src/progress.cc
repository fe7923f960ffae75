#include "progress.h"

#include <cmath>

namespace tfmend {

Progress::Progress(std::size_t total, bool enabled, std::FILE* to) : total_(total), enabled_(enabled && total > 1), to_(to) {}

std::string Progress::line(std::size_t done, std::size_t total, std::size_t findings, double seconds, int width) {
  std::size_t filled = total == 0 ? 0 : done * static_cast<std::size_t>(width) / total;
  std::string bar(filled, '#');
  bar.resize(static_cast<std::size_t>(width), '.');
  double rate = seconds > 0 ? static_cast<double>(done) / seconds : 0;
  char buf[160];
  if (rate > 0 && done < total) {
    long left = std::lround(static_cast<double>(total - done) / rate);
    std::snprintf(buf, sizeof buf, " %zu/%zu files, %zu findings, %.1f files/s, %lds left", done, total, findings, rate, left);
  } else {
    std::snprintf(buf, sizeof buf, " %zu/%zu files, %zu findings, %.1f files/s", done, total, findings, rate);
  }
  return "[" + bar + "]" + buf;
}

void Progress::step(std::size_t findings) {
  ++done_;
  findings_ += findings;
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (done_ < total_ && now - lastDraw_ < std::chrono::milliseconds(100)) return;  // at most 10 frames a second
  lastDraw_ = now;
  double seconds = std::chrono::duration<double>(now - start_).count();
  std::fprintf(to_, "\r\033[K%s", line(done_, total_, findings_, seconds, 30).c_str());
  std::fflush(to_);
}

void Progress::finish() {
  if (!enabled_) return;
  std::fprintf(to_, "\r\033[K");
  std::fflush(to_);
}

}  // namespace tfmend
