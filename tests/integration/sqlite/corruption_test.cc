// SPDX-License-Identifier: Apache-2.0
// Damaged or missing SQLite files: the adapter reports kDataLoss (naming the file) or
// kUnavailable, and never silently works around the damage.
#include <fstream>
#include <string>

#include <gtest/gtest.h>

#include "storage/sqlite/sqlite_database.h"
#include "testing/temp_dir.h"

namespace custos::storage {
namespace {

using core::StatusCode;

// A migrated database with a table `kv` of a few hundred rows; returns the byte range of the
// first page of `kv`'s b-tree.
struct PageRange {
  std::int64_t offset = 0;
  std::int64_t size = 0;
};

PageRange MakeDatabaseWithTable(const std::string& path) {
  auto db = OpenSqlite(path);
  EXPECT_TRUE(db.has_value()) << db.status().ToString();
  if (!db.has_value()) {
    return {};
  }
  auto tx = (*db)->Begin(TxMode::kWrite);
  EXPECT_TRUE(tx.has_value());
  EXPECT_TRUE((*tx)->Execute("CREATE TABLE kv (k INTEGER PRIMARY KEY, v TEXT)").ok());
  for (int i = 0; i < 300; ++i) {
    EXPECT_TRUE((*tx)
                    ->Execute("INSERT INTO kv (v) VALUES (?)",
                              {std::string(100, static_cast<char>('a' + i % 26))})
                    .ok());
  }
  auto rows = (*tx)->Query(
      "SELECT rootpage, (SELECT page_size FROM pragma_page_size) FROM sqlite_schema "
      "WHERE name = 'kv'");
  EXPECT_TRUE(rows.has_value()) << rows.status().ToString();
  EXPECT_TRUE((*tx)->Commit().ok());
  const std::int64_t page = rows->at(0).Int(0);
  const std::int64_t page_size = rows->at(0).Int(1);
  // Closing the last connection checkpoints the WAL into the main file.
  return {(page - 1) * page_size, page_size};
}

void Overwrite(const std::string& path, PageRange range) {
  std::fstream file(path, std::ios::binary | std::ios::in | std::ios::out);
  ASSERT_TRUE(file.good());
  file.seekp(range.offset);
  file << std::string(static_cast<std::size_t>(range.size), '\xab');
  ASSERT_TRUE(file.good());
}

TEST(SqliteCorruption, DamagedTableIsDataLossWhenRead) {
  testing::TempDir dir;
  const std::string path = dir.File("custos.db");
  Overwrite(path, MakeDatabaseWithTable(path));

  auto db = OpenSqlite(path);
  ASSERT_TRUE(db.has_value()) << db.status().ToString();
  auto tx = (*db)->Begin(TxMode::kRead);
  ASSERT_TRUE(tx.has_value());
  auto rows = (*tx)->Query("SELECT count(*), max(length(v)) FROM kv");
  ASSERT_FALSE(rows.has_value());
  EXPECT_EQ(rows.error().code(), StatusCode::kDataLoss) << rows.error().ToString();
  EXPECT_NE(rows.error().message().find(path), std::string::npos) << rows.error().ToString();
}

TEST(SqliteCorruption, VerifyOnOpenFindsADamagedTable) {
  testing::TempDir dir;
  const std::string path = dir.File("custos.db");
  Overwrite(path, MakeDatabaseWithTable(path));

  auto db = OpenSqlite(path, SqliteOptions{.verify_on_open = true});
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code(), StatusCode::kDataLoss) << db.error().ToString();
  EXPECT_NE(db.error().message().find(path), std::string::npos) << db.error().ToString();
}

TEST(SqliteCorruption, VerifyOnOpenAcceptsAHealthyFile) {
  testing::TempDir dir;
  const std::string path = dir.File("custos.db");
  MakeDatabaseWithTable(path);
  auto db = OpenSqlite(path, SqliteOptions{.verify_on_open = true});
  EXPECT_TRUE(db.has_value()) << db.status().ToString();
}

TEST(SqliteCorruption, TruncatedHeaderIsDataLoss) {
  testing::TempDir dir;
  const std::string path = dir.File("custos.db");
  MakeDatabaseWithTable(path);
  Overwrite(path, {0, 16});  // the "SQLite format 3" magic
  auto db = OpenSqlite(path);
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code(), StatusCode::kDataLoss) << db.error().ToString();
}

TEST(SqliteOpen, MissingDirectoryIsUnavailable) {
  testing::TempDir dir;
  auto db = OpenSqlite(dir.File("no/such/dir/custos.db"));
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code(), StatusCode::kUnavailable) << db.error().ToString();
}

TEST(SqliteOpen, ReadOnlyDoesNotCreateAFile) {
  testing::TempDir dir;
  auto db = OpenSqlite(dir.File("custos.db"), SqliteOptions{.read_only = true});
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code(), StatusCode::kUnavailable) << db.error().ToString();
  EXPECT_FALSE(std::ifstream(dir.File("custos.db")).good());
}

TEST(SqliteOpen, ReadOnlyOpensAClosedDatabase) {
  testing::TempDir dir;
  const std::string path = dir.File("custos.db");
  MakeDatabaseWithTable(path);
  auto db = OpenSqlite(path, SqliteOptions{.read_only = true});
  ASSERT_TRUE(db.has_value()) << db.status().ToString();
  auto tx = (*db)->Begin(TxMode::kRead);
  ASSERT_TRUE(tx.has_value()) << tx.status().ToString();
  auto rows = (*tx)->Query("SELECT count(*) FROM kv");
  ASSERT_TRUE(rows.has_value()) << rows.status().ToString();
  EXPECT_EQ(rows->at(0).Int(0), 300);
}

TEST(SqliteOpen, ReadOnlyRefusesADatabaseThatNeedsMigrating) {
  testing::TempDir dir;
  const std::string path = dir.File("custos.db");
  {
    auto db = OpenSqlite(path);
    ASSERT_TRUE(db.has_value());
    auto tx = (*db)->Begin(TxMode::kWrite);
    ASSERT_TRUE(tx.has_value());
    ASSERT_TRUE((*tx)->Execute("DELETE FROM schema_migrations").ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  auto db = OpenSqlite(path, SqliteOptions{.read_only = true});
  ASSERT_FALSE(db.has_value());
  EXPECT_EQ(db.error().code(), StatusCode::kFailedPrecondition) << db.error().ToString();
}

}  // namespace
}  // namespace custos::storage
