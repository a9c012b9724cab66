// SPDX-License-Identifier: Apache-2.0
// The access audit (issue 15, docs/access.md "The access audit", docs/formats/records.md kinds
// `access` and `access_refused`): every read of message content and every permission refusal is
// a record of the Merkle log, so the trail of who read what is as tamper-evident as the messages
// themselves. `access_log` and `access_reads` index the records by actor, time and the records
// read; they are written in the transaction that appends the record and `custos verify`
// recomputes them from the sealed bodies.
//
// Who appends: app::AccessAudit, which hands the writes to the ingest writer so that they ride
// its group commit (one fsync for many reads). This file is the record format and its index.
//
// Thread-safety: free functions over the caller's transaction; value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "archive/canonical.h"
#include "core/status.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "storage/database.h"

namespace custos::archive {

// At most this many records are listed by one `access` record; a larger read (an export) is
// recorded as several records, each with its `part`.
inline constexpr std::size_t kMaxAccessReads = 1'000;

// One read of message content.
struct AccessEntry {
  std::string actor;                    // http::Principal::Actor(), or "cli:<user>"
  std::vector<std::string> roles;       // the principal's role(s); [] for the CLI
  std::string action;                   // message, history, conversation, search, verdicts, record,
                                        // evidence, export
  std::string client;                   // the client address; "cli" for the command line
  std::string purpose;                  // the stated purpose or matter; "" when none was given
  std::string request_id;               // the API request id; "" for the CLI
  std::string query;                    // search and export: the query as given; "" otherwise
  std::optional<std::int64_t> results;  // search and export: how many results were returned
  std::vector<std::int64_t> message_ids;  // the messages read, in the order returned
  std::vector<std::int64_t> record_ids;   // their records, same order and length
  std::int64_t part = 0;                  // 1, 2, ... when split (kMaxAccessReads); 0 otherwise
  core::Micros at = 0;                    // when the read was made
};

// One request refused for a missing permission (a 403).
struct RefusalEntry {
  std::string actor;
  std::vector<std::string> roles;
  std::string route;       // "GET /api/v1/messages/{id}"
  std::string permission;  // the permission it lacks, "messages.read"; "" for a failed login
  // Why a login was refused ("wrong password", "wrong second factor", "locked", ...); "" for a
  // permission refusal. Written to the record only when not empty.
  std::string reason;
  std::string client;
  std::string request_id;
  core::Micros at = 0;
};

// The "<kind>:<id>" part of an actor ("token:3 (ci)" -> "token:3"), which identifies it.
std::string_view AccessActorKey(std::string_view actor);

// The keyed hash `access_log.actor_hash` holds for `actor` (of its AccessActorKey).
std::string AccessActorHash(const crypto::KeyRing& keys, std::string_view actor);

// The record bodies (docs/formats/records.md).
CanonicalValue::Object AccessBody(const AccessEntry& e);
CanonicalValue::Object RefusalBody(const RefusalEntry& e);

// Appends each entry as a record committed at `commit_at` (ids in order) with its index rows,
// inside `tx`. kInvalidArgument when an entry lists more than kMaxAccessReads records or its
// message and record ids differ in length. Returns the record ids.
core::Result<std::vector<std::int64_t>> AppendAccessRecords(
    storage::Transaction& tx, const crypto::KeyRing& keys, core::Micros commit_at,
    const std::vector<AccessEntry>& reads, const std::vector<RefusalEntry>& refusals);

// A filter over the access audit; every member given must hold.
struct AccessQuery {
  std::optional<std::string> actor;           // an actor string or its "<kind>:<id>"
  std::optional<core::Micros> since;          // at >= since
  std::optional<core::Micros> until;          // at < until
  std::optional<std::int64_t> read_record;    // lists this record (of a message)
  std::optional<std::int64_t> message_id;     // lists this message
  bool include_refusals = true;               // also access_refused records (none with a read_*)
  std::optional<std::int64_t> before_record;  // cursor: records with a smaller id
  int limit = 100;
};

struct AccessListItem {
  std::int64_t record_id = 0;
  std::uint64_t log_index = 0;  // record_id - 1: the leaf of GET /api/v1/log/proof/inclusion
  std::string kind;             // "access" or "access_refused"
  core::Micros at = 0;          // the read's time (the body's `at`); the envelope has commit time
  std::string canonical;        // the record's canonical bytes
};

struct AccessListing {
  std::vector<AccessListItem> items;  // newest first
  std::optional<std::int64_t> next_before;
};

// The access records `query` selects, newest first, decrypted. kDataLoss when a record fails
// its tag.
core::Result<AccessListing> ListAccess(storage::Transaction& tx, const crypto::KeyRing& keys,
                                       const AccessQuery& query);

}  // namespace custos::archive
