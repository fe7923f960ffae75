#include "tfmend/finding.h"

#include "tfmend/rule.h"

namespace tfmend {

const char* toString(Severity s) {
  switch (s) {
    case Severity::High: return "high";
    case Severity::Medium: return "medium";
    case Severity::Low: return "low";
  }
  return "medium";
}

const char* toString(Applicability a) { return a == Applicability::Safe ? "safe" : "unsafe"; }

Json opAdd(const std::string& path, Json value) { return Json{{"op", "add"}, {"path", path}, {"value", std::move(value)}}; }
Json opReplace(const std::string& path, Json value) {
  return Json{{"op", "replace"}, {"path", path}, {"value", std::move(value)}};
}
Json opRemove(const std::string& path) { return Json{{"op", "remove"}, {"path", path}}; }
Json opTest(const std::string& path, Json value) {
  return Json{{"op", "test"}, {"path", path}, {"value", std::move(value)}};
}

std::string Finding::fixKey() const {
  return rule + "\x1f" + address + "\x1f" + pointer + "\x1f" + (fix ? fix->title : std::string());
}

Finding Finding::withoutOps() const {
  Finding out;
  out.rule = rule;
  out.message = message;
  out.address = address;
  out.pointer = pointer;
  out.constructPath = constructPath;
  out.noFixReason = noFixReason;
  out.secrets = secrets;
  if (fix) {
    out.fix.emplace();
    out.fix->applicability = fix->applicability;
    out.fix->title = fix->title;
    out.fix->forcesReplacement = fix->forcesReplacement;
  }
  return out;
}

void Finding::dropOps() {
  if (!fix) return;
  fix->ops = Json::array();
  fix->makeOps = nullptr;
}

Finding makeFinding(const Rule& rule, const Resource& r, std::string pointer, std::string message) {
  Finding f;
  f.rule = std::string(rule.id);
  f.message = std::move(message);
  f.address = r.address;
  // A finding about a missing argument points at its resource (so that
  // SARIF and annotations land on the resource's line, not on line 1).
  if (pointer != r.pointer && pointer.rfind(r.pointer + "/", 0) == 0 && r.body) {
    try {
      (void)r.body->at(JsonPointer(pointer.substr(r.pointer.size())));
    } catch (const Json::exception&) {
      pointer = r.pointer;
    }
  }
  f.pointer = std::move(pointer);
  f.constructPath = r.constructPath;
  return f;
}

}  // namespace tfmend
