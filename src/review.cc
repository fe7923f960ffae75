#include "review.h"

#include <csignal>
#include <iostream>
#include <set>
#include <termios.h>
#include <unistd.h>

#include "tfmend/diff.h"
#include "tfmend/document.h"
#include "tfmend/overrides.h"
#include "tfmend/registry.h"
#include "tfmend/secrets.h"

namespace tfmend {

namespace {

// The terminal's settings while a key is awaited, and whether files are being
// written, for the signal handler.
int gTerminalFd = -1;
termios gSavedTerminal{};
volatile std::sig_atomic_t gRaw = 0;
volatile std::sig_atomic_t gWriting = 0;

/// Ctrl-C (or a kill) while tfmend computes between two questions: nothing has
/// been written yet, so stop as a Ctrl-C at a question does. While the
/// accepted fixes are being written, finish writing them.
extern "C" void interrupted(int sig) {
  if (gWriting) return;
  if (gRaw) ::tcsetattr(gTerminalFd, TCSANOW, &gSavedTerminal);
  static const char message[] = "\ninterrupted: nothing written\n";
  ssize_t ignored = ::write(STDERR_FILENO, message, sizeof message - 1);
  (void)ignored;
  ::_exit(128 + sig);
}

class TerminalAnswers : public Answers {
 public:
  explicit TerminalAnswers(int fd) : fd_(fd) {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) std::signal(sig, interrupted);
  }
  ~TerminalAnswers() override {
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) std::signal(sig, SIG_DFL);
  }
  char next() override {
    termios saved{};
    bool raw = ::tcgetattr(fd_, &saved) == 0;
    if (raw) {
      gTerminalFd = fd_;
      gSavedTerminal = saved;
      gRaw = 1;
      termios t = saved;
      // No line mode and no echo; Ctrl-C arrives as a key, so that the review
      // can end writing nothing, with the terminal as it was.
      t.c_lflag &= static_cast<tcflag_t>(~(ICANON | ECHO | ISIG));
      t.c_cc[VMIN] = 1;
      t.c_cc[VTIME] = 0;
      ::tcsetattr(fd_, TCSANOW, &t);
    }
    char c = kEndOfInput;
    ssize_t n = ::read(fd_, &c, 1);
    if (raw) {
      ::tcsetattr(fd_, TCSANOW, &saved);
      gRaw = 0;
    }
    if (n != 1) return kEndOfInput;
    if (c == '\r') return '\n';
    if (c == 0x1c) return kInterrupt;  // Ctrl-\ too
    return c;
  }

 private:
  int fd_;
};

class LineAnswers : public Answers {
 public:
  explicit LineAnswers(std::istream& in) : in_(in) {}
  char next() override {
    std::string line;
    if (!std::getline(in_, line)) return kEndOfInput;
    auto pos = line.find_first_not_of(" \t\r");
    return pos == std::string::npos ? '\n' : line[pos];
  }

 private:
  std::istream& in_;
};

constexpr const char* kHelp =
    "y - apply this fix\n"
    "n - do not apply this fix\n"
    "a - apply this fix and all the remaining fixes in this file\n"
    "d - apply no more fixes in this file (keep what was accepted)\n"
    "q - quit; keep the fixes accepted so far and write them, review nothing more\n"
    "? - print help (so does Enter)\n"
    "Ctrl-C - stop and write nothing\n";

/// A file whose accepted fixes wait to be written at the end.
struct Pending {
  std::string path;
  std::optional<FileStamp> stamp;  ///< the file as read: a file changed since is not overwritten
  Document original;               ///< for --emit-overrides
  Outcome outcome;
};

}  // namespace

std::unique_ptr<Answers> terminalAnswers(int fd) { return std::make_unique<TerminalAnswers>(fd); }
std::unique_ptr<Answers> lineAnswers(std::istream& in) { return std::make_unique<LineAnswers>(in); }

int runReview(const std::vector<InputPath>& inputs, const ReviewOptions& options, Answers& answers, std::ostream& out,
              std::ostream& err) {
  enum class Stop { No, Quit, EndOfInput, Interrupt } stop = Stop::No;
  bool failed = false;
  std::vector<Pending> pending;
  for (const auto& input : inputs) {
    if (stop != Stop::No) break;
    try {
    auto file = input.error.empty() ? readFile(input.path, options.maxFileBytes) : Result<InputFile>(Error{input.error});
    if (!file) {
      err << "error: " << oneLine(file.error().message) << "\n";
      failed = true;
      continue;
    }
    auto stamp = file->stamp;
    auto doc = parseDocument(input.path, std::move(file->text));
    if (!doc) {
      err << "error: " << oneLine(doc.error().message) << "\n";
      failed = true;
      continue;
    }
    // The same engine step as `fix`: every fix verified before it is shown,
    // and the whole document verified before it is written.
    FixSession session(*doc, options.rules, options.settings);
    std::set<std::string> rejected;
    bool all = false, done = false;
    std::size_t shown = 0;  // fixes of this file asked about so far, for the counter
    std::string problem;
    for (int guard = 0; guard < 10000 && !done && stop == Stop::No; ++guard) {
      auto found = session.beginPass();
      if (!found) {
        problem = found.error().message;
        break;
      }
      if (!(*found)->failures.empty()) {
        problem = "rule " + (*found)->failures.front().rule + " failed: " + (*found)->failures.front().message;
        break;
      }
      const Finding* next = nullptr;
      std::size_t offered = 0;
      for (const auto& f : (*found)->findings) {
        if (f.fix && allowedUnder(options.fixMode, f.fix->applicability) && !rejected.count(f.fixKey())) {
          if (!next) next = &f;
          ++offered;
        }
      }
      if (!next) break;
      // What tfmend says about a fix may quote the document: secrets are redacted.
      auto said = [&](const std::string& text) {
        return oneLine(options.showSecrets ? text : redact(text, documentSecrets(doc->root, next->secrets)));
      };
      auto preview = session.preview(*next);
      if (!preview) {
        out << "skipped " << next->rule << " at " << next->address << ": " << said(preview.error().message) << "\n";
        rejected.insert(next->fixKey());
        continue;
      }
      char answer = 'y';
      if (!all) {
        const Rule* rule = findRule(next->rule);
        std::string message = said(next->message);
        out << "\n" << input.path << ": " << next->address << " [" << next->rule << " "
            << (rule ? std::string(rule->name) : "") << "]\n";
        if (!next->constructPath.empty()) out << "  construct: " << next->constructPath << "\n";
        out << "  " << message << "\n";
        out << "  fix (" << toString(next->fix->applicability)
            << (next->fix->forcesReplacement ? ", forces replacement" : "") << "): " << next->fix->title << "\n";
        std::string d = unifiedDiff(input.path, serialize(session.document(), doc->style), serialize(*preview, doc->style));
        if (!options.showSecrets) d = redact(d, documentSecrets(doc->root, next->secrets));
        out << (options.color ? colorizeDiff(d) : d);
        ++shown;
        while (true) {
          out << "(" << shown << "/" << shown - 1 + offered << ") Apply this fix [y,n,a,d,q,?]? " << std::flush;
          answer = answers.next();
          if (answer == Answers::kEndOfInput) {
            out << "\n";
            break;
          }
          if (answer == Answers::kInterrupt) {
            out << "^C\n";
            break;
          }
          out << (answer == '\n' ? std::string() : std::string(1, answer)) << "\n";
          if (answer == '?' || answer == '\n') {
            out << kHelp;
            continue;
          }
          if (std::string("ynadq").find(answer) != std::string::npos) break;
          out << "unknown answer '" << answer << "'\n" << kHelp;
        }
      }
      switch (answer) {
        case 'a': all = true; [[fallthrough]];
        case 'y': {
          auto v = session.apply(*next);
          if (v.verdict != FixSession::Verdict::Applied) {
            out << "skipped " << next->rule << " at " << next->address << ": " << said(v.reason) << "\n";
            rejected.insert(next->fixKey());
          }
          break;
        }
        case 'n': rejected.insert(next->fixKey()); break;
        case 'd': done = true; break;
        case 'q': stop = Stop::Quit; break;
        case Answers::kEndOfInput: stop = Stop::EndOfInput; break;
        case Answers::kInterrupt: stop = Stop::Interrupt; break;
      }
    }
    session.endPass();
    if (stop == Stop::Interrupt) break;
    if (!problem.empty()) {
      err << "error: " << oneLine(input.path) << ": " << oneLine(problem) << "; nothing written\n";
      failed = true;
      continue;
    }
    if (session.applied().empty()) continue;
    auto outcome = session.finish();
    if (!outcome) {
      err << "error: " << oneLine(outcome.error().message) << "\n";
      failed = true;
      continue;
    }
    pending.push_back({input.path, stamp, std::move(*doc), std::move(*outcome)});
    } catch (const std::exception& e) {
      // One file's internal error is that file's failure; the others go on.
      err << "error: " << oneLine(input.path) << ": internal error: " << oneLine(e.what()) << "; nothing written\n";
      failed = true;
    }
  }
  if (stop == Stop::Interrupt) {
    err << "interrupted: nothing written\n";
    return 130;
  }
  std::size_t totalApplied = 0, filesWritten = 0;
  gWriting = 1;
  if (!options.emitOverrides.empty()) {
    // The accepted fixes as cdktf overrides, in one source file; no stack is written.
    std::vector<StackFixes> stacks;
    for (const auto& p : pending) {
      stacks.push_back({p.path, &p.original.root, p.outcome.applied.empty() ? &p.original.root : &p.outcome.fixed, p.outcome.applied,
                        documentSecrets(p.original.root, p.outcome.secrets)});
      totalApplied += p.outcome.applied.size();
    }
    const auto& [language, file] = options.emitOverrides.front();
    auto source = emitOverrides(stacks, language);
    Status st = source ? writeAtomically(file, *source) : Status(source.error());
    gWriting = 0;
    if (!st) {
      err << "error: " << oneLine(st.error().message) << "\n";
      return 2;
    }
    err << "wrote " << totalApplied << " accepted fix" << (totalApplied == 1 ? "" : "es") << " of " << stacks.size()
        << " stack" << (stacks.size() == 1 ? "" : "s") << " as cdktf overrides to " << oneLine(file) << "\n";
    return failed ? 2 : 0;
  }
  for (const auto& p : pending) {
    if (auto st = writeAtomically(p.path, p.outcome.fixedText, p.stamp); !st) {
      err << "error: " << oneLine(st.error().message) << "\n";
      failed = true;
      continue;
    }
    totalApplied += p.outcome.applied.size();
    ++filesWritten;
  }
  gWriting = 0;
  out << "applied " << totalApplied << " fix" << (totalApplied == 1 ? "" : "es") << " to " << filesWritten << " file"
      << (filesWritten == 1 ? "" : "s")
      << (stop == Stop::Quit         ? " (quit: the fixes accepted so far were kept)"
          : stop == Stop::EndOfInput ? " (end of input: the fixes accepted so far were kept)"
                                     : "")
      << "\n";
  return failed ? 2 : 0;
}

}  // namespace tfmend
