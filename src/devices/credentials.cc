// SPDX-License-Identifier: Apache-2.0
#include "devices/credentials.h"

#include "crypto/crypto.h"

namespace custos::devices {
namespace {

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 15]);
  }
  return out;
}

}  // namespace

core::Result<Secret> NewSecret(std::string_view prefix) {
  ASSIGN_OR_RETURN(std::string bytes, crypto::RandomBytes(32));
  Secret s;
  s.plaintext = std::string(prefix) + Hex(bytes);
  s.hash = HashSecret(s.plaintext);
  return s;
}

std::string HashSecret(std::string_view plaintext) { return crypto::Sha256(plaintext); }

bool VerifySecret(std::string_view presented, std::string_view stored_hash) {
  return crypto::ConstantTimeEquals(HashSecret(presented), stored_hash);
}

core::Status CheckRedeemable(const EnrollmentToken& token, core::Micros now) {
  if (token.used) {
    return core::Unauthenticated("enrollment token already used");
  }
  if (now >= token.expires_at) {
    return core::Unauthenticated("enrollment token expired");
  }
  return core::Status::Ok();
}

}  // namespace custos::devices
