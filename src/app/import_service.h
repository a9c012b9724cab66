// SPDX-License-Identifier: Apache-2.0
// The import use case: how history enters the archive, whichever front end asks for it (the
// CLI's `custos import jsonl|FORMAT` today; an API upload, a webhook or a bus consumer later run
// the very same code). An import is an import run (directory/import_runs.h: importer, source
// name, the SHA-256 of the bytes read, custodian, counts, start and end, recorded in the log);
// every message it stores carries the run's id. In between:
//   * free disk space is checked before the run begins and before each chunk (app/disk_space.h);
//   * exports pass the identity stage (directory/identity_stage.h: resolution, `dm:<a> <b>`
//     conversation keys, cross-export fingerprints), then their external parties and
//     conversation labels are recorded;
//   * the pipeline (app/import_pipeline.h) submits chunks with backpressure, stops at the first
//     bad line or item after everything before it is committed, and keeps the commit log;
//   * an input that changed while it was read is no evidence of what was imported: the run is
//     marked failed.
// Errors before the run begins are returned; once it has begun, the outcome (including the
// failures) is in the ImportReport and the run is recorded as completed, stopped or failed.
//
// Thread-safety: the service may be shared; each call is one import, run on the caller's thread.
// Imports may run concurrently (the ingest service serialises the commits).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <memory>
#include <optional>
#include <string>

#include "app/disk_space.h"
#include "app/format_import.h"
#include "app/import_pipeline.h"
#include "app/ingest.h"
#include "core/status.h"
#include "core/time.h"
#include "directory/directory.h"
#include "directory/import_runs.h"

namespace custos::app {

// What an import that began did. The run is as recorded.
struct ImportReport {
  directory::ImportRun run;  // id, record id, status, counts, source hash, stopped_at, ...
  std::string format;        // the format's name; "jsonl" for JSON Lines
  ImportCounts counts;
  std::optional<BadLine> bad_line;  // the import stopped here (run.status "stopped")
  core::Status status;              // the pipeline failed: storage, commit log, the source
  core::Status source_status;       // the input changed while read, or reading it failed
  core::Status linked;              // exports: recording external parties and labels failed
  core::Status recorded;            // recording the run's end failed
  std::int64_t lines = 0;           // JSON Lines: the lines read (blank ones included)
  core::Micros elapsed = 0;         // the import itself, steady clock
};

struct JsonlImportRequest {
  // Read once to its end (what an import that stopped early did not need is read too) through
  // a SHA-256 of every byte: the run's hash is of the bytes read, so a pipe works like a file.
  // Not owned; it must stay open during the call.
  std::FILE* input = nullptr;
  std::string name;  // how messages name the input: its path, or "<stdin>"
  // For a regular file: the name it was opened by, checked afterwards to still point to it; ""
  // for standard input (a redirected file has no name of its own).
  std::string path;
  std::string source_name;  // recorded in the run: the file's name, or "<stdin>"
  std::string custodian;    // who the file came from, as given ("" none): resolved, recorded
  std::size_t batch = 1000;
  std::string commit_log;  // "" none (app/import_pipeline.h)
  std::int64_t min_free_mb = kDefaultMinFreeMb;
};

class ImportService {
 public:
  // All pointers must outlive the service; `data_dir` is the data directory (its free space,
  // its custos.yaml's default region).
  ImportService(std::string data_dir, IngestService* ingest, directory::Directory* directory,
                directory::ImportRuns* runs);

  // Imports canonical JSON Lines (docs/formats/message-jsonl.md) as an import run of importer
  // "jsonl". Errors before the run begins: the region or the directory (custodian), free space
  // (kResourceExhausted), beginning the run.
  core::Result<ImportReport> ImportJsonl(const JsonlImportRequest& request,
                                         ImportObserver& observer);

  // The step of an export's import that needs the data directory (format_import.h): free space,
  // the export's SHA-256 and that it is unchanged since it was opened, the directory's resolver
  // and the request's participant aliases (kInvalidArgument for one that is not NAME=HANDLE).
  core::Status Prepare(FormatImport& import);

  // Imports a prepared export whose source is open. Errors before the run begins: beginning it.
  core::Result<ImportReport> Run(FormatImport& import, ImportObserver& observer);

  // Every step at once, asking no one: FormatImport::Open, OpenSource, Prepare, Run.
  core::Result<ImportReport> ImportExport(const FormatImportRequest& request,
                                          ImportObserver& observer);

 private:
  std::string data_dir_;
  IngestService* ingest_;
  directory::Directory* directory_;
  directory::ImportRuns* runs_;
};

}  // namespace custos::app
