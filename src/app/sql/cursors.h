// SPDX-License-Identifier: Apache-2.0
// The data access of the log cursors (app/cursor/): the consumer_cursors table
// (migration 11) and the read of committed records after a position (records joined with the
// messages and verdicts indexes).
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

#include "app/cursor/log_consumer.h"
#include "core/status.h"
#include "core/time.h"
#include "storage/database.h"

namespace custos::app::sql {

// The stored position of consumer `name`; nullopt when it has none yet.
core::Result<std::optional<std::int64_t>> ReadPosition(storage::Transaction& tx,
                                                       std::string_view name);

// Stores `position` for `name` (creating its row). Needs a write transaction.
core::Status WritePosition(storage::Transaction& tx, std::string_view name, std::int64_t position,
                           core::Micros at);

// The records with id > `after`, in id order, at most `limit`.
core::Result<std::vector<CommittedRecord>> ReadAfter(storage::Transaction& tx, std::int64_t after,
                                                     int limit);

// The id of the last record of the log; 0 when it is empty.
core::Result<std::int64_t> LogHead(storage::Transaction& tx);

}  // namespace custos::app::sql
