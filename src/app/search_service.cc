// SPDX-License-Identifier: Apache-2.0
#include "app/search_service.h"

#include <algorithm>
#include <cstdint>
#include <utility>

#include "archive/sql/settings.h"
#include "core/text.h"
#include "search/query.h"

namespace custos::app {
namespace {

constexpr std::size_t kSnippetBytes = 160;

// The most index hits one scoped search examines before it answers with what it found.
constexpr std::size_t kMaxScopedScan = 10'000;

// A plain-text excerpt of `text` around the first token of `query` (or its start).
std::string Snippet(const std::string& text, const search::Query& query) {
  std::size_t at = 0;
  if (const std::string word = query.FirstWord(); !word.empty()) {
    const std::string lower = core::ToLowerAscii(text);
    const std::size_t found = lower.find(word);
    if (found != std::string::npos) {
      at = found;
    }
  }
  std::size_t begin = at > kSnippetBytes / 3 ? at - kSnippetBytes / 3 : 0;
  while (begin > 0 && (static_cast<unsigned char>(text[begin]) & 0xC0) == 0x80) {
    --begin;
  }
  std::string out = begin > 0 ? "…" : "";
  const std::string_view piece =
      core::TruncateUtf8(std::string_view(text).substr(begin), kSnippetBytes);
  out.append(piece);
  if (begin + piece.size() < text.size()) {
    out += "…";
  }
  std::replace(out.begin(), out.end(), '\n', ' ');
  return out;
}

}  // namespace

SearchService::SearchService(storage::Database* db, const search::Index* index,
                             const archive::MessageStore* store, RuleCheck check_rules)
    : db_(db), index_(index), store_(store), check_rules_(std::move(check_rules)) {}

core::Result<SearchResults> SearchService::Search(std::string_view query_text,
                                                  std::optional<std::string> cursor, int limit,
                                                  const ContentScope& scope) const {
  ASSIGN_OR_RETURN(search::Query query, search::ParseQuery(query_text));
  std::optional<std::pair<core::Micros, std::int64_t>> after;
  if (cursor && !cursor->empty()) {
    ASSIGN_OR_RETURN(archive::PageCursor c, archive::DecodeCursor(*cursor));
    after = std::make_pair(c.time, c.id);
  }
  SearchResults out;
  if (query.HasPrefix()) {
    ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
    ASSIGN_OR_RETURN(std::optional<std::string> marked,
                     archive::sql::ReadSetting(*tx, std::string(search::kIndexFormatKey)));
    if (marked.has_value()) {
      return core::FailedPrecondition(
          "the search index of this archive predates prefix search; open it once with a writing "
          "command (custos serve, or any import) to rebuild it, then search again");
    }
  }
  search::ConversationIds conversations;
  for (const std::string& c : query.Values(search::Term::Kind::kConversation)) {
    ASSIGN_OR_RETURN(conversations[c], store_->ResolveConversation(c));
  }
  RETURN_IF_ERROR(check_rules_(query.Values(search::Term::Kind::kRule)));
  // A scoped search reads pages until it has `limit` visible results, the index is exhausted,
  // or it has examined kMaxScopedScan hits (then it returns what it has with a cursor).
  std::size_t examined = 0;
  while (true) {
    search::SearchPage page;
    {
      ASSIGN_OR_RETURN(auto tx, db_->Begin(storage::TxMode::kRead));
      ASSIGN_OR_RETURN(page, index_->Search(*tx, query, conversations, after, limit));
    }
    std::vector<std::int64_t> ids;
    for (const search::Hit& hit : page.hits) {
      ids.push_back(hit.message_id);
    }
    ASSIGN_OR_RETURN(std::vector<model::Message> messages, store_->GetMany(ids));
    std::size_t next_message = 0;
    for (std::size_t i = 0; i < page.hits.size(); ++i) {
      const search::Hit& hit = page.hits[i];
      ++examined;
      if (next_message >= messages.size() || messages[next_message].id != hit.message_id) {
        continue;  // disposed of (GetMany skips it)
      }
      model::Message& m = messages[next_message++];
      if (!scope.Visible(m)) {
        continue;
      }
      std::string snippet = Snippet(m.text, query);
      out.results.push_back({std::move(m), std::move(snippet)});
      if (scope.scoped() && out.results.size() == static_cast<std::size_t>(limit)) {
        if (i + 1 < page.hits.size() || page.next) {
          out.next_cursor = archive::EncodeCursor({hit.sent_at, hit.message_id});
        }
        return out;
      }
    }
    if (!page.next) {
      break;
    }
    if (!scope.scoped() || examined >= kMaxScopedScan) {
      out.next_cursor = archive::EncodeCursor({page.next->first, page.next->second});
      break;
    }
    after = page.next;
  }
  return out;
}

}  // namespace custos::app
