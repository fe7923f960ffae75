#include "tfmend/values.h"

#include <gtest/gtest.h>

namespace tfmend {
namespace {

const char* kStack = R"({
  "variable": {"encrypted": {"default": true}, "port": {"default": "5433"}, "big": {"default": 99999999999999999999},
               "snapshot": {"default": null}, "source": {"default": ""}, "mode": {"default": "provisioned"}, "env": {"default": "dev"},
               "required": {"type": "string"}, "cfg": {"default": {"db": {"encrypted": false}}}},
  "locals": {"enc": "${var.encrypted}", "role": "${aws_iam_role.app[0].name}", "self": "${local.self}",
             "prefix": "${var.project}-${var.env}", "name": "${local.prefix}-api"},
  "resource": {
    "aws_iam_role": {"app": {"count": 1, "name": "app"}, "other": {"name": "other"}},
    "aws_iam_role_policy_attachment": {"each": {"for_each": "${toset([aws_iam_role.other.name])}", "role": "${each.value}"}},
    "data": {}
  },
  "data": {"terraform_remote_state": {"net": {"backend": "s3"}}}
})";

struct Fixture {
  Json root = Json::parse(kStack);
  StackModel model = std::move(*StackModel::build(root));
};

TEST(Values, LiteralsVariablesAndLocals) {
  Fixture f;
  auto v = [](const char* s) { return Json(s); };
  Json t = true, e = v("${var.encrypted}"), l = v("${local.enc}"), p = v("${var.port}"), r = v("${var.required}");
  EXPECT_EQ(boolOf(f.model, &t), true);
  EXPECT_EQ(boolOf(f.model, &e), true);
  EXPECT_EQ(boolOf(f.model, &l), true);  // a local that reads a variable
  EXPECT_EQ(intOf(f.model, &p), 5433);
  EXPECT_EQ(boolOf(f.model, &r), std::nullopt);  // no default: unknown, never false
  Json nested = v("${var.cfg.db.encrypted}");
  EXPECT_EQ(boolOf(f.model, &nested), false);
  Json big = v("${var.big}");
  EXPECT_EQ(intOf(f.model, &big), std::nullopt);  // out of range: unknown, not a crash
  Json loop = v("${local.self}");
  EXPECT_EQ(literalOf(f.model, &loop), std::nullopt);  // a local that refers to itself ends
  Json text = v("true");
  EXPECT_EQ(boolOf(f.model, &text), true);
}

TEST(Values, Expressions) {
  Fixture f;
  auto eval = [&](const char* s) {
    Json v = s;
    return literalOf(f.model, &v);
  };
  EXPECT_EQ(eval("${var.snapshot}"), Json(nullptr));  // a default of null is known
  EXPECT_EQ(eval("${var.required}"), std::nullopt);    // no default is not
  EXPECT_EQ(eval("${var.source != \"\" ? var.source : null}"), Json(nullptr));
  EXPECT_EQ(eval("${var.mode == \"serverless\" ? null : var.encrypted}"), Json(true));
  EXPECT_EQ(eval("${!var.encrypted}"), Json(false));
  EXPECT_EQ(eval("${var.encrypted && var.required == \"x\"}"), std::nullopt);
  EXPECT_EQ(eval("${!var.encrypted && var.required == \"x\"}"), Json(false));  // false whatever the unknown
  EXPECT_EQ(eval("${var.encrypted ? 1 : 0}"), Json(1));
  EXPECT_EQ(eval("${(var.encrypted)}"), Json(true));
  EXPECT_EQ(eval("${var.required ? 1 : 1}"), Json(1));  // both branches agree
  EXPECT_EQ(eval("${upper(var.env)}"), std::nullopt);    // functions are unknown
  EXPECT_EQ(eval("app-${var.env}-${var.port}"), Json("app-dev-5433"));
  EXPECT_EQ(eval("app-${var.required}"), std::nullopt);
  EXPECT_EQ(eval("${var.cfg[\"db\"].encrypted}"), Json(false));
}

TEST(Values, TargetsInEveryForm) {
  Fixture f;
  auto names = [&](const Json& value, const Resource* within = nullptr) {
    std::vector<std::string> out;
    Targets t = targetsOf(f.model, &value, within);
    for (const Resource* r : t.resources) out.push_back(r->address);
    if (t.unknown) out.push_back("?");
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(names(Json("${aws_iam_role.app[0].name}")), V{"aws_iam_role.app"});
  EXPECT_EQ(names(Json("${one(aws_iam_role.app[*].arn)}")), V{"aws_iam_role.app"});
  EXPECT_EQ(names(Json("${try(aws_iam_role.app[0].arn, \"\")}")), V{"aws_iam_role.app"});
  EXPECT_EQ(names(Json("${local.role}")), V{"aws_iam_role.app"});
  EXPECT_EQ(names(Json("${module.iam.role_name}")), V{"?"});
  EXPECT_EQ(names(Json("${data.terraform_remote_state.net.outputs.role}")), (V{"data.terraform_remote_state.net", "?"}));
  EXPECT_EQ(names(Json("${var.required}")), V{"?"});
  const Resource* each = f.model.find("aws_iam_role_policy_attachment.each");
  EXPECT_EQ(names(Json("${each.value}"), each), V{"aws_iam_role.other"});
  EXPECT_EQ(f.model.referenced(getPath(*each->body, "role"), "aws_iam_role", "name", each), f.model.find("aws_iam_role.other"));
  Json literal = "other";
  EXPECT_EQ(f.model.referenced(&literal, "aws_iam_role", "name"), f.model.find("aws_iam_role.other"));
}

TEST(Values, ExpandLocals) {
  Fixture f;
  EXPECT_EQ(expandLocals(f.model, "${local.name}-bucket"), "${var.project}-${var.env}-api-bucket");
  EXPECT_EQ(expandLocals(f.model, "${local.missing}-x"), "${local.missing}-x");
  EXPECT_EQ(expandLocals(f.model, "${local.self}"), "${local.self}");
}

}  // namespace
}  // namespace tfmend

namespace tfmend {
namespace {

TEST(Values, MissingLocalKeys) {
  Json root = Json::parse(R"({
    "variable": {"phase": {"default": "legacy"}},
    "locals": {"w": {"legacy": {"east": 100}, "migration": {"east": 50, "west": 50}},
               "tags": {"Name": "x"}, "expr": "${var.phase}", "list": [{"a": 1}]},
    "resource": {"aws_route53_record": {
      "ok": {"weight": "${local.w[var.phase][\"east\"]}", "set_identifier": "${local.tags.Name}",
             "name": "${local.w.migration.west}-${local.expr[\"x\"]}-${local.list[0].b}-${local.w[*]}"},
      "bad": {"weight": "${local.w[var.phase][\"west\"]}", "set_identifier": "${local.tags.Owner}",
              "name": "${lookup(local.w[\"legacy\"], \"k\", 0)} ${local.w.production}"}
    }}
  })");
  auto m = StackModel::build(root);
  ASSERT_TRUE(m);
  std::vector<std::string> got;
  for (const MissingKey& k : missingLocalKeys(*m)) got.push_back(k.pointer + " " + k.expression + ": " + k.object + " lacks " + k.key);
  EXPECT_EQ(got, (std::vector<std::string>{
                     "/resource/aws_route53_record/bad/weight local.w[var.phase][\"west\"]: local.w.legacy lacks west",
                     "/resource/aws_route53_record/bad/set_identifier local.tags.Owner: local.tags lacks Owner",
                     "/resource/aws_route53_record/bad/name local.w.production: local.w lacks production",
                 }));
}

TEST(Values, LiteralAssumingAVariable) {
  Json root = Json::parse(R"({"variable": {"on": {"default": false}},
    "resource": {"aws_rds_cluster": {"c": {"kms_key_id": "${var.on ? aws_kms_key.k.arn : null}"}}, "aws_kms_key": {"k": {}}}})");
  auto m = StackModel::build(root);
  ASSERT_TRUE(m);
  const Json* key = &root["resource"]["aws_rds_cluster"]["c"]["kms_key_id"];
  EXPECT_EQ(literalOf(*m, key), Json(nullptr));
  EXPECT_EQ(literalAssuming(*m, key, {{"on", true}}), std::nullopt);  // a key's ARN: known only at apply
}

}  // namespace
}  // namespace tfmend
