// SPDX-License-Identifier: Apache-2.0
// Internal: lenient typed reads of a JSON object for the MDM mappings (absent or mistyped =
// not observed), and name tables for the enums.
#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/status.h"
#include "devices/posture.h"

namespace custos::devices::internal {

inline std::optional<std::string> GetStr(const nlohmann::json& obj, const char* key) {
  auto it = obj.find(key);
  return it != obj.end() && it->is_string() ? std::optional(it->get<std::string>()) : std::nullopt;
}

inline Tri GetTri(const nlohmann::json& obj, const char* key) {
  auto it = obj.find(key);
  if (it == obj.end() || !it->is_boolean()) {
    return Tri::kUnknown;
  }
  return it->get<bool>() ? Tri::kTrue : Tri::kFalse;
}

// The enum whose index in `names` is `s`, or kInvalidArgument listing the allowed names.
template <typename E, std::size_t N>
core::Result<E> ParseIndexed(const std::array<std::string_view, N>& names, std::string_view s,
                             std::string_view what) {
  for (std::size_t i = 0; i < N; ++i) {
    if (names[i] == s) {
      return static_cast<E>(i);
    }
  }
  std::string allowed;
  for (auto n : names) {
    allowed += allowed.empty() ? "" : ", ";
    allowed += n;
  }
  return core::InvalidArgument("unknown " + std::string(what) + " '" + std::string(s) +
                               "' (one of: " + allowed + ")");
}

}  // namespace custos::devices::internal
