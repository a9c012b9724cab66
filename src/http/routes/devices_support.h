// SPDX-License-Identifier: Apache-2.0
// Internal to the device routes (routes/devices*.cc): request helpers shared by the admin,
// device-agent, employee and webhook routes.
// Thread-safety: pure functions over the request; DispatchCommands uses only thread-safe
// Custos members.
#pragma once

#include <string>

#include "app/custos.h"
#include "core/status.h"
#include "http/respond.h"

namespace custos::http::devices_routes {

// Pushes queued Apple commands to NanoMDM (when configured) and expires old commands. Failures
// are logged, never returned: the commands stay queued and are retried on the next call.
void DispatchCommands(app::Custos& c);

// A string member; "" when absent and not required; kInvalidArgument naming it otherwise.
core::Result<std::string> StringMember(const Json& body, const char* name, bool required);

}  // namespace custos::http::devices_routes
