// SPDX-License-Identifier: Apache-2.0
// Data access for retention (archive/retention.h): the scan for expired messages, the
// crypto-shredding of records and the `dispositions` index.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "archive/message_store.h"
#include "archive/retention.h"
#include "core/status.h"
#include "storage/database.h"

namespace custos::archive::sql {

// The keyed identity hashes of a conversation's participants.
core::Result<std::vector<std::string>> ParticipantHashes(storage::Transaction& tx,
                                                         std::int64_t conversation_id);

// Up to `limit` messages whose record is live and that were sent before `cutoff`, oldest
// first, after `after`; each with message_id, record_id, conversation_id, channel, kind and
// sent_at filled in.
core::Result<std::vector<Expired>> LiveMessagesBefore(storage::Transaction& tx, core::Micros cutoff,
                                                      std::optional<PageCursor> after,
                                                      std::int64_t limit);

// The rows a disposition's digest covers (archive::DisposedRowsDigest): the record's
// metadata, and every column of the message and verdict rows that point at it.
struct DisposedRows {
  std::vector<storage::Row> record;
  std::vector<storage::Row> message;
  std::vector<storage::Row> verdict;
};

core::Result<DisposedRows> RowsOfRecord(storage::Transaction& tx, std::int64_t record_id);

// Destroys the sealed bytes and data key of record `record_id` (a no-op when done already).
core::Status ShredRecordPayload(storage::Transaction& tx, std::int64_t record_id, core::Micros at);

core::Status InsertDisposition(storage::Transaction& tx, std::int64_t record_id,
                               std::int64_t disposition_record_id, std::int64_t message_id,
                               const std::string& class_name, core::Micros at);

// The record ids of message `message_id`'s verdicts whose records are still live.
core::Result<std::vector<std::int64_t>> LiveVerdictRecordIds(storage::Transaction& tx,
                                                             std::int64_t message_id);

}  // namespace custos::archive::sql
