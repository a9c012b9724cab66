// SPDX-License-Identifier: Apache-2.0
#include "http/message.h"

#include <algorithm>
#include <cctype>

namespace custos::http {

namespace {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) ==
                  std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

void Headers::Set(std::string_view name, std::string value) {
  fields_.erase(std::remove_if(fields_.begin(), fields_.end(),
                               [&](const auto& f) { return EqualsIgnoreCase(f.first, name); }),
                fields_.end());
  fields_.emplace_back(std::string(name), std::move(value));
}

std::optional<std::string_view> Headers::Get(std::string_view name) const {
  for (const auto& [n, v] : fields_) {
    if (EqualsIgnoreCase(n, name)) {
      return std::string_view(v);
    }
  }
  return std::nullopt;
}

std::optional<std::string_view> Request::Param(std::string_view name) const {
  for (const auto& [n, v] : query) {
    if (n == name) {
      return std::string_view(v);
    }
  }
  return std::nullopt;
}

std::size_t Request::ParamCount(std::string_view name) const {
  return static_cast<std::size_t>(
      std::count_if(query.begin(), query.end(), [&](const auto& p) { return p.first == name; }));
}

}  // namespace custos::http
