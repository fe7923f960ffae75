// libFuzzer target: one file's whole path through tfmend as `fix --unsafe-fixes`
// takes it (parse, model, rules, fix, serialize), then every report of it.
// Besides the sanitizers' findings, it stops on what must never happen: an
// exception out of the engine, a fixed file that does not parse, a parsed
// document that does not survive serialize and parse, a report that cannot be
// printed. Built by scripts/fuzz.sh (clang, -DTFMEND_FUZZ=ON).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>

#include "tfmend/diff.h"
#include "tfmend/document.h"
#include "tfmend/engine.h"
#include "tfmend/locate.h"
#include "tfmend/registry.h"
#include "tfmend/report.h"
#include "tfmend/secrets.h"

namespace {

[[noreturn]] void broken(const char* what, const std::string& detail) {
  std::fprintf(stderr, "tfmend_fuzz: %s: %s\n", what, detail.c_str());
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace tfmend;
  std::string text(reinterpret_cast<const char*>(data), size);
  auto doc = parseDocument("fuzz.tf.json", text);
  if (!doc) {
    const std::string& m = doc.error().message;
    if (m.find('\n') != std::string::npos || m.size() > 400 || !isValidUtf8(m)) broken("parse error is not one short line", m);
    return 0;
  }
  std::string written = serialize(doc->root, doc->style);
  auto again = parseDocument("again.tf.json", written);
  if (!again) broken("serialized document does not parse", again.error().message);
  if (again->root != doc->root) broken("serialized document parses to another value", written.substr(0, 200));

  EngineOptions options;
  options.fixMode = FixMode::Unsafe;
  options.maxPasses = 4;  // enough for fixes built on fixes; keeps an input's run short
  auto outcome = runEngine(*doc, allRules(), Settings{}, options);
  if (!outcome) return 0;
  if (outcome->changed) {
    auto fixed = parseDocument("fixed.tf.json", outcome->fixedText);
    if (!fixed) broken("fixed document does not parse", fixed.error().message);
  }
  FileReport report;
  report.path = doc->path;
  report.secrets = documentSecrets(doc->root, outcome->secrets);
  report.diff = redact(unifiedDiff(doc->path, doc->text, outcome->fixedText), report.secrets);
  std::vector<std::string> pointers;
  for (const auto& f : outcome->findings) pointers.push_back(f.pointer);
  const std::string& shown = outcome->changed ? outcome->fixedText : doc->text;
  for (const TextPosition& at : locate(shown, pointers)) {
    if (at.line < 1 || at.column < 1) broken("a finding placed before the start of the text", "");
    report.lines.push_back(at.line);
    report.columns.push_back(at.column);
  }
  report.findings = outcome->findings;
  report.fixed = outcome->applied;
  report.skipped = outcome->skipped;
  report.ruleFailures = outcome->ruleFailures;
  ReportContext ctx;
  ctx.rules = allRules();
  ctx.fixMode = FixMode::Unsafe;
  ctx.fixing = true;
  std::vector<FileReport> reports{report};
  try {
    (void)formatJson(reports, ctx).dump();
    (void)formatSarif(reports, ctx).dump();
  } catch (const Json::exception& e) {
    broken("a report cannot be printed", e.what());
  }
  (void)formatText(reports, ctx);
  (void)formatGithub(reports, ctx);
  return 0;
}
