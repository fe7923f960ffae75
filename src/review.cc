#include "review.h"

#include <iostream>
#include <set>
#include <termios.h>
#include <unistd.h>

#include "tfmend/diff.h"
#include "tfmend/document.h"
#include "tfmend/registry.h"
#include "tfmend/secrets.h"

namespace tfmend {

namespace {

class TerminalAnswers : public Answers {
 public:
  explicit TerminalAnswers(int fd) : fd_(fd) {}
  char next() override {
    termios saved{};
    bool raw = ::tcgetattr(fd_, &saved) == 0;
    if (raw) {
      termios t = saved;
      t.c_lflag &= static_cast<tcflag_t>(~(ICANON | ECHO));
      t.c_cc[VMIN] = 1;
      t.c_cc[VTIME] = 0;
      ::tcsetattr(fd_, TCSANOW, &t);
    }
    char c = 'q';
    ssize_t n = ::read(fd_, &c, 1);
    if (raw) ::tcsetattr(fd_, TCSANOW, &saved);
    return n == 1 ? c : 'q';
  }

 private:
  int fd_;
};

class LineAnswers : public Answers {
 public:
  explicit LineAnswers(std::istream& in) : in_(in) {}
  char next() override {
    std::string line;
    while (std::getline(in_, line)) {
      auto pos = line.find_first_not_of(" \t\r");
      if (pos != std::string::npos) return line[pos];
    }
    return 'q';
  }

 private:
  std::istream& in_;
};

constexpr const char* kHelp =
    "y - apply this fix\n"
    "n - do not apply this fix\n"
    "a - apply this fix and all the remaining fixes in this file\n"
    "d - apply no more fixes in this file (write what was accepted)\n"
    "q - quit; do not write this file or review any other\n"
    "? - print help\n";

}  // namespace

std::unique_ptr<Answers> terminalAnswers(int fd) { return std::make_unique<TerminalAnswers>(fd); }
std::unique_ptr<Answers> lineAnswers(std::istream& in) { return std::make_unique<LineAnswers>(in); }

int runReview(const std::vector<InputPath>& inputs, const ReviewOptions& options, Answers& answers, std::ostream& out,
              std::ostream& err) {
  bool quit = false, failed = false;
  std::size_t totalApplied = 0, filesWritten = 0;
  for (const auto& input : inputs) {
    if (quit) break;
    auto text = input.error.empty() ? readInput(input.path) : Result<std::string>(Error{input.error});
    if (!text) {
      err << "error: " << text.error().message << "\n";
      failed = true;
      continue;
    }
    auto doc = parseDocument(input.path, std::move(*text));
    if (!doc) {
      err << "error: " << doc.error().message << "\n";
      failed = true;
      continue;
    }
    // The same engine step as `fix`: every fix verified before it is shown,
    // and the whole document verified before it is written.
    FixSession session(*doc, options.rules, options.settings);
    std::set<std::string> rejected;
    bool all = false, done = false;
    std::string problem;
    for (int guard = 0; guard < 10000 && !done && !quit; ++guard) {
      auto found = session.beginPass();
      if (!found) {
        problem = found.error().message;
        break;
      }
      if (!found->failures.empty()) {
        problem = "rule " + found->failures.front().rule + " failed: " + found->failures.front().message;
        break;
      }
      const Finding* next = nullptr;
      for (const auto& f : found->findings) {
        if (f.fix && allowedUnder(options.fixMode, f.fix->applicability) && !rejected.count(f.fixKey())) {
          next = &f;
          break;
        }
      }
      if (!next) break;
      auto preview = session.preview(*next);
      if (!preview) {
        out << "skipped " << next->rule << " at " << next->address << ": " << preview.error().message << "\n";
        rejected.insert(next->fixKey());
        continue;
      }
      char answer = 'y';
      if (!all) {
        const Rule* rule = findRule(next->rule);
        std::string message = options.showSecrets ? next->message : redact(next->message, next->secrets);
        out << "\n" << input.path << ": " << next->address << " [" << next->rule << " "
            << (rule ? std::string(rule->name) : "") << "]\n";
        if (!next->constructPath.empty()) out << "  construct: " << next->constructPath << "\n";
        out << "  " << message << "\n";
        out << "  fix (" << toString(next->fix->applicability)
            << (next->fix->forcesReplacement ? ", forces replacement" : "") << "): " << next->fix->title << "\n";
        std::string d = unifiedDiff(input.path, serialize(session.document(), doc->style), serialize(*preview, doc->style));
        if (!options.showSecrets) d = redact(d, documentSecrets(doc->root, next->secrets));
        out << (options.color ? colorizeDiff(d) : d);
        while (true) {
          out << "Apply this fix [y,n,a,d,q,?]? " << std::flush;
          answer = answers.next();
          out << answer << "\n";
          if (answer == '?') {
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
            out << "skipped " << next->rule << " at " << next->address << ": " << v.reason << "\n";
            rejected.insert(next->fixKey());
          }
          break;
        }
        case 'n': rejected.insert(next->fixKey()); break;
        case 'd': done = true; break;
        case 'q': quit = true; break;
      }
    }
    session.endPass();
    if (!problem.empty()) {
      err << "error: " << input.path << ": " << problem << "; nothing written\n";
      failed = true;
      continue;
    }
    std::size_t applied = session.applied().size();
    if (quit || applied == 0) continue;
    auto outcome = session.finish();
    if (!outcome) {
      err << "error: " << outcome.error().message << "\n";
      failed = true;
      continue;
    }
    if (auto st = writeAtomically(input.path, outcome->fixedText); !st) {
      err << "error: " << st.error().message << "\n";
      failed = true;
      continue;
    }
    totalApplied += applied;
    ++filesWritten;
  }
  out << "applied " << totalApplied << " fix" << (totalApplied == 1 ? "" : "es") << " to " << filesWritten << " file"
      << (filesWritten == 1 ? "" : "s") << (quit ? " (quit)" : "") << "\n";
  return failed ? 2 : 0;
}

}  // namespace tfmend
