// SPDX-License-Identifier: Apache-2.0
// The storage contract: a Database hands out Transactions; a Transaction runs parameterised SQL
// and either commits durably or rolls back. Adapters (sqlite/, later postgres/) implement it;
// no adapter type leaks out of its folder. SQL text uses `?` placeholders; adapters translate.
//
// Thread-safety: a Database is safe to share between threads. A Transaction belongs to the
// thread that began it. At most one write transaction is open at a time per Database (others
// wait); read transactions run concurrently with it and see a consistent snapshot taken when
// they begin. Every Transaction must end before its Database is destroyed (CHECK-enforced).
#pragma once

#include <cstdint>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/status.h"

namespace custos::storage {

// Binary data, kept apart from text so adapters bind it as BLOB / bytea.
struct Blob {
  std::string bytes;
};

using Value = std::variant<std::monostate, std::int64_t, double, std::string, Blob>;

// One result row. Accessors CHECK-fail on a column index out of range (a programmer error);
// a NULL reads as 0 / empty. Int() and Real() convert between the two numeric types. A value of
// another type than the column's (SQLite stores what a damaged or edited file says) is
// converted as SQLite's own sqlite3_column_* would, never a crash: text or a blob read as a
// number is its leading decimal number (0 when none), a number read as text is empty.
// Integrity is `custos verify`'s job, which compares what it reads with the signed log.
class Row {
 public:
  explicit Row(std::vector<Value> values) : values_(std::move(values)) {}

  std::size_t size() const { return values_.size(); }

  bool IsNull(std::size_t col) const;
  std::int64_t Int(std::size_t col) const;
  double Real(std::size_t col) const;
  // Text or blob bytes.
  const std::string& Text(std::size_t col) const;
  // The raw value, for code that must tell the types apart.
  const Value& Get(std::size_t col) const;

 private:
  std::vector<Value> values_;
};

enum class Dialect { kSqlite, kPostgres };

class Transaction {
 public:
  Transaction() = default;
  Transaction(const Transaction&) = delete;
  Transaction& operator=(const Transaction&) = delete;
  // Rolls back when neither Commit() nor Rollback() was called.
  virtual ~Transaction() = default;

  // Runs a statement that returns no rows. kAlreadyExists on a unique-constraint violation,
  // kInvalidArgument on other constraint failures, kUnavailable when the store is busy past
  // its timeout, kInternal otherwise; the message names the statement's first words.
  virtual core::Status Execute(std::string_view sql, const std::vector<Value>& params = {}) = 0;

  // Runs a query and returns every row.
  virtual core::Result<std::vector<Row>> Query(std::string_view sql,
                                               const std::vector<Value>& params = {}) = 0;

  // Streams rows to `fn`; stops early when `fn` returns false.
  virtual core::Status QueryEach(std::string_view sql, const std::vector<Value>& params,
                                 const std::function<bool(const Row&)>& fn) = 0;

  // Makes the transaction's writes durable; returns only after they are on stable storage.
  // On failure the transaction is rolled back. Either way the transaction is finished: any
  // further call returns kFailedPrecondition (Rollback() is then a no-op).
  virtual core::Status Commit() = 0;
  virtual void Rollback() = 0;
};

enum class TxMode { kRead, kWrite };

class Database {
 public:
  Database() = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  virtual ~Database() = default;

  // Begins a transaction. A write transaction takes the write lock immediately (waiting up to
  // the busy timeout, then kUnavailable), also against other processes using the same store.
  // Beginning a second write transaction on a thread that holds one waits out the timeout.
  virtual core::Result<std::unique_ptr<Transaction>> Begin(TxMode mode) = 0;

  virtual Dialect dialect() const = 0;

  // The schema version after migrations (the highest applied migration number).
  virtual int SchemaVersion() const = 0;

  // Copies every committed change into the main database file and empties the write-ahead log
  // (SQLite: wal_checkpoint(TRUNCATE)), so that content overwritten or deleted (with
  // secure_delete) no longer lingers in the log. Waits for the write lock like Begin(kWrite).
  // kUnavailable when readers kept it from completing. A no-op where there is no such log.
  virtual core::Status CheckpointWal() { return core::Status::Ok(); }
};

}  // namespace custos::storage
