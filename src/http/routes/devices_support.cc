// SPDX-License-Identifier: Apache-2.0
#include "http/routes/devices_support.h"

#include "app/device_commands.h"
#include "core/text.h"

namespace custos::http::devices_routes {

std::string FieldOf(const core::Status& s) {
  const std::string& m = s.message();
  const std::size_t colon = m.find(':');
  if (colon == std::string::npos || colon > 64 || m.find(' ') < colon) {
    return "";
  }
  return m.substr(0, colon);
}

void SendStatus(httplib::Response& res, const core::Status& s) {
  SendError(res, s, 0, s.code() == core::StatusCode::kInvalidArgument ? FieldOf(s) : "");
}

void DispatchCommands(app::Custos& c) { app::DispatchDeviceCommands(c.devices(), c.nanomdm()); }

std::string Actor(const Json& body, const char* fallback) {
  const auto it = body.find("actor");
  return it != body.end() && it->is_string() && !it->get<std::string>().empty()
             ? it->get<std::string>()
             : fallback;
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

std::optional<std::string> AuthenticateDevice(app::Custos& c, const httplib::Request& req,
                                              httplib::Response& res) {
  constexpr std::string_view kScheme = "bearer ";
  const std::string header = req.get_header_value("Authorization");
  std::string_view credential;
  if (header.size() > kScheme.size() &&
      core::ToLowerAscii(std::string_view(header).substr(0, kScheme.size())) == kScheme) {
    credential = core::TrimAscii(std::string_view(header).substr(kScheme.size()));
  }
  if (credential.empty()) {
    res.set_header("WWW-Authenticate", "Bearer realm=\"custos-device\"");
    SendError(res, core::Unauthenticated("missing device credential: send the header "
                                         "Authorization: Bearer <device credential>"));
    return std::nullopt;
  }
  auto device = c.devices().Authenticate(std::string(credential));
  if (!device) {
    res.set_header("WWW-Authenticate", "Bearer realm=\"custos-device\"");
    SendError(res, device.error());
    return std::nullopt;
  }
  return *device;
}

}  // namespace custos::http::devices_routes
