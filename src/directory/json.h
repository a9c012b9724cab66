// SPDX-License-Identifier: Apache-2.0
// JSON views of import runs and conversation labels, shared by `custos import runs --json`,
// `custos directory labels --json` and GET /api/v1/import-runs (docs/api/openapi.yaml).
// Thread-safety: pure functions.
#pragma once

#include <nlohmann/json.hpp>

#include "directory/directory.h"
#include "directory/import_runs.h"

namespace custos::directory {

// {"id","record_id","importer","version","source_name","source_sha256","custodian","status",
//  "started_at","ended_at","imported","duplicates","rejected","skipped","skipped_by_kind",
//  "stopped_at"}; record_id and ended_at are null while running.
nlohmann::json ImportRunJson(const ImportRun& run);

// {"conversation_id","label","import_run"}
nlohmann::json LabelJson(const StoredLabel& label);

}  // namespace custos::directory
