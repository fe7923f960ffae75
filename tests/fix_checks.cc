// Checks every fixed document must pass, shared by the golden harness and the
// real-world corpus test: arguments exist in the AWS provider schema, IAM
// policies render to valid IAM policy JSON, no two account-wide resources
// share a name.
#include <algorithm>
#include <map>
#include <set>

#include "tfmend/aws_catalog.h"
#include "test_support.h"

namespace tfmend::test {

namespace {

/// Arguments of a resource body that the provider schema does not list.
void schemaViolations(const Json& body, const Json& schema, const std::string& where, std::vector<std::string>& out) {
  static const std::set<std::string> meta = {"//", "provider", "depends_on", "count", "for_each", "lifecycle",
                                              "provisioner", "connection"};
  for (const auto& [key, value] : body.items()) {
    if (meta.count(key)) continue;
    if (!schema.contains(key)) {
      out.push_back(where + "/" + key);
      continue;
    }
    const Json& s = schema.at(key);
    if (s.is_null()) continue;
    const Json& block = s.at("block");
    if (value.is_object()) schemaViolations(value, block, where + "/" + key, out);
    if (value.is_array()) {
      for (std::size_t i = 0; i < value.size(); ++i) {
        if (value[i].is_object()) schemaViolations(value[i], block, where + "/" + key + "/" + std::to_string(i), out);
      }
    }
  }
}

}  // namespace

std::vector<std::string> schemaViolations(const Json& root) {
  static const Json schema = Json::parse(readFile(TFMEND_SCHEMA));
  std::vector<std::string> out;
  for (const char* section : {"resource", "data"}) {
    if (!root.contains(section)) continue;
    const Json& kinds = schema.at(section);
    for (const auto& [type, byName] : root.at(section).items()) {
      if (!kinds.contains(type)) {
        out.push_back(std::string("/") + section + "/" + type + " (unknown type)");
        continue;
      }
      for (const auto& [name, body] : byName.items()) {
        if (body.is_object()) schemaViolations(body, kinds.at(type), "/" + std::string(section) + "/" + type + "/" + name, out);
        if (body.is_array()) {
          for (const auto& b : body) schemaViolations(b, kinds.at(type), "/" + std::string(section) + "/" + type + "/" + name, out);
        }
      }
    }
  }
  return out;
}

/// Problems with the IAM policies a document holds: every aws_iam_policy_document
/// is rendered to IAM policy JSON, as Terraform would, and checked; a literal
/// `policy` must parse as IAM policy JSON.
std::vector<std::string> iamPolicyProblems(const Json& root) {
  std::vector<std::string> out;
  auto str = [](const Json& o, const char* key, const char* otherwise) {
    auto it = o.find(key);
    return it != o.end() && it->is_string() ? it->get<std::string>() : std::string(otherwise);
  };
  auto checkPolicy = [&](const Json& policy, const std::string& where) {
    if (!policy.is_object() || str(policy, "Version", "") != "2012-10-17") out.push_back(where + ": Version is not 2012-10-17");
    if (!policy.is_object() || !policy.contains("Statement") || !policy["Statement"].is_array() || policy["Statement"].empty()) {
      out.push_back(where + ": no Statement");
      return;
    }
    for (const auto& st : policy["Statement"]) {
      if (!st.is_object()) {
        out.push_back(where + ": a statement is not an object");
        continue;
      }
      if (str(st, "Effect", "") != "Allow" && str(st, "Effect", "") != "Deny") out.push_back(where + ": bad Effect");
      const Json& actions = st.contains("Action") ? st["Action"] : Json::array();
      for (const auto& a : actions.is_array() ? actions : Json::array({actions})) {
        if (!a.is_string()) continue;
        std::string action = a.get<std::string>();
        if (action.find("${") != std::string::npos) continue;  // rendered by Terraform
        auto colon = action.find(':');
        if (action != "*" && (colon == std::string::npos || colon == 0 || colon + 1 == action.size())) {
          out.push_back(where + ": bad action " + action);
        }
      }
      if (!st.contains("Resource") && !st.contains("NotResource")) out.push_back(where + ": statement without Resource");
      if (st.contains("Resource") && st["Resource"] == Json::array({"*"})) out.push_back(where + ": Resource \"*\"");
    }
  };
  auto bodiesOf = [](const Json& entry) {
    std::vector<const Json*> bodies;
    if (entry.is_object()) bodies.push_back(&entry);
    if (entry.is_array()) {
      for (const auto& b : entry) {
        if (b.is_object()) bodies.push_back(&b);
      }
    }
    return bodies;
  };
  auto section = [&](const char* name, const char* type) -> const Json* {
    auto s = root.find(name);
    if (s == root.end() || !s->is_object()) return nullptr;
    auto t = s->find(type);
    return t == s->end() || !t->is_object() ? nullptr : &*t;
  };
  if (const Json* docs = section("data", "aws_iam_policy_document")) {
    for (const auto& [name, entry] : docs->items()) {
      for (const Json* doc : bodiesOf(entry)) {
        Json policy = {{"Version", "2012-10-17"}, {"Statement", Json::array()}};
        auto statements = doc->find("statement");
        if (statements == doc->end()) continue;  // built from source_policy_documents and the like
        for (const Json* st : bodiesOf(*statements)) {
          Json s = {{"Sid", str(*st, "sid", "")}, {"Effect", str(*st, "effect", "Allow")},
                    {"Action", st->value("actions", Json::array())}};
          if (st->contains("resources")) s["Resource"] = (*st)["resources"];
          if (st->contains("not_resources")) s["NotResource"] = (*st)["not_resources"];
          if (!st->contains("resources") && !st->contains("not_resources") && st->contains("principals")) s["Resource"] = Json::array({"(resource policy)"});
          policy["Statement"].push_back(s);
        }
        checkPolicy(policy, "data.aws_iam_policy_document." + name);
      }
    }
  }
  if (const Json* policies = section("resource", "aws_iam_policy")) {
    for (const auto& [name, entry] : policies->items()) {
      for (const Json* body : bodiesOf(entry)) {
        std::string text = str(*body, "policy", "");
        if (text.find("${") != std::string::npos) continue;  // an expression: rendered by Terraform
        try {
          checkPolicy(Json::parse(text), "aws_iam_policy." + name);
        } catch (const Json::exception& e) {
          out.push_back("aws_iam_policy." + name + ": policy is not JSON: " + e.what());
        }
      }
    }
  }
  return out;
}

/// Resources whose names are unique in the whole account (IAM roles, policies,
/// users, instance profiles, global clusters: the catalogue's global types with
/// a name) or in the whole partition (S3 buckets), that share a name as written
/// (compared without case, as IAM compares). Names built from `count.index` or
/// `each` differ per instance and are left out.
std::vector<std::string> duplicateGlobalNames(const Json& root) {
  std::vector<std::string> out;
  auto resources = root.find("resource");
  if (resources == root.end() || !resources->is_object()) return out;
  for (const auto& [type, byName] : resources->items()) {
    const aws::TypeFacts* f = aws::facts(type);
    if (!f || f->name.attribute.empty() || !(f->global || type == "aws_s3_bucket") || !byName.is_object()) continue;
    std::map<std::string, std::vector<std::string>> holders;  // name -> addresses
    for (const auto& [name, entry] : byName.items()) {
      for (const Json& body : entry.is_array() ? entry : Json::array({entry})) {
        auto it = body.is_object() ? body.find(std::string(f->name.attribute)) : body.end();
        if (!body.is_object() || it == body.end() || !it->is_string()) continue;
        std::string value = it->get<std::string>();
        if (value.find("count.index") != std::string::npos || value.find("each.") != std::string::npos) continue;
        std::transform(value.begin(), value.end(), value.begin(), [](unsigned char c) { return std::tolower(c); });
        holders[value].push_back(type + "." + name);
      }
    }
    for (const auto& [value, addresses] : holders) {
      if (addresses.size() < 2) continue;
      std::string list;
      for (const auto& a : addresses) list += (list.empty() ? "" : ", ") + a;
      out.push_back(type + " " + std::string(f->name.attribute) + " \"" + value + "\" is given twice: " + list);
    }
  }
  return out;
}

}  // namespace tfmend::test
