// SPDX-License-Identifier: Apache-2.0
// Typed access to the members of one YAML mapping of a pack item, reporting every problem
// (unknown or repeated keys, wrong YAML types, missing required keys) to Diagnostics with the
// item's kind and name. Used by the collector for items and their nested mappings.
// Thread-safety: not shared; one per mapping being read.
#pragma once

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "policy/diagnostics.h"
#include "policy/loader/definitions.h"
#include "policy/loader/raw.h"

namespace custos::policy::loader {

class ItemFields {
 public:
  // Checks `map` (reports a non-mapping) and its keys against `allowed`.
  ItemFields(const RawNode& map, std::string kind, std::string name, Diagnostics& diags,
             std::initializer_list<std::string_view> allowed);

  bool ok() const { return ok_; }

  const RawNode* Get(std::string_view key) const;

  // Reports kMissingKey unless `key` is present; returns the node or nullptr.
  const RawNode* Require(std::string_view key);

  // A scalar; nullopt when absent or not a scalar (reported).
  std::optional<std::string> String(std::string_view key, bool required = false);

  std::optional<bool> Bool(std::string_view key);

  std::optional<std::int64_t> Int(std::string_view key, std::int64_t min, std::int64_t max);

  // A scalar or a list of scalars, with positions; nullopt when absent or malformed.
  std::optional<std::vector<Named>> Strings(std::string_view key);

  void Error(DiagCode code, const SourcePos& pos, std::string message);

  const RawNode& Map() const { return map_; }

  const std::string& Kind() const { return kind_; }

  const std::string& Name() const { return name_; }

  Diagnostics& Diags() { return diags_; }

 private:
  const RawNode& map_;
  std::string kind_;
  std::string name_;
  Diagnostics& diags_;
  bool ok_ = true;
};

// Parses a scalar as a boolean (true/false), or nullopt.
std::optional<bool> ParseBool(const RawNode& node);

// Parses a scalar as a decimal integer in [min, max], or nullopt.
std::optional<std::int64_t> ParseInt(const RawNode& node, std::int64_t min, std::int64_t max);

}  // namespace custos::policy::loader
