#include "config.h"

#include <algorithm>
#include <filesystem>
#include <map>
#include <sstream>

#include <toml++/toml.h>

#include "tfmend/suggest.h"

namespace tfmend {

std::optional<std::string> findConfigFile() {
  std::error_code ec;
  auto dir = std::filesystem::current_path(ec);
  if (ec) return std::nullopt;
  while (true) {
    auto candidate = dir / "tfmend.toml";
    if (std::filesystem::is_regular_file(candidate, ec)) return candidate.string();
    if (!dir.has_parent_path() || dir.parent_path() == dir) return std::nullopt;
    dir = dir.parent_path();
  }
}

namespace {

/// What a key's value must be, read from how the command line declares it.
enum class Kind { Bool, Integer, Number, String, StringList };

Kind kindOf(const CLI::Option& opt) {
  if (opt.get_expected_min() == 0) return Kind::Bool;
  if (opt.get_multi_option_policy() == CLI::MultiOptionPolicy::TakeAll) return Kind::StringList;
  // The type name may carry a validator's description ("INT:INT in [1 - 1024]").
  const std::string type = opt.get_type_name();
  if (type.rfind("INT", 0) == 0 || type.rfind("UINT", 0) == 0) return Kind::Integer;
  if (type.rfind("FLOAT", 0) == 0) return Kind::Number;
  return Kind::String;
}

const char* describe(Kind k) {
  switch (k) {
    case Kind::Bool: return "a boolean (true or false)";
    case Kind::Integer: return "an integer";
    case Kind::Number: return "a number";
    case Kind::String: return "a string";
    case Kind::StringList: return "a list of strings";
  }
  return "a value";
}

const char* describe(toml::node_type t) {
  switch (t) {
    case toml::node_type::string: return "a string";
    case toml::node_type::integer: return "an integer";
    case toml::node_type::floating_point: return "a float";
    case toml::node_type::boolean: return "a boolean";
    case toml::node_type::array: return "an array";
    case toml::node_type::table: return "a table";
    case toml::node_type::date: return "a date";
    case toml::node_type::time: return "a time";
    case toml::node_type::date_time: return "a date-time";
    default: return "nothing";
  }
}

/// An error at a place in the file; the first one in the file is reported.
struct Problem {
  toml::source_position at;
  std::string message;
};

std::string at(const std::string& path, const toml::source_position& p) {
  return path + ":" + std::to_string(p.line) + ":" + std::to_string(p.column);
}

/// The value as the command line would spell it.
std::string spelled(const toml::node& node) {
  if (auto s = node.value_exact<std::string>()) return *s;
  if (auto b = node.value_exact<bool>()) return *b ? "true" : "false";
  if (auto i = node.value_exact<std::int64_t>()) return std::to_string(*i);
  if (auto d = node.value_exact<double>()) {
    std::ostringstream out;
    out.precision(17);
    out << *d;
    return out.str();
  }
  return "";
}

/// The value's command-line arguments, or the problem with its type.
std::variant<std::vector<std::string>, Problem> argumentsOf(const toml::node& node, Kind kind, const std::string& key) {
  auto wrongType = [&](const toml::node& n, const char* expected) {
    return Problem{n.source().begin, key + ": must be " + std::string(expected) + ", not " + describe(n.type())};
  };
  switch (kind) {
    case Kind::Bool:
      if (!node.is_boolean()) return wrongType(node, describe(kind));
      break;
    case Kind::Integer:
      if (!node.is_integer()) return wrongType(node, describe(kind));
      break;
    case Kind::Number:
      if (!node.is_integer() && !node.is_floating_point()) return wrongType(node, describe(kind));
      break;
    case Kind::String:
      if (!node.is_string()) return wrongType(node, describe(kind));
      break;
    case Kind::StringList: {
      const toml::array* list = node.as_array();
      if (!list) return wrongType(node, describe(kind));
      std::vector<std::string> items;
      for (const toml::node& item : *list) {
        if (!item.is_string()) {
          return Problem{item.source().begin, key + ": must be a list of strings, not a list with " + describe(item.type())};
        }
        items.push_back(*item.value_exact<std::string>());
      }
      return items;
    }
  }
  return std::vector<std::string>{spelled(node)};
}

/// The validator's message without the option name CLI11 puts in front.
std::string withoutOptionName(std::string message, const std::string& key) {
  const std::string prefix = "--" + key + ": ";
  if (message.rfind(prefix, 0) == 0) message.erase(0, prefix.size());
  return message;
}

}  // namespace

Status applyConfigFile(CLI::App& command, const std::vector<const CLI::App*>& commands, const std::string& path) {
  toml::table table;
  try {
    table = toml::parse_file(path);
  } catch (const toml::parse_error& e) {
    return Error{at(path, e.source().begin) + ": invalid TOML: " + std::string(e.description())};
  }
  // Every key any command takes, with how its value is declared.
  std::map<std::string, const CLI::Option*> known;
  for (const CLI::App* cmd : commands) {
    for (const CLI::Option* opt : cmd->get_options()) {
      if (!opt->get_configurable() || opt->get_lnames().empty()) continue;
      for (const auto& name : opt->get_lnames()) known.emplace(name, opt);
    }
  }
  std::vector<std::string> keys;
  for (const auto& [name, opt] : known) keys.push_back(name);

  // toml++ keeps keys sorted; problems are reported in the file's order.
  std::vector<Problem> problems;
  std::map<std::string, std::pair<toml::source_position, std::string>> seen;  // option -> where, key as written
  struct Setting {
    CLI::Option* option;
    std::string key;
    toml::source_position at;
    std::vector<std::string> args;
  };
  std::vector<Setting> settings;
  for (const auto& [k, node] : table) {
    std::string written(k.str());
    std::string key = written;
    std::replace(key.begin(), key.end(), '_', '-');
    auto it = known.find(key);
    if (it == known.end()) {
      problems.push_back({k.source().begin, "unknown key \"" + written + "\"" + didYouMean(key, keys)});
      continue;
    }
    // One option may have two names (format, output-format): it is set once.
    if (auto [prev, fresh] = seen.emplace(it->second->get_lnames().front(), std::make_pair(k.source().begin, written));
        !fresh) {
      // Blame the later of the two in the file.
      auto [first, firstKey] = prev->second;
      auto second = k.source().begin;
      std::string secondKey = written;
      if (second < first) std::swap(first, second), std::swap(firstKey, secondKey);
      problems.push_back({second, "duplicate key \"" + secondKey + "\" (\"" + firstKey + "\" is set at line " +
                                      std::to_string(first.line) + ")"});
      continue;
    }
    auto args = argumentsOf(node, kindOf(*it->second), key);
    if (auto* p = std::get_if<Problem>(&args)) {
      problems.push_back(std::move(*p));
      continue;
    }
    CLI::Option* mine = command.get_option_no_throw("--" + key);
    if (!mine || !mine->get_configurable()) continue;  // another command's option
    auto values = std::get<std::vector<std::string>>(std::move(args));
    // A file named in the config file is relative to the config file's folder.
    if (mine->get_type_name() == "FILE") {
      for (auto& v : values) {
        if (!v.empty() && std::filesystem::path(v).is_relative()) v = (std::filesystem::path(path).parent_path() / v).string();
      }
    }
    settings.push_back({mine, key, node.source().begin, std::move(values)});
  }
  std::sort(settings.begin(), settings.end(), [](const Setting& a, const Setting& b) { return a.at < b.at; });
  for (auto& s : settings) {
    if (s.option->count() > 0) continue;  // the command line wins
    try {
      if (s.args.empty()) {
        s.option->add_result(std::vector<std::string>{});
      } else {
        s.option->add_result(s.args);
      }
      s.option->run_callback();
    } catch (const CLI::Error& e) {
      problems.push_back({s.at, s.key + ": " + withoutOptionName(e.what(), s.key)});
      break;
    }
  }
  if (problems.empty()) return okStatus();
  auto first = std::min_element(problems.begin(), problems.end(),
                                [](const Problem& a, const Problem& b) { return a.at < b.at; });
  return Error{at(path, first->at) + ": " + first->message};
}

}  // namespace tfmend
