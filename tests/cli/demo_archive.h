// SPDX-License-Identifier: Apache-2.0
// Demo data for end-to-end tests: `custos demo seed` runs once per test binary into a master
// data directory, and each test works on its own copy (no custos process has the master open
// while it is copied). Plus direct SQLite access to a data directory, for tests that look at
// or tamper with what is stored the way an attacker or a failing disk would.
// Thread-safety: one test thread.
#pragma once

#include <cstdint>
#include <string>

#include "testing/temp_dir.h"

namespace custos::testing {

// Copies the seeded demo data directory to `dir`/data and returns that path. Fails the
// calling test (ADD_FAILURE) when seeding failed.
std::string CopyDemoData(const TempDir& dir);

// The first column of the first row of `sql` on DIR/custos.db as an integer; -1 on error.
std::int64_t QueryInt(const std::string& data_dir, const std::string& sql);

// Runs `sql` (one or more statements) on DIR/custos.db, the way an attacker or a bad disk
// would change it; false (with a test failure) on an error.
bool ExecSql(const std::string& data_dir, const std::string& sql);

// Flips one byte in the middle of record `record_id`'s sealed payload in DIR/custos.db.
// False (with a test failure) when it could not.
bool FlipPayloadByte(const std::string& data_dir, std::int64_t record_id);

}  // namespace custos::testing
