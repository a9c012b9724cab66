// SPDX-License-Identifier: Apache-2.0
#include "devices/nanomdm_client.h"

#include <httplib.h>
#include <nlohmann/json.hpp>

namespace custos::devices {
namespace {

constexpr int kTimeoutSeconds = 10;

std::string XmlEscape(std::string_view s) {
  std::string out;
  for (const char c : s) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      default:
        out += c;
    }
  }
  return out;
}

std::string Key(std::string_view k, std::string_view string_value) {
  return "<key>" + XmlEscape(k) + "</key><string>" + XmlEscape(string_value) + "</string>";
}

// The inner Command dictionary's members.
std::string CommandBody(const Command& c) {
  switch (c.type) {
    case CommandType::kLock:
      return Key("RequestType", "DeviceLock") +
             Key("Message", "This device is locked by your company's device policy.");
    case CommandType::kLostMode:
      return Key("RequestType", "EnableLostMode") +
             Key("Message", "This device has been reported lost. Please contact IT.");
    case CommandType::kErase:
      return Key("RequestType", "EraseDevice");
    case CommandType::kRetire:
      // Removing the enrollment profile removes every managed app, account and profile.
      return Key("RequestType", "RemoveProfile") + Key("Identifier", "com.custos.mdm.enrollment");
    case CommandType::kQueryPosture:
      return Key("RequestType", "SecurityInfo");
  }
  return Key("RequestType", "DeviceInformation");
}

}  // namespace

std::optional<NanoMdmConfig> NanoMdmConfigFrom(const config::Config& config) {
  const config::SettingValue* url = config.Setting("devices.nanomdm.url");
  const config::SettingValue* api_key = config.Setting("devices.nanomdm.api_key");
  if (url == nullptr || api_key == nullptr) {  // the loader requires both or neither
    return std::nullopt;
  }
  NanoMdmConfig c{url->text, api_key->text};
  while (!c.url.empty() && c.url.back() == '/') {
    c.url.pop_back();
  }
  return c;
}

core::Result<std::optional<NanoMdmConfig>> LoadNanoMdmConfig(const std::string& path) {
  const config::LoadResult loaded = config::LoadConfigFile(path, config::ProcessEnvironment());
  RETURN_IF_ERROR(loaded.ToStatus());
  return NanoMdmConfigFrom(loaded.config);
}

std::string CommandPlist(const Command& c) {
  return "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
         "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
         "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
         "<plist version=\"1.0\"><dict><key>Command</key><dict>" +
         CommandBody(c) + "</dict>" + Key("CommandUUID", c.uuid) + "</dict></plist>\n";
}

core::Status NanoMdmClient::Enqueue(std::string_view enrollment_id, const Command& command) const {
  httplib::Client client(config_.url);
  client.set_connection_timeout(kTimeoutSeconds);
  client.set_read_timeout(kTimeoutSeconds);
  client.set_basic_auth("nanomdm", config_.api_key);  // the password is never logged
  // Enrollment ids are letters, digits and - _ . : (checked at enrollment): no escaping needed.
  const std::string path = "/v1/enqueue/" + std::string(enrollment_id);
  auto res = client.Put(path, CommandPlist(command), "text/plain");
  if (!res) {
    return core::Unavailable("NanoMDM at " + config_.url +
                             " unreachable: " + httplib::to_string(res.error()));
  }
  std::string error;
  try {
    const nlohmann::json body = nlohmann::json::parse(res->body);
    error = body.value("command_error", "");
    if (error.empty() && body.contains("status") && body["status"].is_object()) {
      for (const auto& [id, st] : body["status"].items()) {
        if (st.is_object() && !st.value("command_error", "").empty()) {
          error = id + ": " + st.value("command_error", "");
        }
      }
    }
  } catch (const nlohmann::json::exception&) {
    error = res->status == 200 ? "" : "HTTP " + std::to_string(res->status);
  }
  if (res->status == 401) {
    return core::FailedPrecondition("NanoMDM refused the API key (401)");
  }
  if (res->status >= 500) {
    return core::Unavailable("NanoMDM failed to enqueue: " + (error.empty() ? "HTTP 500" : error));
  }
  if (res->status != 200 || !error.empty()) {
    return core::FailedPrecondition("NanoMDM refused the command (HTTP " +
                                    std::to_string(res->status) + "): " + error);
  }
  return core::Status::Ok();
}

}  // namespace custos::devices
