// SPDX-License-Identifier: Apache-2.0
// A log consumer: work that must happen after a commit and must not be lost (alerts, outbound
// sends, journaling, SIEM export, fan-out to other nodes). It reads the archive's log, the
// `records` table in id order, through a durable cursor kept by a CursorRunner
// (app/cursor/cursor_runner.h): the runner hands it the records committed after its stored
// position, in order, in bounded batches, and stores the new position only after Consume
// returned OK.
//
// Delivery is AT LEAST ONCE: a crash (or a failed cursor update) after Consume did its work but
// before the position was stored hands the same records again after restart. Consumers must
// be IDEMPOTENT: key what they do on `position` (or message_id) so that a repeat is harmless.
// A consumer never sees a gap: a batch starts right after the stored position.
//
// Thread-safety: Consume is called on its runner's thread only, one batch at a time.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/status.h"
#include "core/time.h"

namespace custos::app {

// One committed record of the log (docs/formats/records.md), with the ids that say what it is
// about. Only index data: a consumer that needs the content reads it by these ids.
struct CommittedRecord {
  std::int64_t position = 0;  // the record id; strictly increasing, no gaps in the log
  std::string kind;           // "message", "verdict", "device_event", "hold", ...
  core::Micros created_at = 0;
  std::int64_t message_id = 0;  // kind "message": the message; "verdict": the one judged; else 0
  // Kind "verdict" only (its row of the verdicts index): the strictest action, the highest
  // severity and whether an outbound message was blocked.
  std::string action;
  std::string severity;
  bool blocked = false;
};

class LogConsumer {
 public:
  LogConsumer() = default;
  LogConsumer(const LogConsumer&) = delete;
  LogConsumer& operator=(const LogConsumer&) = delete;
  virtual ~LogConsumer() = default;

  // The cursor's name (the key of its row in consumer_cursors): stable across releases, since a
  // new name starts again from the beginning of the log. Lowercase, e.g. "alerts".
  virtual std::string_view Name() const = 0;

  // Handles `batch` (non-empty, in log order, starting right after the stored position). OK:
  // the position moves past the batch. An error: nothing moves; the same records come again
  // after a back-off. Should not block for long: CursorRunner::Stop waits for it.
  virtual core::Status Consume(const std::vector<CommittedRecord>& batch) = 0;
};

}  // namespace custos::app
