#include "tfmend/document.h"

#include <cstddef>
#include <string>

namespace tfmend {

namespace {

/// 1-based line and column of byte offset `byte` (0-based) in `text`.
std::pair<int, int> lineAndColumn(const std::string& text, std::size_t byte) {
  int line = 1;
  int column = 1;
  for (std::size_t i = 0; i < byte && i < text.size(); ++i) {
    if (text[i] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
  }
  return {line, column};
}

/// nlohmann's message without its "[json.exception...] parse error at line
/// L, column C: " prefix, which we replace by our own location.
std::string parseErrorDetail(const std::string& what) {
  std::string detail = what;
  if (auto pos = detail.find(": "); pos != std::string::npos && detail.rfind("[json.exception", 0) == 0) {
    detail = detail.substr(pos + 2);
  }
  if (detail.rfind("syntax error while parsing ", 0) == 0) {
    detail = detail.substr(std::string("syntax error while parsing ").size());
  }
  return detail;
}

}  // namespace

JsonStyle detectStyle(const std::string& text) {
  JsonStyle style;
  style.trailingNewline = !text.empty() && text.back() == '\n';
  // The indentation unit is the whitespace that opens the first indented line.
  style.indent.clear();
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n') continue;
    std::size_t j = i + 1;
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
    if (j < text.size() && j > i + 1) {
      style.indent = text.substr(i + 1, j - i - 1);
      break;
    }
  }
  // An empty container written over two lines: an opening bracket, a newline,
  // whitespace only, and its closing bracket. JSON strings cannot hold a raw
  // newline, so this scan cannot be fooled by string contents.
  for (std::size_t i = 0; i + 1 < text.size() && !style.brokenEmptyContainers; ++i) {
    if ((text[i] != '{' && text[i] != '[') || text[i + 1] != '\n') continue;
    std::size_t j = i + 2;
    while (j < text.size() && (text[j] == ' ' || text[j] == '\t')) ++j;
    if (j < text.size() && text[j] == (text[i] == '{' ? '}' : ']')) style.brokenEmptyContainers = true;
  }
  return style;
}

Result<Document> parseDocument(std::string path, std::string text) {
  Document doc;
  doc.path = std::move(path);
  doc.text = std::move(text);
  if (doc.text.find_first_not_of(" \t\r\n") == std::string::npos) {
    return Error{doc.path + ":1:1: invalid JSON: the file is empty"};
  }
  try {
    doc.root = Json::parse(doc.text);
  } catch (const Json::parse_error& e) {
    // nlohmann counts bytes from 1 and points just past the offending token.
    std::size_t byte = e.byte > 0 ? e.byte - 1 : 0;
    auto [line, column] = lineAndColumn(doc.text, byte);
    return Error{doc.path + ":" + std::to_string(line) + ":" + std::to_string(column) +
                 ": invalid JSON: " + parseErrorDetail(e.what())};
  }
  doc.style = detectStyle(doc.text);
  doc.roundTrips = serialize(doc.root, doc.style) == doc.text;
  return doc;
}

}  // namespace tfmend
