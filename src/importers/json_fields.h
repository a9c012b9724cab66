// SPDX-License-Identifier: Apache-2.0
// Reading members of parsed export JSON that may have any type: exports from the wild (and the
// fuzzers) put numbers, objects and nulls where strings belong, and nlohmann::json::value()
// throws on those. Internal to the importers.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace custos::importers {

// The string member `key` of `j`, or "" when `j` is not an object or the member is missing,
// null or not a string.
inline std::string StringField(const nlohmann::json& j, const char* key) {
  if (!j.is_object()) {
    return {};
  }
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace custos::importers
