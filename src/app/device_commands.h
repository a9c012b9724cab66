// SPDX-License-Identifier: Apache-2.0
// Sending the queued Apple device commands to NanoMDM after something queued one (a compliance
// change, an enrollment, an MDM event): the use case the device routes call after their change is
// committed (`POST /hooks/nanomdm`, the agent's and the operators' device routes), rather than
// doing it inline. The device ticker (devices/ticker.h) sends whatever is still queued on its
// next tick, so a failure here is logged, never returned.
// Thread-safety: safe to call concurrently (DeviceService::DispatchToMdm is).
#pragma once

#include "devices/nanomdm_client.h"
#include "devices/service.h"

namespace custos::app {

// Enqueues the queued commands to NanoMDM through `client` (nullptr when NanoMDM is not
// configured: the commands stay queued) and logs each error.
void DispatchDeviceCommands(devices::DeviceService& devices, const devices::NanoMdmClient* client);

}  // namespace custos::app
