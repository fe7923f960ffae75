#include "tfmend/iam.h"

#include "tfmend/aws_catalog.h"
#include "tfmend/expression.h"
#include "tfmend/values.h"

namespace tfmend {

namespace {

void servicesOfPrincipal(const Json& principal, std::set<std::string>& out) {
  if (!principal.is_object()) return;
  auto it = principal.find("Service");
  if (it == principal.end()) return;
  if (it->is_string()) out.insert(it->get<std::string>());
  if (it->is_array()) {
    for (const auto& s : *it) {
      if (s.is_string()) out.insert(s.get<std::string>());
    }
  }
}

void servicesOfPolicyJson(const Json& policy, std::set<std::string>& out) {
  if (!policy.is_object() || !policy.contains("Statement")) return;
  const Json& st = policy["Statement"];
  for (const Json& s : st.is_array() ? st : Json::array({st})) {
    if (s.is_object() && s.value("Effect", "Allow") == "Allow" && s.contains("Principal")) servicesOfPrincipal(s["Principal"], out);
  }
}

/// The string literals of an HCL expression (`jsonencode({...})`).
std::vector<std::string> stringLiterals(const std::string& expr) {
  std::vector<std::string> out;
  for (std::size_t i = 0; i < expr.size(); ++i) {
    if (expr[i] != '"') continue;
    std::string lit;
    for (++i; i < expr.size() && expr[i] != '"'; ++i) {
      if (expr[i] == '\\' && i + 1 < expr.size()) ++i;
      lit += expr[i];
    }
    out.push_back(std::move(lit));
  }
  return out;
}

bool isServicePrincipal(const std::string& s) {
  auto ends = [&](const std::string& t) { return s.size() > t.size() && s.compare(s.size() - t.size(), t.size(), t) == 0; };
  return ends(".amazonaws.com") || ends(".amazonaws.com.cn");
}

}  // namespace

std::set<std::string> trustedServices(const StackModel& model, const Resource& role) {
  std::set<std::string> out;
  const Json* value = getPath(*role.body, "assume_role_policy");
  if (!value) return out;
  if (auto literal = stringOf(model, value); literal && !hasTemplate(*literal)) {
    servicesOfPolicyJson(Json::parse(*literal, nullptr, false), out);
    return out;
  }
  if (value->is_object()) {  // written as an object (hcl2json of a heredoc is a string; some tools write objects)
    servicesOfPolicyJson(*value, out);
    return out;
  }
  for (const Resource* doc : targetsOf(model, value, &role).resources) {
    if (!doc->isData || doc->type != "aws_iam_policy_document") continue;
    for (const Json* st : blocks(*doc->body, "statement")) {
      if (stringOf(model, getPath(*st, "effect")).value_or("Allow") != "Allow") continue;
      for (const Json* p : blocks(*st, "principals")) {
        if (stringOf(model, getPath(*p, "type")) != "Service") continue;
        auto ids = literalOf(model, getPath(*p, "identifiers"));
        if (ids && ids->is_array()) {
          for (const auto& id : *ids) {
            if (id.is_string()) out.insert(id.get<std::string>());
          }
        }
      }
    }
  }
  if (value->is_string()) {
    // jsonencode({ ... Principal = { Service = "s3.amazonaws.com" } ... }): its string literals.
    for (const auto& lit : stringLiterals(value->get<std::string>())) {
      if (isServicePrincipal(lit)) out.insert(lit);
    }
  }
  return out;
}

bool namedAsPrincipal(const StackModel& model, const Resource& role) {
  for (const Reference* use : model.usersOf(role.address)) {
    const Resource* user = model.find(use->from);
    if (!user) continue;
    if (user->isData && user->type == "aws_iam_policy_document" && use->pointer.find("/principals") != std::string::npos) {
      return true;
    }
    for (const aws::RoleUse& p : aws::resourcePolicies()) {
      if (user->type == p.type && use->pointer.rfind(pointerJoin(user->pointer, {p.attribute}), 0) == 0) return true;
    }
  }
  return false;
}

std::string managedPolicyArn(PatchBuilder& b, const StackModel& model, const std::string& providerKey,
                             const std::string& region, std::string_view path) {
  std::string tail = ":iam::aws:policy/" + std::string(path);
  if (!region.empty()) return "arn:" + std::string(aws::partitionOf(region)) + tail;
  for (const Resource* d : model.dataOfType("aws_partition")) {
    if (d->provider == providerKey) return "arn:" + ref(d->address, "partition") + tail;
  }
  const Resource* anchor = nullptr;
  for (const Resource& r : model.resources()) {
    if (!r.isData && r.provider == providerKey) {
      anchor = &r;
      break;
    }
  }
  if (!anchor) return "arn:aws" + tail;  // not reached: the role itself is under the provider
  return "arn:" + ref(b.addData("aws_partition", "partition", *anchor, providerKey, Json::object()), "partition") + tail;
}

}  // namespace tfmend
