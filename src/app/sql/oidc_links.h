// SPDX-License-Identifier: Apache-2.0
// Data access for the links between provider identities and users (the `user_oidc_links` table,
// migration 15; app/oidc_accounts.h): the only code holding this table's SQL (ARCHITECTURE.md,
// "Storage and SQL"). An identity is its keyed hash (app/oidc_accounts.cc computes it).
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "core/status.h"
#include "core/time.h"
#include "storage/database.h"

namespace custos::app::sql {

// The user the identity `identity_hash` is linked to; nullopt when it is linked to none.
core::Result<std::optional<std::int64_t>> FindOidcLink(storage::Transaction& tx,
                                                       const std::string& identity_hash);

// Links the identity to user `user_id`. kAlreadyExists when the identity is linked already.
core::Status InsertOidcLink(storage::Transaction& tx, const std::string& identity_hash,
                            std::int64_t user_id, core::Micros at);

// How many identities are linked to user `user_id`.
core::Result<std::int64_t> CountOidcLinksOfUser(storage::Transaction& tx, std::int64_t user_id);

}  // namespace custos::app::sql
