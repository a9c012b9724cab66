// SPDX-License-Identifier: Apache-2.0
// app::Users' sealed profile: its length-prefixed encoding and the checks of its fields
// (users_internal.h).
#include <cstdint>
#include <string>
#include <string_view>

#include "app/users.h"
#include "app/users_internal.h"
#include "core/text.h"

namespace custos::app::users_internal {
namespace {

bool HasControl(std::string_view s) {
  return std::any_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x20 || c == 0x7f; });
}

}  // namespace

void PutField(std::string& out, std::string_view field) {
  const auto n = static_cast<std::uint32_t>(field.size());
  for (int shift = 24; shift >= 0; shift -= 8) {
    out.push_back(static_cast<char>((n >> shift) & 0xff));
  }
  out.append(field);
}

core::Result<std::string> GetField(std::string_view& in) {
  if (in.size() < 4) {
    return core::DataLoss("user profile: truncated");
  }
  std::uint32_t n = 0;
  for (int i = 0; i < 4; ++i) {
    n = (n << 8) | static_cast<unsigned char>(in[static_cast<std::size_t>(i)]);
  }
  in.remove_prefix(4);
  if (in.size() < n) {
    return core::DataLoss("user profile: truncated");
  }
  std::string out(in.substr(0, n));
  in.remove_prefix(n);
  return out;
}

std::string Pack(const Profile& p) {
  std::string out = "u1";
  for (const std::string* f : {&p.login, &p.display_name, &p.email, &p.totp_secret, &p.totp_pending,
                               &p.totp_pending_algorithm}) {
    PutField(out, *f);
  }
  return out;
}

core::Result<Profile> Unpack(std::string_view in) {
  if (in.substr(0, 2) != "u1") {
    return core::DataLoss("user profile: unknown format");
  }
  in.remove_prefix(2);
  Profile p;
  for (std::string* f : {&p.login, &p.display_name, &p.email, &p.totp_secret, &p.totp_pending,
                         &p.totp_pending_algorithm}) {
    ASSIGN_OR_RETURN(*f, GetField(in));
  }
  return p;
}

core::Status CheckDisplayName(std::string_view name) {
  if (name.empty() || name.size() > kMaxDisplayNameBytes || !core::IsValidUtf8(name) ||
      HasControl(name)) {
    return core::InvalidArgument("display_name: must be 1 to " +
                                 std::to_string(kMaxDisplayNameBytes) +
                                 " bytes of UTF-8 without control characters");
  }
  return core::Status::Ok();
}

core::Status CheckEmail(std::string_view email) {
  if (email.empty()) {
    return core::Status::Ok();
  }
  const std::size_t at = email.find('@');
  const bool ok = email.size() <= kMaxEmailBytes && at != std::string_view::npos && at > 0 &&
                  at + 1 < email.size() && email.find('@', at + 1) == std::string_view::npos &&
                  core::IsValidUtf8(email) && !HasControl(email) &&
                  email.find(' ') == std::string_view::npos;
  if (!ok) {
    return core::InvalidArgument("email: \"" + std::string(core::TruncateUtf8(email, 60)) +
                                 "\" is not an e-mail address (local@domain, at most " +
                                 std::to_string(kMaxEmailBytes) + " bytes)");
  }
  return core::Status::Ok();
}

}  // namespace custos::app::users_internal
