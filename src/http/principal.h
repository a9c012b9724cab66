// SPDX-License-Identifier: Apache-2.0
// Who is calling: the principal the authentication middleware (http/dispatcher.h) resolves from
// the scheme a route accepts, handed to every handler in RequestContext. Every audit-relevant
// action takes its actor from here (Principal::Actor), never from a request body.
//
// The actor string, stable and recorded in device events, commands and policy records:
//   anonymous                      no credential (public routes only)
//   token:<id> (<name>)            an API token, by its id in `custos tokens list`
//   webhook:<source> (token:<id>)  an MDM webhook, authenticated by API token <id>
//   device:<device id>             a device credential (the device agent, its employee)
//   user:<id> (<login>)            a user's browser session (`custos users list`)
// "<kind>:<id>" identifies the principal; the part in parentheses is a label for readers and is
// fixed when the principal is created (a token's name cannot change), so two actor strings are
// equal exactly when the principals are: the four-eyes rule of approve-wipe compares them.
//
// Thread-safety: a value type.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "app/users.h"
#include "http/permissions.h"

namespace custos::http {

enum class PrincipalKind {
  kAnonymous,
  kApiToken,
  kDeviceCredential,
  kWebhook,
  kUserSession,  // a user logged in with a browser session (http/sessions.h)
};

std::string_view PrincipalKindName(PrincipalKind kind);

struct Principal {
  PrincipalKind kind = PrincipalKind::kAnonymous;
  std::string id;    // the token id, the device id; "" when anonymous
  std::string name;  // the token's name; the webhook's source ("nanomdm")
  // The roles, in app/access/permissions.h table order ({"device"} for a device credential,
  // none when anonymous); `role` is them joined with commas ("admin,compliance_officer").
  std::vector<std::string> roles;
  std::string role;
  std::string device_id;  // the device of a device credential; "" otherwise
  // The directory person the principal is (decimal directory id; docs/directory.md): for a device
  // credential the person its device is enrolled to ("" when enrolled --unlisted); later, for a
  // user session, the person the user is linked to. "" for tokens, webhooks and anonymous. The
  // employee's routes (GET /api/v1/me, app/self_service.h) are about this person.
  std::string person_id;
  PermissionSet permissions;
  // Content scope (issue 15): when `scoped`, message content is readable only where a participant
  // is an employee of one of `scope_groups` (directory groups, i.e. desks); anything else is
  // answered as if it did not exist (404). Unscoped principals read what their permissions allow.
  bool scoped = false;
  std::vector<std::string> scope_groups;
  // A user session: its public handle (GET /api/v1/auth/sessions), 0 otherwise.
  std::int64_t session_id = 0;
  // A user session that must enrol a second factor before anything else: its permissions are
  // `self` alone (the enrolment routes and GET /api/v1/me), and refusals say so.
  bool must_enrol_2fa = false;

  bool Has(Permission p) const { return permissions.Has(p); }

  // The audit actor (format above).
  std::string Actor() const;

  static Principal Anonymous();
  // An API token (app::TokenInfo) with the union of its roles' permissions (an unknown role
  // adds none). `roles` may also be one comma-joined string ("admin,compliance_officer").
  static Principal ApiToken(std::int64_t id, std::string name, std::vector<std::string> roles);
  static Principal ApiToken(std::int64_t id, std::string name, std::string_view roles);
  // A webhook source authenticated by API token `token_id` of `roles`.
  static Principal Webhook(std::string source, std::int64_t token_id,
                           std::vector<std::string> roles);
  static Principal Webhook(std::string source, std::int64_t token_id, std::string_view roles);
  static Principal Device(std::string device_id);
  // A user's browser session `session_id`: the user's roles, scope and directory person.
  static Principal User(const app::UserInfo& user, std::int64_t session_id);
};

}  // namespace custos::http
