// SPDX-License-Identifier: Apache-2.0
// Data access for the `settings` table (migration 1): small named values the archive keeps
// beside its data (the log origin, the search index format).
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <optional>
#include <string>

#include "core/status.h"
#include "storage/database.h"

namespace custos::archive::sql {

// The value of `key`, or nullopt.
core::Result<std::optional<std::string>> ReadSetting(storage::Transaction& tx,
                                                     const std::string& key);

// Stores `key`; kAlreadyExists when it is stored already.
core::Status InsertSetting(storage::Transaction& tx, const std::string& key,
                           const std::string& value);

// Removes `key` (OK when absent).
core::Status DeleteSetting(storage::Transaction& tx, const std::string& key);

}  // namespace custos::archive::sql
