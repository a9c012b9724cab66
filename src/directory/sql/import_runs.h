// SPDX-License-Identifier: Apache-2.0
// Data access for the `import_runs` index table (directory/import_runs.h): a row is inserted
// when a run starts and completed, with its record id, when the run ends.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <cstdint>
#include <vector>

#include "core/status.h"
#include "directory/import_runs.h"
#include "storage/database.h"

namespace custos::directory::sql {

// Inserts the row of a starting run (importer, source_sha256, status, started_at) and returns
// its id.
core::Result<std::int64_t> InsertImportRun(storage::Transaction& tx, const ImportRun& run);

// Stores the outcome of run `run.id`: record id, status, end, counts, source hash.
core::Status FinishImportRun(storage::Transaction& tx, const ImportRun& run);

// Every run's index row, oldest first (the fields the table holds; record_id and ended_at are
// 0 while a run is open).
core::Result<std::vector<ImportRun>> ListImportRuns(storage::Transaction& tx);

}  // namespace custos::directory::sql
