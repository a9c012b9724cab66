// SPDX-License-Identifier: Apache-2.0
// Two processes on one SQLite file, as a server and a CLI import would run side by side. The
// child process opens its own Database after fork() (SQLite connections must not cross a
// fork) and reports through its exit code.
#include <chrono>
#include <string>
#include <thread>

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include "storage/sqlite/sqlite_database.h"
#include "testing/temp_dir.h"

namespace custos::storage {
namespace {

using core::StatusCode;

constexpr int kWritesPerProcess = 100;
constexpr unsigned kChildLifetimeSeconds = 60;

void CreateTable(const std::string& path) {
  auto db = OpenSqlite(path);
  ASSERT_TRUE(db.has_value()) << db.status().ToString();
  auto tx = (*db)->Begin(TxMode::kWrite);
  ASSERT_TRUE(tx.has_value());
  ASSERT_TRUE((*tx)->Execute("CREATE TABLE t (id INTEGER PRIMARY KEY, who TEXT NOT NULL)").ok());
  ASSERT_TRUE((*tx)->Commit().ok());
}

// Returns 0 after `count` committed inserts, or the step that failed.
int WriteRows(const std::string& path, const std::string& who, int count) {
  auto db = OpenSqlite(path);
  if (!db.has_value()) {
    return 1;
  }
  for (int i = 0; i < count; ++i) {
    auto tx = (*db)->Begin(TxMode::kWrite);
    if (!tx.has_value()) {
      return 2;
    }
    if (!(*tx)->Execute("INSERT INTO t (who) VALUES (?)", {who}).ok()) {
      return 3;
    }
    if (!(*tx)->Commit().ok()) {
      return 4;
    }
  }
  return 0;
}

std::int64_t CountRows(const std::string& path, const std::string& who) {
  auto db = OpenSqlite(path);
  EXPECT_TRUE(db.has_value()) << db.status().ToString();
  auto tx = (*db)->Begin(TxMode::kRead);
  EXPECT_TRUE(tx.has_value());
  auto rows = (*tx)->Query("SELECT count(*) FROM t WHERE who = ?", {who});
  EXPECT_TRUE(rows.has_value()) << rows.status().ToString();
  return rows.has_value() ? rows->at(0).Int(0) : -1;
}

int WaitForChild(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
    return -1;
  }
  return WEXITSTATUS(status);
}

TEST(SqliteProcesses, ConcurrentWritersInTwoProcessesBothSucceed) {
  testing::TempDir dir;
  const std::string path = dir.File("custos.db");
  CreateTable(path);

  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    alarm(kChildLifetimeSeconds);  // never outlive a parent whose assertion failed
    _exit(WriteRows(path, "child", kWritesPerProcess));
  }
  EXPECT_EQ(WriteRows(path, "parent", kWritesPerProcess), 0);
  EXPECT_EQ(WaitForChild(pid), 0);
  EXPECT_EQ(CountRows(path, "parent"), kWritesPerProcess);
  EXPECT_EQ(CountRows(path, "child"), kWritesPerProcess);
}

TEST(SqliteProcesses, WriterWaitsForTheOtherProcessesTransaction) {
  testing::TempDir dir;
  const std::string path = dir.File("custos.db");
  CreateTable(path);
  int ready[2];
  int go[2];
  ASSERT_EQ(pipe(ready), 0);
  ASSERT_EQ(pipe(go), 0);

  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    alarm(kChildLifetimeSeconds);  // never outlive a parent whose assertion failed
    close(ready[0]);
    close(go[1]);
    auto db = OpenSqlite(path);
    if (!db.has_value()) {
      _exit(1);
    }
    auto tx = (*db)->Begin(TxMode::kWrite);
    if (!tx.has_value() || !(*tx)->Execute("INSERT INTO t (who) VALUES ('child')").ok()) {
      _exit(2);
    }
    char byte = 'x';
    if (write(ready[1], &byte, 1) != 1 || read(go[0], &byte, 1) != 1) {
      _exit(3);
    }
    _exit((*tx)->Commit().ok() ? 0 : 4);
  }
  close(ready[1]);
  close(go[0]);
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  close(ready[0]);

  {
    // The child holds the file's write lock: a short timeout gives up.
    auto impatient = OpenSqlite(path, SqliteOptions{.busy_timeout_ms = 50});
    ASSERT_TRUE(impatient.has_value()) << impatient.status().ToString();
    auto tx = (*impatient)->Begin(TxMode::kWrite);
    ASSERT_FALSE(tx.has_value());
    EXPECT_EQ(tx.error().code(), StatusCode::kUnavailable) << tx.error().ToString();
    // Readers are not blocked, and do not see the child's uncommitted row.
    auto reader = (*impatient)->Begin(TxMode::kRead);
    ASSERT_TRUE(reader.has_value()) << reader.status().ToString();
    EXPECT_EQ((*reader)->Query("SELECT * FROM t")->size(), 0U);
  }
  // The default timeout waits for the child's commit, then proceeds.
  auto db = OpenSqlite(path);
  ASSERT_TRUE(db.has_value()) << db.status().ToString();
  std::thread release([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(200));
    const char go_byte = 'g';
    EXPECT_EQ(write(go[1], &go_byte, 1), 1);
    close(go[1]);
  });
  auto tx = (*db)->Begin(TxMode::kWrite);
  release.join();
  ASSERT_TRUE(tx.has_value()) << tx.status().ToString();
  auto rows = (*tx)->Query("SELECT who FROM t");
  ASSERT_TRUE(rows.has_value());
  ASSERT_EQ(rows->size(), 1U);
  EXPECT_EQ(rows->at(0).Text(0), "child");
  EXPECT_TRUE((*tx)->Commit().ok());
  EXPECT_EQ(WaitForChild(pid), 0);
}

TEST(SqliteProcesses, CommittedRowsSurviveTheWriterBeingKilled) {
  testing::TempDir dir;
  const std::string path = dir.File("custos.db");
  CreateTable(path);
  int ready[2];
  ASSERT_EQ(pipe(ready), 0);

  const pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    alarm(kChildLifetimeSeconds);  // never outlive a parent whose assertion failed
    close(ready[0]);
    auto db = OpenSqlite(path);
    if (!db.has_value()) {
      _exit(1);
    }
    auto committed = (*db)->Begin(TxMode::kWrite);
    if (!committed.has_value() ||
        !(*committed)->Execute("INSERT INTO t (who) VALUES ('committed')").ok() ||
        !(*committed)->Commit().ok()) {
      _exit(2);
    }
    auto pending = (*db)->Begin(TxMode::kWrite);
    if (!pending.has_value() ||
        !(*pending)->Execute("INSERT INTO t (who) VALUES ('pending')").ok()) {
      _exit(3);
    }
    const char byte = 'x';
    if (write(ready[1], &byte, 1) != 1) {
      _exit(4);
    }
    pause();  // killed here, mid-transaction, with no clean shutdown
    _exit(5);
  }
  close(ready[1]);
  char byte = 0;
  ASSERT_EQ(read(ready[0], &byte, 1), 1);
  close(ready[0]);
  ASSERT_EQ(kill(pid, SIGKILL), 0);
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_TRUE(WIFSIGNALED(status));

  EXPECT_EQ(CountRows(path, "committed"), 1);
  EXPECT_EQ(CountRows(path, "pending"), 0);
}

}  // namespace
}  // namespace custos::storage
