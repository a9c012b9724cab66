// SPDX-License-Identifier: Apache-2.0
#include "search/sql/index.h"

namespace custos::search::sql {
namespace {

using ConversationIds = std::map<std::string, std::optional<std::int64_t>>;

bool IsText(const Term& t) {
  return t.kind == Term::Kind::kPhrase || t.kind == Term::Kind::kPrefix;
}

// Compiles a query tree into a WHERE expression over `messages m`, with its parameters.
class SqlBuilder {
 public:
  SqlBuilder(const TermEncoder& encoder, const ConversationIds& conversations,
             std::vector<storage::Value>* params)
      : encoder_(encoder), conversations_(conversations), params_(params) {}

  std::string Match(const Term& t) const { return encoder_.Match(t); }

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
        return Param("m.sender_hash = ?", storage::Blob{encoder_.IdentityHash(t.value)});
      case Term::Kind::kTo: {
        // Addressed to X: in a conversation X takes part in, and not sent by X.
        const storage::Blob who{encoder_.IdentityHash(t.value)};
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

  const TermEncoder& encoder_;
  const ConversationIds& conversations_;
  std::vector<storage::Value>* params_;
};

}  // namespace

core::Status InsertTokens(storage::Transaction& tx, std::int64_t message_id,
                          const std::string& tokens) {
  return tx.Execute("INSERT INTO message_index (rowid, tokens) VALUES (?, ?)",
                    {message_id, tokens});
}

core::Status DeleteAllTokens(storage::Transaction& tx) {
  return tx.Execute("INSERT INTO message_index (message_index) VALUES ('delete-all')", {});
}

core::Status DeleteTokens(storage::Transaction& tx, std::int64_t message_id,
                          const std::string& tokens) {
  return tx.Execute(
      "INSERT INTO message_index (message_index, rowid, tokens) VALUES ('delete', ?, ?)",
      {message_id, tokens});
}

core::Status EachPosting(
    storage::Transaction& tx,
    const std::function<void(std::string_view, std::int64_t, std::int64_t)>& fn) {
  // A reader connection is query_only, which also forbids the temp schema the vocabulary view
  // lives in; lift it for the view's lifetime (the main database stays untouched).
  ASSIGN_OR_RETURN(auto query_only, tx.Query("PRAGMA query_only"));
  const bool restore = !query_only.empty() && query_only[0].Int(0) != 0;
  if (restore) {
    RETURN_IF_ERROR(tx.Execute("PRAGMA query_only = OFF"));
  }
  core::Status read = tx.Execute(
      "CREATE VIRTUAL TABLE temp.custos_verify_index USING fts5vocab(main, message_index, "
      "instance)");
  if (read.ok()) {
    read = tx.QueryEach("SELECT term, doc, offset FROM temp.custos_verify_index", {},
                        [&fn](const storage::Row& r) {
                          fn(r.Text(0), r.Int(1), r.Int(2));
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
  return read;
}

core::Result<std::vector<std::pair<std::int64_t, core::Micros>>> FindMessages(
    storage::Transaction& tx, const Node& root, const TermEncoder& encoder,
    const ConversationIds& conversations,
    std::optional<std::pair<core::Micros, std::int64_t>> after, std::int64_t limit) {
  std::string sql;
  std::vector<storage::Value> params;
  SqlBuilder builder(encoder, conversations, &params);
  // The usual query, an AND with words in it, is driven by the full-text index; anything else
  // (only filters, OR at the top, negation) is a condition on each message.
  std::string match;
  if (root.op == Node::Op::kAnd) {
    for (const Node& c : root.children) {
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
    sql += builder.Combine(root, /*skip_text=*/true);
  } else {
    sql = "SELECT m.id, m.sent_at FROM messages m WHERE " + builder.Compile(root);
  }
  if (after) {
    sql += " AND (m.sent_at < ? OR (m.sent_at = ? AND m.id < ?))";
    params.emplace_back(after->first);
    params.emplace_back(after->first);
    params.emplace_back(after->second);
  }
  sql += " ORDER BY m.sent_at DESC, m.id DESC LIMIT ?";
  params.emplace_back(limit);

  ASSIGN_OR_RETURN(std::vector<storage::Row> rows, tx.Query(sql, params));
  std::vector<std::pair<std::int64_t, core::Micros>> out;
  out.reserve(rows.size());
  for (const storage::Row& row : rows) {
    out.emplace_back(row.Int(0), row.Int(1));
  }
  return out;
}

}  // namespace custos::search::sql
