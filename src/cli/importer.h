// SPDX-License-Identifier: Apache-2.0
// The engine of `custos import jsonl`: reads canonical JSONL line by line, decodes and
// normalises each message, submits chunks to the ingest service with a few chunks in flight,
// and counts the outcomes. It stops at the first bad line, after everything before it has been
// committed, so a re-run after fixing the line imports exactly the rest.
//
// With a commit log it appends "committed N" (and fsyncs) each time the lines 1..N are all
// durably committed (or were duplicates or blank), for crash tests and resumable scripts.
// Run(importers::Source&) does the same for any export format (cli/import_formats_command.cc):
// items are numbered in order and play the role of lines; skipped items are counted by kind;
// an error from the source ends the import like a bad line, after what came before is committed.
// Thread-safety: one importer per thread.
#pragma once

#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <future>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "app/ingest.h"
#include "cli/line_reader.h"
#include "cli/progress.h"
#include "core/status.h"
#include "importers/source.h"
#include "model/message.h"

namespace custos::cli {

struct ImportCounts {
  std::int64_t imported = 0;
  std::int64_t duplicates = 0;
  std::int64_t rejected = 0;
  std::map<std::string, std::int64_t> skipped;  // by kind (importers::Item::skip_kind)
};

// The line an import stopped at, and why.
struct BadLine {
  std::int64_t line = 0;
  std::string field;  // "" when the line is not JSON at all
  std::string message;
  std::string where;  // the position ("chat.txt:12"), for sources; "" for JSONL lines
};

struct ImporterOptions {
  std::size_t batch = 1000;       // messages per submitted chunk
  std::size_t max_in_flight = 4;  // chunks submitted but not yet committed
  // A chunk is also submitted once the attachment content it holds reaches this many bytes, so
  // a media-heavy export keeps memory bounded (at most max_in_flight + 1 such chunks).
  std::size_t batch_attachment_bytes = std::size_t{16} << 20;
  std::string commit_log;  // "" for none
  // For JSONL lines: the import run every decoded message is linked to (0 = none).
  std::int64_t import_run = 0;
  // For sources: called on each message item before it is normalised (identity resolution, the
  // import run's id, the cross-export fingerprint: cli/import_identity.h). An error ends the
  // import like a failing source, after what came before is committed.
  std::function<core::Status(importers::Item&)> prepare;
  // Called before each chunk is submitted (free disk space: cli/disk_space.h). An error ends the
  // import like a storage failure; the chunk is not submitted, the ones before it are kept.
  std::function<core::Status()> before_submit;
};

class Importer {
 public:
  Importer(app::IngestService* ingest, ImporterOptions options);
  ~Importer();
  Importer(const Importer&) = delete;
  Importer& operator=(const Importer&) = delete;

  // Imports until the end of `reader` or the first bad line (then bad_line() is set and the
  // status is OK). Returns once everything submitted has been committed or failed. Errors:
  // reading the input or writing the commit log failed (kUnavailable), or the service could
  // not commit (the service's error).
  core::Status Run(LineReader& reader, Progress& progress);

  // Imports every item of `source` (see above). Skipped items are also reported through
  // `on_skip` (position and reason) when set.
  core::Status Run(importers::Source& source, Progress& progress,
                   const std::function<void(const importers::Item&)>& on_skip = {});

  const ImportCounts& counts() const { return counts_; }

  const std::optional<BadLine>& bad_line() const { return bad_line_; }

 private:
  struct Chunk {
    std::vector<model::Message> messages;
    std::vector<std::int64_t> lines;   // the line (item) number of each message
    std::vector<std::string> wheres;   // for sources: each message's position
    std::size_t attachment_bytes = 0;  // content carried by the messages' attachments
    std::future<std::vector<app::IngestOutcome>> done;
  };

  // Submits the current chunk (if any), then collects chunks that are done, waiting while too
  // many are in flight.
  void Submit();
  // Waits for the oldest chunk in flight and counts its outcomes.
  void DrainOne();
  void RecordBadLine(std::int64_t line, std::string field, std::string message);
  // Lines 1..line are all committed: advances the commit log.
  void Committed(std::int64_t line);
  // Submits what is left, waits for everything in flight and ends the progress display.
  void FinishRun(Progress& progress);

  app::IngestService* ingest_;
  ImporterOptions options_;
  int commit_log_fd_ = -1;
  std::int64_t committed_through_ = 0;
  bool watermark_stopped_ = false;  // a line failed: the commit log does not advance any more
  ImportCounts counts_;
  std::optional<BadLine> bad_line_;
  core::Status failure_;  // the first error that ends the import
  Chunk current_;
  std::deque<Chunk> in_flight_;
};

}  // namespace custos::cli
