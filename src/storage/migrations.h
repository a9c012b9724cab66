// SPDX-License-Identifier: Apache-2.0
// The numbered schema migrations, applied in order on open, each in its own transaction and
// recorded in the schema_migrations table. Migrations are append-only: never edit a shipped
// one, add the next number. Each has a text per dialect. Each module's migrations are in
// storage/migrations/<owner>.cc; storage/migrations.cc lists them in the global order and says
// how to add one. (They sit in storage/, not in the owning module's folder, because every
// database open and `custos verify`'s scratch schema, in archive/, need the whole list, and
// storage is below every module.)
//
// Thread-safety: AllMigrations() is safe to call from any thread.
#pragma once

#include <string_view>
#include <vector>

#include "storage/database.h"

namespace custos::storage {

struct Migration {
  int version;
  std::string_view name;
  std::string_view sqlite_sql;    // may hold several statements
  std::string_view postgres_sql;  // empty until the PostgreSQL adapter lands
};

// All migrations in ascending version order.
const std::vector<Migration>& AllMigrations();

}  // namespace custos::storage
