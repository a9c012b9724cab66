// SPDX-License-Identifier: Apache-2.0
// The one authentication middleware: resolves the principal of a request from whichever scheme
// its route accepts (http/routes.h AuthScheme), replacing the three schemes each route file once
// parsed by hand. Used by the dispatcher before any body is read.
//
// Thread-safety: a pure function over the request; it reads the token table and the device
// credentials through thread-safe app::Custos members.
#pragma once

#include <string>

#include "app/custos.h"
#include "core/status.h"
#include "http/message.h"
#include "http/principal.h"
#include "http/routes.h"

namespace custos::http {

struct AuthOutcome {
  core::Result<Principal> principal = core::Unauthenticated("not authenticated");
  // The WWW-Authenticate challenge to send with a 401 ("" for none).
  std::string challenge;
};

// A public route: the anonymous principal (any Authorization header is ignored). Otherwise the
// credential of the Authorization header, tried against the route's schemes:
//   Bearer cdc_...  a device credential, when the route accepts kDeviceCredential
//   Bearer <token>  an API token (kBearerToken or kWebhookToken), with the union of its roles'
//                   permissions and its content scope (Principal::scoped, scope_groups); its
//                   last use is recorded (at most once a minute, app::Custos::VerifyToken)
//   Basic ...       an API token as the password (kWebhookToken only)
//   no Authorization header, a custos_session cookie
//                   a user's browser session (kSession; http/sessions.h AuthenticateSession),
//                   with the CSRF check of a state-changing request
// kUnauthenticated (with the challenge of the route's scheme) when the header is missing,
// malformed or names no valid credential; kPermissionDenied for a session request without its
// CSRF token; never another code except a database failure.
AuthOutcome Authenticate(app::Custos& custos, const Request& request, const Route& route);

}  // namespace custos::http
