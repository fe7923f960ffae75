#include "tfmend/secrets.h"

#include <algorithm>
#include <set>

#include "tfmend/aws_catalog.h"
#include "tfmend/expression.h"

namespace tfmend {

namespace {

/// Calls f(body) for every body of `entry` (an object, or an array of objects).
template <class F>
void forEachBody(const Json& entry, F&& f) {
  if (entry.is_object()) f(entry);
  if (entry.is_array()) {
    for (const auto& b : entry) {
      if (b.is_object()) f(b);
    }
  }
}

/// The string values under `value` (a string, or the strings of an object or array).
void strings(const Json& value, std::vector<std::string>& out) {
  if (value.is_string()) {
    if (!value.get_ref<const std::string&>().empty()) out.push_back(value.get<std::string>());
  } else if (value.is_object() || value.is_array()) {
    for (const auto& v : value) strings(v, out);
  }
}

void containerSecrets(const std::string& definitions, std::vector<std::string>& out) {
  Json containers = Json::parse(definitions, nullptr, false);
  if (!containers.is_array()) return;
  for (const auto& c : containers) {
    if (!c.is_object() || !c.contains("environment") || !c["environment"].is_array()) continue;
    for (const auto& e : c["environment"]) {
      if (e.is_object() && e.contains("name") && e["name"].is_string() && aws::isSecretEnvironmentName(e["name"].get<std::string>()) &&
          e.contains("value")) {
        strings(e["value"], out);
      }
    }
  }
}

}  // namespace

std::vector<std::string> documentSecrets(const Json& root, std::vector<std::string> extra) {
  std::vector<std::string> out = std::move(extra);
  if (!root.is_object()) return out;
  std::set<std::string> secretVariables;
  auto take = [&](const Json& value) {
    if (!value.is_string()) return;
    const std::string& s = value.get_ref<const std::string&>();
    Traversal t = soleReference(s);
    if (t.kind == RefKind::Variable && !t.target.empty()) secretVariables.insert(t.target.substr(4));
    if (!hasTemplate(s)) strings(value, out);
  };
  if (auto res = root.find("resource"); res != root.end() && res->is_object()) {
    for (const auto& [type, byName] : res->items()) {
      if (!byName.is_object()) continue;
      const aws::TypeFacts* f = aws::facts(type);
      for (const auto& [name, entry] : byName.items()) {
        forEachBody(entry, [&](const Json& body) {
          if (f && !f->secret.attribute.empty()) {
            if (auto it = body.find(std::string(f->secret.attribute)); it != body.end()) take(*it);
          }
          if (type == "aws_lambda_function") {
            if (auto env = body.find("environment"); env != body.end()) {
              forEachBody(*env, [&](const Json& e) {
                auto vars = e.find("variables");
                if (vars == e.end() || !vars->is_object()) return;
                for (const auto& [k, v] : vars->items()) {
                  if (aws::isSecretEnvironmentName(k)) take(v);
                }
              });
            }
          }
          if (type == "aws_ecs_task_definition") {
            if (auto defs = body.find("container_definitions"); defs != body.end() && defs->is_string()) {
              containerSecrets(defs->get<std::string>(), out);
            }
          }
        });
      }
    }
  }
  if (auto providers = root.find("provider"); providers != root.end() && providers->is_object()) {
    for (const auto& [type, entry] : providers->items()) {
      forEachBody(entry, [&](const Json& body) {
        for (const char* key : {"access_key", "secret_key", "token"}) {
          if (auto it = body.find(key); it != body.end()) take(*it);
        }
      });
    }
  }
  if (auto vars = root.find("variable"); vars != root.end() && vars->is_object()) {
    for (const auto& [name, entry] : vars->items()) {
      forEachBody(entry, [&](const Json& body) {
        auto sensitive = body.find("sensitive");
        bool isSensitive = sensitive != body.end() && ((sensitive->is_boolean() && sensitive->get<bool>()) || *sensitive == "true");
        if (!isSensitive && !secretVariables.count(name)) return;
        if (auto d = body.find("default"); d != body.end()) strings(*d, out);
      });
    }
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  // Very short values ("", "a") would redact half the output; they are no secrets worth the name.
  out.erase(std::remove_if(out.begin(), out.end(), [](const std::string& s) { return s.size() < 4; }), out.end());
  return out;
}

}  // namespace tfmend
