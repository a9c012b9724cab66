// SPDX-License-Identifier: Apache-2.0
#include "storage/sqlite/sqlite_database.h"

#include <algorithm>
#include <chrono>
#include <filesystem>
#include <set>
#include <thread>
#include <utility>
#include <vector>

#include <sqlite3.h>
#include <unistd.h>

#include "core/fs.h"
#include "core/mutex.h"
#include "storage/sqlite/connection.h"
#include "storage/sqlite/migrate.h"

namespace custos::storage {
namespace {

using internal::Connection;
using internal::ConnectionRole;

// Idle reader connections kept for reuse; more may be open while many reads run at once.
constexpr std::size_t kMaxIdleReaders = 8;

class SqliteDatabase;

// A transaction on one borrowed connection; gives the connection back when it ends.
class SqliteTransaction final : public Transaction {
 public:
  SqliteTransaction(SqliteDatabase* db, std::unique_ptr<Connection> reader, TxMode mode);

  ~SqliteTransaction() override { Rollback(); }

  core::Status Execute(std::string_view sql, const std::vector<Value>& params) override;
  core::Result<std::vector<Row>> Query(std::string_view sql,
                                       const std::vector<Value>& params) override;
  core::Status QueryEach(std::string_view sql, const std::vector<Value>& params,
                         const std::function<bool(const Row&)>& fn) override;
  core::Status Commit() override;
  void Rollback() override;

 private:
  core::Status CheckOpen() const;
  // Returns the connection to the database (and, for a writer, releases the write lock).
  void Finish();

  SqliteDatabase* db_;
  // Set for a read transaction: the pooled reader this transaction owns.
  std::unique_ptr<Connection> reader_;
  Connection* conn_;
  TxMode mode_;
  bool open_ = true;
};

class SqliteDatabase final : public Database {
 public:
  SqliteDatabase(std::string path, SqliteOptions options, std::unique_ptr<Connection> writer,
                 int schema_version)
      : path_(std::move(path)),
        options_(options),
        schema_version_(schema_version),
        writer_(std::move(writer)) {}

  ~SqliteDatabase() override {
    core::MutexLock lock(&mu_);
    // A Transaction must not outlive its Database (a programmer error).
    CUSTOS_CHECK(open_transactions_ == 0);
    idle_readers_.clear();
  }

  core::Result<std::unique_ptr<Transaction>> Begin(TxMode mode) override {
    return mode == TxMode::kWrite ? BeginWrite() : BeginRead();
  }

  Dialect dialect() const override { return Dialect::kSqlite; }

  int SchemaVersion() const override { return schema_version_; }

  Connection* writer() { return writer_.get(); }

  core::Status CheckpointWal() override {
    if (options_.read_only) {
      return core::Status::Ok();
    }
    RETURN_IF_ERROR(AcquireWriter(std::chrono::steady_clock::now() +
                                  std::chrono::milliseconds(options_.busy_timeout_ms)));
    std::int64_t busy = 1;
    core::Status status =
        writer_->QueryEach("PRAGMA wal_checkpoint(TRUNCATE)", {}, [&busy](const Row& row) {
          busy = row.Int(0);
          return false;
        });
    ReleaseWriter();
    if (status.ok() && busy != 0) {
      return core::Unavailable("could not empty the write-ahead log of " + path_ +
                               ": readers hold older snapshots");
    }
    return status;
  }

  // Called when a write transaction ends (or fails to begin): frees the write lock.
  void ReleaseWriter() {
    core::MutexLock lock(&mu_);
    --open_transactions_;
    writer_busy_ = false;
    writer_free_.SignalAll();  // the waiter whose ticket is next may be any of them
  }

  // Called when a read transaction ends (or fails to begin) with its connection for reuse;
  // null when the connection is not fit for reuse.
  void ReleaseReader(std::unique_ptr<Connection> reader) {
    core::MutexLock lock(&mu_);
    --open_transactions_;
    if (reader != nullptr && idle_readers_.size() < kMaxIdleReaders) {
      idle_readers_.push_back(std::move(reader));
    }
  }

 private:
  // Takes the write lock in arrival order (a ticket lock), so that a thread writing in a loop
  // (an import) cannot starve another writer (the checkpointer): a plain mutex or condition
  // variable lets the releasing thread take the lock straight back. A waiter that times out
  // gives its turn away.
  core::Status AcquireWriter(std::chrono::steady_clock::time_point deadline) {
    core::MutexLock lock(&mu_);
    const std::uint64_t ticket = next_ticket_++;
    while ((writer_busy_ || serving_ != ticket) && writer_free_.WaitUntil(&mu_, deadline)) {
    }
    if (writer_busy_ || serving_ != ticket) {
      abandoned_.insert(ticket);
      SkipAbandoned();
      writer_free_.SignalAll();
      return core::Unavailable("database busy: timed out waiting for the write lock of " + path_);
    }
    ++serving_;
    SkipAbandoned();
    writer_busy_ = true;
    ++open_transactions_;
    return core::Status::Ok();
  }

  void SkipAbandoned() CUSTOS_REQUIRES(mu_) {
    while (!abandoned_.empty() && *abandoned_.begin() == serving_) {
      abandoned_.erase(abandoned_.begin());
      ++serving_;
    }
  }

  core::Result<std::unique_ptr<Transaction>> BeginWrite() {
    if (options_.read_only) {
      return core::FailedPrecondition(path_ + " is open read-only");
    }
    const auto timeout = std::chrono::milliseconds(options_.busy_timeout_ms);
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    RETURN_IF_ERROR(AcquireWriter(deadline));
    // Whatever is left of the timeout goes to waiting for other processes.
    const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
        deadline - std::chrono::steady_clock::now());
    writer_->SetBusyTimeout(static_cast<int>(std::max<std::int64_t>(left.count(), 1)));
    if (writer_->InTransaction()) {
      // Only if an earlier ROLLBACK failed; start from a clean state.
      writer_->Execute("ROLLBACK", {}).IgnoreError();
    }
    core::Status status = writer_->Execute("BEGIN IMMEDIATE", {});
    writer_->SetBusyTimeout(options_.busy_timeout_ms);
    if (!status.ok()) {
      ReleaseWriter();
      return status;
    }
    return std::unique_ptr<Transaction>(
        std::make_unique<SqliteTransaction>(this, nullptr, TxMode::kWrite));
  }

  core::Result<std::unique_ptr<Transaction>> BeginRead() {
    std::unique_ptr<Connection> reader;
    {
      core::MutexLock lock(&mu_);
      ++open_transactions_;
      if (!idle_readers_.empty()) {
        reader = std::move(idle_readers_.back());
        idle_readers_.pop_back();
      }
    }
    if (reader == nullptr) {
      auto opened = Connection::Open(
          path_, options_.read_only ? ConnectionRole::kReadOnly : ConnectionRole::kReader,
          /*create=*/false, options_.busy_timeout_ms);
      if (!opened.has_value()) {
        ReleaseReader(nullptr);
        return opened.error();
      }
      reader = std::move(opened).value();
    }
    // BEGIN alone takes no snapshot; the first read does. Read now, so the snapshot is the
    // state at Begin() and not at the transaction's first query.
    core::Status status = reader->Execute("BEGIN DEFERRED", {});
    if (status.ok()) {
      status = reader->Execute("SELECT 1 FROM sqlite_schema LIMIT 1", {});
    }
    if (!status.ok()) {
      if (reader->InTransaction()) {
        reader->Execute("ROLLBACK", {}).IgnoreError();
      }
      ReleaseReader(nullptr);
      return status;
    }
    return std::unique_ptr<Transaction>(
        std::make_unique<SqliteTransaction>(this, std::move(reader), TxMode::kRead));
  }

  // Immutable after construction.
  const std::string path_;
  const SqliteOptions options_;
  const int schema_version_;
  // Used only by the holder of the write lock (writer_busy_).
  const std::unique_ptr<Connection> writer_;

  core::Mutex mu_;
  core::CondVar writer_free_;
  bool writer_busy_ CUSTOS_GUARDED_BY(mu_) = false;
  std::uint64_t next_ticket_ CUSTOS_GUARDED_BY(mu_) = 0;      // handed to the next BeginWrite
  std::uint64_t serving_ CUSTOS_GUARDED_BY(mu_) = 0;          // the ticket whose turn it is
  std::set<std::uint64_t> abandoned_ CUSTOS_GUARDED_BY(mu_);  // timed out, not yet reached
  int open_transactions_ CUSTOS_GUARDED_BY(mu_) = 0;
  std::vector<std::unique_ptr<Connection>> idle_readers_ CUSTOS_GUARDED_BY(mu_);
};

SqliteTransaction::SqliteTransaction(SqliteDatabase* db, std::unique_ptr<Connection> reader,
                                     TxMode mode)
    : db_(db),
      reader_(std::move(reader)),
      conn_(reader_ != nullptr ? reader_.get() : db->writer()),
      mode_(mode) {}

core::Status SqliteTransaction::CheckOpen() const {
  if (!open_) {
    return core::FailedPrecondition("transaction already committed or rolled back");
  }
  return core::Status::Ok();
}

core::Status SqliteTransaction::Execute(std::string_view sql, const std::vector<Value>& params) {
  RETURN_IF_ERROR(CheckOpen());
  return conn_->Execute(sql, params);
}

core::Result<std::vector<Row>> SqliteTransaction::Query(std::string_view sql,
                                                        const std::vector<Value>& params) {
  std::vector<Row> rows;
  RETURN_IF_ERROR(QueryEach(sql, params, [&](const Row& row) {
    rows.push_back(row);
    return true;
  }));
  return rows;
}

core::Status SqliteTransaction::QueryEach(std::string_view sql, const std::vector<Value>& params,
                                          const std::function<bool(const Row&)>& fn) {
  RETURN_IF_ERROR(CheckOpen());
  return conn_->QueryEach(sql, params, fn);
}

core::Status SqliteTransaction::Commit() {
  RETURN_IF_ERROR(CheckOpen());
  core::Status status = conn_->Execute("COMMIT", {});
  if (!status.ok() && conn_->InTransaction()) {
    conn_->Execute("ROLLBACK", {}).IgnoreError();
  }
  Finish();
  return status;
}

void SqliteTransaction::Rollback() {
  if (!open_) {
    return;
  }
  if (conn_->InTransaction()) {
    conn_->Execute("ROLLBACK", {}).IgnoreError();
  }
  Finish();
}

void SqliteTransaction::Finish() {
  open_ = false;
  if (mode_ == TxMode::kRead && conn_->InTransaction()) {
    // A reader that cannot leave its transaction would pin an old snapshot; drop it.
    reader_.reset();
  }
  if (mode_ == TxMode::kWrite) {
    db_->ReleaseWriter();
  } else {
    db_->ReleaseReader(std::move(reader_));
  }
}

// Runs PRAGMA quick_check; kDataLoss naming the file and the first problems found.
core::Status QuickCheck(Connection& conn) {
  constexpr std::size_t kMaxProblems = 5;
  std::string problems;
  std::size_t count = 0;
  RETURN_IF_ERROR(conn.QueryEach("PRAGMA quick_check", {}, [&](const Row& row) {
    if (row.Text(0) == "ok") {
      return false;
    }
    problems += (count == 0 ? "" : "; ") + row.Text(0);
    return ++count < kMaxProblems;
  }));
  if (count == 0) {
    return core::Status::Ok();
  }
  return core::DataLoss(conn.path() + " failed its integrity check: " + problems);
}

// Makes the directory entry of a newly created file durable; kUnavailable naming the
// directory when it cannot be.
core::Status SyncParentDirectory(const std::string& path) {
  std::error_code ec;
  const std::filesystem::path parent = std::filesystem::absolute(path, ec).parent_path();
  if (ec) {
    return core::Unavailable("cannot resolve the directory of " + path + ": " + ec.message());
  }
  return core::LocalFileSystem().SyncDir(parent.string());
}

}  // namespace

core::Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path,
                                                   const SqliteOptions& options) {
  if (sqlite3_threadsafe() == 0) {
    return core::FailedPrecondition("this SQLite library was built without thread support");
  }
  std::error_code ec;
  const bool existed = std::filesystem::exists(path, ec);
  const ConnectionRole role =
      options.read_only ? ConnectionRole::kReadOnly : ConnectionRole::kWriter;
  ASSIGN_OR_RETURN(std::unique_ptr<Connection> writer,
                   Connection::Open(path, role, /*create=*/true, options.busy_timeout_ms));
  if (!options.read_only) {
    std::string mode;
    // Switching a new file to WAL takes an exclusive lock; when several processes open the same
    // new file at once, SQLite may answer SQLITE_BUSY without calling the busy handler (to
    // avoid a deadlock), so the switch is retried here until the busy timeout.
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(options.busy_timeout_ms);
    for (;;) {
      core::Status switched =
          writer->QueryEach("PRAGMA journal_mode = WAL", {}, [&](const Row& row) {
            mode = row.Text(0);
            return false;
          });
      if (switched.ok()) {
        break;
      }
      if (switched.code() != core::StatusCode::kUnavailable ||
          std::chrono::steady_clock::now() >= deadline) {
        return switched;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    if (mode != "wal") {
      return core::FailedPrecondition("could not put " + path + " in WAL mode (journal mode is " +
                                      mode + ")");
    }
  }
  if (options.verify_on_open) {
    RETURN_IF_ERROR(QuickCheck(*writer));
  }
  RETURN_IF_ERROR(internal::CheckFts5(*writer));
  ASSIGN_OR_RETURN(int version, internal::ApplyMigrations(*writer, options.read_only));
  if (!existed) {
    RETURN_IF_ERROR(SyncParentDirectory(path));
  }
  return std::unique_ptr<Database>(
      std::make_unique<SqliteDatabase>(path, options, std::move(writer), version));
}

}  // namespace custos::storage
