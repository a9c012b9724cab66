// SPDX-License-Identifier: Apache-2.0
#include "directory/sql/import_runs.h"

namespace custos::directory::sql {

core::Result<std::int64_t> InsertImportRun(storage::Transaction& tx, const ImportRun& run) {
  RETURN_IF_ERROR(tx.Execute(
      "INSERT INTO import_runs (importer, source_sha256, status, started_at) VALUES (?, ?, ?, ?)",
      {run.importer, run.source_sha256, run.status, run.started_at}));
  ASSIGN_OR_RETURN(auto row, tx.Query("SELECT last_insert_rowid()"));
  return row[0].Int(0);
}

core::Status FinishImportRun(storage::Transaction& tx, const ImportRun& run) {
  return tx.Execute(
      "UPDATE import_runs SET record_id = ?, status = ?, ended_at = ?, imported = ?,"
      " duplicates = ?, rejected = ?, skipped = ?, source_sha256 = ? WHERE id = ?",
      {run.record_id, run.status, run.ended_at, run.imported, run.duplicates, run.rejected,
       run.SkippedTotal(), run.source_sha256, run.id});
}

core::Result<std::vector<ImportRun>> ListImportRuns(storage::Transaction& tx) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT id, coalesce(record_id, 0), importer,"
                                       " source_sha256, status, started_at,"
                                       " coalesce(ended_at, 0), imported, duplicates, rejected"
                                       " FROM import_runs ORDER BY id"));
  std::vector<ImportRun> out;
  out.reserve(rows.size());
  for (const storage::Row& r : rows) {
    ImportRun run;
    run.id = r.Int(0);
    run.record_id = r.Int(1);
    run.importer = r.Text(2);
    run.source_sha256 = r.Text(3);
    run.status = r.Text(4);
    run.started_at = r.Int(5);
    run.ended_at = r.Int(6);
    run.imported = r.Int(7);
    run.duplicates = r.Int(8);
    run.rejected = r.Int(9);
    out.push_back(std::move(run));
  }
  return out;
}

}  // namespace custos::directory::sql
