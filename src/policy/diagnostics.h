// SPDX-License-Identifier: Apache-2.0
// What loading a policy pack reports (docs/policy-language.md §7), in the manner of Falco's
// load_result: every problem found, never only the first, each with a code (a short stable
// name plus a longer description of its impact), a position in a pack file, the kind and name
// of the item it concerns and a message. Errors prevent the pack from loading; warnings do not.
// `ToText()` is what `custos policy lint` prints; `ToJson()` is what an API returns.
// Thread-safety: plain values.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace custos::policy {

enum class DiagCode {
  // Errors.
  kFileRead,
  kYamlParse,
  kYamlShape,
  kYamlLimit,
  kUnknownKey,
  kMissingKey,
  kInvalidValue,
  kDuplicate,
  kConditionSyntax,
  kUnknownReference,
  kReferenceCycle,
  kTypeMismatch,
  kBadPattern,
  kEngineVersion,
  // Warnings.
  kUnused,
  kNoTests,
  kUnknownChannel,
  kCostlyPattern,
  kDuplicateTerm,
  kNoSpan,
};

bool IsError(DiagCode code);

// "unknown_key", ...
std::string_view DiagCodeName(DiagCode code);

// One sentence on what the problem means for the pack.
std::string_view DiagCodeDescription(DiagCode code);

// A place in a pack file; line and column count from 1, 0 when unknown. `file` is relative
// to the pack root.
struct SourcePos {
  std::string file;
  int line = 0;
  int column = 0;

  bool operator==(const SourcePos&) const = default;
};

struct Diagnostic {
  DiagCode code = DiagCode::kInvalidValue;
  SourcePos pos;
  std::string item_kind;  // "rule condition", "list item", "pack", ...
  std::string item_name;  // the rule id, list name, ...; may be empty
  std::string message;

  bool IsError() const { return policy::IsError(code); }

  // "rules/a.yaml:12:17: error[unknown_reference]: rule condition 'r1': unknown list 'x'"
  std::string ToString() const;
};

class Diagnostics {
 public:
  void Add(DiagCode code, SourcePos pos, std::string item_kind, std::string item_name,
           std::string message);

  const std::vector<Diagnostic>& All() const { return items_; }

  bool HasErrors() const { return errors_ > 0; }

  int ErrorCount() const { return errors_; }

  int WarningCount() const { return static_cast<int>(items_.size()) - errors_; }

  // Sorts by file, line, column (stable for equal positions), for output.
  void Sort();

  // One line per diagnostic, then "N errors, M warnings".
  std::string ToText() const;

  // {"errors": n, "warnings": m, "diagnostics": [{"severity", "code", "description", "file",
  // "line", "column", "item_kind", "item", "message"}, ...]}
  std::string ToJson() const;

 private:
  std::vector<Diagnostic> items_;
  int errors_ = 0;
};

// Appends `s` to `out` as a JSON string literal (quotes, escapes, control characters).
void AppendJsonString(std::string& out, std::string_view s);

}  // namespace custos::policy
