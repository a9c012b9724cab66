// SPDX-License-Identifier: Apache-2.0
#include "app/users.h"

#include <algorithm>
#include <utility>

#include "app/access/permissions.h"
#include "app/access_records.h"
#include "app/sql/users.h"
#include "app/tokens.h"
#include "app/users_internal.h"
#include "auth/base32.h"
#include "auth/qr.h"
#include "auth/recovery_codes.h"
#include "core/text.h"
#include "crypto/crypto.h"
#include "directory/directory.h"

namespace custos::app {

using users_internal::CheckDisplayName;
using users_internal::CheckEmail;
using users_internal::GetField;
using users_internal::kActive;
using users_internal::kDisabled;
using users_internal::Load;
using users_internal::Loaded;
using users_internal::NewSecretHex;
using users_internal::Pack;
using users_internal::Profile;
using users_internal::PutField;
using users_internal::SessionAad;
using users_internal::Unpack;

namespace {

// Generated passwords: 32 symbols (no 0/O, 1/l/I), 5 bits each; 20 of them are 100 bits.
constexpr std::string_view kPasswordAlphabet = "abcdefghijkmnpqrstuvwxyz23456789";

}  // namespace

namespace {

std::string LoginHash(const crypto::KeyRing& keys, std::string_view login) {
  return keys.IndexHash("user-login\x1f" + core::ToLowerAscii(login));
}

std::string ProfileAad(const std::string& login_hash) {
  return "custos/users/" + core::HexEncode(login_hash);
}

}  // namespace

namespace users_internal {

std::string SessionAad(const std::string& session_hash) {
  return "custos/user_sessions/" + core::HexEncode(session_hash);
}

}  // namespace users_internal

namespace {

std::string RecoveryKey(const crypto::KeyRing& keys) {
  return keys.IndexHash("user-recovery-codes");
}

std::size_t RecoveryLeft(const std::string& joined) {
  std::size_t n = 0;
  for (std::string_view h : core::Split(joined, ',')) {
    n += h.empty() ? 0 : 1;
  }
  return joined.empty() ? 0 : n;
}

auth::TotpAlgorithm AlgorithmNamed(std::string_view name) {
  return name == "SHA256" ? auth::TotpAlgorithm::kSha256 : auth::TotpAlgorithm::kSha1;
}

std::string Subject(std::int64_t id) { return "user:" + std::to_string(id); }

core::Result<Loaded> Open(const crypto::KeyRing& keys, sql::UserRow row) {
  ASSIGN_OR_RETURN(std::string plain, keys.OpenEnvelope(row.sealed, ProfileAad(row.login_hash)));
  ASSIGN_OR_RETURN(Profile profile, Unpack(plain));
  return Loaded{std::move(row), std::move(profile)};
}

core::Status Reseal(const crypto::KeyRing& keys, Loaded& user) {
  ASSIGN_OR_RETURN(user.row.sealed,
                   keys.SealEnvelope(Pack(user.profile), ProfileAad(user.row.login_hash)));
  return core::Status::Ok();
}

UserInfo InfoOf(const Loaded& u) {
  UserInfo info;
  info.id = u.row.id;
  info.login = u.profile.login;
  info.display_name = u.profile.display_name;
  info.email = u.profile.email;
  info.roles = SplitRoles(u.row.roles);
  info.scope_groups = SplitRoles(u.row.scope_groups);
  info.state = u.row.state == kDisabled ? UserState::kDisabled : UserState::kActive;
  info.totp_enrolled = u.row.totp_confirmed;
  info.totp_algorithm = u.row.totp_confirmed ? u.row.totp_algorithm : std::string();
  info.recovery_codes_left = RecoveryLeft(u.row.recovery_hashes);
  info.must_enrol_2fa = u.row.must_enrol_2fa;
  info.person_id = u.row.person_id;
  info.created_at = u.row.created_at;
  info.created_by = u.row.created_by;
  info.disabled_at = u.row.disabled_at;
  info.disabled_by = u.row.disabled_by;
  return info;
}

}  // namespace

namespace users_internal {

core::Result<Loaded> Load(storage::Transaction& tx, const crypto::KeyRing& keys, std::int64_t id) {
  ASSIGN_OR_RETURN(std::optional<sql::UserRow> row, sql::FindUser(tx, id));
  if (!row) {
    return core::NotFound("no user " + std::to_string(id) + " (see `custos users list`)");
  }
  return Open(keys, std::move(*row));
}

}  // namespace users_internal

namespace users_internal {

core::Result<std::string> NewSecretHex(std::size_t bytes) {
  ASSIGN_OR_RETURN(std::string random, crypto::RandomBytes(bytes));
  return core::HexEncode(random);
}

}  // namespace users_internal

namespace {

// The Argon2id hash an unknown login is checked against, so it costs what a known one does.
const std::string& DummyHash() {
  static const std::string hash = [] {
    auto h = auth::HashPassword("custos-no-such-user-password");
    return h.has_value() ? *h : std::string();
  }();
  return hash;
}

}  // namespace

std::string_view UserStateName(UserState state) {
  return state == UserState::kDisabled ? kDisabled : kActive;
}

bool CsrfTokenMatches(const SessionInfo& session, std::string_view token) {
  return !token.empty() && crypto::ConstantTimeEquals(crypto::Sha256(token), session.csrf_hash);
}

core::Status CheckLogin(std::string_view login) {
  const auto ok_char = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '@' || c == '-';
  };
  const auto alnum = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  };
  if (login.empty() || login.size() > kMaxLoginBytes || !alnum(login.front()) ||
      !std::all_of(login.begin(), login.end(), ok_char)) {
    return core::InvalidArgument(
        "login: \"" + std::string(core::TruncateUtf8(login, 40)) + "\" is not a login: 1 to " +
        std::to_string(kMaxLoginBytes) +
        " characters of letters, digits and . _ @ -, starting with a letter or digit");
  }
  return core::Status::Ok();
}

core::Result<std::string> GeneratePassword(const auth::PasswordContext& context) {
  for (int attempt = 0; attempt < 16; ++attempt) {
    ASSIGN_OR_RETURN(std::string random, crypto::RandomBytes(kGeneratedPasswordChars));
    std::string password;
    for (char c : random) {
      password.push_back(kPasswordAlphabet[static_cast<unsigned char>(c) % 32]);
    }
    if (auth::CheckPasswordPolicy(password, context).ok()) {
      return password;
    }
  }
  return core::Internal("could not generate a password that passes the policy");
}

Users::Users(storage::Database* db, const crypto::KeyRing* keys, const core::Clock* clock)
    : db_(db), keys_(keys), clock_(clock) {}

core::Result<NewUser> Users::Add(const NewUserRequest& request, std::string_view actor) {
  RETURN_IF_ERROR(CheckLogin(request.login));
  const std::string display_name =
      request.display_name.empty() ? request.login : request.display_name;
  RETURN_IF_ERROR(CheckDisplayName(display_name));
  RETURN_IF_ERROR(CheckEmail(request.email));
  ASSIGN_OR_RETURN(std::vector<std::string> roles, ParseRoles(request.roles, RoleHolder::kUser));
  ASSIGN_OR_RETURN(std::vector<std::string> scope, ParseScopeGroups(request.scope_groups));
  const auth::PasswordContext context{request.login, request.email, display_name};
  NewUser out;
  std::string password = request.password;
  if (password.empty()) {
    ASSIGN_OR_RETURN(out.generated_password, GeneratePassword(context));
    password = out.generated_password;
  } else {
    RETURN_IF_ERROR(auth::CheckPasswordPolicy(password, context));
  }
  ASSIGN_OR_RETURN(std::string phc, auth::HashPassword(password));

  const core::Micros now = clock_->Now();
  Loaded user;
  user.profile.login = request.login;
  user.profile.display_name = display_name;
  user.profile.email = request.email;
  user.row.login_hash = LoginHash(*keys_, request.login);
  user.row.roles = JoinRoles(roles);
  user.row.scope_groups = JoinRoles(scope);
  user.row.state = kActive;
  user.row.password_phc = std::move(phc);
  user.row.person_id = request.person_id;
  user.row.must_enrol_2fa = request.require_2fa.value_or(RolesReadContent(roles));
  user.row.created_at = now;
  user.row.created_by = std::string(actor);
  RETURN_IF_ERROR(Reseal(*keys_, user));

  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(std::optional<sql::UserRow> taken,
                   sql::FindUserByLoginHash(*tx, user.row.login_hash));
  if (taken) {
    return core::AlreadyExists("login: \"" + request.login + "\" is taken (user " +
                               std::to_string(taken->id) + ")");
  }
  if (request.person_id) {
    ASSIGN_OR_RETURN(auto person, directory::LoadPerson(*tx, *keys_, *request.person_id));
    if (!person) {
      return core::InvalidArgument("person: no directory person " +
                                   std::to_string(*request.person_id) +
                                   " (see `custos directory list`)");
    }
  }
  ASSIGN_OR_RETURN(user.row.id, sql::InsertUser(*tx, user.row));
  RETURN_IF_ERROR(AppendAccessChange(*tx, *keys_,
                                     {"user_added", std::string(actor), Subject(user.row.id),
                                      user.row.roles, user.row.scope_groups, "", now})
                      .status());
  RETURN_IF_ERROR(tx->Commit());
  out.info = InfoOf(user);
  return out;
}

core::Result<std::vector<UserInfo>> Users::List() const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(std::vector<sql::UserRow> rows, sql::ListUsers(*tx));
  std::vector<UserInfo> out;
  out.reserve(rows.size());
  for (sql::UserRow& row : rows) {
    ASSIGN_OR_RETURN(Loaded user, Open(*keys_, std::move(row)));
    out.push_back(InfoOf(user));
  }
  return out;
}

core::Result<UserInfo> Users::Get(std::int64_t id) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(Loaded user, Load(*tx, *keys_, id));
  return InfoOf(user);
}

core::Result<UserInfo> Users::FindByLogin(std::string_view login) const {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
  ASSIGN_OR_RETURN(std::optional<sql::UserRow> row,
                   sql::FindUserByLoginHash(*tx, LoginHash(*keys_, login)));
  if (!row) {
    return core::NotFound("no user with the login \"" + std::string(core::TruncateUtf8(login, 64)) +
                          "\" (see `custos users list`)");
  }
  ASSIGN_OR_RETURN(Loaded user, Open(*keys_, std::move(*row)));
  return InfoOf(user);
}

core::Result<UserInfo> Users::Find(std::string_view who) const {
  auto by_login = FindByLogin(who);
  if (by_login.has_value() || by_login.error().code() != core::StatusCode::kNotFound) {
    return by_login;
  }
  std::string_view digits = who;
  if (!digits.empty() && digits.front() == '#') {
    digits.remove_prefix(1);
  }
  if (!digits.empty() && digits.size() <= 18 &&
      std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; })) {
    return Get(std::stoll(std::string(digits)));
  }
  return by_login;
}

namespace {

// Loads user `id` in a write transaction, lets `change` modify it (returning the access_change
// to record, or an error), reseals, stores and commits.
template <typename Change>
core::Result<UserInfo> Modify(storage::Database& db, const crypto::KeyRing& keys, std::int64_t id,
                              Change change) {
  ASSIGN_OR_RETURN(auto tx, db.Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(Loaded user, Load(*tx, keys, id));
  ASSIGN_OR_RETURN(std::optional<AccessChange> record, change(*tx, user));
  RETURN_IF_ERROR(Reseal(keys, user));
  RETURN_IF_ERROR(sql::UpdateUser(*tx, user.row));
  if (record) {
    record->subject = Subject(id);
    record->roles = user.row.roles;
    record->scope = user.row.scope_groups;
    RETURN_IF_ERROR(AppendAccessChange(*tx, keys, *record).status());
  }
  RETURN_IF_ERROR(tx->Commit());
  return InfoOf(user);
}

AccessChange Change(std::string event, std::string_view actor, core::Micros at,
                    std::string detail = {}) {
  AccessChange c;
  c.event = std::move(event);
  c.actor = std::string(actor);
  c.at = at;
  c.detail = std::move(detail);
  return c;
}

}  // namespace

core::Result<UserInfo> Users::Disable(std::int64_t id, std::string_view actor) {
  const core::Micros now = clock_->Now();
  return Modify(
      *db_, *keys_, id,
      [&](storage::Transaction& tx, Loaded& user) -> core::Result<std::optional<AccessChange>> {
        if (user.row.state == kDisabled) {
          return core::FailedPrecondition("user " + std::to_string(id) + " is disabled already");
        }
        user.row.state = kDisabled;
        user.row.disabled_at = now;
        user.row.disabled_by = std::string(actor);
        RETURN_IF_ERROR(sql::RevokeUserSessions(tx, id, now).status());
        return std::optional<AccessChange>(Change("user_disabled", actor, now));
      });
}

core::Result<UserInfo> Users::Enable(std::int64_t id, std::string_view actor) {
  const core::Micros now = clock_->Now();
  return Modify(
      *db_, *keys_, id,
      [&](storage::Transaction&, Loaded& user) -> core::Result<std::optional<AccessChange>> {
        if (user.row.state == kActive) {
          return core::FailedPrecondition("user " + std::to_string(id) + " is active already");
        }
        user.row.state = kActive;
        user.row.disabled_at.reset();
        user.row.disabled_by.clear();
        return std::optional<AccessChange>(Change("user_enabled", actor, now));
      });
}

core::Result<UserInfo> Users::SetRoles(std::int64_t id, const std::vector<std::string>& roles,
                                       std::string_view actor) {
  ASSIGN_OR_RETURN(std::vector<std::string> parsed, ParseRoles(roles, RoleHolder::kUser));
  const core::Micros now = clock_->Now();
  return Modify(
      *db_, *keys_, id,
      [&](storage::Transaction&, Loaded& user) -> core::Result<std::optional<AccessChange>> {
        const std::string before = user.row.roles;
        user.row.roles = JoinRoles(parsed);
        if (!user.row.totp_confirmed && RolesReadContent(parsed)) {
          user.row.must_enrol_2fa = true;
        }
        return std::optional<AccessChange>(Change("roles_set", actor, now, "before: " + before));
      });
}

core::Result<UserInfo> Users::SetScope(std::int64_t id, const std::vector<std::string>& groups,
                                       std::string_view actor) {
  ASSIGN_OR_RETURN(std::vector<std::string> parsed, ParseScopeGroups(groups));
  const core::Micros now = clock_->Now();
  return Modify(
      *db_, *keys_, id,
      [&](storage::Transaction&, Loaded& user) -> core::Result<std::optional<AccessChange>> {
        const std::string before = user.row.scope_groups;
        user.row.scope_groups = JoinRoles(parsed);
        return std::optional<AccessChange>(Change("scope_set", actor, now, "before: " + before));
      });
}

core::Result<std::string> Users::ResetPassword(std::int64_t id, std::string_view password,
                                               std::string_view actor) {
  ASSIGN_OR_RETURN(UserInfo info, Get(id));
  const auth::PasswordContext context{info.login, info.email, info.display_name};
  std::string generated;
  std::string chosen(password);
  if (chosen.empty()) {
    ASSIGN_OR_RETURN(generated, GeneratePassword(context));
    chosen = generated;
  } else {
    RETURN_IF_ERROR(auth::CheckPasswordPolicy(chosen, context));
  }
  ASSIGN_OR_RETURN(std::string phc, auth::HashPassword(chosen));
  const core::Micros now = clock_->Now();
  const core::Result<UserInfo> changed = Modify(
      *db_, *keys_, id,
      [&](storage::Transaction& tx, Loaded& user) -> core::Result<std::optional<AccessChange>> {
        user.row.password_phc = phc;
        RETURN_IF_ERROR(sql::RevokeUserSessions(tx, id, now).status());
        return std::optional<AccessChange>(Change("password_reset", actor, now));
      });
  RETURN_IF_ERROR(changed.status());
  return generated;
}

core::Result<UserInfo> Users::ResetTwoFactor(std::int64_t id, std::string_view actor) {
  const core::Micros now = clock_->Now();
  return Modify(
      *db_, *keys_, id,
      [&](storage::Transaction& tx, Loaded& user) -> core::Result<std::optional<AccessChange>> {
        user.profile.totp_secret.clear();
        user.profile.totp_pending.clear();
        user.profile.totp_pending_algorithm.clear();
        user.row.totp_algorithm.clear();
        user.row.totp_confirmed = false;
        user.row.totp_last_step.reset();
        user.row.recovery_hashes.clear();
        user.row.must_enrol_2fa = true;
        RETURN_IF_ERROR(sql::RevokeUserSessions(tx, id, now).status());
        return std::optional<AccessChange>(Change("2fa_reset", actor, now));
      });
}

core::Result<UserInfo> Users::VerifyPassword(std::string_view login, std::string_view password) {
  const core::Status wrong = core::Unauthenticated("login or password is wrong");
  std::optional<Loaded> user;
  {
    ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
    ASSIGN_OR_RETURN(std::optional<sql::UserRow> row,
                     sql::FindUserByLoginHash(*tx, LoginHash(*keys_, login)));
    if (row) {
      ASSIGN_OR_RETURN(Loaded loaded, Open(*keys_, std::move(*row)));
      user = std::move(loaded);
    }
  }
  if (!user) {
    (void)auth::VerifyPassword(password, DummyHash());
    return wrong;
  }
  ASSIGN_OR_RETURN(const bool matches, auth::VerifyPassword(password, user->row.password_phc));
  if (!matches) {
    return wrong;
  }
  if (user->row.state == kDisabled) {
    return core::PermissionDenied("user \"" + user->profile.login + "\" is disabled");
  }
  if (auth::NeedsRehash(user->row.password_phc, auth::Argon2Params{})) {
    auto fresh = auth::HashPassword(password);
    if (fresh.has_value()) {
      // Best effort: a failure leaves the old hash, which still verifies.
      (void)Modify(
          *db_, *keys_, user->row.id,
          [&](storage::Transaction&, Loaded& u) -> core::Result<std::optional<AccessChange>> {
            u.row.password_phc = *fresh;
            return std::optional<AccessChange>();
          });
    }
  }
  return InfoOf(*user);
}

core::Result<TotpEnrolment> Users::BeginTotp(std::int64_t id, auth::TotpAlgorithm algorithm,
                                             std::string_view issuer) {
  ASSIGN_OR_RETURN(std::string secret, auth::NewTotpSecret(algorithm));
  TotpEnrolment out;
  out.secret = secret;
  const core::Result<UserInfo> changed = Modify(
      *db_, *keys_, id,
      [&](storage::Transaction&, Loaded& user) -> core::Result<std::optional<AccessChange>> {
        ASSIGN_OR_RETURN(out.otpauth_uri,
                         auth::OtpauthUri(issuer, user.profile.login, secret, algorithm));
        user.profile.totp_pending = secret;
        user.profile.totp_pending_algorithm = std::string(auth::TotpAlgorithmName(algorithm));
        return std::optional<AccessChange>();
      });
  RETURN_IF_ERROR(changed.status());
  ASSIGN_OR_RETURN(out.qr_svg, auth::QrSvg(out.otpauth_uri));
  out.secret_base32 = auth::Base32Encode(secret);
  return out;
}

core::Result<std::vector<std::string>> Users::ConfirmTotp(std::int64_t id, std::string_view code,
                                                          std::string_view actor) {
  const core::Micros now = clock_->Now();
  std::vector<std::string> codes;
  const core::Result<UserInfo> changed = Modify(
      *db_, *keys_, id,
      [&](storage::Transaction&, Loaded& user) -> core::Result<std::optional<AccessChange>> {
        if (user.profile.totp_pending.empty()) {
          return core::FailedPrecondition("user " + std::to_string(id) +
                                          " has no TOTP enrolment in progress");
        }
        const auth::TotpAlgorithm algorithm = AlgorithmNamed(user.profile.totp_pending_algorithm);
        ASSIGN_OR_RETURN(
            const std::int64_t step,
            auth::VerifyTotp(user.profile.totp_pending, algorithm, code, now, std::nullopt));
        ASSIGN_OR_RETURN(auth::RecoveryCodes recovery,
                         auth::NewRecoveryCodes(RecoveryKey(*keys_), std::to_string(id)));
        std::string hashes;
        for (std::size_t i = 0; i < recovery.hashes.size(); ++i) {
          hashes += (i == 0 ? "" : ",") + crypto::Base64Encode(recovery.hashes[i]);
        }
        codes = std::move(recovery.codes);
        user.profile.totp_secret = std::move(user.profile.totp_pending);
        user.profile.totp_pending.clear();
        user.row.totp_algorithm = std::move(user.profile.totp_pending_algorithm);
        user.profile.totp_pending_algorithm.clear();
        user.row.totp_confirmed = true;
        user.row.totp_last_step = step;
        user.row.recovery_hashes = std::move(hashes);
        user.row.must_enrol_2fa = false;
        return std::optional<AccessChange>(
            Change("2fa_enrolled", actor, now, "TOTP " + user.row.totp_algorithm));
      });
  RETURN_IF_ERROR(changed.status());
  return codes;
}

core::Status Users::VerifyTotp(std::int64_t id, std::string_view code) {
  const core::Micros now = clock_->Now();
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(Loaded user, Load(*tx, *keys_, id));
  if (!user.row.totp_confirmed || user.profile.totp_secret.empty()) {
    return core::FailedPrecondition("user " + std::to_string(id) +
                                    " has no second factor enrolled");
  }
  ASSIGN_OR_RETURN(
      const std::int64_t step,
      auth::VerifyTotp(user.profile.totp_secret, AlgorithmNamed(user.row.totp_algorithm), code, now,
                       user.row.totp_last_step));
  ASSIGN_OR_RETURN(const bool advanced, sql::AdvanceTotpStep(*tx, id, step));
  if (!advanced) {
    return core::Unauthenticated("TOTP code was already used");
  }
  return tx->Commit();
}

core::Status Users::UseRecoveryCode(std::int64_t id, std::string_view code) {
  ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kWrite));
  ASSIGN_OR_RETURN(Loaded user, Load(*tx, *keys_, id));
  std::vector<std::string> stored;
  std::vector<std::string> encoded;
  if (!user.row.recovery_hashes.empty()) {
    for (std::string_view h : core::Split(user.row.recovery_hashes, ',')) {
      encoded.emplace_back(h);
      if (h.empty()) {
        stored.emplace_back();
        continue;
      }
      ASSIGN_OR_RETURN(std::string raw, crypto::Base64Decode(h));
      stored.push_back(std::move(raw));
    }
  }
  ASSIGN_OR_RETURN(
      const std::size_t index,
      auth::ConsumeRecoveryCode(RecoveryKey(*keys_), std::to_string(id), code, stored));
  encoded[index].clear();
  std::string joined;
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    joined += (i == 0 ? "" : ",") + encoded[i];
  }
  user.row.recovery_hashes = std::move(joined);
  RETURN_IF_ERROR(sql::UpdateUser(*tx, user.row));
  return tx->Commit();
}

}  // namespace custos::app
