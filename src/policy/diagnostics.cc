// SPDX-License-Identifier: Apache-2.0
#include "policy/diagnostics.h"

#include <algorithm>
#include <cstdio>

namespace custos::policy {
namespace {

struct CodeInfo {
  DiagCode code;
  std::string_view name;
  std::string_view description;
};

constexpr CodeInfo kCodes[] = {
    {DiagCode::kFileRead, "file_read", "A pack file could not be read; the pack is not loaded."},
    {DiagCode::kYamlParse, "yaml_parse", "A file is not valid YAML; nothing in it is loaded."},
    {DiagCode::kYamlShape, "yaml_shape",
     "A value has the wrong YAML type; the item it belongs to is not loaded."},
    {DiagCode::kYamlLimit, "yaml_limit",
     "A file uses YAML anchors or aliases, or exceeds the size, node or nesting limits of the "
     "reader; nothing in it is loaded."},
    {DiagCode::kUnknownKey, "unknown_key",
     "A key this kind of item does not have (often a typo); the pack is not loaded."},
    {DiagCode::kMissingKey, "missing_key", "A required key is absent; the item is not loaded."},
    {DiagCode::kInvalidValue, "invalid_value",
     "A value is out of range or not one of the allowed words."},
    {DiagCode::kDuplicate, "duplicate", "Two items of the same kind have the same name."},
    {DiagCode::kConditionSyntax, "condition_syntax",
     "A condition does not follow the grammar; the rule cannot be compiled."},
    {DiagCode::kUnknownReference, "unknown_reference",
     "A list, macro or detector that the pack does not define."},
    {DiagCode::kReferenceCycle, "reference_cycle",
     "Macros or list includes that refer to themselves; they cannot be expanded."},
    {DiagCode::kTypeMismatch, "type_mismatch",
     "An operator or value that does not fit the field's type."},
    {DiagCode::kBadPattern, "bad_pattern",
     "Vectorscan rejects the pattern; the detector or rule cannot be compiled."},
    {DiagCode::kEngineVersion, "engine_version", "The pack needs a newer policy engine."},
    {DiagCode::kUnused, "unused", "Defined but never used; it costs load time and nothing else."},
    {DiagCode::kNoTests, "no_tests",
     "A rule without inline tests; changes to it are not checked by `custos policy test`."},
    {DiagCode::kUnknownChannel, "unknown_channel",
     "A channel custos does not know; the comparison can never be true."},
    {DiagCode::kCostlyPattern, "costly_pattern",
     "A pattern that starts with an unbounded repeat or is a huge alternation: slow on every "
     "message."},
    {DiagCode::kDuplicateTerm, "duplicate_term", "The same term twice in one list."},
    {DiagCode::kNoSpan, "no_span",
     "Vectorscan cannot report start offsets for this regular expression; its evidence is an "
     "empty span at the end of each match."},
};

const CodeInfo& Info(DiagCode code) { return kCodes[static_cast<int>(code)]; }

}  // namespace

bool IsError(DiagCode code) { return static_cast<int>(code) < static_cast<int>(DiagCode::kUnused); }

std::string_view DiagCodeName(DiagCode code) { return Info(code).name; }

std::string_view DiagCodeDescription(DiagCode code) { return Info(code).description; }

std::string Diagnostic::ToString() const {
  std::string out = pos.file.empty() ? "<pack>" : pos.file;
  if (pos.line > 0) {
    out += ":" + std::to_string(pos.line) + ":" + std::to_string(pos.column);
  }
  out += IsError() ? ": error[" : ": warning[";
  out += DiagCodeName(code);
  out += "]: ";
  if (!item_kind.empty()) {
    out += item_kind;
    if (!item_name.empty()) {
      out += " '" + item_name + "'";
    }
    out += ": ";
  }
  out += message;
  return out;
}

void Diagnostics::Add(DiagCode code, SourcePos pos, std::string item_kind, std::string item_name,
                      std::string message) {
  if (policy::IsError(code)) {
    ++errors_;
  }
  items_.push_back(Diagnostic{code, std::move(pos), std::move(item_kind), std::move(item_name),
                              std::move(message)});
}

void Diagnostics::Sort() {
  std::stable_sort(items_.begin(), items_.end(), [](const Diagnostic& a, const Diagnostic& b) {
    if (a.pos.file != b.pos.file) {
      return a.pos.file < b.pos.file;
    }
    if (a.pos.line != b.pos.line) {
      return a.pos.line < b.pos.line;
    }
    return a.pos.column < b.pos.column;
  });
}

std::string Diagnostics::ToText() const {
  std::string out;
  for (const Diagnostic& d : items_) {
    out += d.ToString();
    out += '\n';
  }
  out += std::to_string(ErrorCount()) + (ErrorCount() == 1 ? " error, " : " errors, ") +
         std::to_string(WarningCount()) + (WarningCount() == 1 ? " warning\n" : " warnings\n");
  return out;
}

std::string Diagnostics::ToJson() const {
  std::string out = "{\"errors\":" + std::to_string(ErrorCount()) +
                    ",\"warnings\":" + std::to_string(WarningCount()) + ",\"diagnostics\":[";
  for (std::size_t i = 0; i < items_.size(); ++i) {
    const Diagnostic& d = items_[i];
    out += i > 0 ? ",{" : "{";
    out += "\"severity\":";
    AppendJsonString(out, d.IsError() ? "error" : "warning");
    out += ",\"code\":";
    AppendJsonString(out, DiagCodeName(d.code));
    out += ",\"description\":";
    AppendJsonString(out, DiagCodeDescription(d.code));
    out += ",\"file\":";
    AppendJsonString(out, d.pos.file);
    out += ",\"line\":" + std::to_string(d.pos.line);
    out += ",\"column\":" + std::to_string(d.pos.column);
    out += ",\"item_kind\":";
    AppendJsonString(out, d.item_kind);
    out += ",\"item\":";
    AppendJsonString(out, d.item_name);
    out += ",\"message\":";
    AppendJsonString(out, d.message);
    out += "}";
  }
  out += "]}";
  return out;
}

void AppendJsonString(std::string& out, std::string_view s) {
  out.push_back('"');
  for (char c : s) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          char buf[8];
          std::snprintf(buf, sizeof buf, "\\u%04x", static_cast<unsigned>(c));
          out += buf;
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
}

}  // namespace custos::policy
