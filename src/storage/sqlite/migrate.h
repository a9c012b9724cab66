// SPDX-License-Identifier: Apache-2.0
// Applying AllMigrations() to a SQLite database on open. Internal to the SQLite adapter.
#pragma once

#include "core/status.h"
#include "storage/sqlite/connection.h"

namespace custos::storage::internal {

// Fails with kFailedPrecondition when this SQLite build lacks FTS5, which the schema needs.
core::Status CheckFts5(Connection& conn);

// Brings the schema up to the newest migration this build knows, each migration in its own
// BEGIN IMMEDIATE transaction recorded in `schema_migrations` (version, name, applied_at in
// microseconds since the epoch). Safe against another process migrating the same file at the
// same time: each transaction re-reads the applied version. With `read_only` nothing is
// written and a database that needs migrating is refused. Returns the schema version.
// kFailedPrecondition when the database's schema is newer than this build (or, read-only,
// older); kUnavailable when the write lock cannot be had within the busy timeout.
core::Result<int> ApplyMigrations(Connection& conn, bool read_only);

}  // namespace custos::storage::internal
