// SPDX-License-Identifier: Apache-2.0
// Data access for `custos verify` (archive/verifier.h), the log side: the `records` scan, the
// stored `merkle_nodes`, the rows that point beyond the log, and the `attachments` /
// `message_attachments` links. Read-only; rows come back undecoded, in the column order each
// function names, for the verifier to recompute and compare.
//
// Thread-safety: free functions over the caller's transaction; callbacks run on the caller's
// thread, in the order the function states.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <utility>
#include <vector>

#include "core/status.h"
#include "storage/database.h"

namespace custos::archive::sql {

// Called for each row; false stops the scan.
using VerifyRowFn = std::function<bool(const storage::Row&)>;

// Records a < id <= b (any order): id, kind, created_at, leaf_hash, key_version, wrapped_key,
// payload, payload IS NULL.
core::Status EachRecordInRange(storage::Transaction& tx, std::int64_t a, std::int64_t b,
                               const VerifyRowFn& fn);

// The stored nodes of `level` with first <= idx <= last: idx, hash.
core::Status EachMerkleNodeInRange(storage::Transaction& tx, std::int64_t level, std::int64_t first,
                                   std::int64_t last, const VerifyRowFn& fn);

// One stored node (level, idx) that a log of `bound` << `level` leaves cannot have: with
// bound > 0, a node of `level` with idx >= bound; with bound == 0, any node of `level` or
// above, or with a negative level or idx. nullopt when there is none.
core::Result<std::optional<std::pair<std::int64_t, std::int64_t>>> FindMerkleNodeBeyond(
    storage::Transaction& tx, std::int64_t level, std::int64_t bound);

// The id of a record whose id is below 1 (not a leaf), or nullopt.
core::Result<std::optional<std::int64_t>> FindRecordBelowFirstLeaf(storage::Transaction& tx);

// The (id, record_id) of the first message whose record_id is below 1 or above `size`, or
// nullopt.
core::Result<std::optional<std::pair<std::int64_t, std::int64_t>>> FindMessageBeyondLog(
    storage::Transaction& tx, std::int64_t size);

// The smallest record id of the messages linking attachment `id`; nullopt when none does.
core::Result<std::optional<std::int64_t>> FirstAttachmentReferrer(storage::Transaction& tx,
                                                                  std::int64_t id);

// Every stored attachment, by id: id, content_hash, key_version, wrapped_key, payload,
// payload IS NULL.
core::Status EachAttachmentContent(storage::Transaction& tx, const VerifyRowFn& fn);

// Every message-attachment link, by (record_id, attachment_id): message_id, attachment_id,
// the message's record_id, whether that record's payload IS NULL (disposed of).
core::Status EachAttachmentLink(storage::Transaction& tx, const VerifyRowFn& fn);

}  // namespace custos::archive::sql
