// SPDX-License-Identifier: Apache-2.0
// The users store (app/users.h) over a real SQLite database and key ring.
#include "app/users.h"

#include <filesystem>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "archive/records.h"
#include "auth/totp.h"
#include "storage/sqlite/sqlite_database.h"
#include "testing/fake_clock.h"
#include "testing/temp_dir.h"

namespace custos::app {
namespace {

constexpr const char* kPassword = "correct horse battery staple 9";

class UsersTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.File("keys"));
    auto keys = crypto::KeyRing::LoadOrCreate(dir_.File("keys/keyring"));
    ASSERT_TRUE(keys.has_value()) << keys.error().message();
    keys_ = std::make_unique<crypto::KeyRing>(std::move(*keys));
    auto db = storage::OpenSqlite(dir_.File("custos.db"));
    ASSERT_TRUE(db.has_value()) << db.error().message();
    db_ = std::move(*db);
    users_ = std::make_unique<Users>(db_.get(), keys_.get(), &clock_);
  }

  NewUser AddUser(const std::string& login, std::vector<std::string> roles) {
    NewUserRequest r;
    r.login = login;
    r.display_name = "Rita Reviewer";
    r.email = login + "@example.com";
    r.roles = std::move(roles);
    r.password = kPassword;
    auto added = users_->Add(r, "cli:test");
    EXPECT_TRUE(added.has_value()) << added.error().message();
    return added.has_value() ? *added : NewUser{};
  }

  // The kinds and bodies of the log's records, in order.
  std::vector<std::string> Records() {
    std::vector<std::string> out;
    auto tx = db_->Begin(storage::TxMode::kRead);
    for (std::int64_t id = 1;; ++id) {
      auto canonical = archive::ReadCanonical(**tx, *keys_, id);
      if (!canonical.has_value()) {
        break;
      }
      out.push_back(*canonical);
    }
    return out;
  }

  std::string Code(const TotpEnrolment& e, core::Micros at) {
    return auth::TotpCode(e.secret, auth::TotpAlgorithm::kSha1, auth::TotpStep(at));
  }

  testing::TempDir dir_;
  testing::FakeClock clock_{testing::FakeClock::kDefaultStart};
  std::unique_ptr<crypto::KeyRing> keys_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<Users> users_;
};

TEST_F(UsersTest, AddsAUserAndFindsItByLoginIgnoringCase) {
  const NewUser added = AddUser("rita.r", {"reviewer"});
  EXPECT_GT(added.info.id, 0);
  EXPECT_TRUE(added.generated_password.empty());
  EXPECT_TRUE(added.info.must_enrol_2fa);  // a reviewer reads content
  auto found = users_->FindByLogin("RITA.R");
  ASSERT_TRUE(found.has_value()) << found.error().message();
  EXPECT_EQ(found->id, added.info.id);
  EXPECT_EQ(found->login, "rita.r");
  EXPECT_EQ(found->email, "rita.r@example.com");
  EXPECT_EQ(found->roles, std::vector<std::string>{"reviewer"});
  EXPECT_EQ(found->state, UserState::kActive);
  EXPECT_EQ(found->created_by, "cli:test");
  EXPECT_EQ(users_->Find("#" + std::to_string(added.info.id))->login, "rita.r");
  auto again = users_->Add({"Rita.R", "", "", {"auditor"}, {}, kPassword, {}, {}}, "cli:test");
  ASSERT_FALSE(again.has_value());
  EXPECT_EQ(again.error().code(), core::StatusCode::kAlreadyExists);
}

TEST_F(UsersTest, PersonalDataIsNotOnDiskInPlaintext) {
  AddUser("plaintext.probe", {"auditor"});
  db_.reset();  // close: everything on disk
  std::string bytes;
  for (const char* name : {"custos.db", "custos.db-wal"}) {
    std::ifstream in(dir_.File(name), std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    bytes += s.str();
  }
  ASSERT_FALSE(bytes.empty());
  EXPECT_EQ(bytes.find("plaintext.probe"), std::string::npos);
  EXPECT_EQ(bytes.find("Rita Reviewer"), std::string::npos);
  EXPECT_EQ(bytes.find("example.com"), std::string::npos);
}

TEST_F(UsersTest, RefusesBadInputNamingTheFieldAndWritesNothing) {
  const auto refuse = [&](NewUserRequest r, const std::string& field) {
    auto added = users_->Add(r, "cli:test");
    ASSERT_FALSE(added.has_value()) << field;
    EXPECT_EQ(added.error().code(), core::StatusCode::kInvalidArgument) << field;
    EXPECT_EQ(added.error().message().rfind(field, 0), 0u) << added.error().message();
  };
  refuse({"bob", "", "", {"root"}, {}, kPassword, {}, {}}, "role:");
  refuse({"bob", "", "", {"ingest"}, {}, kPassword, {}, {}}, "role:");
  refuse({"-bob", "", "", {"admin"}, {}, kPassword, {}, {}}, "login:");
  refuse({"bob smith", "", "", {"admin"}, {}, kPassword, {}, {}}, "login:");
  refuse({"bob", "", "not-an-email", {"admin"}, {}, kPassword, {}, {}}, "email:");
  refuse({"bob", "", "", {"admin"}, {}, "password1234", {}, {}}, "password");
  refuse({"bob", "", "", {"admin"}, {}, "short", {}, {}}, "password");
  refuse({"bob", "", "", {"reviewer"}, {""}, kPassword, {}, {}}, "scope:");
  refuse({"bob", "", "", {"employee"}, {}, kPassword, 99, {}}, "person:");
  EXPECT_TRUE(users_->List()->empty());
  EXPECT_TRUE(Records().empty());
}

TEST_F(UsersTest, GeneratesAStrongPasswordWhenNoneIsGiven) {
  auto added = users_->Add({"gen", "", "", {"employee"}, {}, "", {}, {}}, "cli:test");
  ASSERT_TRUE(added.has_value()) << added.error().message();
  EXPECT_EQ(added->generated_password.size(), kGeneratedPasswordChars);
  EXPECT_FALSE(added->info.must_enrol_2fa);  // an employee reads no content
  EXPECT_TRUE(users_->VerifyPassword("gen", added->generated_password).has_value());
}

TEST_F(UsersTest, VerifiesPasswordsAndRefusesDisabledUsers) {
  const NewUser u = AddUser("carol", {"compliance_officer"});
  EXPECT_TRUE(users_->VerifyPassword("Carol", kPassword).has_value());
  auto wrong = users_->VerifyPassword("carol", "not the password at all");
  ASSERT_FALSE(wrong.has_value());
  EXPECT_EQ(wrong.error().code(), core::StatusCode::kUnauthenticated);
  auto unknown = users_->VerifyPassword("nobody", kPassword);
  ASSERT_FALSE(unknown.has_value());
  EXPECT_EQ(unknown.error().message(), wrong.error().message());

  auto disabled = users_->Disable(u.info.id, "token:1 (ops)");
  ASSERT_TRUE(disabled.has_value());
  EXPECT_EQ(disabled->state, UserState::kDisabled);
  EXPECT_EQ(disabled->disabled_by, "token:1 (ops)");
  EXPECT_EQ(disabled->disabled_at, clock_.Now());
  EXPECT_EQ(users_->Disable(u.info.id, "x").error().code(), core::StatusCode::kFailedPrecondition);
  EXPECT_EQ(users_->VerifyPassword("carol", kPassword).error().code(),
            core::StatusCode::kPermissionDenied);
  ASSERT_TRUE(users_->Enable(u.info.id, "cli:test").has_value());
  EXPECT_TRUE(users_->VerifyPassword("carol", kPassword).has_value());
}

TEST_F(UsersTest, RoleScopeAndResetsAreAccessChangeRecords) {
  const NewUser u = AddUser("dave", {"auditor"});
  auto roles = users_->SetRoles(u.info.id, {"reviewer,auditor"}, "cli:root");
  ASSERT_TRUE(roles.has_value()) << roles.error().message();
  EXPECT_EQ(roles->roles, (std::vector<std::string>{"reviewer", "auditor"}));
  EXPECT_TRUE(roles->must_enrol_2fa);
  EXPECT_FALSE(users_->SetRoles(u.info.id, {"god"}, "cli:root").has_value());
  auto scoped = users_->SetScope(u.info.id, {"Desk A", "Desk B"}, "cli:root");
  ASSERT_TRUE(scoped.has_value());
  EXPECT_EQ(scoped->scope_groups, (std::vector<std::string>{"Desk A", "Desk B"}));
  ASSERT_TRUE(users_->ResetPassword(u.info.id, "", "cli:root").has_value());
  ASSERT_TRUE(users_->ResetTwoFactor(u.info.id, "cli:root").has_value());

  const std::vector<std::string> records = Records();
  ASSERT_EQ(records.size(), 5u);
  const std::string events[] = {"user_added", "roles_set", "scope_set", "password_reset",
                                "2fa_reset"};
  for (std::size_t i = 0; i < records.size(); ++i) {
    EXPECT_NE(records[i].find("\"kind\":\"access_change\""), std::string::npos) << records[i];
    EXPECT_NE(records[i].find("\"event\":\"" + events[i] + "\""), std::string::npos) << records[i];
    EXPECT_NE(records[i].find("\"subject\":\"user:" + std::to_string(u.info.id) + "\""),
              std::string::npos);
    EXPECT_EQ(records[i].find("dave"), std::string::npos) << "no login in records";
  }
  EXPECT_NE(records[1].find("\"actor\":\"cli:root\""), std::string::npos);
  EXPECT_NE(records[1].find("\"roles\":\"reviewer,auditor\""), std::string::npos);
}

TEST_F(UsersTest, TotpEnrolmentConfirmsOnceAndRefusesReplays) {
  const NewUser u = AddUser("erin", {"reviewer"});
  auto enrolment = users_->BeginTotp(u.info.id, auth::TotpAlgorithm::kSha1, "custos");
  ASSERT_TRUE(enrolment.has_value()) << enrolment.error().message();
  EXPECT_EQ(enrolment->otpauth_uri.rfind("otpauth://totp/custos:erin?", 0), 0u);
  EXPECT_EQ(users_->VerifyTotp(u.info.id, "123456").code(),
            core::StatusCode::kFailedPrecondition);  // not confirmed yet

  const std::string far = auth::TotpCode(enrolment->secret, auth::TotpAlgorithm::kSha1,
                                         auth::TotpStep(clock_.Now()) + 5);
  if (far != Code(*enrolment, clock_.Now())) {
    EXPECT_EQ(users_->ConfirmTotp(u.info.id, far, "user:1 (erin)").error().code(),
              core::StatusCode::kUnauthenticated);
  }
  auto codes = users_->ConfirmTotp(u.info.id, Code(*enrolment, clock_.Now()), "user:1 (erin)");
  ASSERT_TRUE(codes.has_value()) << codes.error().message();
  EXPECT_EQ(codes->size(), 10u);
  const UserInfo info = *users_->Get(u.info.id);
  EXPECT_TRUE(info.totp_enrolled);
  EXPECT_FALSE(info.must_enrol_2fa);
  EXPECT_EQ(info.recovery_codes_left, 10u);

  // The confirming code's step is used: the same code is a replay.
  const core::Status replay = users_->VerifyTotp(u.info.id, Code(*enrolment, clock_.Now()));
  EXPECT_EQ(replay.code(), core::StatusCode::kUnauthenticated);
  EXPECT_NE(replay.message().find("already used"), std::string::npos) << replay.message();
  clock_.Advance(30 * core::kMicrosPerSecond);
  const std::string next = Code(*enrolment, clock_.Now());
  EXPECT_TRUE(users_->VerifyTotp(u.info.id, next).ok());
  EXPECT_EQ(users_->VerifyTotp(u.info.id, next).code(), core::StatusCode::kUnauthenticated);

  // Recovery codes work once each.
  EXPECT_TRUE(users_->UseRecoveryCode(u.info.id, (*codes)[3]).ok());
  EXPECT_EQ(users_->UseRecoveryCode(u.info.id, (*codes)[3]).code(),
            core::StatusCode::kUnauthenticated);
  EXPECT_EQ(users_->Get(u.info.id)->recovery_codes_left, 9u);

  // A reset removes the factor and the codes.
  ASSERT_TRUE(users_->ResetTwoFactor(u.info.id, "cli:root").has_value());
  EXPECT_FALSE(users_->Get(u.info.id)->totp_enrolled);
  EXPECT_EQ(users_->UseRecoveryCode(u.info.id, (*codes)[4]).code(),
            core::StatusCode::kUnauthenticated);
}

TEST_F(UsersTest, SessionsStoreHashesExpireAndAreRevoked) {
  const NewUser u = AddUser("fay", {"auditor"});
  SessionPolicy policy;
  policy.idle = 60 * core::kMicrosPerSecond;
  policy.absolute = 300 * core::kMicrosPerSecond;
  auto session = users_->CreateSession(u.info.id, "192.0.2.7", "curl/8", policy);
  ASSERT_TRUE(session.has_value()) << session.error().message();
  EXPECT_EQ(session->session_id.rfind("css_", 0), 0u);
  auto found = users_->LookupSession(session->session_id);
  ASSERT_TRUE(found.has_value()) << found.error().message();
  EXPECT_EQ(found->user_id, u.info.id);
  EXPECT_EQ(found->remote_address, "192.0.2.7");
  EXPECT_TRUE(CsrfTokenMatches(*found, session->csrf_token));
  EXPECT_FALSE(CsrfTokenMatches(*found, ""));
  EXPECT_FALSE(CsrfTokenMatches(*found, session->session_id));
  EXPECT_EQ(users_->LookupSession("css_nope").error().code(), core::StatusCode::kUnauthenticated);

  // Touching moves the idle expiry; the absolute one still ends it.
  for (int i = 0; i < 4; ++i) {
    clock_.Advance(50 * core::kMicrosPerSecond);
    auto s = users_->LookupSession(session->session_id);
    ASSERT_TRUE(s.has_value()) << i << ": " << s.error().message();
    ASSERT_TRUE(users_->TouchSession(*s, policy).ok());
  }
  clock_.Advance(110 * core::kMicrosPerSecond);
  EXPECT_EQ(users_->LookupSession(session->session_id).error().message(), "session expired");

  auto second = users_->CreateSession(u.info.id, "192.0.2.8", "firefox", policy);
  ASSERT_TRUE(second.has_value());
  auto listed = users_->ListOwnSessions(u.info.id);
  ASSERT_TRUE(listed.has_value());
  ASSERT_EQ(listed->size(), 2u);
  EXPECT_EQ((*listed)[0].user_agent, "firefox");
  EXPECT_EQ(users_->RevokeSession(u.info.id + 1, second->info.id).code(),
            core::StatusCode::kNotFound);
  EXPECT_TRUE(users_->RevokeSession(u.info.id, second->info.id).ok());
  EXPECT_EQ(users_->LookupSession(second->session_id).error().message(), "session revoked");

  // Disabling a user ends their sessions.
  auto third = users_->CreateSession(u.info.id, "192.0.2.9", "x", policy);
  ASSERT_TRUE(third.has_value());
  ASSERT_TRUE(users_->Disable(u.info.id, "cli:root").has_value());
  EXPECT_FALSE(users_->LookupSession(third->session_id).has_value());
  EXPECT_EQ(users_->CreateSession(u.info.id, "", "", policy).error().code(),
            core::StatusCode::kPermissionDenied);
}

}  // namespace
}  // namespace custos::app
