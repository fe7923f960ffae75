#include "tfmend/engine.h"

#include <functional>
#include <memory>
#include <stdexcept>
#include <gtest/gtest.h>

#include "test_support.h"
#include "tfmend/suppression.h"
#include "tfmend/registry.h"

namespace tfmend {
namespace {

Document doc(const std::string& text) {
  auto d = parseDocument("stack.tf.json", text);
  EXPECT_TRUE(d) << d.error().message;
  return *d;
}

const char* kTwoVpcs = R"({
  "resource": {
    "aws_vpc": {
      "a": {
        "cidr_block": "10.0.0.0/16"
      },
      "b": {
        "cidr_block": "10.1.0.0/16",
        "tags": {
          "Env": "dev"
        }
      }
    }
  }
}
)";

TEST(Engine, CheckReportsAndChangesNothing) {
  const Rule* rules[] = {&test::missingNameTagRule()};
  auto out = runEngine(doc(kTwoVpcs), rules, Settings{}, EngineOptions{});
  ASSERT_TRUE(out) << out.error().message;
  ASSERT_EQ(out->findings.size(), 2u);
  EXPECT_EQ(out->findings[0].address, "aws_vpc.a");
  EXPECT_FALSE(out->changed);
  EXPECT_EQ(out->fixedText, "");  // a check copies no text
  EXPECT_TRUE(out->fixed.is_null());  // nor the document
}

TEST(Engine, FixAppliesVerifiesAndIsIdempotent) {
  const Rule* rules[] = {&test::missingNameTagRule()};
  EngineOptions fix;
  fix.fixMode = FixMode::Safe;
  auto out = runEngine(doc(kTwoVpcs), rules, Settings{}, fix);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_TRUE(out->findings.empty());
  EXPECT_EQ(out->applied.size(), 2u);
  EXPECT_TRUE(out->changed);
  EXPECT_NE(out->fixedText.find("\"cidr_block\": \"10.0.0.0/16\",\n        \"tags\": {\n          \"Name\": \"a\""),
            std::string::npos)
      << out->fixedText;
  // The added tag goes before "Env"? No: Env < Name, so after it, in sorted place.
  EXPECT_NE(out->fixedText.find("\"Env\": \"dev\",\n          \"Name\": \"b\""), std::string::npos);
  auto again = runEngine(doc(out->fixedText), rules, Settings{}, fix);
  ASSERT_TRUE(again);
  EXPECT_FALSE(again->changed);
  EXPECT_EQ(again->fixedText, out->fixedText);
}

TEST(Engine, UnsafeFixesNeedUnsafeMode) {
  EXPECT_TRUE(allowedUnder(FixMode::Unsafe, Applicability::Unsafe));
  EXPECT_FALSE(allowedUnder(FixMode::Safe, Applicability::Unsafe));
  EXPECT_TRUE(allowedUnder(FixMode::Safe, Applicability::Safe));
  EXPECT_FALSE(allowedUnder(FixMode::None, Applicability::Safe));
}

TEST(Engine, FixWithUnresolvableReferenceIsSkippedAndSaysWhy) {
  const Rule* rules[] = {&test::danglingFixRule()};
  EngineOptions fix;
  fix.fixMode = FixMode::Safe;
  auto out = runEngine(doc(R"({"resource": {"aws_subnet": {"s": {"cidr_block": "10.0.0.0/24"}}}})"), rules, Settings{}, fix);
  ASSERT_TRUE(out);
  EXPECT_FALSE(out->changed);
  ASSERT_EQ(out->skipped.size(), 1u);
  EXPECT_EQ(out->skipped[0].reason, "its reference to aws_vpc.does_not_exist would not resolve");
  EXPECT_EQ(out->findings.size(), 1u);
}

/// A fix that reads a key its local's table lacks (a record weighted by
/// `local.w[var.phase]["west"]` where no row of local.w has "west") leaves a
/// stack that `terraform plan` refuses ("Invalid index"): the engine does not
/// write it. A wrong index that the input already had is the user's.
TEST(Engine, FixThatIndexesALocalByAMissingKeyIsNotWritten) {
  static const Rule rule{"TST004", "missing-key", Severity::Low, "weights a record by a key its table lacks", "safe",
                         [](const RuleContext& ctx) {
                           std::vector<Finding> out;
                           for (const Resource* r : ctx.model.ofType("aws_route53_record")) {
                             if (r->body->contains("weight")) continue;
                             Finding f = makeFinding(rule, *r, r->pointer, "no weight");
                             Fix fix;
                             fix.title = "weight it by the table";
                             fix.ops.push_back(opAdd(r->pointer + "/weight", "${local.w[var.phase][\"west\"]}"));
                             f.fix = std::move(fix);
                             out.push_back(std::move(f));
                           }
                           return out;
                         }};
  const Rule* rules[] = {&rule};
  EngineOptions fix;
  fix.fixMode = FixMode::Safe;
  const char* stack = R"({"variable": {"phase": {"default": "a"}},
    "locals": {"w": {"a": {"east": 100, "west": 0}, "b": {"east": 50}}},
    "resource": {"aws_route53_record": {"r": {"name": "x"}}}})";
  auto out = runEngine(doc(stack), rules, Settings{}, fix);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().message,
            "stack.tf.json: fixed document does not verify: /resource/aws_route53_record/r/weight reads "
            "local.w[var.phase][\"west\"], but local.w.b has no key \"west\"; nothing was written");
  // With every row holding the key, the same fix verifies.
  auto good = runEngine(doc(R"({"variable": {"phase": {"default": "a"}},
    "locals": {"w": {"a": {"east": 100, "west": 0}, "b": {"east": 50, "west": 50}}},
    "resource": {"aws_route53_record": {"r": {"name": "x"}}}})"), rules, Settings{}, fix);
  ASSERT_TRUE(good) << good.error().message;
  EXPECT_TRUE(good->changed);
  // The input's own wrong index is left to the user.
  auto theirs = runEngine(doc(R"({"variable": {"phase": {"default": "a"}},
    "locals": {"w": {"a": {"east": 100}}},
    "resource": {"aws_route53_record": {"q": {"name": "y", "weight": "${local.w.a.west}"}, "r": {"name": "x", "weight": 1}}}})"),
                          rules, Settings{}, fix);
  ASSERT_TRUE(theirs) << theirs.error().message;
}

/// One fix that several findings share (each member of a global cluster
/// offers the fix for the whole group) counts as applied for each of them: a
/// finding that `check` listed as fixable does not vanish from the count.
TEST(Engine, AFixSharedByFindingsIsAppliedForEach) {
  static const Rule rule{"TST005", "shared-fix", Severity::Low, "each subnet asks for the VPC's Name tag", "safe",
                         [](const RuleContext& ctx) {
                           std::vector<Finding> out;
                           const Resource* vpc = ctx.model.find("aws_vpc.v");
                           if (!vpc || vpc->body->contains("tags")) return out;
                           for (const Resource* r : ctx.model.ofType("aws_subnet")) {
                             Finding f = makeFinding(rule, *r, r->pointer, "its VPC has no Name tag");
                             Fix fix;
                             fix.title = "tag the VPC";
                             fix.ops.push_back(opAdd(vpc->pointer + "/tags", Json{{"Name", "v"}}));
                             f.fix = std::move(fix);
                             out.push_back(std::move(f));
                           }
                           return out;
                         }};
  const Rule* rules[] = {&rule};
  EngineOptions fix;
  fix.fixMode = FixMode::Safe;
  auto out = runEngine(doc(R"({"resource": {"aws_subnet": {"a": {"vpc_id": "${aws_vpc.v.id}"}, "b": {"vpc_id": "${aws_vpc.v.id}"}},
    "aws_vpc": {"v": {"cidr_block": "10.0.0.0/16"}}}})"), rules, Settings{}, fix);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->applied.size(), 2u);
  EXPECT_EQ(out->appliedPass, (std::vector<int>{1, 1}));
  EXPECT_TRUE(out->findings.empty());
  EXPECT_EQ(out->fixed["resource"]["aws_vpc"]["v"]["tags"].dump(), R"({"Name":"v"})");
}

TEST(Engine, ARuleThatThrowsFailsAloneAndTheFileIsNotFixed) {
  const Rule* rules[] = {&test::throwingRule(), &test::missingNameTagRule()};
  EngineOptions fix;
  fix.fixMode = FixMode::Safe;
  auto out = runEngine(doc(R"({"resource": {"aws_vpc": {"a": {"cidr_block": "10.0.0.0/16"}}}})"), rules, Settings{}, fix);
  ASSERT_TRUE(out);
  ASSERT_EQ(out->ruleFailures.size(), 1u);
  EXPECT_EQ(out->ruleFailures[0].rule, "TST003");
  EXPECT_NE(out->ruleFailures[0].message.find("internal error (please report it): "), std::string::npos);
  ASSERT_EQ(out->findings.size(), 1u);  // the other rule's finding is kept
  EXPECT_EQ(out->findings[0].rule, "TST001");
  EXPECT_FALSE(out->changed);  // and no fix is kept: the file is not written
}

TEST(Engine, FixesOfOneArrayGoOnePassAtATime) {
  // Three unused suppressions on one resource: removing one moves the others,
  // so each waits for the next pass; none is refused, and the last takes "//".
  const Rule* rules[] = {&unusedSuppressionRule(), &test::missingNameTagRule()};
  EngineOptions fix;
  fix.fixMode = FixMode::Safe;
  auto out = runEngine(doc(R"({"resource": {"aws_vpc": {"a": {"//": {"tfmend": {"ignore": [
      {"rule": "TST001", "reason": "x"}, {"rule": "TST001", "reason": "y"}, {"rule": "TST001", "reason": "z"}]}},
      "tags": {"Name": "a"}}}}})"), rules, Settings{}, fix);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_TRUE(out->skipped.empty()) << out->skipped.front().reason;
  EXPECT_EQ(out->applied.size(), 3u);
  EXPECT_EQ(out->fixed["resource"]["aws_vpc"]["a"].dump(), R"({"tags":{"Name":"a"}})");
}

TEST(Engine, MalformedShapeIsAnErrorNamingFileAndPlace) {
  const Rule* rules[] = {&test::missingNameTagRule()};
  auto out = runEngine(doc(R"({"resource": {"aws_vpc": {"a": 5}}})"), rules, Settings{}, EngineOptions{});
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().message, "stack.tf.json: /resource/aws_vpc/a: expected an object or an array of objects, found a number");
}

}  // namespace
}  // namespace tfmend

namespace tfmend {
namespace {

/// Fixes that add resources must not collide by name: colliding fixes are
/// applied one per pass. The whole model output needs three passes of fixes
/// (mirror, then what the mirror enables, then alarms on the new replication),
/// then two for the late rule TFM006 (each role's policy once every use of the
/// role exists; the second policy waits for the first, which adds the policy
/// types); a budget of six catches a collision that serializes more of them.
TEST(Engine, TheModelOutputSettlesWithinSixPasses) {
  Document d = test::load(std::string(TFMEND_SOURCE_DIR) + "/golden/payment-migration/stacks/model-output/cdk.tf.json");
  EngineOptions fix;
  fix.fixMode = FixMode::Unsafe;
  fix.maxPasses = 6;
  auto out = runEngine(d, allRules(), Settings{}, fix);
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_EQ(out->applied.size(), 24u);
}

TEST(Engine, NotSettlingIsAnError) {
  Document d = test::load(std::string(TFMEND_SOURCE_DIR) + "/golden/payment-migration/stacks/model-output/cdk.tf.json");
  EngineOptions fix;
  fix.fixMode = FixMode::Unsafe;
  fix.maxPasses = 1;
  auto out = runEngine(d, allRules(), Settings{}, fix);
  ASSERT_FALSE(out);
  EXPECT_EQ(out.error().message, d.path + ": fixes did not settle after 1 passes; nothing was written");
}

}  // namespace
}  // namespace tfmend

namespace tfmend {
namespace {

/// Wrong shapes inside resource bodies (a string where a block belongs, a
/// number where a list belongs) must not crash any rule: each argument of every
/// resource of the model output is replaced by the same wrong value.
TEST(Engine, RulesSurviveWrongShapesInsideBodies) {
  Document d = test::load(std::string(TFMEND_SOURCE_DIR) + "/golden/payment-migration/stacks/model-output/cdk.tf.json");
  for (Json wrong : {Json(7), Json("x"), Json::array(), Json::object(), Json(nullptr), Json::array({Json("x")})}) {
    Document mutated = d;
    for (auto& [type, byName] : mutated.root["resource"].items()) {
      for (auto& [name, body] : byName.items()) {
        for (auto& [key, value] : body.items()) {
          if (key != "//" && key != "provider") value = wrong;
        }
      }
    }
    // And a second document where only the leaves inside blocks are wrong.
    Document leaves = d;
    std::function<void(Json&, int)> spoil = [&](Json& v, int depth) {
      if (v.is_object() || v.is_array()) {
        for (auto it = v.begin(); it != v.end(); ++it) {
          if (!(v.is_object() && (it.key() == "//" || it.key() == "provider"))) spoil(*it, depth + 1);
        }
      } else if (depth >= 5) {
        v = wrong;
      }
    };
    spoil(leaves.root["resource"], 0);
    EngineOptions fix;
    fix.fixMode = FixMode::Unsafe;
    try {
      for (const Document* doc : {&mutated, &leaves}) {
        auto checked = runEngine(*doc, allRules(), Settings{}, EngineOptions{});
        auto fixed = runEngine(*doc, allRules(), Settings{}, fix);
        EXPECT_TRUE(checked);
      }
    } catch (const std::exception& e) {
      ADD_FAILURE() << "with every argument " << wrong.dump() << ": " << e.what();
    }
  }
}

}  // namespace
}  // namespace tfmend

namespace tfmend {
namespace {

/// Fixing in place gives what fixing a copy gives, and the caller's tree is
/// taken while its text, path and style stay.
TEST(Engine, AFixInPlaceIsAFixOfACopyThatTakesTheTree) {
  Document d = test::load(std::string(TFMEND_SOURCE_DIR) + "/golden/payment-migration/stacks/model-output/cdk.tf.json");
  Document copy = d;
  EngineOptions fix;
  fix.fixMode = FixMode::Unsafe;
  auto expected = runEngine(d, allRules(), Settings{}, fix);
  auto got = runEngineInPlace(copy, allRules(), Settings{}, fix);
  ASSERT_TRUE(expected && got);
  EXPECT_TRUE(got->changed);
  EXPECT_EQ(got->fixedText, expected->fixedText);
  EXPECT_EQ(got->fixed, expected->fixed);
  EXPECT_EQ(got->applied.size(), expected->applied.size());
  EXPECT_EQ(got->findings.size(), expected->findings.size());
  EXPECT_TRUE(copy.root.is_null());
  EXPECT_EQ(copy.text, d.text);
  // A check takes nothing.
  Document checked = d;
  ASSERT_TRUE(runEngineInPlace(checked, allRules(), Settings{}, EngineOptions{}));
  EXPECT_EQ(checked.root, d.root);
}

/// A run that will not export its fixes keeps the applied findings without
/// their operations (a mirror carries whole resources); the fixed text is the
/// same, and the applied findings keep their rule, address, title and
/// applicability.
TEST(Engine, AppliedFixesDropTheirOperationsOnlyWhenAsked) {
  Document d = test::load(std::string(TFMEND_SOURCE_DIR) + "/golden/payment-migration/stacks/model-output/cdk.tf.json");
  EngineOptions keep;
  keep.fixMode = FixMode::Unsafe;
  EngineOptions drop = keep;
  drop.keepAppliedOps = false;
  auto kept = runEngine(d, allRules(), Settings{}, keep);
  auto dropped = runEngine(d, allRules(), Settings{}, drop);
  ASSERT_TRUE(kept && dropped);
  EXPECT_EQ(dropped->fixedText, kept->fixedText);
  ASSERT_EQ(dropped->applied.size(), kept->applied.size());
  ASSERT_GT(kept->passes, 1);  // so that later passes ran on findings kept without their operations
  for (std::size_t i = 0; i < kept->applied.size(); ++i) {
    const Finding& k = kept->applied[i];
    const Finding& x = dropped->applied[i];
    EXPECT_EQ(x.fixKey(), k.fixKey());
    EXPECT_EQ(x.fix->applicability, k.fix->applicability);
    EXPECT_FALSE(k.fix->ops.empty()) << k.rule;
    EXPECT_TRUE(x.fix->ops.empty()) << x.rule;
  }
}

/// A fix whose patch leaves the document as it was is no change, whether the
/// session copied the tree or took it (then it compares hashes, and the input
/// read again when they agree).
TEST(Engine, AFixThatChangesNothingIsNoChangeInPlaceOrNot) {
  const Settings settings;
  for (bool inPlace : {false, true}) {
    for (bool same : {true, false}) {
      Document d = doc(kTwoVpcs);
      std::optional<FixSession> s;
      if (inPlace) s.emplace(d, std::span<const Rule* const>(), settings, std::true_type{});
      else s.emplace(static_cast<const Document&>(d), std::span<const Rule* const>(), settings);
      ASSERT_TRUE(s->beginPass());
      Finding f;
      f.rule = "TST000";
      f.address = "aws_vpc.a";
      f.pointer = "/resource/aws_vpc/a/cidr_block";
      Fix fix;
      fix.title = "write the CIDR";
      fix.ops.push_back(opReplace(f.pointer, same ? "10.0.0.0/16" : "10.9.0.0/16"));
      f.fix = std::move(fix);
      ASSERT_EQ(s->apply(f).verdict, FixSession::Verdict::Applied);
      s->endPass();
      auto out = s->finish();
      ASSERT_TRUE(out) << out.error().message;
      EXPECT_EQ(out->changed, !same) << "in place: " << inPlace;
      EXPECT_EQ(out->fixedText == d.text, same) << "in place: " << inPlace;
      EXPECT_EQ(d.root.is_null(), inPlace);
    }
  }
}

/// TST006: throws on a VPC with tags, that is once TST001 has tagged it (in a
/// later pass, after the tree was taken).
const Rule& throwsOnceTaggedRule() {
  static const Rule rule{"TST006", "throws-once-tagged", Severity::Low, "throws on a VPC with tags", "none",
                         [](const RuleContext& ctx) -> std::vector<Finding> {
                           for (const Resource* r : ctx.model.ofType("aws_vpc")) {
                             if (r->body->contains("tags")) (void)r->body->at("no-such-key");
                           }
                           return {};
                         }};
  return rule;
}

/// A rule that fails in a later pass, after the tree was taken: the file is
/// not fixed, and the findings are those of the input, read again.
TEST(Engine, ARuleThatFailsAfterTheTreeWasTakenReportsOnTheInput) {
  const Rule& late = throwsOnceTaggedRule();
  const Rule* rules[] = {&test::missingNameTagRule(), &late};
  EngineOptions fix;
  fix.fixMode = FixMode::Safe;
  Document d = doc(R"({"resource": {"aws_vpc": {"a": {"cidr_block": "10.0.0.0/16"}}}})");
  auto out = runEngineInPlace(d, rules, Settings{}, fix);
  ASSERT_TRUE(out) << out.error().message;
  ASSERT_EQ(out->ruleFailures.size(), 1u);
  EXPECT_EQ(out->ruleFailures[0].rule, "TST006");
  ASSERT_EQ(out->findings.size(), 1u);
  EXPECT_EQ(out->findings[0].rule, "TST001");
  EXPECT_FALSE(out->changed);
}

/// A session told to keep no operations keeps the applied findings without
/// them, and still knows a fix it applied in the pass when another finding
/// brings it again, whether the first was its detection's or the caller's own.
TEST(Engine, ASessionThatKeepsNoOperationsStillKnowsTheFixesOfItsPass) {
  Document d = doc(kTwoVpcs);
  FixSession s(static_cast<const Document&>(d), std::span<const Rule* const>(), Settings{});
  s.keepAppliedOps(false);
  ASSERT_TRUE(s.beginPass());
  Finding f;
  f.rule = "TST000";
  f.address = "aws_vpc.a";
  f.pointer = "/resource/aws_vpc/a/tags";
  Fix fix;
  fix.title = "tag a";
  fix.ops.push_back(opAdd(f.pointer, Json{{"Name", "a"}}));
  f.fix = std::move(fix);
  {
    Finding first = f;  // gone before the second comes
    ASSERT_EQ(s.apply(first).verdict, FixSession::Verdict::Applied);
  }
  Finding second = f;
  second.address = "aws_vpc.b";
  // The same operations: applied with the first, not deferred as overlapping it.
  EXPECT_EQ(s.apply(second).verdict, FixSession::Verdict::Applied);
  ASSERT_EQ(s.applied().size(), 2u);
  for (const Finding& a : s.applied()) {
    ASSERT_TRUE(a.fix);
    EXPECT_TRUE(a.fix->ops.empty());
    EXPECT_EQ(a.fix->title, "tag a");
  }
  EXPECT_EQ(s.applied()[1].address, "aws_vpc.b");
  s.endPass();
  auto out = s.finish();
  ASSERT_TRUE(out) << out.error().message;
  EXPECT_TRUE(out->changed);
  EXPECT_EQ(out->fixed["resource"]["aws_vpc"]["a"]["tags"].dump(), R"({"Name":"a"})");
}

/// withoutOps() copies every field but the fix's operations.
TEST(Engine, AFindingWithoutOperationsKeepsAllElse) {
  Finding f;
  f.rule = "TST000";
  f.message = "m";
  f.address = "aws_vpc.a";
  f.pointer = "/resource/aws_vpc/a";
  f.constructPath = "stack/a";
  f.secrets = {"s"};
  Fix fix;
  fix.applicability = Applicability::Unsafe;
  fix.title = "t";
  fix.forcesReplacement = true;
  fix.ops.push_back(opAdd("/x", 1));
  f.fix = std::move(fix);
  Finding g = f.withoutOps();
  EXPECT_EQ(g.rule, f.rule);
  EXPECT_EQ(g.message, f.message);
  EXPECT_EQ(g.address, f.address);
  EXPECT_EQ(g.pointer, f.pointer);
  EXPECT_EQ(g.constructPath, f.constructPath);
  EXPECT_EQ(g.secrets, f.secrets);
  ASSERT_TRUE(g.fix);
  EXPECT_EQ(g.fix->applicability, Applicability::Unsafe);
  EXPECT_EQ(g.fix->title, "t");
  EXPECT_TRUE(g.fix->forcesReplacement);
  EXPECT_TRUE(g.fix->ops.empty());
  Finding none;
  none.withoutFix("no fix here");
  EXPECT_FALSE(none.withoutOps().fix);
  EXPECT_EQ(none.withoutOps().noFixReason, "no fix here");
}

/// A caller may let the input's text go while the passes run (TextAside):
/// the engine then reads it again only where it needs it, gives what it gives
/// with the text at hand, and fails with the reader's error.
TEST(Engine, ATextLetGoIsReadAgainOnlyWhereItIsNeeded) {
  const Rule& late = throwsOnceTaggedRule();
  const std::string untagged = R"({"resource": {"aws_vpc": {"a": {"cidr_block": "10.0.0.0/16"}}}})";
  const std::string tagged = R"({"resource": {"aws_vpc": {"a": {"cidr_block": "10.0.0.0/16", "tags": {"Name": "a"}}}}})";
  EngineOptions fix;
  fix.fixMode = FixMode::Safe;
  struct Case {
    std::string text;
    std::vector<const Rule*> rules;
    int reads;  // calls to readAgain
  };
  const Case cases[] = {
      {untagged, {&test::missingNameTagRule()}, 0},         // changed: the text is written from the tree
      {tagged, {&test::missingNameTagRule()}, 1},           // nothing to fix: the output is the input's text
      {untagged, {&test::missingNameTagRule(), &late}, 1},  // a rule fails after the tree was taken: the input is read again
  };
  for (const Case& c : cases) {
    Document kept = doc(c.text);
    auto expected = runEngineInPlace(kept, c.rules, Settings{}, fix);
    ASSERT_TRUE(expected) << expected.error().message;
    Document d = doc(c.text);
    int reads = 0;
    EngineOptions aside = fix;
    aside.textAside = TextAside{d.text.size(), [&]() -> Result<std::string> {
                                  ++reads;
                                  return c.text;
                                }};
    d.text.clear();
    auto got = runEngineInPlace(d, c.rules, Settings{}, aside);
    ASSERT_TRUE(got) << got.error().message;
    EXPECT_EQ(reads, c.reads) << c.text;
    EXPECT_EQ(got->fixedText, expected->fixedText);
    EXPECT_EQ(got->changed, expected->changed);
    EXPECT_EQ(got->findings.size(), expected->findings.size());
    EXPECT_EQ(got->ruleFailures.size(), expected->ruleFailures.size());
    EXPECT_TRUE(d.text.empty());  // putting the text back is the caller's
    if (c.reads == 0) continue;
    // Where it is needed, a reader's error is the run's.
    Document again = doc(c.text);
    again.text.clear();
    aside.textAside->readAgain = []() -> Result<std::string> { return Error{"stack.tf.json: the file changed while tfmend ran; nothing written"}; };
    auto failed = runEngineInPlace(again, c.rules, Settings{}, aside);
    ASSERT_FALSE(failed);
    EXPECT_EQ(failed.error().message, "stack.tf.json: the file changed while tfmend ran; nothing written");
  }
}

/// A rule for the deferred-fix tests: on every VPC without a Name tag, a
/// safe fix (the tag) on aws_vpc.a and an unsafe one on the others, left to
/// makeOps, which counts its calls in `made` (and throws if `throwing`).
Rule deferredRule(std::shared_ptr<int> made, bool throwing = false) {
  return Rule{"TST010", "deferred", Severity::Low, "fixes made on demand", "safe or unsafe",
              [made, throwing](const RuleContext& ctx) {
                std::vector<Finding> out;
                for (const Resource* r : ctx.model.ofType("aws_vpc")) {
                  if (getPath(*r->body, "tags.Name")) continue;
                  Finding f;
                  f.rule = "TST010";
                  f.address = r->address;
                  f.pointer = r->pointer;
                  f.message = "deferred";
                  Fix fix;
                  fix.applicability = r->name == "a" ? Applicability::Safe : Applicability::Unsafe;
                  fix.title = "tag " + r->name;
                  std::string pointer = r->pointer;
                  fix.makeOps = [made, throwing, pointer] {
                    ++*made;
                    if (throwing) throw std::runtime_error("made badly");
                    return Json::array({opAdd(pointer + "/tags", Json{{"Name", "x"}})});
                  };
                  f.fix = std::move(fix);
                  out.push_back(std::move(f));
                }
                return out;
              }};
}

TEST(Engine, DeferredFixesAreMadeOnlyWhereTheyWillBeRead) {
  Document d = doc(kTwoVpcs);
  auto model = StackModel::build(d.root);
  ASSERT_TRUE(model);
  auto made = std::make_shared<int>(0);
  Rule rule = deferredRule(made);
  const Rule* rules[] = {&rule};
  for (auto [mode, expected] : {std::pair{FixMode::None, 0}, {FixMode::Safe, 1}, {FixMode::Unsafe, 2}}) {
    *made = 0;
    Detection found = detect(*model, rules, Settings{}, mode);
    ASSERT_EQ(found.findings.size(), 2u);
    EXPECT_EQ(*made, expected);
    for (const Finding& f : found.findings) {
      ASSERT_TRUE(f.fix);
      EXPECT_FALSE(f.fix->makeOps);  // nothing outside detect() sees a fix still to be made
      EXPECT_EQ(f.fix->ops.empty(), !allowedUnder(mode, f.fix->applicability)) << f.address;
      EXPECT_EQ(f.fix->title, "tag " + f.address.substr(f.address.find('.') + 1));
    }
  }
  // A check makes none, and still reports every fix's title and applicability.
  *made = 0;
  auto checked = runEngine(d, rules, Settings{}, EngineOptions{});
  ASSERT_TRUE(checked) << checked.error().message;
  EXPECT_EQ(*made, 0);
  ASSERT_EQ(checked->findings.size(), 2u);
  EXPECT_EQ(checked->findings[1].fix->applicability, Applicability::Unsafe);
  // `fix` without --unsafe-fixes makes the safe one, applies it, and makes
  // nothing in the pass that finds it settled nor in the last detection.
  *made = 0;
  EngineOptions safe;
  safe.fixMode = FixMode::Safe;
  auto fixed = runEngine(d, rules, Settings{}, safe);
  ASSERT_TRUE(fixed) << fixed.error().message;
  ASSERT_EQ(fixed->applied.size(), 1u);
  EXPECT_FALSE(fixed->applied[0].fix->ops.empty());
  EXPECT_EQ(*made, 1);
  ASSERT_EQ(fixed->findings.size(), 1u);  // the unsafe one is left, its title intact
  EXPECT_EQ(fixed->findings[0].fix->title, "tag b");
  EXPECT_NE(fixed->fixedText.find("\"Name\": \"x\""), std::string::npos);
}

/// A fix that throws while it is made costs its rule's findings on the file,
/// as the rule throwing would; other rules' findings stay.
TEST(Engine, ADeferredFixThatThrowsIsItsRulesFailure) {
  Document d = doc(kTwoVpcs);
  auto model = StackModel::build(d.root);
  ASSERT_TRUE(model);
  auto made = std::make_shared<int>(0);
  Rule rule = deferredRule(made, /*throwing=*/true);
  const Rule* rules[] = {&rule, &test::missingNameTagRule()};
  Detection found = detect(*model, rules, Settings{});
  ASSERT_EQ(found.failures.size(), 1u);
  EXPECT_EQ(found.failures[0].rule, "TST010");
  EXPECT_NE(found.failures[0].message.find("made badly"), std::string::npos);
  EXPECT_EQ(*made, 1);  // the rule's other fixes are not made once one threw
  ASSERT_EQ(found.findings.size(), 2u);
  for (const Finding& f : found.findings) EXPECT_EQ(f.rule, "TST001");
  // A check does not make fixes, so it does not see the failure.
  EXPECT_TRUE(detect(*model, rules, Settings{}, FixMode::None).failures.empty());
}

}  // namespace
}  // namespace tfmend
