// SPDX-License-Identifier: Apache-2.0
// The JSON error responses the transport writes itself (a head too large, a body over its
// limit, a malformed request, a handler that threw), in the shape every custos error has:
// {"error":{"code","message","request_id"}} with the id also in X-Request-Id. Internal to
// src/http/transport/; no Boost.
//
// Thread-safety: pure functions (NewRequestId uses a per-thread generator).
#pragma once

#include <string>
#include <string_view>

#include "http/message.h"

namespace custos::http::transport_internal {

// 16 random hex digits (the same form as http/respond.h's NewRequestId).
std::string NewRequestId();

// An error response with HTTP `status`, the status-code name `code` ("invalid_argument",
// "resource_exhausted", ...) and `message`. The request id is `request_id` when non-empty, else
// a new one; it is set as X-Request-Id and in the body.
Response ErrorResponse(int status, std::string_view code, std::string_view message,
                       std::string request_id = {});

// `text` as a JSON string literal, quotes included.
std::string JsonQuote(std::string_view text);

}  // namespace custos::http::transport_internal
