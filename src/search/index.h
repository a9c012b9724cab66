// SPDX-License-Identifier: Apache-2.0
// The full-text index: a contentless FTS table that holds keyed hashes of tokens, never the
// tokens themselves, so no message text is on disk in plaintext. Writing and querying hash
// every token with the same keyed hash; phrases keep working because positions are kept.
// For prefix search (`guarantee*`) each message's row also holds, after its tokens, the keyed
// hashes of every token's prefixes of kMinPrefix..kMaxPrefix code points (query.h), under a
// separate domain so a prefix never matches a word (docs/search.md: the trade-off).
//
// Thread-safety: an Index is safe to share; its token cache is guarded by a mutex.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "core/mutex.h"
#include "core/status.h"
#include "search/query.h"
#include "storage/database.h"

namespace custos::search {

// Maps a token (or a handle, for from: filters) to its keyed hash (raw bytes).
using KeyedHash = std::function<std::string(std::string_view)>;

struct Hit {
  std::int64_t message_id = 0;
  core::Micros sent_at = 0;
};

struct SearchPage {
  std::vector<Hit> hits;
  std::optional<std::pair<core::Micros, std::int64_t>> next;  // keyset cursor
};

// The archive's id of each conversation: value of a query (nullopt: no such conversation,
// which matches nothing).
using ConversationIds = std::map<std::string, std::optional<std::int64_t>>;

// The `settings` key that says the index holds tokens without prefixes (written by migration 10
// when messages were indexed before prefix search): Custos rebuilds the index on a writable open.
inline constexpr const char* kIndexFormatKey = "search_index_format";
inline constexpr const char* kIndexFormatNoPrefixes = "1";

class Index {
 public:
  // `token_hash` hashes index tokens; `identity_hash` hashes handles for from: filters and must
  // match what the archive stores as the sender hash.
  Index(KeyedHash token_hash, KeyedHash identity_hash)
      : token_hash_(std::move(token_hash)), identity_hash_(std::move(identity_hash)) {}

  // Indexes `text` for message `message_id` within `tx`.
  core::Status Add(storage::Transaction& tx, std::int64_t message_id, std::string_view text) const;

  // Removes message `message_id`, indexed by Add with the same `text`, within `tx` (retention:
  // before the text is destroyed). A contentless FTS5 row can only be deleted by naming the
  // exact tokens it was indexed with, so `text` must be what was indexed.
  core::Status Remove(storage::Transaction& tx, std::int64_t message_id,
                      std::string_view text) const;

  // A fingerprint of what Add indexes for `text`: a sum over its index tokens of a hash of
  // (token, position), so it does not depend on order; 0 when Add indexes nothing.
  std::uint64_t Fingerprint(std::string_view text) const;

  // The same fingerprint for every message the index holds, read back from the stored index
  // (an fts5vocab view of it, created in the temp schema), so `custos verify` can compare the
  // index with the fingerprints of the sealed texts. kDataLoss when the index cannot be read.
  core::Result<std::unordered_map<std::int64_t, std::uint64_t>> StoredFingerprints(
      storage::Transaction& tx) const;

  // Messages matching `query`, newest first, after the keyset cursor when given.
  // `conversations` resolves the query's conversation: values (Query::Values).
  core::Result<SearchPage> Search(storage::Transaction& tx, const Query& query,
                                  const ConversationIds& conversations,
                                  std::optional<std::pair<core::Micros, std::int64_t>> after,
                                  int limit) const;

  // What Add stores for `text`: the hex index tokens of its words, in order, then those of their
  // prefixes (for verification and rebuilds).
  std::string TokenColumn(std::string_view text) const;

 private:
  class SqlBuilder;
  // The hex index token for `token`, memoised: chat vocabularies are small, so most tokens
  // are hashed once per process.
  std::string IndexToken(const std::string& token) const;

  KeyedHash token_hash_;
  KeyedHash identity_hash_;

  mutable core::Mutex cache_mu_;
  mutable std::unordered_map<std::string, std::string> cache_ CUSTOS_GUARDED_BY(cache_mu_);
};

}  // namespace custos::search
