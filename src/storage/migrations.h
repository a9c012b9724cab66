// SPDX-License-Identifier: Apache-2.0
// The numbered schema migrations, applied in order on open, each in its own transaction and
// recorded in the schema_migrations table. Migrations are append-only: never edit a shipped
// one, add the next number. Each has a text per dialect.
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
