#include "tfmend/weights.h"

#include <cctype>

#include "tfmend/expression.h"

namespace tfmend {

std::string weightExpression(const PhaseWeight& w) {
  return "${local." + w.table + "[var." + w.variable + "][\"" + w.setId + "\"]}";
}

std::optional<PhaseWeight> parseWeightExpression(const Json* value) {
  if (!value || !value->is_string()) return std::nullopt;
  const std::string& s = value->get_ref<const std::string&>();
  auto ident = [&](std::size_t& i) {
    std::size_t start = i;
    while (i < s.size() && (std::isalnum(static_cast<unsigned char>(s[i])) || s[i] == '_' || s[i] == '-')) ++i;
    return s.substr(start, i - start);
  };
  auto expect = [&](std::size_t& i, const std::string& text) {
    if (s.compare(i, text.size(), text) != 0) return false;
    i += text.size();
    return true;
  };
  std::size_t i = 0;
  PhaseWeight w;
  if (!expect(i, "${local.")) return std::nullopt;
  w.table = ident(i);
  if (w.table.empty() || !expect(i, "[var.")) return std::nullopt;
  w.variable = ident(i);
  if (w.variable.empty() || !expect(i, "][\"")) return std::nullopt;
  std::size_t end = s.find('"', i);
  if (end == std::string::npos) return std::nullopt;
  w.setId = s.substr(i, end - i);
  i = end + 1;
  if (!expect(i, "]}") || i != s.size()) return std::nullopt;
  return w;
}

std::string extensibleTable(const StackModel& m, const std::string& table) {
  const Json* value = m.local(table);
  if (!value || !value->is_object()) return {};
  for (const auto& [phase, row] : value->items()) {
    if (!row.is_object() || hasTemplate(phase)) return {};
  }
  const Json& locals = m.root().at("locals");
  if (locals.is_object()) return pointerJoin("/locals", {table});
  for (std::size_t i = 0; i < locals.size(); ++i) {
    if (!locals[i].is_object()) continue;
    if (auto it = locals[i].find(table); it != locals[i].end() && &*it == value) return pointerJoin("/locals", {std::to_string(i), table});
  }
  return {};
}

}  // namespace tfmend
