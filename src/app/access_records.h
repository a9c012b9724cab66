// SPDX-License-Identifier: Apache-2.0
// Changes to who may do what (users added, disabled, enabled; roles and scope set; passwords and
// second factors reset or enrolled; API tokens created and revoked) are written to the archive's
// Merkle log as `access_change` records (docs/formats/records.md), in the transaction that makes
// the change, so `custos verify` covers them like every other record. The body names the actor
// and the subject (`user:<id>`, `token:<id>`), never a password, a secret or a login.
//
// OpenAccessStore opens a data directory's database and key ring without the writer lock, for
// the CLI's users and tokens commands (app/tokens.h says why that is safe: each change is one
// SQLite transaction, and the server reads these tables on every request).
//
// Thread-safety: free functions over the caller's transaction; OpenAccessStore is safe to call
// concurrently.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "core/status.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "storage/database.h"

namespace custos::app {

struct AccessChange {
  std::string event;    // user_added, user_disabled, roles_set, token_created, ... (records.md)
  std::string actor;    // who made the change: a principal's Actor(), "cli:<unix user>", "system"
  std::string subject;  // "user:<id>" or "token:<id>"
  std::string roles;    // the subject's roles after the change, comma-joined ("" if unchanged)
  std::string scope;    // the subject's scope groups after the change, comma-joined
  std::string detail;   // free text, never a secret
  core::Micros at = 0;
};

// Appends the change to the log in `tx`; returns the record id.
core::Result<std::int64_t> AppendAccessChange(storage::Transaction& tx, const crypto::KeyRing& keys,
                                              const AccessChange& change);

struct AccessStore {
  std::unique_ptr<storage::Database> db;
  std::unique_ptr<crypto::KeyRing> keys;
};

// DIR/custos.db (migrated to this build's schema) and DIR/keys/keyring. kNotFound naming DIR
// when it holds no custos database or no key ring.
core::Result<AccessStore> OpenAccessStore(const std::string& data_dir);

}  // namespace custos::app
