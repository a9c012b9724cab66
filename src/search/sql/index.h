// SPDX-License-Identifier: Apache-2.0
// Data access for the full-text index (search/index.h): the only code that knows the index is
// the contentless FTS5 table `message_index` and how a search query becomes SQL over it. A
// PostgreSQL backend (docs/adr/0001-scale-out-postgresql.md) is a second implementation of
// these functions; search::Index above them only hashes tokens.
//
// Thread-safety: free functions over the caller's transaction; `TermEncoder`s are called on
// the caller's thread.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "search/query.h"
#include "storage/database.h"

namespace custos::search::sql {

// Turns the parts of a query that involve secrets into what the index stores.
class TermEncoder {
 public:
  virtual ~TermEncoder() = default;
  // The full-text match expression (FTS5 syntax over index tokens) of a phrase or prefix term.
  virtual std::string Match(const Term& term) const = 0;
  // The keyed hash of a handle, as the archive stores it for senders and participants.
  virtual std::string IdentityHash(const std::string& handle) const = 0;
};

// Adds the index row of message `message_id`: `tokens` is the space-separated token column.
core::Status InsertTokens(storage::Transaction& tx, std::int64_t message_id,
                          const std::string& tokens);

// Empties the index (FTS5 'delete-all'), before it is rebuilt from the messages.
core::Status DeleteAllTokens(storage::Transaction& tx);

// Deletes that row; `tokens` must be exactly what InsertTokens stored (contentless FTS5).
core::Status DeleteTokens(storage::Transaction& tx, std::int64_t message_id,
                          const std::string& tokens);

// Calls `fn(token, message id, position)` for every posting in the index (an fts5vocab view in
// the temp schema, dropped again; a query_only reader is let write its temp schema meanwhile).
// The storage error when the index cannot be read.
core::Status EachPosting(
    storage::Transaction& tx,
    const std::function<void(std::string_view, std::int64_t, std::int64_t)>& fn);

// The (message id, sent_at) of up to `limit` messages matching `root`, newest first, after the
// keyset cursor `after` when given. `conversations` resolves conversation: terms.
core::Result<std::vector<std::pair<std::int64_t, core::Micros>>> FindMessages(
    storage::Transaction& tx, const Node& root, const TermEncoder& encoder,
    const std::map<std::string, std::optional<std::int64_t>>& conversations,
    std::optional<std::pair<core::Micros, std::int64_t>> after, std::int64_t limit);

}  // namespace custos::search::sql
