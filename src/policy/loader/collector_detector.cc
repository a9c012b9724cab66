// SPDX-License-Identifier: Apache-2.0
// The collector's detector items (docs/policy-language.md §2.4).
#include <cctype>

#include "core/text.h"
#include "policy/detectors/registry.h"
#include "policy/loader/collector.h"

namespace custos::policy::loader {
namespace {

std::optional<std::optional<Confidence>> ParseLevel(std::string_view s) {
  if (s == "high") {
    return Confidence::kHigh;
  }
  if (s == "medium") {
    return Confidence::kMedium;
  }
  if (s == "low") {
    return Confidence::kLow;
  }
  if (s == "none") {
    return std::optional<Confidence>();
  }
  return std::nullopt;
}

void CollectConfidence(const RawNode& node, ItemFields& parent, ConfidenceTable& table) {
  ItemFields f(node, "detector confidence", parent.Name(), parent.Diags(),
               {"valid_with_keyword", "valid", "plausible_with_keyword", "plausible"});
  const std::pair<const char*, std::optional<Confidence>*> slots[] = {
      {"valid_with_keyword", &table.valid_with_keyword},
      {"valid", &table.valid_alone},
      {"plausible_with_keyword", &table.plausible_with_keyword},
      {"plausible", &table.plausible_alone}};
  for (const auto& [key, slot] : slots) {
    if (auto value = f.String(key)) {
      if (auto level = ParseLevel(*value)) {
        *slot = *level;
      } else {
        f.Error(DiagCode::kInvalidValue, f.Get(key)->pos,
                "'" + std::string(key) + "' must be high, medium, low or none");
      }
    }
  }
}

}  // namespace

void CollectDetector(const RawItem& item, Diagnostics& diags, std::vector<DetectorDef>& out) {
  ItemFields f(item.node, "detector", item.name, diags,
               {"detector", "description", "pattern", "based_on", "validator", "keywords", "window",
                "confidence", "mask"});
  DetectorDef d;
  d.name = f.String("detector").value_or("");
  d.pos = item.node.pos;
  const SourcePos name_pos = item.node.members.front().second.pos;
  if (!IsIdentifier(d.name)) {
    f.Error(DiagCode::kInvalidValue, name_pos,
            "a detector name must be a name like employee_id ([A-Za-z_][A-Za-z0-9_]*)");
    return;
  }
  if (FindBuiltinDetector(d.name) != nullptr) {
    f.Error(DiagCode::kDuplicate, name_pos,
            "'" + d.name + "' is a built-in detector; give the custom one another name");
    return;
  }
  d.description = f.String("description").value_or("");
  bool good = true;
  if (f.String("pattern")) {
    d.pattern = *f.Get("pattern");
  }
  if (auto based_on = f.String("based_on")) {
    d.based_on = Named{*based_on, f.Get("based_on")->pos};
    if (FindBuiltinDetector(*based_on) == nullptr) {
      f.Error(DiagCode::kUnknownReference, d.based_on->pos,
              "'" + *based_on + "' is not a built-in detector");
      good = false;
    }
  }
  if (d.pattern.has_value() == d.based_on.has_value()) {
    f.Error(DiagCode::kMissingKey, item.node.pos,
            "a detector needs exactly one of pattern and "
            "based_on");
    good = false;
  }
  if (auto validator = f.String("validator")) {
    d.validator = Named{*validator, f.Get("validator")->pos};
    if (*validator != "none" && *validator != "luhn" && *validator != "mod97" &&
        FindBuiltinDetector(*validator) == nullptr) {
      f.Error(DiagCode::kUnknownReference, d.validator->pos,
              "unknown validator '" + *validator + "' (none, luhn, mod97 or a built-in detector)");
      good = false;
    }
  }
  if (auto keywords = f.Strings("keywords")) {
    for (const Named& k : *keywords) {
      const std::string keyword = core::ToLowerAscii(core::TrimAscii(k.name));
      const unsigned char first = keyword.empty() ? 0 : static_cast<unsigned char>(keyword[0]);
      if (keyword.empty() || !(std::isalnum(first) || first == '_' || first >= 0x80)) {
        f.Error(DiagCode::kInvalidValue, k.pos, "a keyword must start with a letter or digit");
        continue;
      }
      d.keywords.push_back(keyword);
    }
  }
  if (auto window = f.Int("window", 0, 10'000)) {
    d.window = static_cast<std::size_t>(*window);
  }
  if (const RawNode* confidence = f.Get("confidence")) {
    CollectConfidence(*confidence, f, d.confidence);
  }
  d.mask = f.Bool("mask").value_or(true);
  if (good) {
    out.push_back(std::move(d));
  }
}

}  // namespace custos::policy::loader
