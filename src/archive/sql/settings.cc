// SPDX-License-Identifier: Apache-2.0
#include "archive/sql/settings.h"

namespace custos::archive::sql {

core::Result<std::optional<std::string>> ReadSetting(storage::Transaction& tx,
                                                     const std::string& key) {
  ASSIGN_OR_RETURN(auto rows, tx.Query("SELECT value FROM settings WHERE key = ?", {key}));
  if (rows.empty()) {
    return std::optional<std::string>();
  }
  return std::optional<std::string>(rows[0].Text(0));
}

core::Status InsertSetting(storage::Transaction& tx, const std::string& key,
                           const std::string& value) {
  return tx.Execute("INSERT INTO settings (key, value) VALUES (?, ?)", {key, value});
}

core::Status DeleteSetting(storage::Transaction& tx, const std::string& key) {
  return tx.Execute("DELETE FROM settings WHERE key = ?", {key});
}

}  // namespace custos::archive::sql
