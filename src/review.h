#pragma once
/// `tfmend review`: fix by fix, as `git add -p` goes hunk by hunk. Each fix is
/// shown with its finding and its own diff, and the person answers
/// y (apply), n (skip), a (apply this and all the rest of the file), d (done
/// with this file), q (quit, writing nothing more) or ? (help). After every
/// answer the file is detected afresh against what was accepted, so a fix that
/// depended on a rejected one is recomputed, or no longer offered.

#include <iosfwd>
#include <memory>
#include <vector>

#include "tfmend/engine.h"
#include "tfmend/file_io.h"

namespace tfmend {

/// Where answers come from: single keys on a terminal, or one answer a line.
class Answers {
 public:
  virtual ~Answers() = default;
  /// The next answer's key; 'q' at the end of input.
  virtual char next() = 0;
};

/// Single keys from a terminal (raw mode, no Enter needed).
std::unique_ptr<Answers> terminalAnswers(int fd);
/// One answer a line (its first character), for scripts.
std::unique_ptr<Answers> lineAnswers(std::istream& in);

struct ReviewOptions {
  std::vector<const Rule*> rules;
  Settings settings;
  FixMode fixMode = FixMode::Safe;
  bool showSecrets = false;
  bool color = false;
};

/// Reviews `inputs`; returns the exit code (0 done, 2 a file failed).
int runReview(const std::vector<InputPath>& inputs, const ReviewOptions& options, Answers& answers, std::ostream& out,
              std::ostream& err);

}  // namespace tfmend
