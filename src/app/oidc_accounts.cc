// SPDX-License-Identifier: Apache-2.0
#include "app/oidc_accounts.h"

#include <algorithm>
#include <utility>
#include <vector>

#include "app/sql/oidc_links.h"
#include "app/users_internal.h"
#include "core/text.h"

namespace custos::app {
namespace {

std::string IdentityHash(const crypto::KeyRing& keys, const oidc::OidcIdentity& identity) {
  return keys.IndexHash("oidc-identity\x1f" + identity.issuer + "\x1f" + identity.subject);
}

std::vector<std::string> Sorted(std::vector<std::string> roles) {
  std::sort(roles.begin(), roles.end());
  return roles;
}

std::string Describe(const UserInfo& user) {
  return "user " + std::to_string(user.id) + " (" + user.login + ")";
}

}  // namespace

std::string OidcActor(std::string_view issuer) { return "oidc:" + std::string(issuer); }

OidcAccounts::OidcAccounts(storage::Database* db, const crypto::KeyRing* keys,
                           const core::Clock* clock)
    : db_(db), keys_(keys), clock_(clock), users_(db, keys, clock) {}

core::Result<std::optional<UserInfo>> OidcAccounts::Linked(const std::string& identity_hash) const {
  std::optional<std::int64_t> user_id;
  {
    ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
    ASSIGN_OR_RETURN(user_id, sql::FindOidcLink(*tx, identity_hash));
  }
  if (!user_id) {
    return std::optional<UserInfo>();
  }
  ASSIGN_OR_RETURN(UserInfo user, users_.Get(*user_id));
  return std::optional<UserInfo>(std::move(user));
}

core::Result<UserInfo> OidcAccounts::Provision(const oidc::OidcIdentity& identity,
                                               const std::string& identity_hash,
                                               const std::string& actor) {
  if (identity.login.empty()) {
    return core::PermissionDenied(
        "OIDC: the ID token carries no login claim (auth.oidc.login_claim) for a new user");
  }
  if (core::Status login = CheckLogin(identity.login); !login.ok()) {
    return core::PermissionDenied("OIDC: the login claim cannot be a custos login: " +
                                  login.message());
  }
  NewUserRequest request;
  request.login = identity.login;
  request.display_name =
      users_internal::CheckDisplayName(identity.name).ok() ? identity.name : std::string();
  request.email = users_internal::CheckEmail(identity.email).ok() ? identity.email : std::string();
  request.roles = identity.roles;
  request.require_2fa = false;  // the provider is the second factor
  // password "": a generated one, dropped here: nobody can log in with it.
  core::Result<NewUser> added = users_.Add(request, actor);
  UserInfo user;
  if (added.has_value()) {
    user = std::move(added->info);
  } else if (added.error().code() == core::StatusCode::kAlreadyExists) {
    ASSIGN_OR_RETURN(user, users_.FindByLogin(identity.login));
    std::int64_t links = 0;
    {
      ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
      ASSIGN_OR_RETURN(links, sql::CountOidcLinksOfUser(*tx, user.id));
    }
    if (user.created_by != actor || links != 0) {
      return core::FailedPrecondition("OIDC: the login \"" + identity.login + "\" is taken by " +
                                      Describe(user) +
                                      ", which this identity is not linked to (custos does not "
                                      "link accounts by login or e-mail)");
    }
  } else {
    return added.error();
  }
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  RETURN_IF_ERROR(sql::InsertOidcLink(*tx, identity_hash, user.id, clock_->Now()));
  RETURN_IF_ERROR(tx->Commit());
  return user;
}

core::Result<UserInfo> OidcAccounts::SignIn(const oidc::OidcIdentity& identity) {
  if (identity.issuer.empty() || identity.subject.empty() || identity.roles.empty()) {
    return core::InvalidArgument("OIDC: an identity needs an issuer, a subject and a role");
  }
  const std::string actor = OidcActor(identity.issuer);
  const std::string identity_hash = IdentityHash(*keys_, identity);
  ASSIGN_OR_RETURN(std::optional<UserInfo> linked, Linked(identity_hash));
  UserInfo user;
  if (linked) {
    user = std::move(*linked);
  } else {
    ASSIGN_OR_RETURN(user, Provision(identity, identity_hash, actor));
  }
  if (user.state == UserState::kDisabled) {
    return core::PermissionDenied("OIDC: " + Describe(user) + " is disabled");
  }
  if (Sorted(user.roles) != Sorted(identity.roles)) {
    ASSIGN_OR_RETURN(user, users_.SetRoles(user.id, identity.roles, actor));
  }
  return user;
}

core::Result<bool> OidcAccounts::SignsInWithProvider(std::int64_t user_id) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(const std::int64_t links, sql::CountOidcLinksOfUser(*tx, user_id));
  return links > 0;
}

}  // namespace custos::app
