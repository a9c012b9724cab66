// SPDX-License-Identifier: Apache-2.0
#include "app/access_records.h"

#include <filesystem>
#include <utility>

#include "archive/canonical.h"
#include "archive/records.h"
#include "storage/sqlite/sqlite_database.h"

namespace custos::app {

core::Result<std::int64_t> AppendAccessChange(storage::Transaction& tx, const crypto::KeyRing& keys,
                                              const AccessChange& change) {
  ASSIGN_OR_RETURN(auto appender, archive::RecordAppender::Begin(tx, keys));
  archive::CanonicalValue::Object body;
  body["event"] = change.event;
  body["actor"] = change.actor;
  body["subject"] = change.subject;
  body["roles"] = change.roles;
  body["scope"] = change.scope;
  body["detail"] = change.detail;
  return appender.Append("access_change", change.at, std::move(body));
}

core::Result<AccessStore> OpenAccessStore(const std::string& data_dir) {
  const std::string db_path = data_dir + "/custos.db";
  const std::string keys_path = data_dir + "/keys/keyring";
  std::error_code ec;
  if (!std::filesystem::exists(db_path, ec) || !std::filesystem::exists(keys_path, ec)) {
    return core::NotFound("no custos data directory at " + data_dir +
                          " (start `custos serve --data " + data_dir + "` once to create it)");
  }
  AccessStore store;
  ASSIGN_OR_RETURN(crypto::KeyRing keys, crypto::KeyRing::Load(keys_path));
  store.keys = std::make_unique<crypto::KeyRing>(std::move(keys));
  ASSIGN_OR_RETURN(store.db, storage::OpenSqlite(db_path));
  return store;
}

}  // namespace custos::app
