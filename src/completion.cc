#include "completion.h"

namespace tfmend {

namespace {

std::string joined(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) out += (out.empty() ? "" : " ") + w;
  return out;
}

/// The option's names as typed: "--select", "-j".
std::vector<std::string> namesOf(const CLI::Option& opt) {
  std::vector<std::string> names;
  for (const auto& n : opt.get_lnames()) names.push_back("--" + n);
  for (const auto& n : opt.get_snames()) names.push_back("-" + n);
  return names;
}

}  // namespace

std::string bashCompletion(const CLI::App& app, const std::map<std::string, std::vector<std::string>>& choices) {
  std::vector<std::string> commands, topOptions;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) commands.push_back(sub->get_name());
  for (const CLI::Option* opt : app.get_options()) {
    for (auto& n : namesOf(*opt)) topOptions.push_back(n);
  }
  std::string out =
      "# bash completion for tfmend (written by `tfmend completion bash`)\n"
      "_tfmend() {\n"
      "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" prev=\"${COMP_WORDS[COMP_CWORD-1]}\" cmd=\"\" opts=\"\" i\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    case \"${COMP_WORDS[i]}\" in -*) ;; *) cmd=\"${COMP_WORDS[i]}\"; break ;; esac\n"
      "  done\n"
      "  if [[ -z $cmd ]]; then\n"
      "    COMPREPLY=($(compgen -W \"" + joined(commands) + " " + joined(topOptions) + "\" -- \"$cur\"))\n"
      "    return\n"
      "  fi\n"
      "  case \"$prev\" in\n";
  // Options whose values are known words; a list completes after its last comma.
  for (const auto& [option, words] : choices) {
    out += "    " + option + ")\n"
           "      if [[ $cur == *,* ]]; then COMPREPLY=($(compgen -P \"${cur%,*},\" -W \"" + joined(words) +
           "\" -- \"${cur##*,}\"))\n"
           "      else COMPREPLY=($(compgen -W \"" + joined(words) + "\" -- \"$cur\")); fi\n"
           "      return ;;\n";
  }
  // Other options that take a value: a file, a folder or a number; let bash complete files.
  std::vector<std::string> valued;
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    for (const CLI::Option* opt : sub->get_options()) {
      if (opt->get_expected_min() == 0 || opt->get_lnames().empty()) continue;
      for (auto& n : namesOf(*opt)) {
        if (!choices.count(n) && std::find(valued.begin(), valued.end(), n) == valued.end()) valued.push_back(n);
      }
    }
  }
  if (!valued.empty()) {
    std::string pattern;
    for (const auto& v : valued) pattern += (pattern.empty() ? "" : "|") + v;
    out += "    " + pattern + ")\n      COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n";
  }
  out += "  esac\n  case \"$cmd\" in\n";
  for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
    std::vector<std::string> names;
    for (const CLI::Option* opt : sub->get_options()) {
      for (auto& n : namesOf(*opt)) names.push_back(n);
    }
    out += "    " + sub->get_name() + ") opts=\"" + joined(names) + "\" ;;\n";
  }
  out +=
      "  esac\n"
      "  if [[ $cur == -* ]]; then\n"
      "    COMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
      "  elif [[ $cmd == explain ]]; then\n"
      "    COMPREPLY=($(compgen -W \"" +
      (choices.count("--select") ? joined(choices.at("--select")) : std::string()) +
      "\" -- \"$cur\"))\n"
      "  else\n"
      "    COMPREPLY=($(compgen -f -- \"$cur\"))\n"
      "  fi\n"
      "}\n"
      "complete -o filenames -o bashdefault -F _tfmend tfmend\n";
  return out;
}

}  // namespace tfmend
