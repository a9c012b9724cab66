// SPDX-License-Identifier: Apache-2.0
// Data access for the `policy_acknowledgements` index table (archive/acknowledgements.h) and the
// lookup of a recorded pack version in `policy_packs`. The sealed records the rows index are
// written through archive::RecordAppender.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "archive/acknowledgements.h"
#include "core/status.h"
#include "storage/database.h"

namespace custos::archive::sql {

core::Status InsertAcknowledgementRow(storage::Transaction& tx, const Acknowledgement& ack);

core::Result<std::optional<Acknowledgement>> FindAcknowledgement(storage::Transaction& tx,
                                                                 const std::string& version,
                                                                 std::int64_t person_id);

// Oldest first.
core::Result<std::vector<Acknowledgement>> FindAcknowledgements(storage::Transaction& tx,
                                                                const std::string& version);

core::Result<bool> PolicyVersionRecorded(storage::Transaction& tx, const std::string& version);

}  // namespace custos::archive::sql
