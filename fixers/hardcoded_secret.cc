// TFM002 hardcoded-secret: docs/rules/TFM002-hardcoded-secret.md
#include <cctype>

#include "rules.h"
#include "tfmend/aws_catalog.h"
#include "tfmend/builders.h"
#include "tfmend/expression.h"
#include "tfmend/pass_facts.h"
#include "tfmend/values.h"

namespace tfmend {

namespace {

/// The length of a generated password, where the resource allows it.
constexpr std::size_t kPasswordLength = 32;

/// A literal secret, and where it sits when not in the argument itself.
struct Literal {
  std::string value;
  std::string variable;  ///< the variable whose default holds it, or empty
  std::string local;     ///< the local that holds it, or empty
};

/// Values that say they are no secret: a provider that needs some key, given a dummy.
bool saysItIsNoSecret(const std::string& v) {
  std::string l = v;
  for (auto& c : l) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (const char* dummy : {"fake", "dummy", "placeholder", "unused", "not-used", "notused", "none", "n/a", "null", "x", "xxx", "-"}) {
    if (l == dummy) return true;
  }
  return false;
}

/// The literal behind `value`: the value itself, or the literal default of a
/// variable / literal value of a local that it is exactly.
std::optional<Literal> literalSecret(const StackModel& model, const Json& value) {
  if (!value.is_string() || value.get_ref<const std::string&>().empty()) return std::nullopt;
  if (saysItIsNoSecret(value.get<std::string>())) return std::nullopt;
  const std::string& s = value.get_ref<const std::string&>();
  if (!hasTemplate(s)) return Literal{s, "", ""};
  Traversal t = soleReference(s);
  if ((t.kind != RefKind::Variable && t.kind != RefKind::Local) || t.target.empty() || !t.attribute.empty()) return std::nullopt;
  auto literal = stringOf(model, &value);
  if (!literal || literal->empty() || hasTemplate(*literal) || saysItIsNoSecret(*literal)) return std::nullopt;
  if (t.kind == RefKind::Variable) return Literal{*literal, t.target.substr(4), ""};
  return Literal{*literal, "", t.target.substr(6)};
}

/// Names of environment variables that hold a secret's location or name, not the secret.
bool namesALocation(std::string name) {
  for (auto& c : name) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  for (const char* tail : {"_ARN", "_NAME", "_ID", "_URL", "_URI", "_PATH", "_REGION", "_FILE", "_LENGTH", "_TTL", "_HEADER"}) {
    std::string t(tail);
    if (name.size() > t.size() && name.compare(name.size() - t.size(), t.size(), t) == 0) return true;
  }
  return false;
}

bool looksLikeASecretValue(const std::string& v) {
  return !v.empty() && !hasTemplate(v) && v.rfind("arn:", 0) != 0 && v != "true" && v != "false";
}

/// Secrets in a Lambda function's or a container's environment: findings without a fix.
void checkEnvironments(const RuleContext& ctx, const Rule& rule, std::vector<Finding>& out) {
  const std::string noFix = "keep it in Secrets Manager or SSM Parameter Store and let the code read it at run time";
  for (const Resource* fn : ctx.model.ofType("aws_lambda_function")) {
    for (const Json* env : blocks(*fn->body, "environment")) {
      const Json* vars = getPath(*env, "variables");
      if (!vars || !vars->is_object()) continue;
      for (const auto& [name, value] : vars->items()) {
        if (!aws::isSecretEnvironmentName(name) || namesALocation(name) || !value.is_string()) continue;
        if (!looksLikeASecretValue(value.get<std::string>())) continue;
        std::string pointer = fn->pointer + "/environment";
        if (fn->body->at("environment").is_array()) pointer += "/0";
        Finding f = makeFinding(rule, *fn, pointerJoin(pointer, {"variables", name}),
                                "environment variable " + name + " is a literal secret");
        f.secrets.push_back(value.get<std::string>());
        f.withoutFix(noFix);
        out.push_back(std::move(f));
      }
    }
  }
  for (const Resource* td : ctx.model.ofType("aws_ecs_task_definition")) {
    const Json* defs = getPath(*td->body, "container_definitions");
    if (!defs || !defs->is_string() || hasTemplate(defs->get<std::string>())) continue;
    Json containers = Json::parse(defs->get<std::string>(), nullptr, false);
    if (!containers.is_array()) continue;
    for (const auto& c : containers) {
      if (!c.is_object() || !c.contains("environment") || !c["environment"].is_array()) continue;
      for (const auto& e : c["environment"]) {
        if (!e.is_object() || !e.contains("name") || !e.contains("value") || !e["name"].is_string() || !e["value"].is_string()) continue;
        std::string name = e["name"];
        if (!aws::isSecretEnvironmentName(name) || namesALocation(name) || !looksLikeASecretValue(e["value"])) continue;
        Finding f = makeFinding(rule, *td, pointerJoin(td->pointer, {"container_definitions"}),
                                "container environment variable " + name + " is a literal secret");
        f.secrets.push_back(e["value"].get<std::string>());
        f.withoutFix("pass it in the container's `secrets` (valueFrom a Secrets Manager secret or SSM parameter)");
        out.push_back(std::move(f));
      }
    }
  }
}

/// Static credentials in a provider block (any provider: an API key in a
/// synthesized file is as exposed as an AWS key).
void checkProviders(const RuleContext& ctx, const Rule& rule, std::vector<Finding>& out) {
  for (const Provider& p : ctx.model.providers()) {
    const Json& body = ctx.model.root().at(JsonPointer(p.pointer));
    if (!body.is_object()) continue;
    for (const auto& [key, value] : body.items()) {
      bool credential = key == "access_key" || key == "secret_key" || key == "token" || aws::isSecretEnvironmentName(key);
      if (!credential || namesALocation(key)) continue;
      auto literal = literalSecret(ctx.model, value);
      if (!literal) continue;
      Finding f;
      f.rule = std::string(rule.id);
      f.address = "provider." + p.key;
      f.pointer = pointerJoin(p.pointer, {key});
      f.message = "provider " + p.key + " has a literal " + key;
      f.secrets.push_back(literal->value);
      f.withoutFix("let the provider read credentials from its environment (variables, a profile, an assumed role)");
      out.push_back(std::move(f));
    }
  }
}

/// The name of the secret that keeps `r`'s password (`what`: "master-password"),
/// in the stack's naming convention. Where the stack shows none, an
/// environment word that ends `r`'s own name ends the secret's name too
/// ("orders-db-prod" -> "orders-db-master-password-prod"): the name the
/// convention gives once the new secrets make one visible, so that secrets
/// fixed in one pass and in the next are named alike.
std::string secretNameFor(const Namer& namer, const Resource& r, const std::string& what) {
  std::string base = namer.baseName(r);
  if (!namer.suffix()) {
    auto cut = base.find_last_of("-_");
    if (cut != std::string::npos && cut > 0) {
      std::string word = lower(base.substr(cut + 1));
      for (auto env : aws::environmentWords()) {
        if (word == env) return namer.name(base.substr(0, cut) + "-" + what + base.substr(cut), "aws_secretsmanager_secret");
      }
    }
  }
  return namer.name(base + "-" + what, "aws_secretsmanager_secret");
}

std::vector<Finding> check(const RuleContext& ctx) {
  const Rule& rule = hardcodedSecretRule();
  std::vector<Finding> out;
  for (const aws::TypeFacts& type : aws::allTypes()) {
    if (type.secret.attribute.empty()) continue;
    for (const Resource* r : ctx.model.ofType(type.type)) {
      auto it = r->body->find(std::string(type.secret.attribute));
      if (it == r->body->end()) continue;
      auto literal = literalSecret(ctx.model, *it);
      if (!literal) continue;
      std::string pointer = pointerJoin(r->pointer, {type.secret.attribute});
      std::string where = !literal->variable.empty() ? " takes the literal default of variable " + literal->variable
                          : !literal->local.empty()  ? " takes the literal value of local " + literal->local
                                                     : " is a literal value";
      Finding f = makeFinding(rule, *r, pointer, std::string(type.secret.attribute) + where);
      f.secrets.push_back(literal->value);
      if (type.type == "aws_secretsmanager_secret_version" || type.type == "aws_codebuild_source_credential") {
        f.withoutFix("a secret from outside AWS must come in at apply time: a sensitive variable without a default (or a write-only argument)");
        out.push_back(std::move(f));
        continue;
      }
      if (type.type == "aws_dms_endpoint" || !literal->local.empty()) {
        f.withoutFix(!literal->local.empty() ? "the local may feed other values; generate the secret where it is defined"
                                             : "the endpoint's password belongs to a database outside the stack; read it from Secrets Manager (secrets_manager_arn)");
        out.push_back(std::move(f));
        continue;
      }
      const Namer& namer = ctx.facts.namer();
      bool secondary = (type.type == "aws_rds_cluster" || type.type == "aws_docdb_cluster") && ctx.facts.globalClusters().isSecondary(*r);
      if (std::string old = providerTooOld(ctx.model, 5, "data.aws_secretsmanager_random_password"); !old.empty() && !secondary) {
        f.withoutFix(old);
        out.push_back(std::move(f));
        continue;
      }
      PatchBuilder b(ctx.model);
      Fix fix;
      fix.applicability = Applicability::Unsafe;
      bool globalMember = type.type == "aws_rds_cluster" || type.type == "aws_docdb_cluster";
      if (globalMember && ctx.facts.globalClusters().isSecondary(*r)) {
        b.remove(*r, type.secret.attribute, /*guard=*/false);
        if (!type.secret.username.empty()) b.remove(*r, type.secret.username);
        fix.title = "remove the password: a global secondary cluster takes its credentials from the primary";
      } else {
        std::string id = constructId(*r);
        std::string secretName = secretNameFor(namer, *r, type.secret.attribute == "auth_token" ? "auth-token" : "master-password");
        // 32 characters, or fewer where the engine allows fewer (RDS for
        // Oracle: 30; an engine tfmend cannot see: the shortest limit).
        std::optional<std::string> engine;
        if (const Json* e = getPath(*r->body, "engine")) {
          if (auto known = stringOf(ctx.model, e); known && !hasTemplate(*known)) engine = *known;
        }
        std::size_t limit = aws::secretMaxLength(type.type, engine ? std::optional<std::string_view>(*engine) : std::nullopt);
        std::size_t length = limit && limit < kPasswordLength ? limit : kPasswordLength;
        std::string random = b.addData("aws_secretsmanager_random_password", id + "-password", *r, r->provider,
                                       {{"password_length", length}, {"exclude_punctuation", true}});
        Json secretBody = {{"name", secretName}, {"recovery_window_in_days", 7},
                           {"description", "generated " + std::string(type.secret.attribute) + " of " + r->address}};
        if (const Resource* key = kmsKeyOf(ctx.model, r->provider)) secretBody["kms_key_id"] = ref(key->address, "arn");
        std::string secretAddress = b.addResource("aws_secretsmanager_secret", id + "-password-secret", *r, r->provider, secretBody);
        std::string version = b.addResource("aws_secretsmanager_secret_version", id + "-password-version", *r, r->provider,
                                            {{"secret_id", ref(secretAddress, "id")},
                                             {"secret_string", ref(random, "random_password")},
                                             {"lifecycle", {{"ignore_changes", {"secret_string"}}}}});
        b.set(*r, type.secret.attribute, ref(version, "secret_string"), /*guard=*/false);
        fix.title = "generate the password into the Secrets Manager secret \"" + secretName + "\" and read it from there";
      }
      fix.ops = b.ops();
      if (!literal->variable.empty()) {
        // The literal default goes with its last secret user. While other
        // secret arguments still read the variable, each fix marks it
        // sensitive: fixes of one pass then touch the same path and go one
        // pass at a time. The last one leaves the variable declared, with a
        // null default, so that a pipeline that still passes
        // `-var db_password=...` keeps working (an undeclared variable is an
        // error). Where anything but secret arguments reads it, there is no
        // fix: those readers would keep the old password.
        std::string varPointer = ctx.model.variablePointer(literal->variable);
        auto users = ctx.model.usersOf("var." + literal->variable);
        std::size_t otherSecretUsers = 0;
        std::vector<std::string> otherReaders;  // what else reads the value: it would keep the old one
        for (const Reference* use : users) {
          const Resource* user = ctx.model.find(use->from);
          const aws::TypeFacts* uf = user ? aws::facts(user->type) : nullptr;
          bool secretUse = user && uf && !uf->secret.attribute.empty() &&
                           use->pointer == pointerJoin(user->pointer, {uf->secret.attribute});
          if (secretUse && user == r) continue;
          if (secretUse) {
            ++otherSecretUsers;
          } else {
            otherReaders.push_back(user ? user->address : std::string(use->from));
          }
        }
        if (!otherReaders.empty()) {
          // The generated password would not reach them: they would go on
          // with the old one (an application reading it from SSM, an output
          // another stack reads), and marking the variable sensitive breaks a
          // plain output that reads it.
          std::sort(otherReaders.begin(), otherReaders.end());
          otherReaders.erase(std::unique(otherReaders.begin(), otherReaders.end()), otherReaders.end());
          std::string names;
          for (const auto& n : otherReaders) names += (names.empty() ? "" : ", ") + n;
          f.withoutFix("variable " + literal->variable + " is also read by " + names +
                       ", which would keep the old password: move them to the secret first");
          out.push_back(std::move(f));
          continue;
        }
        const Json* var = ctx.model.variable(literal->variable);
        bool hasSensitive = var && var->is_object() && var->contains("sensitive");
        auto markSensitive = [&] {
          fix.ops.push_back(hasSensitive ? opReplace(varPointer + "/sensitive", true) : opAdd(varPointer + "/sensitive", true));
        };
        if (otherSecretUsers > 0) {
          markSensitive();
        } else {
          fix.ops.push_back(opReplace(varPointer + "/default", nullptr));
          markSensitive();
        }
      }
      f.fix = std::move(fix);
      out.push_back(std::move(f));
    }
  }
  checkEnvironments(ctx, rule, out);
  checkProviders(ctx, rule, out);
  return out;
}

}  // namespace

const Rule& hardcodedSecretRule() {
  static const Rule rule{"TFM002", "hardcoded-secret", Severity::High,
                         "a literal value in a secret argument (master password, auth token)", "unsafe", check};
  return rule;
}

}  // namespace tfmend
