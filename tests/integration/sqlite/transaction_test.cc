// SPDX-License-Identifier: Apache-2.0
// Transactions on one SQLite Database: commit, rollback, values, errors.
#include <string>

#include <gtest/gtest.h>

#include "storage/sqlite/sqlite_database.h"
#include "testing/temp_dir.h"

namespace custos::storage {
namespace {

using core::StatusCode;

class SqliteTransactionTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto db = OpenSqlite(dir_.File("custos.db"));
    ASSERT_TRUE(db.has_value()) << db.status().ToString();
    db_ = std::move(db).value();
    auto tx = Write();
    ASSERT_TRUE(tx->Execute("CREATE TABLE kv (k TEXT PRIMARY KEY, v BLOB, n INTEGER, "
                            "r REAL, CHECK (n IS NULL OR n >= 0))")
                    .ok());
    ASSERT_TRUE(tx->Commit().ok());
  }

  std::unique_ptr<Transaction> Write() { return BeginOrDie(TxMode::kWrite); }

  std::unique_ptr<Transaction> Read() { return BeginOrDie(TxMode::kRead); }

  std::unique_ptr<Transaction> BeginOrDie(TxMode mode) {
    auto tx = db_->Begin(mode);
    EXPECT_TRUE(tx.has_value()) << tx.status().ToString();
    return tx.has_value() ? std::move(tx).value() : nullptr;
  }

  std::int64_t Count() {
    auto rows = Read()->Query("SELECT count(*) FROM kv");
    EXPECT_TRUE(rows.has_value());
    return rows.has_value() ? rows->at(0).Int(0) : -1;
  }

  testing::TempDir dir_;
  std::unique_ptr<Database> db_;
};

TEST_F(SqliteTransactionTest, CommittedWritesAreVisible) {
  auto tx = Write();
  ASSERT_TRUE(
      tx->Execute("INSERT INTO kv (k, n) VALUES (?, ?)", {std::string("a"), std::int64_t{1}}).ok());
  ASSERT_TRUE(tx->Commit().ok());
  EXPECT_EQ(Count(), 1);
}

TEST_F(SqliteTransactionTest, UncommittedTransactionRollsBack) {
  {
    auto tx = Write();
    ASSERT_TRUE(tx->Execute("INSERT INTO kv (k) VALUES ('a')").ok());
  }
  EXPECT_EQ(Count(), 0);
  auto tx = Write();
  ASSERT_TRUE(tx->Execute("INSERT INTO kv (k) VALUES ('b')").ok());
  tx->Rollback();
  EXPECT_EQ(Count(), 0);
}

TEST_F(SqliteTransactionTest, UniqueViolationIsAlreadyExists) {
  auto tx = Write();
  ASSERT_TRUE(tx->Execute("INSERT INTO kv (k) VALUES (?)", {std::string("secret-key")}).ok());
  const core::Status status =
      tx->Execute("INSERT INTO kv (k) VALUES (?)", {std::string("secret-key")});
  EXPECT_EQ(status.code(), StatusCode::kAlreadyExists) << status.ToString();
  EXPECT_NE(status.message().find("INSERT INTO kv"), std::string::npos) << status.ToString();
  EXPECT_EQ(status.message().find("secret-key"), std::string::npos) << status.ToString();
  // The transaction stays usable after a failed statement.
  EXPECT_TRUE(tx->Execute("INSERT INTO kv (k) VALUES ('other')").ok());
  EXPECT_TRUE(tx->Commit().ok());
  EXPECT_EQ(Count(), 2);
}

TEST_F(SqliteTransactionTest, OtherConstraintViolationIsInvalidArgument) {
  auto tx = Write();
  const core::Status status = tx->Execute("INSERT INTO kv (k, n) VALUES ('a', -1)");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.ToString();
  const core::Status not_null =
      tx->Execute("INSERT INTO messages (idem_hash, conversation_id) VALUES (x'00', 1)");
  EXPECT_EQ(not_null.code(), StatusCode::kInvalidArgument) << not_null.ToString();
}

TEST_F(SqliteTransactionTest, BlobRoundTripKeepsEmbeddedNuls) {
  std::string bytes("\0\x01\xff\0tail\0", 9);
  auto tx = Write();
  ASSERT_TRUE(
      tx->Execute("INSERT INTO kv (k, v) VALUES ('a', ?), ('empty', ?)", {Blob{bytes}, Blob{}})
          .ok());
  ASSERT_TRUE(tx->Commit().ok());
  auto rows = Read()->Query("SELECT v, typeof(v), length(v) FROM kv ORDER BY k");
  ASSERT_TRUE(rows.has_value());
  ASSERT_EQ(rows->size(), 2U);
  EXPECT_EQ(rows->at(0).Text(0), bytes);
  EXPECT_TRUE(std::holds_alternative<Blob>(rows->at(0).Get(0)));
  EXPECT_EQ(rows->at(0).Text(1), "blob");
  EXPECT_EQ(rows->at(0).Int(2), 9);
  // An empty blob is a blob, not NULL.
  EXPECT_EQ(rows->at(1).Text(1), "blob");
  EXPECT_FALSE(rows->at(1).IsNull(0));
}

TEST_F(SqliteTransactionTest, BindsAndReadsEveryValueType) {
  auto tx = Write();
  ASSERT_TRUE(
      tx->Execute("INSERT INTO kv (k, v, n, r) VALUES (?, ?, ?, ?)",
                  {std::string("t\xc3\xa9xt"), std::monostate{}, std::int64_t{INT64_MAX}, 0.25})
          .ok());
  auto rows = tx->Query("SELECT k, v, n, r FROM kv");
  ASSERT_TRUE(rows.has_value());
  const Row& row = rows->at(0);
  EXPECT_EQ(row.Text(0), "t\xc3\xa9xt");
  EXPECT_TRUE(std::holds_alternative<std::string>(row.Get(0)));
  EXPECT_TRUE(row.IsNull(1));
  EXPECT_EQ(row.Int(2), INT64_MAX);
  EXPECT_DOUBLE_EQ(row.Real(3), 0.25);
}

TEST_F(SqliteTransactionTest, QueryEachStopsWhenTheCallbackSaysSo) {
  auto tx = Write();
  for (int i = 0; i < 10; ++i) {
    ASSERT_TRUE(
        tx->Execute("INSERT INTO kv (k, n) VALUES (?, ?)", {std::to_string(i), std::int64_t{i}})
            .ok());
  }
  std::vector<std::int64_t> seen;
  ASSERT_TRUE(tx->QueryEach("SELECT n FROM kv ORDER BY n", {}, [&](const Row& row) {
                  seen.push_back(row.Int(0));
                  return seen.size() < 3;
                }).ok());
  EXPECT_EQ(seen, (std::vector<std::int64_t>{0, 1, 2}));
  // The statement was reset: running it again starts from the first row.
  seen.clear();
  ASSERT_TRUE(tx->QueryEach("SELECT n FROM kv ORDER BY n", {}, [&](const Row& row) {
                  seen.push_back(row.Int(0));
                  return true;
                }).ok());
  EXPECT_EQ(seen.size(), 10U);
}

TEST_F(SqliteTransactionTest, NestedQueryWithTheSameTextWorks) {
  auto tx = Write();
  ASSERT_TRUE(tx->Execute("INSERT INTO kv (k) VALUES ('a'), ('b')").ok());
  int inner_rows = 0;
  ASSERT_TRUE(tx->QueryEach("SELECT k FROM kv", {}, [&](const Row&) {
                  auto rows = tx->Query("SELECT k FROM kv");
                  EXPECT_TRUE(rows.has_value());
                  inner_rows += static_cast<int>(rows->size());
                  return true;
                }).ok());
  EXPECT_EQ(inner_rows, 4);
}

TEST_F(SqliteTransactionTest, FailedCommitLeavesTheTransactionRolledBack) {
  {
    auto tx = Write();
    ASSERT_TRUE(tx->Execute("CREATE TABLE child (parent TEXT REFERENCES kv (k) "
                            "DEFERRABLE INITIALLY DEFERRED)")
                    .ok());
    ASSERT_TRUE(tx->Commit().ok());
  }
  auto tx = Write();
  ASSERT_TRUE(tx->Execute("INSERT INTO kv (k) VALUES ('kept out')").ok());
  // A deferred foreign key is checked only at COMMIT, which then fails.
  ASSERT_TRUE(tx->Execute("INSERT INTO child (parent) VALUES ('missing')").ok());
  const core::Status status = tx->Commit();
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.ToString();
  EXPECT_EQ(tx->Execute("SELECT 1").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(Count(), 0);
  // The write lock was released: a new write transaction begins at once.
  auto next = Write();
  ASSERT_NE(next, nullptr);
  EXPECT_TRUE(next->Execute("INSERT INTO kv (k) VALUES ('next')").ok());
  EXPECT_TRUE(next->Commit().ok());
  EXPECT_EQ(Count(), 1);
}

TEST_F(SqliteTransactionTest, ManyDistinctStatementsBeyondTheCacheStillWork) {
  auto tx = Write();
  for (int i = 0; i < 400; ++i) {
    const std::string sql = "INSERT INTO kv (k, n) VALUES (?, " + std::to_string(i) + ")";
    ASSERT_TRUE(tx->Execute(sql, {std::to_string(i)}).ok()) << i;
  }
  // Cached and uncached statements alike run again correctly.
  auto rows = tx->Query("SELECT count(*) FROM kv WHERE n = ?", {std::int64_t{399}});
  ASSERT_TRUE(rows.has_value());
  EXPECT_EQ(rows->at(0).Int(0), 1);
  EXPECT_EQ(tx->Execute("INSERT INTO kv (k, n) VALUES (?, 399)", {std::string("399")}).code(),
            StatusCode::kAlreadyExists);
  ASSERT_TRUE(tx->Commit().ok());
  EXPECT_EQ(Count(), 400);
}

TEST_F(SqliteTransactionTest, FinishedTransactionRefusesFurtherUse) {
  auto tx = Write();
  ASSERT_TRUE(tx->Commit().ok());
  EXPECT_EQ(tx->Execute("SELECT 1").code(), StatusCode::kFailedPrecondition);
  EXPECT_EQ(tx->Commit().code(), StatusCode::kFailedPrecondition);
  tx->Rollback();  // harmless
}

TEST_F(SqliteTransactionTest, WrongParameterCountIsInvalidArgument) {
  auto tx = Write();
  EXPECT_EQ(tx->Execute("INSERT INTO kv (k) VALUES (?)").code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(tx->Execute("INSERT INTO kv (k) VALUES ('a')", {std::int64_t{1}}).code(),
            StatusCode::kInvalidArgument);
}

TEST_F(SqliteTransactionTest, MoreThanOneStatementIsInvalidArgument) {
  auto tx = Write();
  EXPECT_EQ(tx->Execute("INSERT INTO kv (k) VALUES ('a'); DELETE FROM kv").code(),
            StatusCode::kInvalidArgument);
  EXPECT_TRUE(tx->Execute("INSERT INTO kv (k) VALUES ('a');  ").ok());
}

TEST_F(SqliteTransactionTest, SyntaxErrorIsInternalAndNamesTheStatement) {
  auto tx = Write();
  const core::Status status = tx->Execute("SELEKT * FROM kv");
  EXPECT_EQ(status.code(), StatusCode::kInternal);
  EXPECT_NE(status.message().find("SELEKT"), std::string::npos) << status.ToString();
}

TEST_F(SqliteTransactionTest, ReadTransactionCannotWrite) {
  auto tx = Read();
  const core::Status status = tx->Execute("INSERT INTO kv (k) VALUES ('a')");
  EXPECT_FALSE(status.ok());
  EXPECT_EQ(Count(), 0);
}

TEST_F(SqliteTransactionTest, ForeignKeysAreEnforced) {
  auto tx = Write();
  const core::Status status = tx->Execute(
      "INSERT INTO conversation_participants "
      "(conversation_id, identity_hash, key_version, wrapped_key, payload) "
      "VALUES (999, x'01', 1, x'02', x'03')");
  EXPECT_EQ(status.code(), StatusCode::kInvalidArgument) << status.ToString();
}

}  // namespace
}  // namespace custos::storage
