// SPDX-License-Identifier: Apache-2.0
// Data access for the identity directory (directory/directory.h): `directory_people`,
// `directory_identities`, `directory_parties` and `conversation_labels`. People and parties
// are sealed; lookups use keyed hashes.
//
// Thread-safety: free functions over the caller's transaction.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "directory/directory.h"
#include "storage/database.h"

namespace custos::directory::sql {

// A person's row: its id, the keyed hash of its key, whether an employee, and the sealed entry.
struct PersonRow {
  std::int64_t id = 0;
  std::string key_hash;
  bool employee = false;
  crypto::Envelope sealed;
};

// The person an identity hash belongs to, or nullopt.
core::Result<std::optional<std::int64_t>> FindIdentityOwner(storage::Transaction& tx,
                                                            const std::string& identity_hash);
core::Result<std::optional<PersonRow>> FindPerson(storage::Transaction& tx, std::int64_t id);
core::Result<std::vector<PersonRow>> ListPeople(storage::Transaction& tx);
core::Result<std::optional<std::int64_t>> FindPersonByKey(storage::Transaction& tx,
                                                          const std::string& key_hash);
// Inserts a person and returns its id (SQLite: last_insert_rowid()).
core::Result<std::int64_t> InsertPerson(storage::Transaction& tx, const std::string& key_hash,
                                        bool employee, const crypto::Envelope& sealed,
                                        core::Micros at);
core::Status UpdatePerson(storage::Transaction& tx, std::int64_t id, bool employee,
                          const crypto::Envelope& sealed, core::Micros at);
core::Status DeletePersonIdentities(storage::Transaction& tx, std::int64_t person_id);
core::Status InsertIdentity(storage::Transaction& tx, const std::string& identity_hash,
                            std::int64_t person_id);

// Whether the identity hash is a person's or an external party's already.
core::Result<bool> IdentityKnown(storage::Transaction& tx, const std::string& identity_hash);
core::Status InsertParty(storage::Transaction& tx, const std::string& identity_hash,
                         const crypto::Envelope& sealed, std::int64_t import_run_id,
                         core::Micros at);
core::Status DeleteParty(storage::Transaction& tx, const std::string& identity_hash);
core::Result<std::int64_t> CountParties(storage::Transaction& tx);

// Labels a conversation; "external" is never downgraded to "internal".
core::Status UpsertConversationLabel(storage::Transaction& tx, std::int64_t conversation_id,
                                     const std::string& label, std::int64_t import_run_id,
                                     core::Micros at);
// Every label (or only those equal to `only` when it is not empty), by conversation id.
core::Result<std::vector<StoredLabel>> ListLabels(storage::Transaction& tx,
                                                  const std::string& only);
core::Result<std::optional<std::string>> FindLabel(storage::Transaction& tx,
                                                   std::int64_t conversation_id);

// Which of the keyed idempotency hashes are stored as messages.
core::Result<std::vector<std::string>> StoredIdempotencyHashes(
    storage::Transaction& tx, const std::vector<std::string>& idem_hashes);

}  // namespace custos::directory::sql
