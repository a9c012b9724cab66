// SPDX-License-Identifier: Apache-2.0
// The import pipeline under every import (app/import_service.h; the CLI's `custos import jsonl`
// and `custos import FORMAT` run it through that service): reads canonical JSONL line by line,
// decodes and normalises each message, submits chunks to the ingest service with a few chunks in
// flight (backpressure), and counts the outcomes. It stops at the first bad line, after everything
// before it has been committed, so a re-run after fixing the line imports exactly the rest.
//
// With a commit log it appends "committed N" (and fsyncs) each time the lines 1..N are all
// durably committed (or were duplicates or blank), for crash tests and resumable scripts.
// Run(importers::Source&) does the same for any export format (app/format_import.h):
// items are numbered in order and play the role of lines; skipped items are counted by kind;
// an error from the source ends the import like a bad line, after what came before is committed.
// Thread-safety: one pipeline per thread, used for one Run.
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
#include "app/line_reader.h"
#include "core/status.h"
#include "importers/source.h"
#include "model/message.h"

namespace custos::app {

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

// What an import reports while it runs, for a front end to show (the CLI: a progress line and
// notes on stderr). Called on the importing thread; every method does nothing by default.
class ImportObserver {
 public:
  virtual ~ImportObserver() = default;

  // The input's size in bytes once known (-1: unknown, e.g. a pipe).
  virtual void Started(std::int64_t total_bytes) { (void)total_bytes; }

  // `messages` read so far, `bytes` of the input consumed by them.
  virtual void Progressed(std::int64_t messages, std::uint64_t bytes) {
    (void)messages;
    (void)bytes;
  }

  // Reading is over (before anything else about the import is reported).
  virtual void Finished() {}

  // A source item that is not a message (its position, skip_kind and skip_reason).
  virtual void Skipped(const importers::Item& item) { (void)item; }

  // An attachment of the export that is not stored and is recorded as missing: "where: why".
  virtual void AttachmentNotStored(const std::string& what) { (void)what; }
};

struct ImportPipelineOptions {
  std::size_t batch = 1000;       // messages per submitted chunk
  std::size_t max_in_flight = 4;  // chunks submitted but not yet committed
  // A chunk is also submitted once the attachment content it holds reaches this many bytes, so
  // a media-heavy export keeps memory bounded (at most max_in_flight + 1 such chunks).
  std::size_t batch_attachment_bytes = std::size_t{16} << 20;
  std::string commit_log;  // "" for none
  // For JSONL lines: the import run every decoded message is linked to (0 = none).
  std::int64_t import_run = 0;
  // For sources: called on each message item before it is normalised (identity resolution, the
  // import run's id, the cross-export fingerprint: directory/identity_stage.h). An error ends the
  // import like a failing source, after what came before is committed.
  std::function<core::Status(importers::Item&)> prepare;
  // Called before each chunk is submitted (free disk space: app/disk_space.h). An error ends the
  // import like a storage failure; the chunk is not submitted, the ones before it are kept.
  std::function<core::Status()> before_submit;
};

class ImportPipeline {
 public:
  ImportPipeline(IngestService* ingest, ImportPipelineOptions options);
  ~ImportPipeline();
  ImportPipeline(const ImportPipeline&) = delete;
  ImportPipeline& operator=(const ImportPipeline&) = delete;

  // Imports until the end of `reader` or the first bad line (then bad_line() is set and the
  // status is OK). Returns once everything submitted has been committed or failed. Errors:
  // reading the input or writing the commit log failed (kUnavailable), or the service could
  // not commit (the service's error).
  core::Status Run(LineReader& reader, ImportObserver& observer);

  // Imports every item of `source` (see above). Skipped items are reported to the observer.
  core::Status Run(importers::Source& source, ImportObserver& observer);

  const ImportCounts& counts() const { return counts_; }

  const std::optional<BadLine>& bad_line() const { return bad_line_; }

 private:
  struct Chunk {
    std::vector<model::Message> messages;
    std::vector<std::int64_t> lines;   // the line (item) number of each message
    std::vector<std::string> wheres;   // for sources: each message's position
    std::size_t attachment_bytes = 0;  // content carried by the messages' attachments
    std::future<std::vector<IngestOutcome>> done;
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
  void FinishRun(ImportObserver& observer);

  IngestService* ingest_;
  ImportPipelineOptions options_;
  int commit_log_fd_ = -1;
  std::int64_t committed_through_ = 0;
  bool watermark_stopped_ = false;  // a line failed: the commit log does not advance any more
  ImportCounts counts_;
  std::optional<BadLine> bad_line_;
  core::Status failure_;  // the first error that ends the import
  Chunk current_;
  std::deque<Chunk> in_flight_;
};

}  // namespace custos::app
