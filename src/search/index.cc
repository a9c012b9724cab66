// SPDX-License-Identifier: Apache-2.0
#include "search/index.h"

#include <algorithm>
#include <set>

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

// The key hashed for a prefix: a unit separator cannot occur in a token, so a prefix's hash
// never equals a word's.
std::string PrefixKey(std::string_view prefix) { return "\x1fprefix\x1f" + std::string(prefix); }

bool IsText(const Term& t) {
  return t.kind == Term::Kind::kPhrase || t.kind == Term::Kind::kPrefix;
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

// Compiles a query tree into a WHERE expression over `messages m`, with its parameters.
class Index::SqlBuilder {
 public:
  SqlBuilder(const Index& index, const ConversationIds& conversations,
             std::vector<storage::Value>* params)
      : index_(index), conversations_(conversations), params_(params) {}

  // The FTS5 MATCH expression of a text term.
  std::string Match(const Term& t) const {
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

  std::string InIndex(const std::string& match) {
    params_->emplace_back(match);
    return "m.id IN (SELECT rowid FROM message_index WHERE message_index MATCH ?)";
  }

  // The text children of an AND or OR merged into one MATCH (`joiner` " AND " / " OR "), the
  // others compiled one by one; `skip_text` leaves the text children out (the caller matched
  // them already).
  std::string Combine(const Node& n, bool skip_text = false) {
    const bool is_and = n.op == Node::Op::kAnd;
    const std::string joiner = is_and ? " AND " : " OR ";
    // The merged MATCH first: parameters are bound in the order the SQL names them.
    std::string match;
    if (!skip_text) {
      for (const Node& c : n.children) {
        if (c.op == Node::Op::kTerm && IsText(c.term)) {
          match += (match.empty() ? "" : joiner) + Match(c.term);
        }
      }
    }
    std::vector<std::string> parts;
    if (!match.empty()) {
      parts.push_back(InIndex(match));
    }
    for (const Node& c : n.children) {
      if (!(c.op == Node::Op::kTerm && IsText(c.term))) {
        parts.push_back(Compile(c));
      }
    }
    if (parts.empty()) {
      return is_and ? "1 = 1" : "0 = 1";
    }
    std::string out = "(";
    for (std::size_t i = 0; i < parts.size(); ++i) {
      out += (i > 0 ? joiner : "") + parts[i];
    }
    return out + ")";
  }

  std::string Compile(const Node& n) {
    switch (n.op) {
      case Node::Op::kAnd:
      case Node::Op::kOr:
        return Combine(n);
      case Node::Op::kNot:
        return "NOT " + Compile(n.children[0]);
      case Node::Op::kTerm:
        break;
    }
    const Term& t = n.term;
    switch (t.kind) {
      case Term::Kind::kPhrase:
      case Term::Kind::kPrefix:
        return InIndex(Match(t));
      case Term::Kind::kChannel:
        return Param("m.channel = ?", t.value);
      case Term::Kind::kDirection:
        return Param("m.direction = ?", t.value);
      case Term::Kind::kFrom:
        return Param("m.sender_hash = ?", storage::Blob{index_.identity_hash_(t.value)});
      case Term::Kind::kTo: {
        // Addressed to X: in a conversation X takes part in, and not sent by X.
        const storage::Blob who{index_.identity_hash_(t.value)};
        params_->emplace_back(who);
        params_->emplace_back(who);
        return "(m.sender_hash <> ? AND EXISTS (SELECT 1 FROM conversation_participants p WHERE"
               " p.conversation_id = m.conversation_id AND p.identity_hash = ?))";
      }
      case Term::Kind::kConversation: {
        auto it = conversations_.find(t.value);
        if (it == conversations_.end() || !it->second) {
          return "0 = 1";  // an unknown conversation matches nothing
        }
        return Param("m.conversation_id = ?", *it->second);
      }
      case Term::Kind::kAfter:
        return Param("m.sent_at >= ?", t.time);
      case Term::Kind::kBefore:
        return Param("m.sent_at < ?", t.time);
      case Term::Kind::kRule:
        return Param(
            "EXISTS (SELECT 1 FROM verdicts v WHERE v.message_id = m.id AND"
            " instr(' ' || v.rules || ' ', ?) > 0)",
            " " + t.value + " ");
      case Term::Kind::kFlagged:
        return std::string(t.flag ? "" : "NOT ") +
               "EXISTS (SELECT 1 FROM verdicts v WHERE v.message_id = m.id)";
      case Term::Kind::kAction:
        return Param("EXISTS (SELECT 1 FROM verdicts v WHERE v.message_id = m.id AND v.action = ?)",
                     t.value);
      case Term::Kind::kSeverity:
        return Param(
            "EXISTS (SELECT 1 FROM verdicts v WHERE v.message_id = m.id AND v.severity = ?)",
            t.value);
    }
    return "0 = 1";
  }

 private:
  std::string Param(const char* sql, storage::Value value) {
    params_->push_back(std::move(value));
    return sql;
  }

  const Index& index_;
  const ConversationIds& conversations_;
  std::vector<storage::Value>* params_;
};

core::Result<SearchPage> Index::Search(storage::Transaction& tx, const Query& query,
                                       const ConversationIds& conversations,
                                       std::optional<std::pair<core::Micros, std::int64_t>> after,
                                       int limit) const {
  std::string sql;
  std::vector<storage::Value> params;
  SqlBuilder builder(*this, conversations, &params);
  // The usual query, an AND with words in it, is driven by the full-text index; anything else
  // (only filters, OR at the top, negation) is a condition on each message.
  std::string match;
  if (query.root.op == Node::Op::kAnd) {
    for (const Node& c : query.root.children) {
      if (c.op == Node::Op::kTerm && IsText(c.term)) {
        match += (match.empty() ? "" : " AND ") + builder.Match(c.term);
      }
    }
  }
  if (!match.empty()) {
    params.emplace_back(match);
    sql =
        "SELECT m.id, m.sent_at FROM message_index JOIN messages m ON m.id = message_index.rowid "
        "WHERE message_index MATCH ? AND ";
    sql += builder.Combine(query.root, /*skip_text=*/true);
  } else {
    sql = "SELECT m.id, m.sent_at FROM messages m WHERE " + builder.Compile(query.root);
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
