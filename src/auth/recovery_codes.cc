// SPDX-License-Identifier: Apache-2.0
#include "auth/recovery_codes.h"

#include <optional>
#include <string>

#include "crypto/crypto.h"

namespace custos::auth {
namespace {

// Crockford's base32, lower case: no i, l, o or u.
constexpr std::string_view kAlphabet = "0123456789abcdefghjkmnpqrstvwxyz";
constexpr std::string_view kDomain = "custos recovery code v1";
constexpr std::size_t kGroupChars = 4;

std::optional<std::string> Normalise(std::string_view code) {
  std::string out;
  for (const char raw : code) {
    char c = raw >= 'A' && raw <= 'Z' ? static_cast<char>(raw - 'A' + 'a') : raw;
    if (c == '-' || c == ' ') {
      continue;
    }
    if (c == 'i' || c == 'l') {
      c = '1';
    } else if (c == 'o') {
      c = '0';
    }
    if (kAlphabet.find(c) == std::string_view::npos || out.size() >= kRecoveryCodeChars) {
      return std::nullopt;
    }
    out.push_back(c);
  }
  if (out.size() != kRecoveryCodeChars) {
    return std::nullopt;
  }
  return out;
}

core::Status CheckKey(std::string_view key) {
  if (key.size() < kMinRecoveryKeyBytes) {
    return core::InvalidArgument("recovery code key: at least " +
                                 std::to_string(kMinRecoveryKeyBytes) + " bytes");
  }
  return core::Status::Ok();
}

// The MAC over the domain tag, the user id prefixed with its length, and the normalised code, so
// no two (user, code) pairs share an input.
std::string Mac(std::string_view key, std::string_view user_id, std::string_view normal) {
  std::string input(kDomain);
  input.push_back('\0');
  input += std::to_string(user_id.size());
  input.push_back(':');
  input += user_id;
  input.push_back('\0');
  input += normal;
  return crypto::HmacSha256(key, input);
}

}  // namespace

core::Result<RecoveryCodes> NewRecoveryCodes(std::string_view key, std::string_view user_id) {
  RETURN_IF_ERROR(CheckKey(key));
  RecoveryCodes out;
  for (std::size_t i = 0; i < kRecoveryCodeCount; ++i) {
    ASSIGN_OR_RETURN(const std::string random, crypto::RandomBytes(kRecoveryCodeChars));
    std::string normal;
    std::string shown;
    for (std::size_t j = 0; j < kRecoveryCodeChars; ++j) {
      // 256 is a multiple of 32, so the low five bits are uniform.
      const char c = kAlphabet[static_cast<unsigned char>(random[j]) & 0x1f];
      normal.push_back(c);
      if (j > 0 && j % kGroupChars == 0) {
        shown.push_back('-');
      }
      shown.push_back(c);
    }
    out.hashes.push_back(Mac(key, user_id, normal));
    out.codes.push_back(std::move(shown));
  }
  return out;
}

core::Result<std::string> HashRecoveryCode(std::string_view key, std::string_view user_id,
                                           std::string_view code) {
  RETURN_IF_ERROR(CheckKey(key));
  const std::optional<std::string> normal =
      code.size() > kMaxRecoveryCodeInputBytes ? std::nullopt : Normalise(code);
  if (!normal) {
    return core::InvalidArgument("recovery code: expected 12 characters like xxxx-xxxx-xxxx");
  }
  return Mac(key, user_id, *normal);
}

core::Result<std::size_t> ConsumeRecoveryCode(std::string_view key, std::string_view user_id,
                                              std::string_view code,
                                              const std::vector<std::string>& stored_hashes) {
  ASSIGN_OR_RETURN(const std::string hash, HashRecoveryCode(key, user_id, code));
  std::optional<std::size_t> found;
  for (std::size_t i = 0; i < stored_hashes.size(); ++i) {
    const bool match = crypto::ConstantTimeEquals(hash, stored_hashes[i]);
    if (match && !found) {
      found = i;
    }
  }
  if (!found) {
    return core::Unauthenticated("recovery code does not match an unused code");
  }
  return *found;
}

}  // namespace custos::auth
