// SPDX-License-Identifier: Apache-2.0
// OidcAccounts: the users that single sign-on signs in (issue 15, docs/sso.md "Users"). Given a
// provider identity the oidc module has verified (oidc::OidcIdentity: issuer, subject, roles
// mapped from the role claim), SignIn finds the custos user linked to it, or provisions one
// just-in-time and links it, and makes the user's roles those the provider grants now.
//
// A link ties the pair (issuer, subject) — never the e-mail, which a provider may reassign — to
// one user (table `user_oidc_links`, migration 15: only the keyed hash KeyRing::IndexHash(
// "oidc-identity" US issuer US subject) is stored, as users' logins are). A user provisioned
// here has the login of the identity's login claim (auth.oidc.login_claim), the display name of
// `name` (else the login), the e-mail when it is a valid address, the identity's roles, a random
// password nobody is told (no password login until an administrator resets it), and no second
// factor required: the provider is the second factor. Role and state changes go through
// app::Users, so each is an `access_change` record in the log; the actor is "oidc:<issuer>".
//
// Errors: kPermissionDenied when the linked user is disabled, or the token carries no usable
// login claim for a new user; kFailedPrecondition when the login is taken by a user this
// identity is not linked to (a local user, or one linked to another identity: custos never
// links accounts by name or e-mail); the errors of app::Users and the database otherwise.
// Messages are for the log and the audit, not for the browser.
// Thread-safety: SignIn may be called concurrently (each step is one transaction). Two first
// sign-ins of the same identity at once: one provisions the user, the other fails
// (kAlreadyExists) and succeeds when tried again.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "app/users.h"
#include "core/status.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "oidc/flow.h"
#include "storage/database.h"

namespace custos::app {

// "oidc:<issuer>": the actor of the changes single sign-on makes.
std::string OidcActor(std::string_view issuer);

class OidcAccounts {
 public:
  // `db`, `keys` and `clock` must outlive the OidcAccounts.
  OidcAccounts(storage::Database* db, const crypto::KeyRing* keys, const core::Clock* clock);

  // The active user `identity` signs in as (see the file comment); its roles are the
  // identity's on return.
  core::Result<UserInfo> SignIn(const oidc::OidcIdentity& identity);

  // True when user `user_id` signs in through an identity provider (an identity is linked to
  // it): the provider is its second factor, so custos asks for no TOTP of its own
  // (http/sessions.h), whatever auth.require_2fa_roles says.
  core::Result<bool> SignsInWithProvider(std::int64_t user_id) const;

 private:
  // The user linked to `identity_hash`; nullopt when none is.
  core::Result<std::optional<UserInfo>> Linked(const std::string& identity_hash) const;
  // Adds the user of a first sign-in and links it. When its login is taken by a user that this
  // issuer provisioned and that no identity is linked to (an earlier sign-in whose link was not
  // written), that user is linked instead.
  core::Result<UserInfo> Provision(const oidc::OidcIdentity& identity,
                                   const std::string& identity_hash, const std::string& actor);

  storage::Database* db_;
  const crypto::KeyRing* keys_;
  const core::Clock* clock_;
  Users users_;
};

}  // namespace custos::app
