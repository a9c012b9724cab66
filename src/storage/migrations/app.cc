// SPDX-License-Identifier: Apache-2.0
#include "storage/migrations/app.h"

namespace custos::storage::migrations::app {

// Migration 8: API tokens can expire and be revoked (`custos tokens`, app/tokens.h); NULL is
// "never" and "not revoked".
const Migration kTokenExpiry = {8, "token expiry and revocation", R"sql(
ALTER TABLE api_tokens ADD COLUMN expires_at INTEGER;
ALTER TABLE api_tokens ADD COLUMN revoked_at INTEGER;
)sql",
                                ""};

}  // namespace custos::storage::migrations::app
