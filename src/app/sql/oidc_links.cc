// SPDX-License-Identifier: Apache-2.0
#include "app/sql/oidc_links.h"

namespace custos::app::sql {

using storage::Blob;

core::Result<std::optional<std::int64_t>> FindOidcLink(storage::Transaction& tx,
                                                       const std::string& identity_hash) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("SELECT user_id FROM user_oidc_links WHERE identity_hash = ?",
                            {Blob{identity_hash}}));
  if (rows.empty()) {
    return std::optional<std::int64_t>();
  }
  return std::optional<std::int64_t>(rows[0].Int(0));
}

core::Status InsertOidcLink(storage::Transaction& tx, const std::string& identity_hash,
                            std::int64_t user_id, core::Micros at) {
  return tx.Execute(
      "INSERT INTO user_oidc_links (identity_hash, user_id, created_at) VALUES (?, ?, ?)",
      {Blob{identity_hash}, user_id, at});
}

core::Result<std::int64_t> CountOidcLinksOfUser(storage::Transaction& tx, std::int64_t user_id) {
  ASSIGN_OR_RETURN(auto rows,
                   tx.Query("SELECT COUNT(*) FROM user_oidc_links WHERE user_id = ?", {user_id}));
  return rows[0].Int(0);
}

}  // namespace custos::app::sql
