// SPDX-License-Identifier: Apache-2.0
// Policy verdicts and applied policy packs in the archive (docs/formats/records.md, kinds
// `verdict` and `policy_pack`). A verdict is written in the same transaction as its message,
// as a sealed record plus a row of the `verdicts` index (action, highest severity, blocked,
// pack version, rule ids: no message text). A pack is written once per version applied, with
// the content of every file, so that any verdict's pack can be re-created from the archive.
//
// The archive does not know the policy engine: callers convert their verdicts into these
// plain values. Thread-safety: free functions over the caller's transaction.
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

struct StoredEvidence {
  std::int64_t begin = 0;  // byte offsets into the message text, half-open
  std::int64_t end = 0;
  std::string text;  // the matched text, masked for sensitive detectors
  bool masked = false;
  std::string source;      // list:NAME, "phrase", detect(NAME), ...
  std::string view;        // text, folded, leet; "" for detectors
  std::string confidence;  // high, medium, low; "" when not a detector
};

struct StoredHit {
  std::string rule;
  std::string clause;
  std::string severity;  // info, low, medium, high, critical
  std::string action;    // allow, warn, flag, escalate, redact, block
  std::vector<StoredEvidence> evidence;
};

struct VerdictEntry {
  std::int64_t message_id = 0;
  std::string action;    // the strictest action of the hits
  std::string severity;  // the highest severity of the hits
  std::string pack_version;
  bool blocked = false;  // an outbound message stopped before it left
  std::vector<StoredHit> hits;
};

// Appends a `verdict` record and its index row for each entry (messages must already be in
// `tx`). Returns the record ids in order.
core::Result<std::vector<std::int64_t>> AppendVerdicts(storage::Transaction& tx,
                                                       const crypto::KeyRing& keys, core::Micros at,
                                                       const std::vector<VerdictEntry>& entries);

// The index row of a message's verdict; nullopt when the message had no hits.
struct VerdictSummary {
  std::int64_t message_id = 0;
  std::int64_t record_id = 0;
  std::string action;
  std::string severity;
  bool blocked = false;
  std::string pack_version;
  std::vector<std::string> rules;
};

core::Result<std::optional<VerdictSummary>> GetVerdictSummary(storage::Transaction& tx,
                                                              std::int64_t message_id);

// The verdict record's canonical body (JSON), decrypted; nullopt when the message had no hits.
// kFailedPrecondition when the record was disposed of with its message.
core::Result<std::optional<std::string>> ReadVerdictJson(storage::Transaction& tx,
                                                         const crypto::KeyRing& keys,
                                                         std::int64_t message_id);

// Listing verdicts (GET /api/v1/verdicts, `custos verdicts list`): newest message first, keyset
// paginated on the message's (sent_at, id). Every filter given must hold.
struct VerdictFilter {
  std::optional<std::string> rule;      // one of the verdict's rule ids
  std::optional<std::string> severity;  // the verdict's highest severity
  std::optional<std::string> action;    // the verdict's strictest action
  std::optional<std::string> channel;
  // The message's sender is one of these identity hashes (a person's identities); unset: any.
  std::optional<std::vector<std::string>> sender_hashes;
  std::optional<core::Micros> since;  // sent_at >= since
  std::optional<core::Micros> until;  // sent_at < until
};

struct VerdictListItem {
  VerdictSummary summary;
  std::int64_t conversation_id = 0;
  std::string channel;
  std::string direction;
  core::Micros sent_at = 0;
};

struct VerdictList {
  std::vector<VerdictListItem> items;
  std::optional<std::pair<core::Micros, std::int64_t>> next;  // (sent_at, message id)
};

core::Result<VerdictList> ListVerdicts(storage::Transaction& tx, const VerdictFilter& filter,
                                       std::optional<std::pair<core::Micros, std::int64_t>> after,
                                       int limit);

// The verdict record's canonical body (JSON), decrypted, of an index row already read.
// kFailedPrecondition when the record was disposed of with its message.
core::Result<std::string> ReadVerdictRecordJson(storage::Transaction& tx,
                                                const crypto::KeyRing& keys,
                                                std::int64_t record_id);

// Every rule id that appears in some verdict (ordered).
core::Result<std::vector<std::string>> RecordedRules(storage::Transaction& tx);

struct PackFileContent {
  std::string path;  // relative to the pack root
  std::string content;
};

struct PackRecord {
  std::string version;  // the pack's content hash
  std::string origin;   // where it came from: a directory, "api", "default"
  std::string actor;    // who applied it: "cli", "api:<token id>", "startup"
  std::vector<PackFileContent> files;
};

// Appends a `policy_pack` record and its index row. Returns the record id.
core::Result<std::int64_t> AppendPolicyPack(storage::Transaction& tx, const crypto::KeyRing& keys,
                                            core::Micros at, const PackRecord& pack);

struct AppliedPack {
  std::int64_t record_id = 0;
  std::string version;
  core::Micros applied_at = 0;
};

// The most recently applied pack; nullopt when none has been recorded.
core::Result<std::optional<AppliedPack>> LatestPolicyPack(storage::Transaction& tx);

// The files of the pack recorded as `record_id`, decrypted.
core::Result<std::vector<PackFileContent>> ReadPolicyPackFiles(storage::Transaction& tx,
                                                               const crypto::KeyRing& keys,
                                                               std::int64_t record_id);

}  // namespace custos::archive
