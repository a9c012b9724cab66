// SPDX-License-Identifier: Apache-2.0
#include "storage/sqlite/migrate.h"

#include <string>

#include "core/time.h"
#include "storage/migrations.h"

namespace custos::storage::internal {
namespace {

constexpr std::string_view kCreateMigrationsTable =
    "CREATE TABLE IF NOT EXISTS schema_migrations ("
    " version INTEGER PRIMARY KEY,"
    " name TEXT NOT NULL,"
    " applied_at INTEGER NOT NULL)";

// The highest applied version; 0 for a database without a schema_migrations table.
core::Result<int> AppliedVersion(Connection& conn) {
  bool has_table = false;
  RETURN_IF_ERROR(conn.QueryEach(
      "SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_migrations'", {},
      [&](const Row&) {
        has_table = true;
        return false;
      }));
  if (!has_table) {
    return 0;
  }
  std::int64_t version = 0;
  RETURN_IF_ERROR(conn.QueryEach("SELECT coalesce(max(version), 0) FROM schema_migrations", {},
                                 [&](const Row& row) {
                                   version = row.Int(0);
                                   return false;
                                 }));
  return static_cast<int>(version);
}

int LatestKnownVersion() {
  const auto& all = AllMigrations();
  return all.empty() ? 0 : all.back().version;
}

core::Status RefuseNewer(const Connection& conn, int applied) {
  return core::FailedPrecondition(conn.path() + " has schema version " + std::to_string(applied) +
                                  ", newer than this build's " +
                                  std::to_string(LatestKnownVersion()) +
                                  "; upgrade custos before opening it");
}

// Applies `migration` unless another connection already did, inside the caller's transaction.
core::Status ApplyOne(Connection& conn, const Migration& migration) {
  ASSIGN_OR_RETURN(int applied, AppliedVersion(conn));
  if (applied > LatestKnownVersion()) {
    return RefuseNewer(conn, applied);
  }
  if (applied >= migration.version) {
    return core::Status::Ok();
  }
  RETURN_IF_ERROR(conn.ExecScript(migration.sqlite_sql));
  return conn.Execute(
      "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
      {std::int64_t{migration.version}, std::string(migration.name), core::SystemClock().Now()});
}

core::Status RunInTransaction(Connection& conn, const Migration& migration) {
  RETURN_IF_ERROR(conn.Execute("BEGIN IMMEDIATE", {}));
  core::Status status = ApplyOne(conn, migration);
  if (status.ok()) {
    status = conn.Execute("COMMIT", {});
  }
  if (!status.ok() && conn.InTransaction()) {
    conn.Execute("ROLLBACK", {}).IgnoreError();
  }
  if (!status.ok()) {
    status.WithContext("migration " + std::to_string(migration.version) + " (" +
                       std::string(migration.name) + ")");
  }
  return status;
}

}  // namespace

core::Status CheckFts5(Connection& conn) {
  core::Status status = conn.ExecScript(
      "CREATE VIRTUAL TABLE temp.custos_fts5_probe USING fts5(x);"
      "DROP TABLE temp.custos_fts5_probe;");
  if (!status.ok()) {
    return core::FailedPrecondition("this SQLite library lacks FTS5, which custos needs: " +
                                    status.message());
  }
  return status;
}

core::Result<int> ApplyMigrations(Connection& conn, bool read_only) {
  ASSIGN_OR_RETURN(int applied, AppliedVersion(conn));
  if (applied > LatestKnownVersion()) {
    return RefuseNewer(conn, applied);
  }
  if (read_only) {
    if (applied < LatestKnownVersion()) {
      return core::FailedPrecondition(conn.path() + " has schema version " +
                                      std::to_string(applied) + " but this build needs " +
                                      std::to_string(LatestKnownVersion()) +
                                      "; open it read-write once to migrate");
    }
    return applied;
  }
  if (applied < LatestKnownVersion()) {
    RETURN_IF_ERROR(conn.ExecScript(kCreateMigrationsTable));
  }
  for (const Migration& migration : AllMigrations()) {
    if (migration.version <= applied) {
      continue;
    }
    RETURN_IF_ERROR(RunInTransaction(conn, migration));
  }
  return AppliedVersion(conn);
}

}  // namespace custos::storage::internal
