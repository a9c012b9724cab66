// SPDX-License-Identifier: Apache-2.0
#include "policy/loader/item_fields.h"

#include <algorithm>
#include <charconv>

namespace custos::policy::loader {

ItemFields::ItemFields(const RawNode& map, std::string kind, std::string name, Diagnostics& diags,
                       std::initializer_list<std::string_view> allowed)
    : map_(map), kind_(std::move(kind)), name_(std::move(name)), diags_(diags) {
  if (!map.IsMap()) {
    Error(DiagCode::kYamlShape, map.pos, "expected a mapping, got " + std::string(map.KindName()));
    ok_ = false;
    return;
  }
  std::vector<std::string_view> seen;
  for (const auto& [key, value] : map.members) {
    if (!key.IsScalar()) {
      Error(DiagCode::kYamlShape, key.pos, "keys must be strings");
      continue;
    }
    if (std::find(allowed.begin(), allowed.end(), key.scalar) == allowed.end()) {
      std::string known;
      for (std::string_view a : allowed) {
        known += known.empty() ? "" : ", ";
        known += a;
      }
      Error(DiagCode::kUnknownKey, key.pos,
            "unknown key '" + key.scalar + "' (known: " + known + ")");
      continue;
    }
    if (std::find(seen.begin(), seen.end(), key.scalar) != seen.end()) {
      Error(DiagCode::kDuplicate, key.pos, "key '" + key.scalar + "' appears twice");
      continue;
    }
    seen.push_back(key.scalar);
  }
}

void ItemFields::Error(DiagCode code, const SourcePos& pos, std::string message) {
  diags_.Add(code, pos, kind_, name_, std::move(message));
}

const RawNode* ItemFields::Get(std::string_view key) const {
  const RawNode* node = map_.Find(key);
  return node;
}

const RawNode* ItemFields::Require(std::string_view key) {
  const RawNode* node = Get(key);
  if (node == nullptr) {
    Error(DiagCode::kMissingKey, map_.pos, "missing required key '" + std::string(key) + "'");
  }
  return node;
}

std::optional<std::string> ItemFields::String(std::string_view key, bool required) {
  const RawNode* node = required ? Require(key) : Get(key);
  if (node == nullptr) {
    return std::nullopt;
  }
  if (!node->IsScalar()) {
    Error(DiagCode::kYamlShape, node->pos,
          "'" + std::string(key) + "' must be a string, not " + std::string(node->KindName()));
    return std::nullopt;
  }
  return node->scalar;
}

std::optional<bool> ItemFields::Bool(std::string_view key) {
  const RawNode* node = Get(key);
  if (node == nullptr) {
    return std::nullopt;
  }
  std::optional<bool> value = ParseBool(*node);
  if (!value) {
    Error(DiagCode::kInvalidValue, node->pos, "'" + std::string(key) + "' must be true or false");
  }
  return value;
}

std::optional<std::int64_t> ItemFields::Int(std::string_view key, std::int64_t min,
                                            std::int64_t max) {
  const RawNode* node = Get(key);
  if (node == nullptr) {
    return std::nullopt;
  }
  std::optional<std::int64_t> value = ParseInt(*node, min, max);
  if (!value) {
    Error(DiagCode::kInvalidValue, node->pos,
          "'" + std::string(key) + "' must be an integer from " + std::to_string(min) + " to " +
              std::to_string(max));
  }
  return value;
}

std::optional<std::vector<Named>> ItemFields::Strings(std::string_view key) {
  const RawNode* node = Get(key);
  if (node == nullptr) {
    return std::nullopt;
  }
  std::vector<Named> out;
  if (node->IsScalar()) {
    out.push_back(Named{node->scalar, node->pos});
    return out;
  }
  if (!node->IsSequence()) {
    Error(DiagCode::kYamlShape, node->pos,
          "'" + std::string(key) + "' must be a list of strings, not " +
              std::string(node->KindName()));
    return std::nullopt;
  }
  bool good = true;
  for (const RawNode& item : node->items) {
    if (!item.IsScalar()) {
      Error(DiagCode::kYamlShape, item.pos,
            "'" + std::string(key) + "' must hold strings, not " + std::string(item.KindName()));
      good = false;
      continue;
    }
    out.push_back(Named{item.scalar, item.pos});
  }
  if (!good) {
    return std::nullopt;
  }
  return out;
}

std::optional<bool> ParseBool(const RawNode& node) {
  if (!node.IsScalar() || !node.plain) {
    return std::nullopt;
  }
  if (node.scalar == "true") {
    return true;
  }
  if (node.scalar == "false") {
    return false;
  }
  return std::nullopt;
}

std::optional<std::int64_t> ParseInt(const RawNode& node, std::int64_t min, std::int64_t max) {
  if (!node.IsScalar() || node.scalar.empty()) {
    return std::nullopt;
  }
  std::int64_t value = 0;
  const char* first = node.scalar.data();
  const char* last = first + node.scalar.size();
  auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || ptr != last || value < min || value > max) {
    return std::nullopt;
  }
  return value;
}

}  // namespace custos::policy::loader
