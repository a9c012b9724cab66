// SPDX-License-Identifier: Apache-2.0
// The full-text index: a contentless FTS table that holds keyed hashes of tokens, never the
// tokens themselves, so no message text is on disk in plaintext. Writing and querying hash
// every token with the same keyed hash; phrases keep working because positions are kept.
//
// Thread-safety: an Index is safe to share; its token cache is guarded by a mutex.
#pragma once

#include <cstdint>
#include <functional>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

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
  // `conversation_id` is the resolved conversation filter, if any.
  core::Result<SearchPage> Search(storage::Transaction& tx, const Query& query,
                                  std::optional<std::int64_t> conversation_id,
                                  std::optional<std::pair<core::Micros, std::int64_t>> after,
                                  int limit) const;

 private:
  std::string TokenColumn(std::string_view text) const;
  // The hex index token for `token`, memoised: chat vocabularies are small, so most tokens
  // are hashed once per process.
  std::string IndexToken(const std::string& token) const;

  KeyedHash token_hash_;
  KeyedHash identity_hash_;

  mutable std::mutex cache_mu_;
  mutable std::unordered_map<std::string, std::string> cache_;  // guarded by cache_mu_
};

}  // namespace custos::search
