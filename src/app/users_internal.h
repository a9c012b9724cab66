// SPDX-License-Identifier: Apache-2.0
// What users.cc (accounts, passwords, 2FA) and users_sessions.cc (browser sessions) share: the
// sealed profile, its length-prefixed fields, and loading a user row. Internal to app::Users.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "app/sql/users.h"
#include "core/status.h"
#include "crypto/keyring.h"
#include "storage/database.h"

namespace custos::app::users_internal {

inline constexpr std::string_view kActive = "active";
inline constexpr std::string_view kDisabled = "disabled";

// The sealed profile: length-prefixed fields in this order.
struct Profile {
  std::string login;
  std::string display_name;
  std::string email;
  std::string totp_secret;             // the confirmed factor's secret; "" when none
  std::string totp_pending;            // a secret awaiting confirmation; "" when none
  std::string totp_pending_algorithm;  // "SHA1" or "SHA256"
};

// A row with its opened profile.
struct Loaded {
  sql::UserRow row;
  Profile profile;
};

// A 4-byte big-endian length, then the bytes.
void PutField(std::string& out, std::string_view field);
// Reads one field off the front of `in`; kDataLoss when truncated.
core::Result<std::string> GetField(std::string_view& in);
// The profile as sealed ("u1", then its fields) and back; kDataLoss when malformed.
std::string Pack(const Profile& p);
core::Result<Profile> Unpack(std::string_view in);
// kInvalidArgument naming the field.
core::Status CheckDisplayName(std::string_view name);
core::Status CheckEmail(std::string_view email);
// The associated data a session's sealed client details are bound to.
std::string SessionAad(const std::string& session_hash);
// User `id` with its profile opened; kNotFound when there is none.
core::Result<Loaded> Load(storage::Transaction& tx, const crypto::KeyRing& keys, std::int64_t id);
// `bytes` random bytes as hex.
core::Result<std::string> NewSecretHex(std::size_t bytes);

}  // namespace custos::app::users_internal
