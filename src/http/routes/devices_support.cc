// SPDX-License-Identifier: Apache-2.0
#include "http/routes/devices_support.h"

#include "app/device_commands.h"

namespace custos::http::devices_routes {

void DispatchCommands(app::Custos& c) { app::DispatchDeviceCommands(c.devices(), c.nanomdm()); }

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
