// SPDX-License-Identifier: Apache-2.0
// Opening SQLite files: migrations from empty, reopening, refusing what this build can't read.
#include "storage/migrations.h"

#include <fstream>
#include <set>
#include <string>

#include <gtest/gtest.h>

#include "storage/sqlite/sqlite_database.h"
#include "testing/temp_dir.h"

namespace custos::storage {
namespace {

using core::StatusCode;

int LatestVersion() { return AllMigrations().back().version; }

std::unique_ptr<Database> OpenOrDie(const std::string& path, const SqliteOptions& options = {}) {
  auto db = OpenSqlite(path, options);
  EXPECT_TRUE(db.has_value()) << db.status().ToString();
  return db.has_value() ? std::move(db).value() : nullptr;
}

std::vector<Row> QueryOrDie(Database& db, std::string_view sql) {
  auto tx = db.Begin(TxMode::kRead);
  EXPECT_TRUE(tx.has_value()) << tx.status().ToString();
  auto rows = (*tx)->Query(sql);
  EXPECT_TRUE(rows.has_value()) << rows.status().ToString();
  return rows.has_value() ? *rows : std::vector<Row>{};
}

TEST(SqliteMigrations, AppliesAllMigrationsToAnEmptyFile) {
  testing::TempDir dir;
  auto db = OpenOrDie(dir.File("custos.db"));
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->dialect(), Dialect::kSqlite);
  EXPECT_EQ(db->SchemaVersion(), LatestVersion());

  const auto rows = QueryOrDie(*db,
                               "SELECT version, name, applied_at FROM schema_migrations "
                               "ORDER BY version");
  ASSERT_EQ(rows.size(), AllMigrations().size());
  for (std::size_t i = 0; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i].Int(0), AllMigrations()[i].version);
    EXPECT_EQ(rows[i].Text(1), AllMigrations()[i].name);
    EXPECT_GT(rows[i].Int(2), 0);
  }
}

TEST(SqliteMigrations, ReopenIsANoOp) {
  testing::TempDir dir;
  const std::string path = dir.File("custos.db");
  std::int64_t applied_at = 0;
  {
    auto db = OpenOrDie(path);
    ASSERT_NE(db, nullptr);
    applied_at =
        QueryOrDie(*db, "SELECT applied_at FROM schema_migrations WHERE version = 1").at(0).Int(0);
  }
  auto db = OpenOrDie(path);
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(db->SchemaVersion(), LatestVersion());
  const auto rows = QueryOrDie(*db, "SELECT count(*), min(applied_at) FROM schema_migrations");
  EXPECT_EQ(rows.at(0).Int(0), static_cast<std::int64_t>(AllMigrations().size()));
  EXPECT_EQ(rows.at(0).Int(1), applied_at);
}

TEST(SqliteMigrations, UsesWalModeAndForeignKeys) {
  testing::TempDir dir;
  auto db = OpenOrDie(dir.File("custos.db"));
  ASSERT_NE(db, nullptr);
  EXPECT_EQ(QueryOrDie(*db, "PRAGMA journal_mode").at(0).Text(0), "wal");
  EXPECT_EQ(QueryOrDie(*db, "PRAGMA foreign_keys").at(0).Int(0), 1);
  // 2 = FULL: every commit is synced.
  EXPECT_EQ(QueryOrDie(*db, "PRAGMA synchronous").at(0).Int(0), 2);
}

TEST(SqliteMigrations, CreatesEveryTableOfMigrationOne) {
  testing::TempDir dir;
  auto db = OpenOrDie(dir.File("custos.db"));
  ASSERT_NE(db, nullptr);
  std::set<std::string> names;
  for (const Row& row : QueryOrDie(*db, "SELECT name FROM sqlite_schema WHERE type = 'table'")) {
    names.insert(row.Text(0));
  }
  for (const char* table : {"schema_migrations", "settings", "api_tokens", "conversations",
                            "conversation_participants", "messages", "message_index"}) {
    EXPECT_TRUE(names.contains(table)) << table;
  }
  std::set<std::string> indexes;
  for (const Row& row : QueryOrDie(*db, "SELECT name FROM sqlite_schema WHERE type = 'index'")) {
    indexes.insert(row.Text(0));
  }
  for (const char* index : {"conversations_by_activity", "messages_by_conversation",
                            "messages_by_time", "messages_by_sender", "messages_by_target"}) {
    EXPECT_TRUE(indexes.contains(index)) << index;
  }
}

TEST(SqliteMigrations, RefusesASchemaNewerThanTheBuild) {
  testing::TempDir dir;
  const std::string path = dir.File("custos.db");
  {
    auto db = OpenOrDie(path);
    ASSERT_NE(db, nullptr);
    auto tx = db->Begin(TxMode::kWrite);
    ASSERT_TRUE(tx.has_value());
    ASSERT_TRUE((*tx)
                    ->Execute("INSERT INTO schema_migrations (version, name, applied_at) "
                              "VALUES (?, 'from the future', 0)",
                              {std::int64_t{LatestVersion() + 1}})
                    .ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  auto db = OpenSqlite(path);
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code(), StatusCode::kFailedPrecondition) << db.error().ToString();
  EXPECT_NE(db.error().message().find(std::to_string(LatestVersion() + 1)), std::string::npos);
}

TEST(SqliteMigrations, GarbageFileIsDataLoss) {
  testing::TempDir dir;
  const std::string path = dir.File("garbage.db");
  {
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < 1000; ++i) {
      out << "this is not a database, just some text that happens to be here\n";
    }
  }
  auto db = OpenSqlite(path);
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code(), StatusCode::kDataLoss) << db.error().ToString();
  EXPECT_NE(db.error().message().find(path), std::string::npos) << db.error().ToString();
}

}  // namespace
}  // namespace custos::storage
