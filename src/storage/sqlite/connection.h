// SPDX-License-Identifier: Apache-2.0
// Connection: one sqlite3 handle with its per-connection pragmas, a cache of prepared
// statements keyed by SQL text, parameter binding, row reading and the mapping of SQLite
// result codes to Status. Internal to the SQLite adapter; nothing outside src/storage/sqlite/
// includes this header.
//
// Thread-safety: none. A Connection is used by one thread at a time; the SqliteDatabase hands
// the writer out under its write lock and each reader to one transaction at a time.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include <sqlite3.h>

#include "core/status.h"
#include "storage/database.h"

namespace custos::storage::internal {

enum class ConnectionRole {
  kWriter,    // read-write; the only connection that changes the database
  kReader,    // read-write open but `query_only`, so a stray write fails
  kReadOnly,  // opened SQLITE_OPEN_READONLY (SqliteOptions::read_only)
};

class Connection {
 public:
  // Opens `path`. `create` adds SQLITE_OPEN_CREATE (writer only). Sets the busy timeout,
  // foreign_keys=ON, synchronous=FULL and defensive mode; does not touch journal_mode.
  // kUnavailable when the file cannot be opened, kDataLoss when it is not a database.
  static core::Result<std::unique_ptr<Connection>> Open(const std::string& path,
                                                        ConnectionRole role, bool create,
                                                        int busy_timeout_ms);

  Connection(const Connection&) = delete;
  Connection& operator=(const Connection&) = delete;
  ~Connection();

  // Runs one or more statements without parameters (sqlite3_exec); for pragmas, BEGIN/COMMIT
  // and migration scripts. Not cached.
  core::Status ExecScript(std::string_view sql);

  // Runs one statement (cached); rows, if any, are discarded.
  core::Status Execute(std::string_view sql, const std::vector<Value>& params);

  // Runs one statement (cached) and passes each row to `fn` until it returns false.
  core::Status QueryEach(std::string_view sql, const std::vector<Value>& params,
                         const std::function<bool(const Row&)>& fn);

  // Sets the busy timeout used by the next statements.
  void SetBusyTimeout(int ms);

  // True when the connection is inside an explicit transaction.
  bool InTransaction() const;

  // Maps the connection's last error (result code `rc`) to a Status naming the statement.
  core::Status Error(int rc, std::string_view sql) const;

  const std::string& path() const { return path_; }

 private:
  struct CachedStatement {
    sqlite3_stmt* stmt = nullptr;
    bool in_use = false;
  };

  class Lease;

  Connection(sqlite3* db, std::string path) : db_(db), path_(std::move(path)) {}

  // Prepares `sql` or takes it from the cache. A statement already running (a nested query
  // with the same text) gets a fresh, uncached copy.
  core::Result<Lease> Acquire(std::string_view sql);
  core::Status Bind(sqlite3_stmt* stmt, std::string_view sql, const std::vector<Value>& params);

  sqlite3* db_;
  std::string path_;
  std::map<std::string, CachedStatement, std::less<>> cache_;
};

// Maps a SQLite (extended) result code to a Status; `detail` is the SQLite message, `sql` the
// statement (only its first words are kept), `path` the database file.
core::Status SqliteError(int rc, std::string_view detail, std::string_view sql,
                         std::string_view path);

}  // namespace custos::storage::internal
