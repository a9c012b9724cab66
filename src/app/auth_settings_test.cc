// SPDX-License-Identifier: Apache-2.0
// The `auth` settings (app/auth_settings.h): which roles need a second factor, the session
// timeouts, and their errors with the file position.
#include "app/auth_settings.h"

#include <gtest/gtest.h>

#include "core/time.h"

namespace custos::app {
namespace {

core::Result<AuthSettings> Load(const std::string& yaml) {
  config::LoadResult loaded = config::ParseConfig(
      yaml, "custos.yaml", [](std::string_view) { return std::optional<std::string>(); });
  RETURN_IF_ERROR(loaded.ToStatus());
  return LoadAuthSettings(loaded.config);
}

UserInfo UserWith(std::vector<std::string> roles) {
  UserInfo u;
  u.roles = std::move(roles);
  return u;
}

TEST(AuthSettings, ByDefaultTheContentRolesNeedASecondFactor) {
  auto settings = Load("");
  ASSERT_TRUE(settings.has_value()) << settings.error().ToString();
  EXPECT_EQ(settings->require_2fa_roles,
            (std::vector<std::string>{"compliance_officer", "reviewer"}));
  EXPECT_EQ(settings->session.idle, 30 * 60 * core::kMicrosPerSecond);
  EXPECT_EQ(settings->session.absolute, 12 * 3600 * core::kMicrosPerSecond);
  EXPECT_TRUE(SecondFactorRequired(*settings, UserWith({"reviewer"})));
  EXPECT_TRUE(SecondFactorRequired(*settings, UserWith({"admin", "compliance_officer"})));
  EXPECT_FALSE(SecondFactorRequired(*settings, UserWith({"admin"})));
  EXPECT_FALSE(SecondFactorRequired(*settings, UserWith({"employee"})));
  // A user told to enrol, or who has a factor, is always asked for it.
  UserInfo told = UserWith({"employee"});
  told.must_enrol_2fa = true;
  EXPECT_TRUE(SecondFactorRequired(*settings, told));
  UserInfo enrolled = UserWith({"auditor"});
  enrolled.totp_enrolled = true;
  EXPECT_TRUE(SecondFactorRequired(*settings, enrolled));
}

TEST(AuthSettings, AListNoneAndTimeoutsAreRead) {
  auto listed = Load(
      "auth:\n  require_2fa_roles: admin, auditor\n  session_idle: 10s\n"
      "  session_absolute: 1h\n");
  ASSERT_TRUE(listed.has_value()) << listed.error().ToString();
  EXPECT_EQ(listed->require_2fa_roles, (std::vector<std::string>{"admin", "auditor"}));
  EXPECT_TRUE(SecondFactorRequired(*listed, UserWith({"admin"})));
  EXPECT_FALSE(SecondFactorRequired(*listed, UserWith({"reviewer"})));
  EXPECT_EQ(listed->session.idle, 10 * core::kMicrosPerSecond);
  EXPECT_EQ(listed->session.absolute, 3600 * core::kMicrosPerSecond);

  auto none = Load("auth:\n  require_2fa_roles: none\n");
  ASSERT_TRUE(none.has_value()) << none.error().ToString();
  EXPECT_TRUE(none->require_2fa_roles.empty());
  EXPECT_FALSE(SecondFactorRequired(*none, UserWith({"compliance_officer"})));
}

TEST(AuthSettings, AnUnknownRoleOrAnIdleLongerThanTheSessionIsAnErrorWithItsPosition) {
  auto unknown = Load("auth:\n  require_2fa_roles: reviewer, overlord\n");
  ASSERT_FALSE(unknown.has_value());
  EXPECT_NE(unknown.error().message().find("custos.yaml:2:"), std::string::npos)
      << unknown.error().message();
  EXPECT_NE(unknown.error().message().find("overlord"), std::string::npos);
  // `device` is not a role a user may hold.
  EXPECT_FALSE(Load("auth:\n  require_2fa_roles: device\n").has_value());

  auto inverted = Load("auth:\n  session_idle: 2h\n  session_absolute: 1h\n");
  ASSERT_FALSE(inverted.has_value());
  EXPECT_NE(inverted.error().message().find("session_idle"), std::string::npos);
  EXPECT_FALSE(Load("auth:\n  session_idle: soon\n").has_value());
  EXPECT_FALSE(Load("auth:\n  remember_me: true\n").has_value());
}

}  // namespace
}  // namespace custos::app
