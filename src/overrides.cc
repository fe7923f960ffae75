#include "tfmend/overrides.h"

#include <map>

#include "tfmend/diff.h"
#include "tfmend/patch.h"
#include "tfmend/stack_model.h"

namespace tfmend {

namespace {

/// Collects the overrides of one stack.
class Differ {
 public:
  explicit Differ(const StackFixes& fixes) : fixes_(fixes) {}

  Status run() {
    const Json& before = *fixes_.before;
    const Json& after = *fixes_.after;
    if (!before.is_object() || !after.is_object()) return Error{fixes_.path + ": not a Terraform JSON object"};
    for (const auto& [section, value] : after.items()) {
      if (section == "//") continue;
      bool elements = section == "resource" || section == "data";
      if (!before.contains(section)) {
        add(true, "", {section}, value);
        continue;
      }
      if (!elements) {
        if (auto s = diff(true, "", {section}, before.at(section), value); !s) return s;
        continue;
      }
      if (!value.is_object()) return Error{fixes_.path + ": /" + section + " is not an object"};
      for (const auto& [type, byName] : value.items()) {
        const Json* oldType = before.at(section).contains(type) ? &before.at(section).at(type) : nullptr;
        for (const auto& [name, body] : byName.items()) {
          if (!oldType || !oldType->contains(name)) {
            add(true, "", {section, type, name}, body);  // a resource a fix adds
            continue;
          }
          const Json& old = oldType->at(name);
          if (old == body) continue;
          const Json* path = old.is_object() ? getPath(old, "//.metadata.path") : nullptr;
          if (!path || !path->is_string()) {
            return Error{fixes_.path + ": " + section + "." + type + "." + name +
                         " has no cdktf construct path, so no override can reach it"};
          }
          for (const auto& [key, member] : body.items()) {
            if (key == "//") continue;
            if (!old.contains(key)) {
              add(false, path->get<std::string>(), {key}, member, {section, type, name});
            } else if (auto s = diff(false, path->get<std::string>(), {key}, old.at(key), member, {section, type, name}); !s) {
              return s;
            }
          }
          for (const auto& [key, member] : old.items()) {
            if (key != "//" && !body.contains(key)) remove(false, path->get<std::string>(), {key}, {section, type, name});
          }
        }
      }
      for (const auto& [type, byName] : before.at(section).items()) {
        for (const auto& [name, body] : byName.items()) {
          if (!value.contains(type) || !value.at(type).contains(name)) {
            return Error{fixes_.path + ": " + section + "." + type + "." + name + " was removed, which no override can do"};
          }
        }
      }
    }
    for (const auto& [section, value] : before.items()) {
      if (section != "//" && !after.contains(section)) remove(true, "", {section});
    }
    for (const auto& o : out_) {
      if (o.path.find("..") != std::string::npos || o.path.empty()) return Error{fixes_.path + ": override path \"" + o.path + "\" is empty"};
    }
    return okStatus();
  }

  std::vector<Override> take() { return std::move(out_); }

 private:
  using Parts = std::vector<std::string>;

  Status diff(bool stackLevel, const std::string& construct, const Parts& parts, const Json& before, const Json& after,
              const Parts& owner = {}) {
    if (before == after) return okStatus();
    if (before.is_object() && after.is_object()) {
      for (const auto& [k, v] : after.items()) {
        Parts p = parts;
        p.push_back(k);
        if (!before.contains(k)) add(stackLevel, construct, p, v, owner);
        else if (auto s = diff(stackLevel, construct, p, before.at(k), v, owner); !s) return s;
      }
      for (const auto& [k, v] : before.items()) {
        if (after.contains(k)) continue;
        Parts p = parts;
        p.push_back(k);
        remove(stackLevel, construct, p, owner);
      }
      return okStatus();
    }
    if (before.is_array() && after.is_array()) {
      // An array given whole is appended to the old one: change it element by element.
      if (after.size() < before.size()) {
        return Error{fixes_.path + ": " + join(owner, parts) + " loses elements, which no override can do"};
      }
      for (std::size_t i = 0; i < after.size(); ++i) {
        Parts p = parts;
        p.push_back(std::to_string(i));
        if (i < before.size()) {
          if (auto s = diff(stackLevel, construct, p, before[i], after[i], owner); !s) return s;
        } else {
          add(stackLevel, construct, p, after[i], owner);
        }
      }
      return okStatus();
    }
    add(stackLevel, construct, parts, after, owner);
    return okStatus();
  }

  static std::string join(const Parts& owner, const Parts& parts) {
    std::string out;
    for (const auto& p : owner) out += (out.empty() ? "" : ".") + p;
    for (const auto& p : parts) out += (out.empty() ? "" : ".") + p;
    return out;
  }

  /// The fix whose operations wrote the value at `pointer`; of several
  /// findings that share one fix, the one about the block that holds it.
  std::pair<std::string, std::string> origin(const std::string& pointer) const {
    // "/resource/type/name" of a pointer.
    auto block = [](const std::string& p) {
      std::size_t at = 0;
      for (int i = 0; i < 3 && at != std::string::npos; ++i) at = p.find('/', at + 1);
      return p.substr(0, at);
    };
    std::pair<std::string, std::string> first;
    for (const auto& f : fixes_.applied) {
      if (!f.fix) continue;
      for (const auto& op : f.fix->ops) {
        std::string p = op.value("path", "");
        if (opKindOf(op) == OpKind::Test) continue;
        bool related = p == pointer || pointer.rfind(p + "/", 0) == 0 || p.rfind(pointer + "/", 0) == 0;
        if (!related) continue;
        if (block(f.pointer) == block(pointer)) return {f.rule, f.fix->title};
        if (first.first.empty()) first = {f.rule, f.fix->title};
      }
    }
    return first;
  }

  std::string pointerOf(const Parts& owner, const Parts& parts) const {
    std::string p;
    for (const auto* list : {&owner, &parts}) {
      for (const auto& x : *list) {
        p += '/';
        p += pointerToken(x);
      }
    }
    return p;
  }

  void push(bool stackLevel, const std::string& construct, const Parts& parts, const Json* value, const Parts& owner) {
    Override o;
    o.stackLevel = stackLevel;
    o.constructPath = construct;
    for (const auto& p : parts) {
      if (p.find('.') != std::string::npos) bad_ = "a key with a \".\" (" + p + ") cannot be an override path";
      o.path += (o.path.empty() ? "" : ".") + p;
    }
    if (value) o.value = *value;
    o.remove = value == nullptr;
    auto [rule, title] = origin(pointerOf(owner, parts));
    o.rule = rule;
    o.title = title;
    out_.push_back(std::move(o));
  }
  void add(bool stackLevel, const std::string& construct, const Parts& parts, const Json& value, const Parts& owner = {}) {
    push(stackLevel, construct, parts, &value, owner);
  }
  void remove(bool stackLevel, const std::string& construct, const Parts& parts, const Parts& owner = {}) {
    push(stackLevel, construct, parts, nullptr, owner);
  }

 public:
  std::string bad_;

 private:
  const StackFixes& fixes_;
  std::vector<Override> out_;
};

/// The stack's name: cdktf's metadata, else the first part of a construct path.
std::string stackName(const Json& root) {
  if (const Json* n = getPath(root, "//.metadata.stackName"); n && n->is_string()) return n->get<std::string>();
  for (const char* section : {"resource", "data"}) {
    if (!root.contains(section)) continue;
    for (const auto& [type, byName] : root.at(section).items()) {
      for (const auto& [name, body] : byName.items()) {
        if (const Json* p = body.is_object() ? getPath(body, "//.metadata.path") : nullptr; p && p->is_string()) {
          std::string s = p->get<std::string>();
          return s.substr(0, s.find('/'));
        }
      }
    }
  }
  return {};
}

std::string quoted(const std::string& s) { return Json(s).dump(); }

/// A JSON value as a Python literal.
std::string python(const Json& v, int indent) {
  std::string pad(static_cast<std::size_t>(indent) * 4, ' '), inner(static_cast<std::size_t>(indent + 1) * 4, ' ');
  switch (v.type()) {
    case Json::value_t::null: return "None";
    case Json::value_t::boolean: return v.get<bool>() ? "True" : "False";
    case Json::value_t::object: {
      if (v.empty()) return "{}";
      std::string out = "{\n";
      for (const auto& [k, m] : v.items()) out += inner + quoted(k) + ": " + python(m, indent + 1) + ",\n";
      return out + pad + "}";
    }
    case Json::value_t::array: {
      if (v.empty()) return "[]";
      std::string out = "[\n";
      for (const auto& m : v) out += inner + python(m, indent + 1) + ",\n";
      return out + pad + "]";
    }
    default: return v.dump();
  }
}

/// A JSON value as a TypeScript literal (JSON is one), indented.
std::string typescript(const Json& v, int indent) {
  std::string text = v.dump(2);
  std::string pad(static_cast<std::size_t>(indent) * 2, ' ');
  std::string out;
  for (char c : text) {
    out += c;
    if (c == '\n') out += pad;
  }
  return out;
}

std::string identifier(const std::string& name) {
  std::string out = "fix_";
  for (char c : name) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  return out;
}

}  // namespace

Result<std::vector<Override>> computeOverrides(const StackFixes& fixes) {
  Differ d(fixes);
  if (auto s = d.run(); !s) return s.error();
  if (!d.bad_.empty()) return Error{fixes.path + ": " + d.bad_};
  return d.take();
}

Result<std::string> emitOverrides(const std::vector<StackFixes>& stacks, OverrideLanguage language) {
  bool ts = language == OverrideLanguage::TypeScript;
  std::string body;
  bool elements = false;  // the element lookup is written only where an override needs it
  std::vector<std::pair<std::string, std::string>> table;  // stack name -> function
  for (const auto& s : stacks) {
    auto overrides = computeOverrides(s);
    if (!overrides) return overrides.error();
    if (overrides->empty()) continue;
    std::string name = stackName(*s.after);
    if (name.empty()) return Error{s.path + ": no cdktf stack name (\"//\".metadata.stackName)"};
    std::string fn = identifier(name);
    table.push_back({name, fn});
    body += ts ? "function " + fn + "(stack: TerraformStack): void {\n" : "\ndef _" + fn + "(stack: TerraformStack) -> None:\n";
    std::string lastHeader;
    bool secretNote = false;
    for (const auto& o : *overrides) {
      elements = elements || !o.stackLevel;
      std::string where = o.stackLevel ? "stack" : o.constructPath;
      std::string header = (o.rule.empty() ? "tfmend" : o.rule) + " · " + where + (o.title.empty() ? "" : ": " + o.title);
      if (header != lastHeader) {
        std::string c = ts ? "  // " : "    # ";
        body += c + header + "\n";
        lastHeader = header;
      }
      if (o.rule == "TFM002" && !secretNote) {
        body += std::string(ts ? "  // " : "    # ") + "the literal secret still sits in the app's source: delete it there too\n";
        secretNote = true;
      }
      std::string target = o.stackLevel ? "stack" : (ts ? "element(stack, " : "_element(stack, ") + quoted(o.constructPath) + ")";
      std::string value = o.remove ? (ts ? "undefined" : "None") : ts ? typescript(o.value, 1) : python(o.value, 1);
      if (o.remove && !ts) body += "    # None: cdktf writes null, which Terraform reads as unset\n";
      body += ts ? "  " + target + ".addOverride(" + quoted(o.path) + ", " + value + ");\n"
                 : "    " + target + ".add_override(" + quoted(o.path) + ", " + value + ")\n";
    }
    body += ts ? "}\n\n" : "";
    // A secret must never reach source, even if a fix wrote one by mistake.
    if (!s.secrets.empty() && redact(body, s.secrets) != body) return Error{s.path + ": an override would write a secret into source"};
  }
  std::string out;
  if (ts) {
    out += "// Generated by tfmend " TFMEND_VERSION ": the fixes of `tfmend fix` as cdktf overrides.\n"
           "// Call applyTfmendFixes(this) at the end of the stack's constructor: `cdktf synth`\n"
           "// then writes the fixed stack. Each override names its rule, its construct and its fix.\n"
           "import { " + std::string(elements ? "TerraformElement, " : "") + "TerraformStack } from \"cdktf\";\n\n";
    if (elements) {
      out += "function element(stack: TerraformStack, path: string): TerraformElement {\n"
             "  for (const c of stack.node.findAll()) {\n"
             "    if (c.node.path === path && TerraformElement.isTerraformElement(c)) return c;\n"
             "  }\n"
             "  throw new Error(`tfmend: no Terraform element at ${path}: the app changed since these fixes were made`);\n"
             "}\n\n";
    }
    out += body;
    out += "const fixes: Record<string, (stack: TerraformStack) => void> = {\n";
    for (const auto& [name, fn] : table) out += "  " + quoted(name) + ": " + fn + ",\n";
    out += "};\n\n"
           "/// Applies tfmend's fixes to `stack` (a stack of another name is left as it is).\n"
           "export function applyTfmendFixes(stack: TerraformStack): void {\n"
           "  const fix = fixes[stack.node.id];\n"
           "  if (fix) fix(stack);\n"
           "}\n";
  } else {
    out += "# Generated by tfmend " TFMEND_VERSION ": the fixes of `tfmend fix` as cdktf overrides.\n"
           "# Call apply_tfmend_fixes(self) at the end of the stack's constructor: `cdktf synth`\n"
           "# then writes the fixed stack. Each override names its rule, its construct and its fix.\n"
           "from cdktf import " + std::string(elements ? "TerraformElement, " : "") + "TerraformStack\n\n";
    if (elements) {
      out += "\ndef _element(stack: TerraformStack, path: str) -> TerraformElement:\n"
             "    for c in stack.node.find_all():\n"
             "        if c.node.path == path and TerraformElement.is_terraform_element(c):\n"
             "            return c\n"
             "    raise RuntimeError(f\"tfmend: no Terraform element at {path}: the app changed since these fixes were made\")\n\n";
    }
    out += body;
    out += "\n\n_FIXES = {\n";
    for (const auto& [name, fn] : table) out += "    " + quoted(name) + ": _" + fn + ",\n";
    out += "}\n\n\n"
           "def apply_tfmend_fixes(stack: TerraformStack) -> None:\n"
           "    \"\"\"Applies tfmend's fixes to `stack` (a stack of another name is left as it is).\"\"\"\n"
           "    fix = _FIXES.get(stack.node.id)\n"
           "    if fix:\n"
           "        fix(stack)\n";
  }
  return out;
}

}  // namespace tfmend
