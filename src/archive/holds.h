// SPDX-License-Identifier: Apache-2.0
// Legal holds: a named hold keeps every message it covers from being disposed of, whatever
// its retention, until the hold is released. Scopes (docs/retention.md):
//   person        every message of every conversation any of the person's identities takes
//                 part in (sent or received), now or later: the identities are resolved by the
//                 caller (app/retention_service.h: through the identity directory) and kept
//                 as keyed hashes in hold_identities;
//   conversation  every message of one conversation, now or later;
//   query         every message the search query matches: the matches when the hold was
//                 created (kept as a snapshot in hold_messages) and, at every retention run,
//                 whatever the query matches then (QueryMatcher).
// A hold also covers the whole history of each message it covers: the message an event is
// about and every event about a covered message.
//
// Each hold and each release is a record (kinds `hold`, `hold_release`,
// docs/formats/records.md), appended in the caller's transaction; the name, handle and query
// are only in the sealed record. Thread-safety: functions over the caller's transaction.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "archive/records.h"
#include "core/status.h"
#include "core/time.h"
#include "crypto/keyring.h"
#include "storage/database.h"

namespace custos::archive {

enum class HoldScope { kPerson, kConversation, kQuery };

std::string_view HoldScopeName(HoldScope scope);
core::Result<HoldScope> ParseHoldScope(std::string_view name);

struct HoldSpec {
  std::string name;
  HoldScope scope = HoldScope::kPerson;
  std::string person;                // kPerson: the person as asked for (name or handle)
  std::int64_t conversation_id = 0;  // kConversation: the resolved conversation id
  std::string query;                 // kQuery: search/query.h syntax
  // kPerson: every identity to cover, normalised (recorded in the hold record); empty:
  // `person`.
  std::vector<std::string> identities;
  // kPerson: the spellings of those identities messages may carry (each is matched by its
  // keyed hash, archive/payload.h IdentityHash); empty: `identities`.
  std::vector<std::string> spellings;
  std::int64_t person_id = 0;  // kPerson: the directory person resolved to; 0: none
  std::string person_name;     // kPerson: the directory's name of that person
};

struct Hold {
  std::int64_t id = 0;
  std::int64_t record_id = 0;
  std::string name;
  HoldScope scope = HoldScope::kPerson;
  std::string person;
  std::vector<std::string> identities;  // kPerson: the identities covered
  std::int64_t person_id = 0;           // kPerson: the directory person; 0: raw identities
  std::string person_name;              // kPerson: the directory's name; "" when none
  std::int64_t conversation_id = 0;
  std::string query;
  std::int64_t matched_at_creation = 0;  // kQuery: size of the snapshot
  // The messages (with their content still archived) the hold covers now; -1 when not
  // computed (HoldStore::Covers fills it).
  std::int64_t covers = -1;
  core::Micros created_at = 0;
  std::optional<core::Micros> released_at;
  std::optional<std::int64_t> release_record_id;
  std::string release_reason;

  bool active() const { return !released_at.has_value(); }
};

// What the active holds cover, computed within one transaction.
struct HeldSet {
  std::set<std::int64_t> conversations;  // conversation and person holds
  std::set<std::int64_t> messages;       // query holds (snapshot and re-evaluated matches)

  bool empty() const { return conversations.empty() && messages.empty(); }
};

// Evaluates a query hold's query now: the ids of every matching message.
using QueryMatcher =
    std::function<core::Result<std::vector<std::int64_t>>(storage::Transaction&, std::string_view)>;

class HoldStore {
 public:
  explicit HoldStore(const crypto::KeyRing* keys) : keys_(keys) {}

  // Stores the hold and its `hold` record (appended with `records`, at `at`). `snapshot` holds
  // the ids a query hold matches now (ignored for other scopes). kInvalidArgument for an empty
  // name, handle or query; kNotFound for an unknown conversation.
  core::Result<Hold> Create(storage::Transaction& tx, RecordAppender& records, const HoldSpec& spec,
                            core::Micros at, const std::vector<std::int64_t>& snapshot) const;

  // Releases hold `id` with a `hold_release` record. kNotFound when there is no such hold;
  // kFailedPrecondition when it was released already.
  core::Result<Hold> Release(storage::Transaction& tx, RecordAppender& records, std::int64_t id,
                             core::Micros at, std::string_view reason) const;

  // Every hold, active and released, by id; nullopt / empty when none.
  core::Result<std::optional<Hold>> Get(storage::Transaction& tx, std::int64_t id) const;
  core::Result<std::vector<Hold>> List(storage::Transaction& tx) const;

  // What the active holds cover now; `matcher` re-evaluates query holds (may be empty: then
  // only their snapshots count).
  core::Result<HeldSet> Covered(storage::Transaction& tx, const QueryMatcher& matcher) const;

  // How many messages `hold` covers now (whose content is still archived): the messages of
  // the conversations it covers, or for a query hold its snapshot and `matcher`'s matches. 0
  // for a released hold.
  core::Result<std::int64_t> Covers(storage::Transaction& tx, const Hold& hold,
                                    const QueryMatcher& matcher) const;

  // Whether message `message_id`, the message it is an event about, or any event about it is
  // covered by `held`.
  static core::Result<bool> IsHeld(storage::Transaction& tx, const HeldSet& held,
                                   std::int64_t message_id);

 private:
  core::Result<Hold> FromRow(storage::Transaction& tx, const storage::Row& row) const;

  const crypto::KeyRing* keys_;
};

}  // namespace custos::archive
