// SPDX-License-Identifier: Apache-2.0
#include "search/index.h"

#include "core/text.h"

namespace custos::search {
namespace {

// Index tokens are the first 8 bytes of the keyed hash, in hex: 64 bits keep collisions
// negligible while the index stays compact.
constexpr std::size_t kTokenHashBytes = 8;

// The memo is dropped when it grows past this many tokens (bounded memory).
constexpr std::size_t kMaxCachedTokens = 200'000;

// The contribution of `token` at `position` to a fingerprint: FNV-1a, then a 64-bit finaliser.
std::uint64_t TokenHash(std::string_view token, std::int64_t position) {
  std::uint64_t h = 1469598103934665603ULL;
  for (const char c : token) {
    h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  }
  h ^= static_cast<std::uint64_t>(position) + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2);
  h ^= h >> 33;
  h *= 0xff51afd7ed558ccdULL;
  h ^= h >> 33;
  h *= 0xc4ceb9fe1a85ec53ULL;
  h ^= h >> 33;
  return h;
}

}  // namespace

std::uint64_t Index::Fingerprint(std::string_view text) const {
  const std::string column = TokenColumn(text);
  std::uint64_t sum = 0;
  std::int64_t position = 0;
  std::size_t start = 0;
  while (start < column.size()) {
    std::size_t end = column.find(' ', start);
    if (end == std::string::npos) {
      end = column.size();
    }
    if (end > start) {
      sum += TokenHash(std::string_view(column).substr(start, end - start), position++);
    }
    start = end + 1;
  }
  return sum;
}

core::Result<std::unordered_map<std::int64_t, std::uint64_t>> Index::StoredFingerprints(
    storage::Transaction& tx) const {
  // A reader connection is query_only, which also forbids the temp schema the vocabulary view
  // lives in; lift it for the view's lifetime (the main database stays untouched).
  ASSIGN_OR_RETURN(auto query_only, tx.Query("PRAGMA query_only"));
  const bool restore = !query_only.empty() && query_only[0].Int(0) != 0;
  if (restore) {
    RETURN_IF_ERROR(tx.Execute("PRAGMA query_only = OFF"));
  }
  std::unordered_map<std::int64_t, std::uint64_t> out;
  core::Status read = tx.Execute(
      "CREATE VIRTUAL TABLE temp.custos_verify_index USING fts5vocab(main, message_index, "
      "instance)");
  if (read.ok()) {
    read = tx.QueryEach("SELECT term, doc, offset FROM temp.custos_verify_index", {},
                        [&out](const storage::Row& r) {
                          out[r.Int(1)] += TokenHash(r.Text(0), r.Int(2));
                          return true;
                        });
    core::Status dropped = tx.Execute("DROP TABLE temp.custos_verify_index");
    if (read.ok()) {
      read = dropped;
    }
  }
  if (restore) {
    RETURN_IF_ERROR(tx.Execute("PRAGMA query_only = ON"));
  }
  if (!read.ok()) {
    return core::DataLoss("the search index cannot be read: " + read.message());
  }
  return out;
}

std::string Index::IndexToken(const std::string& token) const {
  {
    std::lock_guard lock(cache_mu_);
    if (auto it = cache_.find(token); it != cache_.end()) {
      return it->second;
    }
  }
  std::string hex = core::HexEncode(token_hash_(token).substr(0, kTokenHashBytes));
  std::lock_guard lock(cache_mu_);
  if (cache_.size() >= kMaxCachedTokens) {
    cache_.clear();
  }
  cache_.emplace(token, hex);
  return hex;
}

std::string Index::TokenColumn(std::string_view text) const {
  std::string column;
  for (const std::string& token : Tokenize(text)) {
    if (!column.empty()) {
      column.push_back(' ');
    }
    column += IndexToken(token);
  }
  return column;
}

core::Status Index::Add(storage::Transaction& tx, std::int64_t message_id,
                        std::string_view text) const {
  const std::string column = TokenColumn(text);
  if (column.empty()) {
    return core::Status::Ok();
  }
  return tx.Execute("INSERT INTO message_index (rowid, tokens) VALUES (?, ?)",
                    {message_id, column});
}

core::Status Index::Remove(storage::Transaction& tx, std::int64_t message_id,
                           std::string_view text) const {
  const std::string column = TokenColumn(text);
  if (column.empty()) {
    return core::Status::Ok();  // Add stored nothing
  }
  return tx.Execute(
      "INSERT INTO message_index (message_index, rowid, tokens) VALUES ('delete', ?, ?)",
      {message_id, column});
}

core::Result<SearchPage> Index::Search(storage::Transaction& tx, const Query& query,
                                       std::optional<std::int64_t> conversation_id,
                                       std::optional<std::pair<core::Micros, std::int64_t>> after,
                                       int limit) const {
  std::string sql;
  std::vector<storage::Value> params;
  if (query.HasText()) {
    std::string match;
    for (const auto& phrase : query.phrases) {
      if (!match.empty()) {
        match += " AND ";
      }
      match += '"';
      for (std::size_t i = 0; i < phrase.size(); ++i) {
        if (i > 0) {
          match += ' ';
        }
        match += IndexToken(phrase[i]);
      }
      match += '"';
    }
    sql =
        "SELECT m.id, m.sent_at FROM message_index JOIN messages m ON m.id = message_index.rowid "
        "WHERE message_index MATCH ?";
    params.emplace_back(match);
  } else {
    sql = "SELECT m.id, m.sent_at FROM messages m WHERE 1 = 1";
  }
  if (query.channel) {
    sql += " AND m.channel = ?";
    params.emplace_back(*query.channel);
  }
  if (query.from) {
    sql += " AND m.sender_hash = ?";
    params.emplace_back(storage::Blob{identity_hash_(*query.from)});
  }
  if (conversation_id) {
    sql += " AND m.conversation_id = ?";
    params.emplace_back(*conversation_id);
  }
  if (query.after) {
    sql += " AND m.sent_at >= ?";
    params.emplace_back(*query.after);
  }
  if (query.before) {
    sql += " AND m.sent_at < ?";
    params.emplace_back(*query.before);
  }
  if (after) {
    sql += " AND (m.sent_at < ? OR (m.sent_at = ? AND m.id < ?))";
    params.emplace_back(after->first);
    params.emplace_back(after->first);
    params.emplace_back(after->second);
  }
  sql += " ORDER BY m.sent_at DESC, m.id DESC LIMIT ?";
  params.emplace_back(static_cast<std::int64_t>(limit) + 1);

  ASSIGN_OR_RETURN(std::vector<storage::Row> rows, tx.Query(sql, params));
  SearchPage page;
  for (const storage::Row& row : rows) {
    if (page.hits.size() == static_cast<std::size_t>(limit)) {
      const Hit& last = page.hits.back();
      page.next = std::make_pair(last.sent_at, last.message_id);
      break;
    }
    page.hits.push_back({row.Int(0), row.Int(1)});
  }
  return page;
}

}  // namespace custos::search
