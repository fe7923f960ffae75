#pragma once
/// Terraform expression scanning: finds the references inside `${...}`
/// templates (also within function calls, nested templates and longer strings)
/// without a full HCL parser.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace tfmend {

/// What a reference names.
enum class RefKind { Resource, Data, Variable, Local, Module };

/// One reference in an expression, e.g. `aws_s3_bucket.logs.arn`.
struct Traversal {
  RefKind kind = RefKind::Resource;
  std::string target;     ///< "aws_s3_bucket.logs", "data.aws_caller_identity.c", "var.x", "local.y"
  std::string attribute;  ///< the first attribute after the target ("arn"), or empty
  std::size_t offset = 0; ///< where `target` starts in the scanned string
};

/// References in a JSON string value, read as a Terraform template.
std::vector<Traversal> referencesInTemplate(std::string_view text);

/// References in a bare expression (as in `depends_on` entries).
std::vector<Traversal> referencesInExpression(std::string_view expr);

/// True if `text` contains a template interpolation or directive.
bool hasTemplate(std::string_view text);

/// If `text` is exactly one interpolation of a plain reference ("${aws_x.y.arn}"),
/// that reference; otherwise an empty target.
Traversal soleReference(std::string_view text);

/// One piece of a template: literal text, or a whole `${...}` (or `%{...}`) with its braces.
struct TemplateSegment {
  bool interpolation;
  std::string text;
};

/// `text` cut into literal text and whole interpolations.
std::vector<TemplateSegment> templateSegments(std::string_view text);

/// One past the bracket that closes the `open` bracket at `at`, minding quoted
/// strings and nested brackets; npos when it never closes.
std::size_t closingBracket(std::string_view text, std::size_t at, char open, char close);

/// "${" + expr + "}".
std::string interpolate(std::string_view expr);

}  // namespace tfmend
