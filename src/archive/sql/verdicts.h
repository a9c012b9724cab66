// SPDX-License-Identifier: Apache-2.0
// Data access for the `verdicts` and `policy_packs` index tables (archive/verdicts.h). The
// sealed records they index are written through archive::RecordAppender.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "archive/verdicts.h"
#include "core/status.h"
#include "storage/database.h"

namespace custos::archive::sql {

// The index row of a verdict; `rules` is the space-separated list of rule ids.
core::Status InsertVerdictRow(storage::Transaction& tx, const VerdictEntry& v,
                              std::int64_t record_id, const std::string& rules, core::Micros at);

core::Result<std::optional<VerdictSummary>> FindVerdictSummary(storage::Transaction& tx,
                                                               std::int64_t message_id);

// Up to `limit` verdicts matching `filter`, newest message first, after the keyset cursor.
core::Result<std::vector<VerdictListItem>> FindVerdicts(
    storage::Transaction& tx, const VerdictFilter& filter,
    std::optional<std::pair<core::Micros, std::int64_t>> after, std::int64_t limit);

// Each distinct stored rule list (space-separated rule ids).
core::Result<std::vector<std::string>> DistinctRuleLists(storage::Transaction& tx);

// The record id of the verdict of message `message_id`, or nullopt.
core::Result<std::optional<std::int64_t>> FindVerdictRecordId(storage::Transaction& tx,
                                                              std::int64_t message_id);

core::Status InsertPolicyPackRow(storage::Transaction& tx, std::int64_t record_id,
                                 const std::string& version, core::Micros applied_at);

core::Result<std::optional<AppliedPack>> FindLatestPolicyPack(storage::Transaction& tx);

}  // namespace custos::archive::sql
