// SPDX-License-Identifier: Apache-2.0
// libFuzzer: the device body decoders, one target per parser (CUSTOS_DEVICE_PARSER):
//   posture  POST /api/v1/device/posture      devices::ParsePostureJson
//   amapi    POST /api/v1/devices/{id}/amapi  devices::ParseAmapiDevice
//   nanomdm  POST /hooks/nanomdm              devices::ParseNanoMdmWebhook (JSON + base64 plist)
//   plist    the plist inside it              devices::ParseMdmPlist (XML or binary)
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "devices/amapi.h"
#include "devices/nanomdm.h"
#include "devices/posture.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view body(reinterpret_cast<const char*>(data), size);
  constexpr std::string_view kParser = CUSTOS_DEVICE_PARSER;
  if (kParser == "posture") {
    (void)custos::devices::ParsePostureJson(body);
  } else if (kParser == "amapi") {
    (void)custos::devices::ParseAmapiDevice(body);
  } else if (kParser == "nanomdm") {
    (void)custos::devices::ParseNanoMdmWebhook(body, 1'700'000'000'000'000);
  } else {
    (void)custos::devices::ParseMdmPlist(body, 1'700'000'000'000'000);
  }
  return 0;
}
