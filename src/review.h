#pragma once
/// `tfmend review`: fix by fix, as `git add -p` goes hunk by hunk. Each fix is
/// shown with its finding, its own diff and a counter (3/23), and the person
/// answers y (apply), n (skip), a (apply this and all the rest of the file),
/// d (done with this file), q (quit) or ? (help; so does Enter). After every
/// answer the file is detected afresh against what was accepted, so a fix that
/// depended on a rejected one is recomputed, or no longer offered.
///
/// Files are written at the end, as `git add -p` stages at the end: q and the
/// end of input keep what was accepted so far and write it; Ctrl-C writes
/// nothing.

#include <iosfwd>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "tfmend/engine.h"
#include "tfmend/file_io.h"
#include "tfmend/overrides.h"

namespace tfmend {

/// Where answers come from: single keys on a terminal, or one answer a line.
class Answers {
 public:
  /// next() at the end of input.
  static constexpr char kEndOfInput = '\x04';
  /// next() for Ctrl-C on a terminal.
  static constexpr char kInterrupt = '\x03';

  virtual ~Answers() = default;
  /// The next answer's key: '\n' for an empty answer (Enter), kEndOfInput, kInterrupt.
  virtual char next() = 0;
};

/// Single keys from a terminal (no Enter needed; Ctrl-C is read as a key). The
/// terminal's settings are restored after every key, and by a signal that
/// ends tfmend while it waits for one.
std::unique_ptr<Answers> terminalAnswers(int fd);
/// One answer a line (its first character), for scripts.
std::unique_ptr<Answers> lineAnswers(std::istream& in);

struct ReviewOptions {
  std::vector<const Rule*> rules;
  Settings settings;
  FixMode fixMode = FixMode::Safe;
  bool showSecrets = false;
  bool color = false;
  std::uint64_t maxFileBytes = kDefaultMaxInputBytes;
  /// At most one (language, file): write the accepted fixes there as cdktf
  /// overrides instead of writing the stacks.
  std::vector<std::pair<OverrideLanguage, std::string>> emitOverrides;
};

/// Reviews `inputs`; returns the exit code (0 done, 2 a file failed, 130
/// interrupted: nothing written).
int runReview(const std::vector<InputPath>& inputs, const ReviewOptions& options, Answers& answers, std::ostream& out,
              std::ostream& err);

}  // namespace tfmend
