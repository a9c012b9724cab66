// SPDX-License-Identifier: Apache-2.0
// The one place where a core::Status becomes an HTTP status code. Every error response of the
// server goes through HttpStatusFor(), so the mapping is the same for every route.
// Thread-safety: pure functions.
#pragma once

#include "core/status.h"

namespace custos::http {

// invalid_argument 400, unauthenticated 401, permission_denied 403, not_found 404,
// already_exists 409, failed_precondition 409, resource_exhausted 429, unavailable 503,
// deadline_exceeded 504, unimplemented 501, everything else 500. OK maps to 200.
// Routes that know better (a body that is too large: 413) pass the HTTP status explicitly.
int HttpStatusFor(core::StatusCode code);

inline int HttpStatusFor(const core::Status& status) { return HttpStatusFor(status.code()); }

// True when the status is the server's fault: its message is logged, not sent to the client.
bool IsServerFault(core::StatusCode code);

}  // namespace custos::http
