// SPDX-License-Identifier: Apache-2.0
// Read access to a SQLite file that is not a custos store — evidence handed over for import,
// such as a macOS iMessage chat.db. The file is opened through the URI
// "file:PATH?mode=ro&immutable=1": read-only, no locks taken, no journal or WAL replayed or
// created, so a copy taken from a live machine is never modified (not even its -wal/-shm).
// No migrations, no pragmas that write. Statements are prepared per call.
// Thread-safety: one thread at a time.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "storage/database.h"

namespace custos::storage {

class ForeignSqlite {
 public:
  ForeignSqlite() = default;
  ForeignSqlite(const ForeignSqlite&) = delete;
  ForeignSqlite& operator=(const ForeignSqlite&) = delete;
  virtual ~ForeignSqlite() = default;

  // Streams rows to `fn` until it returns false. Errors name the file and the statement.
  virtual core::Status QueryEach(std::string_view sql, const std::vector<Value>& params,
                                 const std::function<bool(const Row&)>& fn) = 0;
  // The column names of `table`; empty when the table does not exist.
  virtual core::Result<std::vector<std::string>> Columns(std::string_view table) = 0;
};

// kNotFound when `path` does not exist; kDataLoss when it is not a SQLite database.
core::Result<std::unique_ptr<ForeignSqlite>> OpenForeignSqlite(const std::string& path);

}  // namespace custos::storage
