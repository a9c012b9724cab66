// SPDX-License-Identifier: Apache-2.0
#include "auth/totp.h"

#include <array>
#include <set>
#include <string>
#include <vector>

#include "auth/base32.h"
#include "core/text.h"
#include "crypto/crypto.h"

namespace custos::auth {
namespace {

constexpr std::string_view kOtpauthPrefix = "otpauth://totp/";
constexpr std::size_t kMaxOtpauthParameters = 32;
constexpr std::array<std::uint32_t, 9> kPowersOfTen = {
    1, 10, 100, 1'000, 10'000, 100'000, 1'000'000, 10'000'000, 100'000'000};

bool IsUnreserved(char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

std::string PercentEncode(std::string_view text) {
  static constexpr std::string_view kHex = "0123456789ABCDEF";
  std::string out;
  out.reserve(text.size() * 3);
  for (const char c : text) {
    if (IsUnreserved(c)) {
      out.push_back(c);
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    out.push_back('%');
    out.push_back(kHex[byte >> 4]);
    out.push_back(kHex[byte & 0x0f]);
  }
  return out;
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') {
    return c - '0';
  }
  if (c >= 'a' && c <= 'f') {
    return c - 'a' + 10;
  }
  if (c >= 'A' && c <= 'F') {
    return c - 'A' + 10;
  }
  return -1;
}

// Strict percent-decoding ('+' stays '+'); `what` names the part in errors.
core::Result<std::string> PercentDecode(std::string_view text, std::string_view what) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '%') {
      out.push_back(text[i]);
      continue;
    }
    const int hi = i + 2 < text.size() ? HexValue(text[i + 1]) : -1;
    const int lo = i + 2 < text.size() ? HexValue(text[i + 2]) : -1;
    if (hi < 0 || lo < 0) {
      return core::InvalidArgument("otpauth URI: bad percent-escape in the " + std::string(what));
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
    i += 2;
  }
  return out;
}

core::Status CheckSecret(std::string_view secret) {
  if (secret.empty() || secret.size() > kMaxTotpSecretBytes) {
    return core::InvalidArgument("TOTP secret: " + std::to_string(secret.size()) +
                                 " bytes; expected 1 to " + std::to_string(kMaxTotpSecretBytes));
  }
  return core::Status::Ok();
}

core::Status CheckName(std::string_view name, std::string_view what) {
  if (name.empty() || name.size() > kMaxOtpauthNameBytes) {
    return core::InvalidArgument("otpauth " + std::string(what) + ": must be 1 to " +
                                 std::to_string(kMaxOtpauthNameBytes) + " bytes");
  }
  if (!core::IsValidUtf8(name)) {
    return core::InvalidArgument("otpauth " + std::string(what) + ": not valid UTF-8");
  }
  for (const char c : name) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) {
      return core::InvalidArgument("otpauth " + std::string(what) + ": holds a control character");
    }
  }
  if (name.front() == ' ' || name.back() == ' ') {
    return core::InvalidArgument("otpauth " + std::string(what) +
                                 ": must not begin or end with a space");
  }
  return core::Status::Ok();
}

// The code with ASCII spaces removed when it is then exactly `digits` decimal digits.
std::optional<std::string> NormaliseCode(std::string_view code, int digits) {
  std::string out;
  for (const char c : code) {
    if (c == ' ') {
      continue;
    }
    if (c < '0' || c > '9' || out.size() >= static_cast<std::size_t>(digits)) {
      return std::nullopt;
    }
    out.push_back(c);
  }
  if (out.size() != static_cast<std::size_t>(digits)) {
    return std::nullopt;
  }
  return out;
}

core::Status ApplyParameter(std::string_view key, std::string value, OtpauthKey& out,
                            bool& has_secret) {
  if (key == "secret") {
    auto secret = Base32Decode(value);
    if (!secret.has_value()) {
      return core::InvalidArgument("otpauth URI: secret: " + secret.error().message());
    }
    if (secret->empty() || secret->size() > kMaxTotpSecretBytes) {
      return core::InvalidArgument("otpauth URI: secret must decode to 1 to " +
                                   std::to_string(kMaxTotpSecretBytes) + " bytes");
    }
    out.secret = std::move(secret).value();
    has_secret = true;
  } else if (key == "issuer") {
    RETURN_IF_ERROR(CheckName(value, "issuer"));
    if (!out.issuer.empty() && out.issuer != value) {
      return core::InvalidArgument("otpauth URI: issuer parameter '" + value +
                                   "' differs from the label's issuer '" + out.issuer + "'");
    }
    out.issuer = std::move(value);
  } else if (key == "algorithm") {
    if (value == "SHA1") {
      out.algorithm = TotpAlgorithm::kSha1;
    } else if (value == "SHA256") {
      out.algorithm = TotpAlgorithm::kSha256;
    } else {
      return core::InvalidArgument("otpauth URI: algorithm must be SHA1 or SHA256");
    }
  } else if (key == "digits") {
    if (value != "6" && value != "8") {
      return core::InvalidArgument("otpauth URI: digits must be 6 or 8");
    }
    out.digits = value[0] - '0';
  } else if (key == "period") {
    if (value != "30") {
      return core::InvalidArgument("otpauth URI: period must be 30");
    }
  }
  return core::Status::Ok();
}

}  // namespace

std::string_view TotpAlgorithmName(TotpAlgorithm algorithm) {
  return algorithm == TotpAlgorithm::kSha256 ? "SHA256" : "SHA1";
}

std::int64_t TotpStep(core::Micros now) {
  constexpr core::Micros kStep = kTotpStepSeconds * core::kMicrosPerSecond;
  // Floor division, so an instant before the epoch is in a negative step.
  return now >= 0 ? now / kStep : -((-now + kStep - 1) / kStep);
}

std::string TotpCode(std::string_view secret, TotpAlgorithm algorithm, std::int64_t step,
                     int digits) {
  CUSTOS_CHECK(digits == 6 || digits == 8);
  CUSTOS_CHECK(!secret.empty() && secret.size() <= kMaxTotpSecretBytes);
  std::string counter(8, '\0');
  auto value = static_cast<std::uint64_t>(step);
  for (int i = 7; i >= 0; --i) {
    counter[static_cast<std::size_t>(i)] = static_cast<char>(value & 0xff);
    value >>= 8;
  }
  const std::string mac = algorithm == TotpAlgorithm::kSha256 ? crypto::HmacSha256(secret, counter)
                                                              : crypto::HmacSha1(secret, counter);
  const std::size_t offset = static_cast<unsigned char>(mac.back()) & 0x0f;
  const std::uint32_t binary =
      ((static_cast<std::uint32_t>(static_cast<unsigned char>(mac[offset])) & 0x7f) << 24) |
      (static_cast<std::uint32_t>(static_cast<unsigned char>(mac[offset + 1])) << 16) |
      (static_cast<std::uint32_t>(static_cast<unsigned char>(mac[offset + 2])) << 8) |
      static_cast<std::uint32_t>(static_cast<unsigned char>(mac[offset + 3]));
  std::string code = std::to_string(binary % kPowersOfTen[static_cast<std::size_t>(digits)]);
  code.insert(0, static_cast<std::size_t>(digits) - code.size(), '0');
  return code;
}

core::Result<std::int64_t> VerifyTotp(std::string_view secret, TotpAlgorithm algorithm,
                                      std::string_view code, core::Micros now,
                                      std::optional<std::int64_t> last_used_step, int digits) {
  RETURN_IF_ERROR(CheckSecret(secret));
  if (digits != 6 && digits != 8) {
    return core::InvalidArgument("TOTP code: digits must be 6 or 8");
  }
  const std::optional<std::string> normal = NormaliseCode(code, digits);
  if (!normal) {
    return core::InvalidArgument("TOTP code: expected " + std::to_string(digits) +
                                 " decimal digits");
  }
  const std::int64_t current = TotpStep(now);
  std::optional<std::int64_t> accepted;
  bool matched_used_step = false;
  // All three candidates are computed and compared, whatever matches.
  for (std::int64_t step = current - 1; step <= current + 1; ++step) {
    const bool match =
        crypto::ConstantTimeEquals(TotpCode(secret, algorithm, step, digits), *normal);
    if (!match) {
      continue;
    }
    if (last_used_step && step <= *last_used_step) {
      matched_used_step = true;
    } else if (!accepted) {
      accepted = step;
    }
  }
  if (accepted) {
    return *accepted;
  }
  if (matched_used_step) {
    return core::Unauthenticated(
        "TOTP code was already used (each code is accepted once); wait for the next code");
  }
  return core::Unauthenticated("TOTP code does not match");
}

core::Result<std::string> NewTotpSecret(TotpAlgorithm algorithm) {
  return crypto::RandomBytes(algorithm == TotpAlgorithm::kSha256 ? kTotpSecretBytesSha256
                                                                 : kTotpSecretBytesSha1);
}

core::Result<std::string> OtpauthUri(std::string_view issuer, std::string_view account,
                                     std::string_view secret, TotpAlgorithm algorithm) {
  RETURN_IF_ERROR(CheckName(issuer, "issuer"));
  RETURN_IF_ERROR(CheckName(account, "account"));
  if (issuer.find(':') != std::string_view::npos) {
    return core::InvalidArgument("otpauth issuer: must not contain ':' (the label separator)");
  }
  RETURN_IF_ERROR(CheckSecret(secret));
  const std::string encoded_issuer = PercentEncode(issuer);
  std::string uri(kOtpauthPrefix);
  uri += encoded_issuer + ":" + PercentEncode(account);
  uri += "?secret=" + Base32Encode(secret);
  uri += "&issuer=" + encoded_issuer;
  uri += "&algorithm=" + std::string(TotpAlgorithmName(algorithm));
  uri += "&digits=" + std::to_string(kTotpDigits);
  uri += "&period=" + std::to_string(kTotpStepSeconds);
  return uri;
}

core::Result<OtpauthKey> ParseOtpauthUri(std::string_view uri) {
  if (uri.size() > kMaxOtpauthUriBytes) {
    return core::InvalidArgument("otpauth URI: longer than " + std::to_string(kMaxOtpauthUriBytes) +
                                 " bytes");
  }
  if (uri.substr(0, kOtpauthPrefix.size()) != kOtpauthPrefix) {
    return core::InvalidArgument("otpauth URI: must start with " + std::string(kOtpauthPrefix));
  }
  std::string_view rest = uri.substr(kOtpauthPrefix.size());
  const std::size_t question = rest.find('?');
  if (question == std::string_view::npos) {
    return core::InvalidArgument("otpauth URI: no parameters (the secret is required)");
  }
  ASSIGN_OR_RETURN(std::string label, PercentDecode(rest.substr(0, question), "label"));
  OtpauthKey key;
  const std::size_t colon = label.find(':');
  if (colon != std::string::npos) {
    key.issuer = label.substr(0, colon);
    std::string_view account(label);
    account.remove_prefix(colon + 1);
    // Some issuers put spaces after the colon.
    while (!account.empty() && account.front() == ' ') {
      account.remove_prefix(1);
    }
    key.account = std::string(account);
    RETURN_IF_ERROR(CheckName(key.issuer, "issuer"));
  } else {
    key.account = label;
  }
  RETURN_IF_ERROR(CheckName(key.account, "account"));
  const std::vector<std::string_view> pairs = core::Split(rest.substr(question + 1), '&');
  if (pairs.size() > kMaxOtpauthParameters) {
    return core::InvalidArgument("otpauth URI: more than " + std::to_string(kMaxOtpauthParameters) +
                                 " parameters");
  }
  std::set<std::string> seen;
  bool has_secret = false;
  for (const std::string_view pair : pairs) {
    const std::size_t eq = pair.find('=');
    ASSIGN_OR_RETURN(std::string name, PercentDecode(pair.substr(0, eq), "parameter name"));
    if (!seen.insert(name).second) {
      return core::InvalidArgument("otpauth URI: parameter '" + name + "' appears twice");
    }
    const std::string_view raw =
        eq == std::string_view::npos ? std::string_view() : pair.substr(eq + 1);
    ASSIGN_OR_RETURN(std::string value, PercentDecode(raw, "value of " + name));
    RETURN_IF_ERROR(ApplyParameter(name, std::move(value), key, has_secret));
  }
  if (!has_secret) {
    return core::InvalidArgument("otpauth URI: the secret parameter is missing");
  }
  return key;
}

}  // namespace custos::auth
