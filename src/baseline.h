#pragma once
/// `--baseline FILE`: adopting tfmend on stacks that already have findings. A
/// saved `tfmend check --format json` report is the baseline; the findings it
/// holds are not reported (or counted for the exit code) again, new ones are.

#include <map>
#include <string>

#include "tfmend/report.h"
#include "tfmend/result.h"

namespace tfmend {

/// The findings of a saved JSON report, by file, rule, address and pointer
/// (not message, which may change between versions).
class Baseline {
 public:
  /// Reads a report written by `--format json`; an error names the file.
  static Result<Baseline> load(const std::string& path);

  /// Takes out of `report` the findings the baseline holds (each baseline
  /// entry covers one finding) and returns how many.
  std::size_t filter(FileReport& report);

 private:
  std::map<std::string, std::size_t> counts_;
};

/// A path as the baseline compares it: `./a//b` and `a/b` are the same file.
std::string baselinePath(const std::string& path);

}  // namespace tfmend
