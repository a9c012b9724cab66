// SPDX-License-Identifier: Apache-2.0
#include "auth/password.h"

#include <string>
#include <unordered_set>
#include <vector>

#include "auth/internal/argon2.h"
#include "auth/internal/common_passwords.h"
#include "core/text.h"
#include "crypto/crypto.h"

namespace custos::auth {
namespace {

constexpr std::string_view kPhcPrefix = "$argon2id$v=19$";
constexpr std::size_t kMaxDecimalDigits = 10;

core::Result<std::uint32_t> ParseDecimal(std::string_view text, std::string_view field) {
  if (text.empty() || text.size() > kMaxDecimalDigits || (text.size() > 1 && text[0] == '0')) {
    return core::InvalidArgument("PHC string: " + std::string(field) +
                                 " must be a decimal number without leading zeros");
  }
  std::uint64_t value = 0;
  for (const char c : text) {
    if (c < '0' || c > '9') {
      return core::InvalidArgument("PHC string: " + std::string(field) +
                                   " must be a decimal number");
    }
    value = value * 10 + static_cast<std::uint64_t>(c - '0');
  }
  if (value > UINT32_MAX) {
    return core::InvalidArgument("PHC string: " + std::string(field) + " is too large");
  }
  return static_cast<std::uint32_t>(value);
}

// `key=value`, returning the value.
core::Result<std::uint32_t> ParseParam(std::string_view item, std::string_view key) {
  if (item.size() <= key.size() || item.substr(0, key.size()) != key || item[key.size()] != '=') {
    return core::InvalidArgument("PHC string: expected parameter " + std::string(key) +
                                 " (parameters are m, t, p in that order)");
  }
  return ParseDecimal(item.substr(key.size() + 1), key);
}

// Unpadded standard base64, as the PHC format writes salt and hash.
core::Result<std::string> DecodeB64(std::string_view text, std::string_view field) {
  if (text.find('=') != std::string_view::npos || text.size() % 4 == 1) {
    return core::InvalidArgument("PHC string: " + std::string(field) + " must be unpadded base64");
  }
  std::string padded(text);
  padded.append((4 - padded.size() % 4) % 4, '=');
  auto bytes = crypto::Base64Decode(padded);
  if (!bytes.has_value()) {
    return core::InvalidArgument("PHC string: " + std::string(field) + " is not base64");
  }
  return std::move(bytes).value();
}

std::string EncodeB64(std::string_view bytes) {
  std::string text = crypto::Base64Encode(bytes);
  while (!text.empty() && text.back() == '=') {
    text.pop_back();
  }
  return text;
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// `lower` with everything before the first and after the last ASCII letter removed.
std::string_view LetterCore(std::string_view lower) {
  std::size_t begin = 0;
  while (begin < lower.size() && !IsAsciiLetter(lower[begin])) {
    ++begin;
  }
  std::size_t end = lower.size();
  while (end > begin && !IsAsciiLetter(lower[end - 1])) {
    --end;
  }
  return lower.substr(begin, end - begin);
}

// The shortest unit `s` is a repetition of (s itself when it is not one).
std::string_view RepeatedUnit(std::string_view s) {
  for (std::size_t unit = 1; unit <= s.size() / 2; ++unit) {
    if (s.size() % unit != 0) {
      continue;
    }
    bool repeats = true;
    for (std::size_t i = unit; i < s.size() && repeats; ++i) {
      repeats = s[i] == s[i - unit];
    }
    if (repeats) {
      return s.substr(0, unit);
    }
  }
  return s;
}

// True when each character is the one before it plus (or minus) one: "abcdefghijkl",
// "987654321098" (digits wrap around).
bool IsSequence(std::string_view lower) {
  auto step = [](char a, char b) {
    if (a == '9' && b == '0') {
      return 1;
    }
    if (a == '0' && b == '9') {
      return -1;
    }
    return b - a;
  };
  if (lower.size() < 2) {
    return false;
  }
  const int first = step(lower[0], lower[1]);
  if (first != 1 && first != -1) {
    return false;
  }
  for (std::size_t i = 2; i < lower.size(); ++i) {
    if (step(lower[i - 1], lower[i]) != first) {
      return false;
    }
  }
  return true;
}

std::size_t CountCodePoints(std::string_view utf8) {
  std::size_t n = 0;
  for (const char c : utf8) {
    if ((static_cast<unsigned char>(c) & 0xc0) != 0x80) {
      ++n;
    }
  }
  return n;
}

bool ContainsPersonal(std::string_view lower, std::string_view part, std::size_t min_chars) {
  const std::string lower_part = core::ToLowerAscii(core::TrimAscii(part));
  return lower_part.size() >= min_chars && lower.find(lower_part) != std::string_view::npos;
}

const std::unordered_set<std::string_view>& CommonPasswords() {
  static const std::unordered_set<std::string_view> list = [] {
    std::unordered_set<std::string_view> set;
    for (std::string_view line : core::Split(internal::CommonPasswordsText(), '\n')) {
      if (!line.empty() && line.back() == '\r') {
        line.remove_suffix(1);
      }
      if (!line.empty() && line[0] != '#') {
        set.insert(line);
      }
    }
    return set;
  }();
  return list;
}

}  // namespace

core::Result<PhcHash> ParsePhcString(std::string_view phc) {
  if (phc.size() > kMaxPhcStringBytes) {
    return core::InvalidArgument("PHC string: longer than " + std::to_string(kMaxPhcStringBytes) +
                                 " bytes");
  }
  if (phc.substr(0, kPhcPrefix.size()) != kPhcPrefix) {
    return core::InvalidArgument("PHC string: must start with " + std::string(kPhcPrefix) +
                                 " (Argon2id, version 19)");
  }
  const std::vector<std::string_view> parts = core::Split(phc.substr(kPhcPrefix.size()), '$');
  if (parts.size() != 3) {
    return core::InvalidArgument(
        "PHC string: expected parameters, salt and hash after the version");
  }
  const std::vector<std::string_view> params = core::Split(parts[0], ',');
  if (params.size() != 3) {
    return core::InvalidArgument("PHC string: expected exactly the parameters m, t and p");
  }
  PhcHash out;
  ASSIGN_OR_RETURN(out.params.memory_kib, ParseParam(params[0], "m"));
  ASSIGN_OR_RETURN(out.params.iterations, ParseParam(params[1], "t"));
  ASSIGN_OR_RETURN(out.params.parallelism, ParseParam(params[2], "p"));
  if (core::Status s = internal::CheckArgon2Params(out.params); !s.ok()) {
    return core::InvalidArgument("PHC string: " + s.message());
  }
  ASSIGN_OR_RETURN(out.salt, DecodeB64(parts[1], "salt"));
  ASSIGN_OR_RETURN(out.hash, DecodeB64(parts[2], "hash"));
  if (out.salt.size() < kMinArgon2SaltBytes || out.salt.size() > kMaxArgon2SaltBytes) {
    return core::InvalidArgument("PHC string: salt must be " + std::to_string(kMinArgon2SaltBytes) +
                                 " to " + std::to_string(kMaxArgon2SaltBytes) + " bytes");
  }
  if (out.hash.size() < kMinArgon2HashBytes || out.hash.size() > kMaxArgon2HashBytes) {
    return core::InvalidArgument("PHC string: hash must be " + std::to_string(kMinArgon2HashBytes) +
                                 " to " + std::to_string(kMaxArgon2HashBytes) + " bytes");
  }
  return out;
}

std::string FormatPhcString(const PhcHash& hash) {
  return std::string(kPhcPrefix) + "m=" + std::to_string(hash.params.memory_kib) +
         ",t=" + std::to_string(hash.params.iterations) +
         ",p=" + std::to_string(hash.params.parallelism) + "$" + EncodeB64(hash.salt) + "$" +
         EncodeB64(hash.hash);
}

core::Result<std::string> HashPassword(std::string_view password, const Argon2Params& params) {
  if (password.size() > kMaxPasswordBytes) {
    return core::InvalidArgument("password: longer than " + std::to_string(kMaxPasswordBytes) +
                                 " bytes");
  }
  PhcHash phc;
  phc.params = params;
  ASSIGN_OR_RETURN(phc.salt, crypto::RandomBytes(kArgon2SaltBytes));
  ASSIGN_OR_RETURN(phc.hash, internal::Argon2id({.password = password,
                                                 .salt = phc.salt,
                                                 .params = params,
                                                 .tag_bytes = kArgon2HashBytes}));
  return FormatPhcString(phc);
}

core::Result<bool> VerifyPassword(std::string_view password, std::string_view phc) {
  ASSIGN_OR_RETURN(const PhcHash parsed, ParsePhcString(phc));
  if (password.size() > kMaxPasswordBytes) {
    return false;
  }
  ASSIGN_OR_RETURN(const std::string tag, internal::Argon2id({.password = password,
                                                              .salt = parsed.salt,
                                                              .params = parsed.params,
                                                              .tag_bytes = parsed.hash.size()}));
  return crypto::ConstantTimeEquals(tag, parsed.hash);
}

bool NeedsRehash(std::string_view phc, const Argon2Params& params) {
  const auto parsed = ParsePhcString(phc);
  if (!parsed.has_value()) {
    return true;
  }
  return parsed->params.memory_kib != params.memory_kib ||
         parsed->params.iterations != params.iterations ||
         parsed->params.parallelism != params.parallelism ||
         parsed->hash.size() != kArgon2HashBytes;
}

bool IsCommonPassword(std::string_view password) {
  return CommonPasswords().contains(core::ToLowerAscii(password));
}

core::Status CheckPasswordPolicy(std::string_view password, const PasswordContext& context) {
  if (password.size() > kMaxPasswordBytes) {
    return core::InvalidArgument("password is too long: at most " +
                                 std::to_string(kMaxPasswordBytes) + " bytes");
  }
  if (!core::IsValidUtf8(password)) {
    return core::InvalidArgument("password is not valid UTF-8");
  }
  for (const char c : password) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return core::InvalidArgument("password holds a control character");
    }
  }
  if (CountCodePoints(password) < kMinPasswordChars) {
    return core::InvalidArgument("password is too short: at least " +
                                 std::to_string(kMinPasswordChars) + " characters");
  }
  const std::string lower = core::ToLowerAscii(password);
  const std::string_view unit = RepeatedUnit(lower);
  if (unit.size() <= 4 || IsSequence(lower)) {
    return core::InvalidArgument("password is a simple pattern (a repeated or consecutive run)");
  }
  constexpr std::size_t kMinPersonalChars = 3;
  constexpr std::size_t kMinNameWordChars = 4;
  const std::string_view email = context.email;
  const std::string_view local = email.substr(0, email.find('@'));
  if (ContainsPersonal(lower, context.login, kMinPersonalChars) ||
      ContainsPersonal(lower, email, kMinPersonalChars) ||
      ContainsPersonal(lower, local, kMinPersonalChars) ||
      ContainsPersonal(lower, context.display_name, kMinPersonalChars)) {
    return core::InvalidArgument("password contains the login, e-mail address or name");
  }
  for (const std::string_view word : core::Split(context.display_name, ' ')) {
    if (ContainsPersonal(lower, word, kMinNameWordChars)) {
      return core::InvalidArgument("password contains part of the display name");
    }
  }
  const std::string_view letters = LetterCore(lower);
  const auto& common = CommonPasswords();
  if (common.contains(lower) || common.contains(unit) ||
      (letters.size() >= 4 &&
       (common.contains(letters) || common.contains(RepeatedUnit(letters))))) {
    return core::InvalidArgument(
        "password is too common: it is on (or is a small variation of) a list of frequently used "
        "passwords");
  }
  return core::Status::Ok();
}

}  // namespace custos::auth
