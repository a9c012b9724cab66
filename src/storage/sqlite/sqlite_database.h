// SPDX-License-Identifier: Apache-2.0
// The SQLite adapter of storage::Database: one file in WAL mode with foreign keys on,
// synchronous=FULL so a committed transaction survives power loss, a busy timeout, and the
// numbered migrations applied on open. One writer connection (guarded by a mutex) and a pool
// of reader connections. No SQLite type appears in this header.
#pragma once

#include <memory>
#include <string>

#include "core/status.h"
#include "storage/database.h"

namespace custos::storage {

struct SqliteOptions {
  int busy_timeout_ms = 10'000;
  bool read_only = false;
};

// Opens (creating when missing, unless read_only) the database at `path` and applies pending
// migrations. kUnavailable when the file cannot be opened or is locked past the timeout;
// kDataLoss when the file is not a database or fails its integrity check on open;
// kFailedPrecondition when the schema is newer than this build knows.
core::Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path,
                                                   const SqliteOptions& options = {});

}  // namespace custos::storage
