// SPDX-License-Identifier: Apache-2.0
// Internal to the device routes (routes/devices*.cc): request helpers shared by the admin,
// device-agent, employee and webhook routes.
// Thread-safety: pure functions over the request; DispatchCommands and AuthenticateDevice use
// only thread-safe Custos members.
#pragma once

#include <optional>
#include <string>

#include <httplib.h>

#include "app/custos.h"
#include "core/status.h"
#include "http/respond.h"

namespace custos::http::devices_routes {

// The field named at the start of a devices error message ("os.api_level: expected ...").
std::string FieldOf(const core::Status& s);

// SendError with "field" for kInvalidArgument errors that name one.
void SendStatus(httplib::Response& res, const core::Status& s);

// Pushes queued Apple commands to NanoMDM (when configured) and expires old commands. Failures
// are logged, never returned: the commands stay queued and are retried on the next call.
void DispatchCommands(app::Custos& c);

// The "actor" member of `body` when it is a non-empty string, else `fallback`.
std::string Actor(const Json& body, const char* fallback);

// A string member; "" when absent and not required; kInvalidArgument naming it otherwise.
core::Result<std::string> StringMember(const Json& body, const char* name, bool required);

// The device whose credential is in "Authorization: Bearer cdc_..."; on failure writes a 401
// and returns nullopt.
std::optional<std::string> AuthenticateDevice(app::Custos& c, const httplib::Request& req,
                                              httplib::Response& res);

}  // namespace custos::http::devices_routes
