// SPDX-License-Identifier: Apache-2.0
// Data access for the access audit (archive/access.h): the `access_log` and `access_reads`
// tables (migration 12).
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "storage/database.h"

namespace custos::archive::sql {

core::Status InsertAccessLog(storage::Transaction& tx, std::int64_t record_id,
                             const std::string& kind, const std::string& actor_hash,
                             const std::string& action, core::Micros at, std::int64_t reads);
core::Status InsertAccessRead(storage::Transaction& tx, std::int64_t read_record_id,
                              std::int64_t access_record_id, std::int64_t message_id);

struct AccessFilter {
  std::optional<std::string> actor_hash;
  std::optional<core::Micros> since;
  std::optional<core::Micros> until;
  std::optional<std::int64_t> read_record;
  std::optional<std::int64_t> message_id;
  bool include_refusals = true;
  std::optional<std::int64_t> before_record;
  int limit = 100;
};

// (record_id, kind, at) of the matching access_log rows, newest (highest record id) first.
core::Result<std::vector<storage::Row>> FindAccessRows(storage::Transaction& tx,
                                                       const AccessFilter& filter);

// For `custos verify`: the read_record_ids of access record `access_record_id`, sorted.
core::Result<std::vector<std::int64_t>> AccessReadRecords(storage::Transaction& tx,
                                                          std::int64_t access_record_id);

}  // namespace custos::archive::sql
