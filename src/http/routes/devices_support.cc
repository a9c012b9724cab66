// SPDX-License-Identifier: Apache-2.0
#include "http/routes/devices_support.h"

#include "core/log.h"

namespace custos::http::devices_routes {

void DispatchCommands(app::Custos& c) {
  auto summary = c.devices().DispatchToMdm(c.nanomdm());
  if (!summary) {
    CUSTOS_LOG_WARN("devices: command dispatch failed: {}", summary.error().ToString());
    return;
  }
  for (const std::string& e : summary->errors) {
    CUSTOS_LOG_WARN("devices: NanoMDM: {}", e);
  }
}

core::Result<std::string> StringMember(const Json& body, const char* name, bool required) {
  const auto it = body.find(name);
  if (it == body.end()) {
    if (required) {
      return core::InvalidArgument(std::string(name) + ": required");
    }
    return std::string();
  }
  if (!it->is_string()) {
    return core::InvalidArgument(std::string(name) + ": expected a string");
  }
  return it->get<std::string>();
}

}  // namespace custos::http::devices_routes
