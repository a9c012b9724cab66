// SPDX-License-Identifier: Apache-2.0
// Retention: which archived messages have outlived their retention class, and their
// disposition by crypto-shredding (docs/retention.md).
//
// A message's class is the first-listed class with the longest period among the classes whose
// criteria all match it (channel, desk, and the rule ids, severities and actions of the hits of
// its archived policy verdict); the default class when none matches. It
// has expired when it was sent before the class's cutoff (now minus the period). Disposing of
// it, within the caller's transaction: removes its tokens from the full-text index (the
// caller's IndexRemover), sets its record's payload and wrapped data key to NULL and
// disposed_at, keeps the leaf hash and the messages metadata row, and appends a `disposition`
// record (docs/formats/records.md); the same for the message's `verdict` record when it had
// one (a second disposition record). Holds are the caller's business: pass what they cover.
//
// Thread-safety: a Retention is immutable after construction; calls take the caller's
// transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "archive/holds.h"
#include "archive/message_store.h"
#include "archive/records.h"
#include "core/status.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "model/message.h"
#include "storage/database.h"

namespace custos::archive {

struct RetentionClass {
  std::string name;
  std::string legal_basis;
  std::string period;       // as configured, e.g. "90d"; recorded in dispositions
  core::Micros cutoff = 0;  // messages sent before this have expired
  // Criteria; an empty list places no condition. All given criteria must match.
  std::vector<std::string> channels;
  std::vector<std::string> desks;
  std::vector<std::string> rules;
  std::vector<std::string> severities;  // of any hit of the message's verdict
  std::vector<std::string> actions;     // of any hit of the message's verdict
};

struct RetentionPolicy {
  std::vector<RetentionClass> classes;                    // in configuration order
  RetentionClass default_class;                           // its criteria are ignored
  std::map<std::string, std::vector<std::string>> desks;  // desk -> member handles
};

// What the archived policy verdict of a message says: the rule id, severity and action of each
// of its hits (all empty when the message had no hits).
struct VerdictFacts {
  std::vector<std::string> rules;
  std::vector<std::string> severities;
  std::vector<std::string> actions;
};

// Looks up a message's verdict (app/retention_service.cc reads archive/verdicts.h). Without one,
// classes with rules, severities or actions match nothing.
using RuleLookup =
    std::function<core::Result<VerdictFacts>(storage::Transaction&, std::int64_t message_id)>;

// Reads the verdict archived with the message (archive/verdicts.h): its rule ids from the index
// row; with `per_hit`, the severity and action of every hit from its sealed record (decrypted),
// otherwise only the highest severity and strictest action of the index row.
RuleLookup ArchivedVerdictLookup(const crypto::KeyRing* keys, bool per_hit);

// Removes a message's tokens from the full-text index before its text is destroyed.
using IndexRemover = std::function<core::Status(storage::Transaction&, const model::Message&)>;

struct Expired {
  std::int64_t message_id = 0;
  std::int64_t record_id = 0;
  std::int64_t conversation_id = 0;
  std::string channel;
  std::string kind;  // message, edit, delete, reaction, join, leave
  core::Micros sent_at = 0;
  std::string class_name;
  std::string legal_basis;
  std::string period;
  std::int64_t disposition_record_id = 0;  // set once disposed of
  // The disposition of the message's `verdict` record, when it had one; 0 otherwise.
  std::int64_t verdict_disposition_record_id = 0;
};

struct ExpiredScan {
  std::vector<Expired> items;      // oldest first
  std::optional<PageCursor> next;  // resume here; nullopt when the scan is complete
};

// A digest (SHA-256, hex) of what stays of record `record_id` once it is disposed of: its
// `records` row but the destroyed payload and key (kind, created_at, leaf_hash, key_version,
// disposed_at) and the derived row that names it (`messages` or `verdicts`, every column, typed).
// The disposition record carries it as `rows_sha256`, so `custos verify` can tell whether those
// rows, which no sealed record describes any more, were changed afterwards.
core::Result<std::string> DisposedRowsDigest(storage::Transaction& tx, std::int64_t record_id);

class Retention {
 public:
  Retention(const crypto::KeyRing* keys, RetentionPolicy policy, RuleLookup rules = {});

  // Scans retained (not yet disposed of) messages oldest first, after `after` when given, and
  // returns up to `limit` that have expired and are not covered by `held`. `next` is where a
  // further scan continues (the items returned are not yet disposed of, so pass it on only
  // after disposing of them or when listing).
  core::Result<ExpiredScan> FindExpired(storage::Transaction& tx, const HeldSet& held,
                                        std::optional<PageCursor> after, int limit) const;

  // Disposes of `item` (see above) at `at`; fills item->disposition_record_id.
  // kFailedPrecondition when it was disposed of already; kDataLoss when its record cannot be
  // decrypted (nothing is destroyed then).
  core::Status Dispose(storage::Transaction& tx, RecordAppender& records, Expired* item,
                       core::Micros at, const IndexRemover& remove_from_index) const;

  const RetentionPolicy& policy() const { return policy_; }

 private:
  // The governing class of a message; nullptr only when the policy is empty.
  core::Result<const RetentionClass*> ClassOf(
      storage::Transaction& tx, std::int64_t message_id, std::int64_t conversation_id,
      const std::string& channel,
      std::map<std::int64_t, std::vector<std::string>>* desks_by_conversation) const;

  core::Result<std::int64_t> ShredRecord(storage::Transaction& tx, RecordAppender& records,
                                         const Expired& item, std::int64_t record_id,
                                         core::Micros at) const;

  const crypto::KeyRing* keys_;
  RetentionPolicy policy_;
  RuleLookup rules_;
  std::map<std::string, std::vector<std::string>> desks_of_identity_;  // identity hash -> desks
  core::Micros latest_cutoff_ = 0;
};

}  // namespace custos::archive
