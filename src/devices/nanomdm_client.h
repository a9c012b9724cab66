// SPDX-License-Identifier: Apache-2.0
// The client of NanoMDM's command API (micromdm/nanomdm docs/openapi.yaml): Apple devices'
// commands are enqueued with
//
//   PUT {url}/v1/enqueue/{enrollment id}      body: the command as an XML plist
//   Authorization: Basic base64("nanomdm:" + api_key)
//
// NanoMDM answers 200 (enqueued), 207 (some enrollments failed) or 500 (all failed) with a JSON
// APIResult ({"command_uuid", "command_error", "status": {id: {"command_error", ...}}}), 401
// for a bad key. The result of the command itself comes back later through NanoMDM's webhook
// (`acknowledge_event`, parsed by nanomdm.h) and moves the command to acknowledged or failed.
//
// Configuration (DIR/custos.yaml, docs/devices.md): the section `devices.nanomdm` of the
// settings table (config/settings.h), parsed and checked by the config loader:
//   devices:
//     nanomdm:
//       url: http://127.0.0.1:9000     # NanoMDM's API
//       api_key: <the -api key given to nanomdm>
// Thread-safety: Enqueue may be called from any thread (one HTTP connection per call).
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "config/config.h"
#include "core/status.h"
#include "devices/commands.h"

namespace custos::devices {

struct NanoMdmConfig {
  std::string url;  // scheme://host[:port], no trailing slash needed
  std::string api_key;
};

// The `devices.nanomdm` settings of a loaded configuration; nullopt when not configured.
std::optional<NanoMdmConfig> NanoMdmConfigFrom(const config::Config& config);

// The `devices.nanomdm` section of `path` (DIR/custos.yaml, with the process environment's
// overrides); nullopt when the file or the section is absent. kInvalidArgument naming
// file:line:column and the key for a malformed file (config::LoadResult::ToStatus).
core::Result<std::optional<NanoMdmConfig>> LoadNanoMdmConfig(const std::string& path);

// The MDM command plist for `command` (RequestType DeviceLock, EnableLostMode, EraseDevice,
// RemoveProfile for retire, DeviceInformation + SecurityInfo for query_posture; CommandUUID =
// command.uuid).
std::string CommandPlist(const Command& command);

class NanoMdmClient {
 public:
  explicit NanoMdmClient(NanoMdmConfig config) : config_(std::move(config)) {}

  // Enqueues `command` for the enrollment `enrollment_id`. OK when NanoMDM answered 200 and
  // reported no command error; kUnavailable when it could not be reached or failed (5xx);
  // kFailedPrecondition for a refusal (401, 4xx, a command_error), naming NanoMDM's reason.
  core::Status Enqueue(std::string_view enrollment_id, const Command& command) const;

 private:
  NanoMdmConfig config_;
};

}  // namespace custos::devices
