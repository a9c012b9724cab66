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
  // How long a statement or Begin() waits for a lock held by another transaction or process
  // before failing with kUnavailable.
  int busy_timeout_ms = 10'000;
  // Opens without creating or migrating; Begin(kWrite) then fails with kFailedPrecondition.
  bool read_only = false;
  // Runs PRAGMA quick_check on open. It reads the whole file, so it is slow on a large
  // archive; without it open checks only the file header and the schema.
  bool verify_on_open = false;
};

// Opens (creating when missing, unless read_only) the database at `path` and applies pending
// migrations. kUnavailable when the file cannot be opened or is locked past the timeout;
// kDataLoss, naming the path, when the file is not a database, is corrupt, or (with
// verify_on_open) fails its integrity check; kFailedPrecondition when the schema is newer than
// this build knows, when a read_only open finds a schema that needs migrating, or when the
// SQLite library lacks FTS5. Every connection runs with foreign_keys=ON and
// synchronous=FULL; the file is put in WAL mode.
core::Result<std::unique_ptr<Database>> OpenSqlite(const std::string& path,
                                                   const SqliteOptions& options = {});

}  // namespace custos::storage
