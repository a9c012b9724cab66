// SPDX-License-Identifier: Apache-2.0
// Import runs: the chain of custody of imported history (docs/formats/records.md, kind
// `import_run`). A run gets its id when it starts (a row of `import_runs`, status "running"),
// so that every message it brings carries the id in its own record (`import_run`); when it
// ends, one sealed `import_run` record states the importer and its version, the source file's
// name and SHA-256, the custodian, the counts, and the start and end times, and the row points
// at it. A run whose process died stays "running" with no record.
// Thread-safety: all methods are safe to call concurrently (each runs its own transaction).
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "storage/database.h"

namespace custos::directory {

struct ImportRun {
  std::int64_t id = 0;
  std::int64_t record_id = 0;  // 0 while running (or when the process died)
  std::string importer;        // "whatsapp", "telegram", ...
  std::string version;         // "custos 0.1.0 importer whatsapp/1"
  std::string source_name;     // the file's (or directory's) base name
  std::string source_sha256;   // lowercase hex (a directory: see SourceSha256)
  std::string custodian;
  std::string status;  // running, completed, stopped (bad input), failed (storage error)
  core::Micros started_at = 0;
  core::Micros ended_at = 0;
  std::int64_t imported = 0;
  std::int64_t duplicates = 0;
  std::int64_t rejected = 0;
  std::map<std::string, std::int64_t> skipped;  // by kind
  std::string stopped_at;  // where and why bad input stopped it ("chat.txt:17: ..."), when stopped
  // Attachments the export contains but that were not stored (over the 256 MiB limit of one
  // attachment): "chat.txt:12: VID-1.mp4 (300 MiB)", one per attachment. Recorded as missing.
  std::vector<std::string> attachments_not_stored;

  std::int64_t SkippedTotal() const;
};

// SHA-256 (lowercase hex) of a file's bytes; for a directory, of the manifest
// "<relative path>\0<sha256 hex>\n" of every regular file under it, sorted by path.
core::Result<std::string> SourceSha256(const std::string& path);

// What a source looks like on disk without reading it: device, inode, size and modification
// time of the file, or of every regular file under a directory (with its relative path). Equal
// stamps before and after an import mean the source did not change while it was read.
core::Result<std::string> SourceStamp(const std::string& path);

class ImportRuns {
 public:
  ImportRuns(storage::Database* db, const crypto::KeyRing* keys, const core::Clock* clock);

  // Inserts the running row; fills run.id and run.started_at.
  core::Status Begin(ImportRun& run);

  // Appends the `import_run` record for `run` (ended now) and completes its row (with
  // run.source_sha256 too: a stream is hashed as it is read); fills run.record_id and
  // run.ended_at.
  core::Status Finish(ImportRun& run);

  // Every run, oldest first, with the sealed details (file name, custodian) of finished ones.
  core::Result<std::vector<ImportRun>> List() const;

 private:
  storage::Database* db_;
  const crypto::KeyRing* keys_;
  const core::Clock* clock_;
};

}  // namespace custos::directory
