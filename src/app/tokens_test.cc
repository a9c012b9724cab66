// SPDX-License-Identifier: Apache-2.0
// API tokens (app/tokens.h) on a real data directory: several roles, a scope, last use, and the
// access_change records of creation and revocation.
#include "app/tokens.h"

#include <filesystem>
#include <memory>

#include <gtest/gtest.h>

#include "app/access_records.h"
#include "archive/records.h"
#include "storage/sqlite/sqlite_database.h"
#include "testing/temp_dir.h"

namespace custos::app {
namespace {

class TokensTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::filesystem::create_directories(dir_.File("keys"));
    ASSERT_TRUE(crypto::KeyRing::LoadOrCreate(dir_.File("keys/keyring")).has_value());
    ASSERT_TRUE(storage::OpenSqlite(dir_.File("custos.db")).has_value());
  }

  testing::TempDir dir_;
};

TEST_F(TokensTest, CreatesATokenWithSeveralRolesAndAScope) {
  TokenRequest request;
  request.roles = {"reviewer, auditor"};
  request.name = "desk-a-review";
  request.scope_groups = {"Desk A"};
  request.actor = "cli:ops";
  auto created = CreateToken(dir_.Path(), request);
  ASSERT_TRUE(created.has_value()) << created.error().message();
  EXPECT_EQ(created->info.roles, (std::vector<std::string>{"reviewer", "auditor"}));

  auto store = OpenAccessStore(dir_.Path());
  ASSERT_TRUE(store.has_value());
  const core::Micros now = core::SystemClock().Now();
  auto info = VerifyToken(*store->db, created->token, now);
  ASSERT_TRUE(info.has_value()) << info.error().message();
  EXPECT_EQ(info->roles, created->info.roles);
  EXPECT_EQ(info->scope_groups, std::vector<std::string>{"Desk A"});
  EXPECT_EQ(info->created_by, "cli:ops");
  EXPECT_FALSE(info->last_used_at.has_value());

  // Last use is written at most once a minute.
  ASSERT_TRUE(TouchToken(*store->db, *info, now).ok());
  info = VerifyToken(*store->db, created->token, now);
  EXPECT_EQ(info->last_used_at, now);
  ASSERT_TRUE(TouchToken(*store->db, *info, now + 30 * core::kMicrosPerSecond).ok());
  EXPECT_EQ(VerifyToken(*store->db, created->token, now)->last_used_at, now);
  ASSERT_TRUE(TouchToken(*store->db, *info, now + 61 * core::kMicrosPerSecond).ok());
  EXPECT_EQ(VerifyToken(*store->db, created->token, now)->last_used_at,
            now + 61 * core::kMicrosPerSecond);

  auto revoked = RevokeToken(dir_.Path(), created->info.id, "cli:ops");
  ASSERT_TRUE(revoked.has_value());
  EXPECT_EQ(VerifyToken(*store->db, created->token, now).error().code(),
            core::StatusCode::kUnauthenticated);

  auto tx = store->db->Begin(storage::TxMode::kRead);
  auto first = archive::ReadCanonical(**tx, *store->keys, 1);
  auto second = archive::ReadCanonical(**tx, *store->keys, 2);
  ASSERT_TRUE(first.has_value() && second.has_value());
  EXPECT_NE(first->find("\"event\":\"token_created\""), std::string::npos) << *first;
  EXPECT_NE(first->find("\"roles\":\"reviewer,auditor\""), std::string::npos) << *first;
  EXPECT_NE(first->find("\"scope\":\"Desk A\""), std::string::npos) << *first;
  EXPECT_NE(second->find("\"event\":\"token_revoked\""), std::string::npos) << *second;
  EXPECT_EQ(first->find(created->token), std::string::npos);
}

TEST_F(TokensTest, RefusesBadRequestsNamingTheFieldAndWritesNothing) {
  const auto refuse = [&](TokenRequest r, const std::string& field) {
    auto created = CreateToken(dir_.Path(), r);
    ASSERT_FALSE(created.has_value()) << field;
    EXPECT_EQ(created.error().code(), core::StatusCode::kInvalidArgument);
    EXPECT_EQ(created.error().message().rfind(field, 0), 0u) << created.error().message();
  };
  refuse({{"root"}, "n", {}, std::nullopt, "cli:x"}, "role:");
  refuse({{"employee"}, "n", {}, std::nullopt, "cli:x"}, "role:");
  refuse({{"admin"}, "", {}, std::nullopt, "cli:x"}, "name:");
  refuse({{"admin"}, "n", {"a,,b"}, std::nullopt, "cli:x"}, "scope:");
  refuse({{"admin"}, "n", {}, core::Micros{1}, "cli:x"}, "expires:");
  auto listed = ListTokens(dir_.Path());
  ASSERT_TRUE(listed.has_value());
  EXPECT_TRUE(listed->empty());
}

}  // namespace
}  // namespace custos::app
