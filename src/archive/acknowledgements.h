// SPDX-License-Identifier: Apache-2.0
// Acknowledgements of a policy pack version by the employees it applies to
// (docs/policy-operations.md, "Acknowledgement"): each is a sealed `policy_acknowledgement` record
// in the Merkle log (docs/formats/records.md) and a `policy_acknowledgements` row indexing it by
// version and directory person. One per person and version.
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
#include "storage/database.h"

namespace custos::archive {

struct Acknowledgement {
  std::int64_t record_id = 0;
  std::string version;         // the pack version acknowledged
  std::int64_t person_id = 0;  // the directory person who acknowledged it
  core::Micros acknowledged_at = 0;
};

// What is recorded: the actor is the authenticated principal ("device:<id>", "user:<id> (...)"),
// `person` the directory person's name at the time (sealed, for readers of the record).
struct AcknowledgementRecord {
  std::string version;
  std::int64_t person_id = 0;
  std::string person;
  std::string actor;
};

// Appends a `policy_acknowledgement` record and its row at `at`. The caller checks first that
// none exists (FindAcknowledgement in the same write transaction); a second one for the same
// version and person is a storage error (the row is unique).
core::Result<Acknowledgement> AppendAcknowledgement(storage::Transaction& tx,
                                                    const crypto::KeyRing& keys, core::Micros at,
                                                    const AcknowledgementRecord& ack);

// The acknowledgement of `version` by `person_id`; nullopt when there is none.
core::Result<std::optional<Acknowledgement>> FindAcknowledgement(storage::Transaction& tx,
                                                                 const std::string& version,
                                                                 std::int64_t person_id);

// Every acknowledgement of `version`, oldest first.
core::Result<std::vector<Acknowledgement>> AcknowledgementsOf(storage::Transaction& tx,
                                                              const std::string& version);

// Whether `version` was ever recorded as a policy pack (a `policy_pack` record).
core::Result<bool> PolicyVersionRecorded(storage::Transaction& tx, const std::string& version);

}  // namespace custos::archive
