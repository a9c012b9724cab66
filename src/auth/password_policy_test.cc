// SPDX-License-Identifier: Apache-2.0
#include <string>

#include <gtest/gtest.h>

#include "auth/password.h"

namespace custos::auth {
namespace {

using core::StatusCode;

const PasswordContext kAlice{
    .login = "alice", .email = "alice.liddell@example.com", .display_name = "Alice Liddell"};

std::string Refusal(std::string_view password, const PasswordContext& context = kAlice) {
  const core::Status s = CheckPasswordPolicy(password, context);
  EXPECT_FALSE(s.ok()) << password;
  EXPECT_EQ(s.code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(s.message().rfind("password ", 0), 0u) << s.message();
  EXPECT_EQ(s.message().find(password), std::string::npos) << "the message repeats the password";
  return s.message();
}

TEST(CheckPasswordPolicy, AcceptsLongUncommonPasswords) {
  for (const char* good :
       {"violet tractor 42 sings", "Tr0ub4dor&3-xkcd-936", "ünïcödé pässwörd", "qz7!Lm3#pW9@"}) {
    EXPECT_TRUE(CheckPasswordPolicy(good, kAlice).ok())
        << good << ": " << CheckPasswordPolicy(good, kAlice).ToString();
  }
  const std::string longest = "ab" + std::string(kMaxPasswordBytes - 2, 'x');
  EXPECT_TRUE(CheckPasswordPolicy(longest, kAlice).ok());
}

TEST(CheckPasswordPolicy, EnforcesLengthInCharactersAndBytes) {
  EXPECT_NE(Refusal("short pw").find("too short"), std::string::npos);
  EXPECT_NE(Refusal("h7#kq2m9!zx").find("too short"), std::string::npos);  // 11
  EXPECT_TRUE(CheckPasswordPolicy("h7#kq2m9!zxw", kAlice).ok());           // 12
  // Eleven characters of two bytes each are still too short.
  EXPECT_NE(Refusal("ééééééééééb").find("too short"), std::string::npos);
  EXPECT_NE(Refusal(std::string(kMaxPasswordBytes + 1, 'x')).find("too long"), std::string::npos);
}

TEST(CheckPasswordPolicy, RefusesBadBytes) {
  EXPECT_NE(Refusal("valid start \xff\xfe end").find("UTF-8"), std::string::npos);
  EXPECT_NE(Refusal(std::string("tab\there is bad", 15)).find("control"), std::string::npos);
}

TEST(CheckPasswordPolicy, RefusesPersonalInformation) {
  EXPECT_NE(Refusal("alice-is-the-best").find("login"), std::string::npos);
  EXPECT_NE(Refusal("my ALICE.LIDDELL secret").find("login"), std::string::npos);
  EXPECT_NE(Refusal("xx liddell rules xx").find("display name"), std::string::npos);
  // Short context parts are not checked.
  const PasswordContext short_login{.login = "al", .email = "", .display_name = ""};
  EXPECT_TRUE(CheckPasswordPolicy("walrus carpenter oysters", short_login).ok());
}

TEST(CheckPasswordPolicy, RefusesCommonPasswordsAndTheirVariations) {
  EXPECT_TRUE(IsCommonPassword("password"));
  EXPECT_TRUE(IsCommonPassword("PassWord"));
  EXPECT_TRUE(IsCommonPassword("winniethepooh"));
  EXPECT_FALSE(IsCommonPassword("violet tractor 42 sings"));
  for (const char* common :
       {"winniethepooh", "WinnieThePooh", "Password2024!", "123password456", "iloveyou12345",
        "monkeymonkeymonkey", "qwertyuiopasdfghjkl", "1qaz2wsx3edc", "CorrectHorseBatteryStaple"}) {
    EXPECT_NE(Refusal(common).find("too common"), std::string::npos) << common;
  }
}

TEST(CheckPasswordPolicy, RefusesSimplePatterns) {
  for (const char* pattern : {"aaaaaaaaaaaa", "abababababab", "abcdefghijklm", "123456789012",
                              "987654321098", "zyxwvutsrqpon"}) {
    EXPECT_NE(Refusal(pattern).find("pattern"), std::string::npos) << pattern;
  }
}

}  // namespace
}  // namespace custos::auth
