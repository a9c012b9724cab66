// SPDX-License-Identifier: Apache-2.0
// Concurrency on SQLite files: snapshots, the write lock, and two Database objects on one file
// (as a server and a CLI import in two processes would have).
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "storage/sqlite/sqlite_database.h"
#include "testing/temp_dir.h"

namespace custos::storage {
namespace {

using core::StatusCode;

std::unique_ptr<Database> OpenOrDie(const std::string& path, const SqliteOptions& options = {}) {
  auto db = OpenSqlite(path, options);
  EXPECT_TRUE(db.has_value()) << db.status().ToString();
  return db.has_value() ? std::move(db).value() : nullptr;
}

std::unique_ptr<Transaction> BeginOrDie(Database& db, TxMode mode) {
  auto tx = db.Begin(mode);
  EXPECT_TRUE(tx.has_value()) << tx.status().ToString();
  return tx.has_value() ? std::move(tx).value() : nullptr;
}

std::int64_t Count(Transaction& tx) {
  auto rows = tx.Query("SELECT count(*) FROM t");
  EXPECT_TRUE(rows.has_value()) << rows.status().ToString();
  return rows.has_value() ? rows->at(0).Int(0) : -1;
}

void CreateTable(Database& db) {
  auto tx = BeginOrDie(db, TxMode::kWrite);
  ASSERT_TRUE(tx->Execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, who TEXT)").ok());
  ASSERT_TRUE(tx->Commit().ok());
}

TEST(SqliteConcurrency, ReaderSeesASnapshotWhileAWriterWrites) {
  testing::TempDir dir;
  auto db = OpenOrDie(dir.File("custos.db"));
  ASSERT_NE(db, nullptr);
  CreateTable(*db);

  auto reader = BeginOrDie(*db, TxMode::kRead);
  {
    auto writer = BeginOrDie(*db, TxMode::kWrite);
    ASSERT_TRUE(writer->Execute("INSERT INTO t (who) VALUES ('w')").ok());
    EXPECT_EQ(Count(*reader), 0);  // uncommitted
    ASSERT_TRUE(writer->Commit().ok());
  }
  // Committed after the snapshot began: still invisible to it.
  EXPECT_EQ(Count(*reader), 0);
  reader->Rollback();
  EXPECT_EQ(Count(*BeginOrDie(*db, TxMode::kRead)), 1);
}

TEST(SqliteConcurrency, SnapshotIsTakenAtBegin) {
  testing::TempDir dir;
  auto db = OpenOrDie(dir.File("custos.db"));
  ASSERT_NE(db, nullptr);
  CreateTable(*db);
  auto reader = BeginOrDie(*db, TxMode::kRead);  // no query yet
  {
    auto writer = BeginOrDie(*db, TxMode::kWrite);
    ASSERT_TRUE(writer->Execute("INSERT INTO t (who) VALUES ('w')").ok());
    ASSERT_TRUE(writer->Commit().ok());
  }
  EXPECT_EQ(Count(*reader), 0);
}

TEST(SqliteConcurrency, ReaderConnectionsAreReusedWithAFreshSnapshot) {
  testing::TempDir dir;
  auto db = OpenOrDie(dir.File("custos.db"));
  ASSERT_NE(db, nullptr);
  CreateTable(*db);
  for (int i = 0; i < 5; ++i) {
    auto reader = BeginOrDie(*db, TxMode::kRead);
    EXPECT_EQ(Count(*reader), i);
    reader.reset();
    auto writer = BeginOrDie(*db, TxMode::kWrite);
    ASSERT_TRUE(writer->Execute("INSERT INTO t (who) VALUES ('w')").ok());
    ASSERT_TRUE(writer->Commit().ok());
  }
}

TEST(SqliteConcurrency, ManyFirstOpensOfOneNewFileMigrateOnce) {
  testing::TempDir dir;
  const std::string path = dir.File("custos.db");
  constexpr int kOpeners = 4;
  std::vector<std::unique_ptr<Database>> dbs(kOpeners);
  std::vector<std::thread> threads;
  for (int i = 0; i < kOpeners; ++i) {
    threads.emplace_back([&, i] { dbs[static_cast<std::size_t>(i)] = OpenOrDie(path); });
  }
  for (auto& thread : threads) {
    thread.join();
  }
  for (const auto& db : dbs) {
    ASSERT_NE(db, nullptr);
    EXPECT_EQ(db->SchemaVersion(), dbs[0]->SchemaVersion());
  }
  auto rows = BeginOrDie(*dbs[0], TxMode::kRead)
                  ->Query(
                      "SELECT version, count(*) FROM schema_migrations GROUP BY version "
                      "HAVING count(*) > 1");
  ASSERT_TRUE(rows.has_value());
  EXPECT_TRUE(rows->empty());
}

TEST(SqliteConcurrency, ReadersRunWhileAWriteTransactionIsOpen) {
  testing::TempDir dir;
  auto db = OpenOrDie(dir.File("custos.db"));
  ASSERT_NE(db, nullptr);
  CreateTable(*db);
  auto writer = BeginOrDie(*db, TxMode::kWrite);
  std::vector<std::unique_ptr<Transaction>> readers;
  for (int i = 0; i < 3; ++i) {
    readers.push_back(BeginOrDie(*db, TxMode::kRead));
    EXPECT_EQ(Count(*readers.back()), 0);
  }
}

TEST(SqliteConcurrency, MoreReadersThanThePoolKeepsAllWork) {
  testing::TempDir dir;
  auto db = OpenOrDie(dir.File("custos.db"));
  ASSERT_NE(db, nullptr);
  CreateTable(*db);
  for (int round = 0; round < 3; ++round) {
    std::vector<std::unique_ptr<Transaction>> readers;
    for (int i = 0; i < 20; ++i) {
      readers.push_back(BeginOrDie(*db, TxMode::kRead));
      ASSERT_NE(readers.back(), nullptr);
      EXPECT_EQ(Count(*readers.back()), round);
    }
    readers.clear();
    auto writer = BeginOrDie(*db, TxMode::kWrite);
    ASSERT_TRUE(writer->Execute("INSERT INTO t (who) VALUES ('w')").ok());
    ASSERT_TRUE(writer->Commit().ok());
  }
}

TEST(SqliteConcurrency, SecondWriterWaitsForTheFirst) {
  testing::TempDir dir;
  auto db = OpenOrDie(dir.File("custos.db"));
  ASSERT_NE(db, nullptr);
  CreateTable(*db);

  auto first = BeginOrDie(*db, TxMode::kWrite);
  ASSERT_TRUE(first->Execute("INSERT INTO t (who) VALUES ('first')").ok());
  std::atomic<bool> second_began{false};
  std::thread other([&] {
    auto second = BeginOrDie(*db, TxMode::kWrite);
    second_began = true;
    // It began after the first committed, so it sees the first's row.
    EXPECT_EQ(Count(*second), 1);
    EXPECT_TRUE(second->Execute("INSERT INTO t (who) VALUES ('second')").ok());
    EXPECT_TRUE(second->Commit().ok());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(second_began.load());
  ASSERT_TRUE(first->Commit().ok());
  other.join();
  EXPECT_TRUE(second_began.load());
  EXPECT_EQ(Count(*BeginOrDie(*db, TxMode::kRead)), 2);
}

TEST(SqliteConcurrency, WriterGivesUpAfterTheBusyTimeout) {
  testing::TempDir dir;
  auto db = OpenOrDie(dir.File("custos.db"), SqliteOptions{.busy_timeout_ms = 100});
  ASSERT_NE(db, nullptr);
  auto first = BeginOrDie(*db, TxMode::kWrite);
  std::thread other([&] {
    auto second = db->Begin(TxMode::kWrite);
    ASSERT_FALSE(second.has_value());
    EXPECT_EQ(second.error().code(), StatusCode::kUnavailable);
  });
  other.join();
}

// A thread committing write transactions back to back (an import) must not starve another
// writer (the log checkpointer): the write lock goes in arrival order.
TEST(SqliteConcurrency, AWriterInALoopDoesNotStarveAnother) {
  testing::TempDir dir;
  auto db = OpenOrDie(dir.File("custos.db"), SqliteOptions{.busy_timeout_ms = 500});
  ASSERT_NE(db, nullptr);
  CreateTable(*db);
  std::atomic<bool> stop{false};
  std::atomic<int> loops{0};
  std::thread hog([&] {
    while (!stop) {
      auto tx = db->Begin(TxMode::kWrite);
      ASSERT_TRUE(tx.has_value()) << tx.error().ToString();
      ASSERT_TRUE((*tx)->Execute("INSERT INTO t (who) VALUES ('hog')").ok());
      std::this_thread::sleep_for(std::chrono::milliseconds(2));  // work inside the lock
      ASSERT_TRUE((*tx)->Commit().ok());
      ++loops;
    }
  });
  while (loops < 3) {
    std::this_thread::yield();
  }
  for (int i = 0; i < 20; ++i) {
    auto tx = db->Begin(TxMode::kWrite);
    ASSERT_TRUE(tx.has_value()) << "attempt " << i << ": " << tx.error().ToString();
    ASSERT_TRUE((*tx)->Execute("INSERT INTO t (who) VALUES ('other')").ok());
    ASSERT_TRUE((*tx)->Commit().ok());
  }
  stop = true;
  hog.join();
  EXPECT_EQ(Count(*BeginOrDie(*db, TxMode::kRead)), loops + 20);
}

// The lock goes to the writer that waited, not back to the one that just released it.
TEST(SqliteConcurrency, TheWaitingWriterGoesBeforeTheOneThatJustCommitted) {
  testing::TempDir dir;
  auto db = OpenOrDie(dir.File("custos.db"));
  ASSERT_NE(db, nullptr);
  CreateTable(*db);
  auto first = BeginOrDie(*db, TxMode::kWrite);
  std::atomic<int> order{0};
  int waiter_turn = 0;
  std::thread waiter([&] {
    auto tx = BeginOrDie(*db, TxMode::kWrite);
    waiter_turn = ++order;
    EXPECT_TRUE(tx->Commit().ok());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(200));  // the waiter is queued
  ASSERT_TRUE(first->Commit().ok());
  auto again = BeginOrDie(*db, TxMode::kWrite);  // straight back, as an import loop does
  const int again_turn = ++order;
  ASSERT_TRUE(again->Commit().ok());
  waiter.join();
  EXPECT_EQ(waiter_turn, 1);
  EXPECT_EQ(again_turn, 2);
}

// A waiter that times out gives its turn away: the writers behind it still get the lock.
TEST(SqliteConcurrency, ATimedOutWaiterDoesNotBlockTheQueue) {
  testing::TempDir dir;
  auto db = OpenOrDie(dir.File("custos.db"), SqliteOptions{.busy_timeout_ms = 1000});
  ASSERT_NE(db, nullptr);
  CreateTable(*db);
  auto first = BeginOrDie(*db, TxMode::kWrite);
  std::thread impatient([&] {  // queued behind `first`, gives up after 1 s
    auto tx = db->Begin(TxMode::kWrite);
    EXPECT_FALSE(tx.has_value());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  std::atomic<bool> patient_began{false};
  std::thread patient([&] {  // queued behind the impatient one
    auto tx = BeginOrDie(*db, TxMode::kWrite);
    patient_began = tx != nullptr;
  });
  impatient.join();  // timed out while `first` still held the lock
  ASSERT_TRUE(first->Commit().ok());
  patient.join();
  EXPECT_TRUE(patient_began.load());
}

TEST(SqliteConcurrency, TwoDatabasesOnOneFileWaitForEachOther) {
  testing::TempDir dir;
  const std::string path = dir.File("custos.db");
  auto server = OpenOrDie(path);
  auto cli = OpenOrDie(path);
  ASSERT_NE(server, nullptr);
  ASSERT_NE(cli, nullptr);
  CreateTable(*server);

  // The CLI holds the file's write lock; the server's writer waits for it, then proceeds.
  auto cli_tx = BeginOrDie(*cli, TxMode::kWrite);
  ASSERT_TRUE(cli_tx->Execute("INSERT INTO t (who) VALUES ('cli')").ok());
  std::atomic<bool> server_began{false};
  std::thread server_thread([&] {
    auto tx = BeginOrDie(*server, TxMode::kWrite);
    server_began = true;
    EXPECT_EQ(Count(*tx), 1);
    EXPECT_TRUE(tx->Execute("INSERT INTO t (who) VALUES ('server')").ok());
    EXPECT_TRUE(tx->Commit().ok());
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(100));
  EXPECT_FALSE(server_began.load());
  ASSERT_TRUE(cli_tx->Commit().ok());
  server_thread.join();
  EXPECT_EQ(Count(*BeginOrDie(*cli, TxMode::kRead)), 2);
  EXPECT_EQ(Count(*BeginOrDie(*server, TxMode::kRead)), 2);
}

TEST(SqliteConcurrency, TwoDatabasesOnOneFileUnderLoad) {
  testing::TempDir dir;
  const std::string path = dir.File("custos.db");
  auto a = OpenOrDie(path);
  auto b = OpenOrDie(path);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  CreateTable(*a);
  constexpr int kWritesPerThread = 50;
  auto writes = [&](Database& db, const std::string& who) {
    for (int i = 0; i < kWritesPerThread; ++i) {
      auto tx = BeginOrDie(db, TxMode::kWrite);
      ASSERT_NE(tx, nullptr);
      ASSERT_TRUE(tx->Execute("INSERT INTO t (who) VALUES (?)", {who}).ok());
      ASSERT_TRUE(tx->Commit().ok());
    }
  };
  auto reads = [&](Database& db) {
    for (int i = 0; i < kWritesPerThread; ++i) {
      auto tx = BeginOrDie(db, TxMode::kRead);
      ASSERT_NE(tx, nullptr);
      EXPECT_GE(Count(*tx), 0);
    }
  };
  std::vector<std::thread> threads;
  threads.emplace_back(writes, std::ref(*a), "a1");
  threads.emplace_back(writes, std::ref(*a), "a2");
  threads.emplace_back(writes, std::ref(*b), "b1");
  threads.emplace_back(writes, std::ref(*b), "b2");
  threads.emplace_back(reads, std::ref(*a));
  threads.emplace_back(reads, std::ref(*b));
  for (auto& thread : threads) {
    thread.join();
  }
  EXPECT_EQ(Count(*BeginOrDie(*a, TxMode::kRead)), 4 * kWritesPerThread);
}

TEST(SqliteConcurrency, SecondOpenOfAMigratedFileSeesTheSameSchema) {
  testing::TempDir dir;
  const std::string path = dir.File("custos.db");
  auto a = OpenOrDie(path);
  auto b = OpenOrDie(path);
  ASSERT_NE(a, nullptr);
  ASSERT_NE(b, nullptr);
  EXPECT_EQ(a->SchemaVersion(), b->SchemaVersion());
}

TEST(SqliteConcurrency, ReadOnlyOpenReadsButRefusesWrites) {
  testing::TempDir dir;
  const std::string path = dir.File("custos.db");
  auto rw = OpenOrDie(path);
  ASSERT_NE(rw, nullptr);
  CreateTable(*rw);
  auto ro = OpenOrDie(path, SqliteOptions{.read_only = true});
  ASSERT_NE(ro, nullptr);
  EXPECT_EQ(Count(*BeginOrDie(*ro, TxMode::kRead)), 0);
  auto tx = ro->Begin(TxMode::kWrite);
  ASSERT_FALSE(tx.has_value());
  EXPECT_EQ(tx.error().code(), StatusCode::kFailedPrecondition);
}

}  // namespace
}  // namespace custos::storage
