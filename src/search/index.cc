// SPDX-License-Identifier: Apache-2.0
#include "search/index.h"

#include <algorithm>
#include <set>

#include "core/text.h"
#include "search/sql/index.h"

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

// The key hashed for a prefix: a unit separator cannot occur in a token, so a prefix's hash
// never equals a word's.
std::string PrefixKey(std::string_view prefix) { return "\x1fprefix\x1f" + std::string(prefix); }

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
  std::unordered_map<std::int64_t, std::uint64_t> out;
  const core::Status read = sql::EachPosting(
      tx, [&out](std::string_view token, std::int64_t message_id, std::int64_t position) {
        out[message_id] += TokenHash(token, position);
      });
  if (!read.ok()) {
    return core::DataLoss("the search index cannot be read: " + read.message());
  }
  return out;
}

std::string Index::IndexToken(const std::string& token) const {
  {
    core::MutexLock lock(&cache_mu_);
    if (auto it = cache_.find(token); it != cache_.end()) {
      return it->second;
    }
  }
  std::string hex = core::HexEncode(token_hash_(token).substr(0, kTokenHashBytes));
  core::MutexLock lock(&cache_mu_);
  if (cache_.size() >= kMaxCachedTokens) {
    cache_.clear();
  }
  cache_.emplace(token, hex);
  return hex;
}

std::string Index::TokenColumn(std::string_view text) const {
  std::string column;
  const std::vector<std::string> tokens = Tokenize(text);
  for (const std::string& token : tokens) {
    if (!column.empty()) {
      column.push_back(' ');
    }
    column += IndexToken(token);
  }
  // Prefixes after every word, so that phrases (adjacent word positions) are unaffected; each
  // distinct prefix once per message.
  std::set<std::string> seen;
  for (const std::string& token : tokens) {
    const std::size_t n = std::min(CodePoints(token) - 1, kMaxPrefix);
    for (std::size_t k = kMinPrefix; k <= n; ++k) {
      std::string prefix = FirstCodePoints(token, k);
      if (!seen.insert(prefix).second) {
        continue;
      }
      column.push_back(' ');
      column += IndexToken(PrefixKey(prefix));
    }
  }
  return column;
}

core::Status Index::Add(storage::Transaction& tx, std::int64_t message_id,
                        std::string_view text) const {
  const std::string column = TokenColumn(text);
  if (column.empty()) {
    return core::Status::Ok();
  }
  return sql::InsertTokens(tx, message_id, column);
}

core::Status Index::Remove(storage::Transaction& tx, std::int64_t message_id,
                           std::string_view text) const {
  const std::string column = TokenColumn(text);
  if (column.empty()) {
    return core::Status::Ok();  // Add stored nothing
  }
  return sql::DeleteTokens(tx, message_id, column);
}

// What the index stores for the secret parts of a query (hashed tokens and handles), for the
// SQL that search::sql::FindMessages builds. (Index's private nested class: it reads the token
// memo and the identity hash.)
class Index::SqlBuilder final : public sql::TermEncoder {
 public:
  explicit SqlBuilder(const Index& index) : index_(index) {}

  // The FTS5 MATCH expression of a text term.
  std::string Match(const Term& t) const override {
    if (t.kind == Term::Kind::kPrefix) {
      const std::string& w = t.words[0];
      return "(\"" + index_.IndexToken(PrefixKey(FirstCodePoints(w, kMaxPrefix))) + "\" OR \"" +
             index_.IndexToken(w) + "\")";
    }
    std::string phrase = "\"";
    for (std::size_t i = 0; i < t.words.size(); ++i) {
      if (i > 0) {
        phrase += ' ';
      }
      phrase += index_.IndexToken(t.words[i]);
    }
    return phrase + "\"";
  }

  std::string IdentityHash(const std::string& handle) const override {
    return index_.identity_hash_(handle);
  }

 private:
  const Index& index_;
};

core::Result<SearchPage> Index::Search(storage::Transaction& tx, const Query& query,
                                       const ConversationIds& conversations,
                                       std::optional<std::pair<core::Micros, std::int64_t>> after,
                                       int limit) const {
  const SqlBuilder encoder(*this);
  ASSIGN_OR_RETURN(auto rows, sql::FindMessages(tx, query.root, encoder, conversations, after,
                                                static_cast<std::int64_t>(limit) + 1));
  SearchPage page;
  for (const auto& [message_id, sent_at] : rows) {
    if (page.hits.size() == static_cast<std::size_t>(limit)) {
      const Hit& last = page.hits.back();
      page.next = std::make_pair(last.sent_at, last.message_id);
      break;
    }
    page.hits.push_back({message_id, sent_at});
  }
  return page;
}

}  // namespace custos::search
