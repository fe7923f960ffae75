#include "validators.h"

#include <charconv>
#include <cmath>
#include <regex>
#include <sstream>

namespace tfmend {

namespace {

std::string number(double x) {
  std::ostringstream out;
  out.precision(12);
  out << x;
  return out.str();
}

}  // namespace

CLI::Validator numberAbove(double low, double high) {
  std::string expected = "must be a number greater than " + number(low) + " and at most " + number(high);
  return CLI::Validator(
      [=](std::string& value) -> std::string {
        double x = 0;
        const char* end = value.data() + value.size();
        auto [ptr, ec] = std::from_chars(value.data(), end, x);
        if (ec != std::errc() || ptr != end || !std::isfinite(x) || !(x > low) || !(x <= high)) {
          return expected + ", not " + value;
        }
        return {};
      },
      "");
}

CLI::Validator envSuffixFragment() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        static const std::regex fragment("[a-z0-9]([a-z0-9-]{0,30}[a-z0-9])?");
        if (std::regex_match(value, fragment) && value.find("--") == std::string::npos) return {};
        return "\"" + value + "\" is not a name fragment: lowercase letters and digits, hyphens only inside, " +
               "at most 32 characters (e.g. \"dev\", \"prod-eu\")";
      },
      "");
}

CLI::Validator terraformIdentifier() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        static const std::regex identifier("[A-Za-z_][A-Za-z0-9_-]*");
        if (std::regex_match(value, identifier)) return {};
        return "\"" + value + "\" is not a Terraform identifier (a letter or _, then letters, digits, _ and -)";
      },
      "");
}

std::optional<std::pair<int, int>> parseShard(const std::string& spec) {
  static const std::regex shape("([0-9]{1,6})/([0-9]{1,6})");
  std::smatch m;
  if (!std::regex_match(spec, m, shape)) return std::nullopt;
  int k = std::stoi(m[1].str()), n = std::stoi(m[2].str());
  if (k < 1 || n < 1 || k > n) return std::nullopt;
  return std::make_pair(k, n);
}

CLI::Validator shardSpec() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        if (parseShard(value)) return {};
        return "\"" + value + "\" is not K/N with 1 <= K <= N";
      },
      "");
}

CLI::Validator httpUrl() {
  return CLI::Validator(
      [](std::string& value) -> std::string {
        static const std::regex url("https?://[^\\s/]+(/\\S*)?");
        if (std::regex_match(value, url)) return {};
        return "\"" + value + "\" is not an http:// or https:// URL";
      },
      "");
}

}  // namespace tfmend
