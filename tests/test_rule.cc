// Test-only rules, not shipped in the binary: they prove the engine, the
// golden harness and the verification independently of the catalogue's rules.
#include "test_support.h"

namespace tfmend::test {

const Rule& missingNameTagRule() {
  static const Rule rule{
      "TST001", "missing-name-tag", Severity::Low, "a VPC without a Name tag", "safe",
      [](const RuleContext& ctx) {
        std::vector<Finding> out;
        for (const Resource* r : ctx.model.ofType("aws_vpc")) {
          const Json* name = getPath(*r->body, "tags.Name");
          if (name) continue;
          Finding f = makeFinding(missingNameTagRule(), *r, r->pointer + "/tags", "VPC has no Name tag");
          Fix fix;
          fix.title = "add the Name tag \"" + r->name + "\"";
          if (r->body->contains("tags")) fix.ops.push_back(opAdd(r->pointer + "/tags/Name", r->name));
          else fix.ops.push_back(opAdd(r->pointer + "/tags", Json{{"Name", r->name}}));
          f.fix = std::move(fix);
          out.push_back(std::move(f));
        }
        return out;
      }};
  return rule;
}

const Rule& danglingFixRule() {
  static const Rule rule{
      "TST002", "dangling-reference", Severity::Low, "proposes a fix whose reference does not resolve", "safe",
      [](const RuleContext& ctx) {
        std::vector<Finding> out;
        for (const Resource* r : ctx.model.ofType("aws_subnet")) {
          if (r->body->contains("ipv6_cidr_block")) continue;
          Finding f = makeFinding(danglingFixRule(), *r, r->pointer, "subnet without IPv6");
          Fix fix;
          fix.title = "point at a VPC that does not exist";
          fix.ops.push_back(opAdd(r->pointer + "/ipv6_cidr_block", "${aws_vpc.does_not_exist.ipv6_cidr_block}"));
          f.fix = std::move(fix);
          out.push_back(std::move(f));
        }
        return out;
      }};
  return rule;
}

const Rule& throwingRule() {
  static const Rule rule{"TST003", "throws", Severity::Low, "throws on any VPC, as a rule with a bug would", "none",
                         [](const RuleContext& ctx) -> std::vector<Finding> {
                           if (!ctx.model.ofType("aws_vpc").empty()) (void)ctx.model.root().at("no-such-key");
                           return {};
                         }};
  return rule;
}

}  // namespace tfmend::test
