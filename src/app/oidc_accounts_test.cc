// SPDX-License-Identifier: Apache-2.0
// Single sign-on's users (app/oidc_accounts.h) over a real SQLite database and key ring:
// just-in-time provisioning, the (issuer, subject) link, role sync and the refusals.
#include "app/oidc_accounts.h"

#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "archive/records.h"
#include "storage/sqlite/sqlite_database.h"
#include "testing/fake_clock.h"
#include "testing/temp_dir.h"

namespace custos::app {
namespace {

constexpr const char* kIssuer = "https://login.example.com/tenant";

class OidcAccountsTest : public ::testing::Test {
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
    accounts_ = std::make_unique<OidcAccounts>(db_.get(), keys_.get(), &clock_);
  }

  static oidc::OidcIdentity Identity(std::string subject, std::string login,
                                     std::vector<std::string> roles) {
    oidc::OidcIdentity id;
    id.issuer = kIssuer;
    id.subject = std::move(subject);
    id.email = login;
    id.email_verified = true;
    id.name = "Ada Lovelace";
    id.login = std::move(login);
    id.roles = std::move(roles);
    return id;
  }

  // The canonical bodies of the log's records, in order.
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

  testing::TempDir dir_;
  testing::FakeClock clock_;
  std::unique_ptr<crypto::KeyRing> keys_;
  std::unique_ptr<storage::Database> db_;
  std::unique_ptr<Users> users_;
  std::unique_ptr<OidcAccounts> accounts_;
};

TEST_F(OidcAccountsTest, AFirstSignInProvisionsALinkedUserWithoutASecondFactor) {
  auto user = accounts_->SignIn(Identity("sub-1", "ada@example.com", {"compliance_officer"}));
  ASSERT_TRUE(user.has_value()) << user.error().message();
  EXPECT_EQ(user->login, "ada@example.com");
  EXPECT_EQ(user->display_name, "Ada Lovelace");
  EXPECT_EQ(user->email, "ada@example.com");
  EXPECT_EQ(user->roles, std::vector<std::string>{"compliance_officer"});
  EXPECT_EQ(user->state, UserState::kActive);
  EXPECT_FALSE(user->must_enrol_2fa);  // the provider is the second factor
  EXPECT_EQ(user->created_by, std::string("oidc:") + kIssuer);
  // The same identity signs in as the same user, and writes nothing when nothing changed.
  const std::size_t records = Records().size();
  auto again = accounts_->SignIn(Identity("sub-1", "ada@example.com", {"compliance_officer"}));
  ASSERT_TRUE(again.has_value()) << again.error().message();
  EXPECT_EQ(again->id, user->id);
  EXPECT_EQ(Records().size(), records);
  auto listed = users_->List();
  ASSERT_TRUE(listed.has_value());
  EXPECT_EQ(listed->size(), 1u);
}

TEST_F(OidcAccountsTest, TheUserIsFoundBySubjectNotByLoginAndGetsTheProvidersRoles) {
  auto user = accounts_->SignIn(Identity("sub-1", "ada@example.com", {"reviewer"}));
  ASSERT_TRUE(user.has_value()) << user.error().message();
  // The provider renamed her and changed her groups: same subject, same user, new roles.
  auto moved = accounts_->SignIn(Identity("sub-1", "ada.l@example.com", {"auditor", "reviewer"}));
  ASSERT_TRUE(moved.has_value()) << moved.error().message();
  EXPECT_EQ(moved->id, user->id);
  EXPECT_EQ(moved->login, "ada@example.com");  // the login is set once, at provisioning
  EXPECT_EQ(moved->roles, (std::vector<std::string>{"reviewer", "auditor"}));
  const std::vector<std::string> records = Records();
  ASSERT_FALSE(records.empty());
  EXPECT_NE(records.back().find("\"event\":\"roles_set\""), std::string::npos) << records.back();
  EXPECT_NE(records.back().find(std::string("\"actor\":\"oidc:") + kIssuer + "\""),
            std::string::npos)
      << records.back();
}

TEST_F(OidcAccountsTest, AnotherSubjectWithATakenLoginIsRefusedNotLinked) {
  ASSERT_TRUE(accounts_->SignIn(Identity("sub-1", "ada@example.com", {"reviewer"})).has_value());
  auto other = accounts_->SignIn(Identity("sub-2", "ada@example.com", {"admin"}));
  ASSERT_FALSE(other.has_value());
  EXPECT_EQ(other.error().code(), core::StatusCode::kFailedPrecondition) << other.error().message();
  // A local (password) user's login is never taken over by single sign-on either.
  NewUserRequest local;
  local.login = "bob@example.com";
  local.roles = {"auditor"};
  ASSERT_TRUE(users_->Add(local, "cli:root").has_value());
  auto bob = accounts_->SignIn(Identity("sub-3", "bob@example.com", {"admin"}));
  ASSERT_FALSE(bob.has_value());
  EXPECT_EQ(bob.error().code(), core::StatusCode::kFailedPrecondition) << bob.error().message();
  EXPECT_EQ(users_->FindByLogin("bob@example.com")->roles, std::vector<std::string>{"auditor"});
}

TEST_F(OidcAccountsTest, ADisabledUserIsRefused) {
  auto user = accounts_->SignIn(Identity("sub-1", "ada@example.com", {"reviewer"}));
  ASSERT_TRUE(user.has_value()) << user.error().message();
  ASSERT_TRUE(users_->Disable(user->id, "cli:root").has_value());
  auto refused = accounts_->SignIn(Identity("sub-1", "ada@example.com", {"admin"}));
  ASSERT_FALSE(refused.has_value());
  EXPECT_EQ(refused.error().code(), core::StatusCode::kPermissionDenied);
  EXPECT_EQ(users_->Get(user->id)->roles, std::vector<std::string>{"reviewer"});  // unchanged
}

TEST_F(OidcAccountsTest, ANewUserNeedsAUsableLoginClaim) {
  auto none = accounts_->SignIn(Identity("sub-1", "", {"reviewer"}));
  ASSERT_FALSE(none.has_value());
  EXPECT_EQ(none.error().code(), core::StatusCode::kPermissionDenied);
  auto bad = accounts_->SignIn(Identity("sub-1", "ada lovelace", {"reviewer"}));
  ASSERT_FALSE(bad.has_value());
  EXPECT_EQ(bad.error().code(), core::StatusCode::kPermissionDenied);
  EXPECT_TRUE(users_->List()->empty());
  // A role a user may not hold (the role map is checked at startup; this is the store's check).
  auto device = accounts_->SignIn(Identity("sub-1", "ada@example.com", {"device"}));
  ASSERT_FALSE(device.has_value());
  EXPECT_EQ(device.error().code(), core::StatusCode::kInvalidArgument);
}

TEST_F(OidcAccountsTest, ALoginOnlyClaimWithoutAnEmailProvisionsWithoutAnEmail) {
  oidc::OidcIdentity id = Identity("sub-9", "ada.l", {"reviewer"});
  id.email = "not an address";
  id.name = std::string(300, 'x');  // too long for a display name: the login is used
  auto user = accounts_->SignIn(id);
  ASSERT_TRUE(user.has_value()) << user.error().message();
  EXPECT_EQ(user->email, "");
  EXPECT_EQ(user->display_name, "ada.l");
}

}  // namespace
}  // namespace custos::app
