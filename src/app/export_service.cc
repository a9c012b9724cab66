// SPDX-License-Identifier: Apache-2.0
#include "app/export_service.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "core/text.h"
#include "search/query.h"

namespace custos::app {
namespace {

constexpr int kSearchPage = 500;

core::Status NoSuchConversation(const std::string& text) {
  return core::NotFound("no conversation \"" + std::string(core::TruncateUtf8(text, 200)) +
                        "\" in the archive");
}

}  // namespace

ExportService::ExportService(const archive::MessageStore* store, const SearchService* search)
    : store_(store), search_(search) {}

// Full-text or from: queries go through the search index: collect the matching ids (newest
// first), then hand them over oldest first.
core::Status ExportService::SelectBySearch(const std::string& query, const Sink& sink,
                                           std::int64_t* count) const {
  std::vector<std::int64_t> ids;
  std::optional<std::string> cursor;
  do {
    ASSIGN_OR_RETURN(SearchResults page, search_->Search(query, cursor, kSearchPage));
    for (const SearchResult& r : page.results) {
      ids.push_back(r.message.id);
    }
    cursor = page.next_cursor;
  } while (cursor);
  std::reverse(ids.begin(), ids.end());
  for (std::size_t at = 0; at < ids.size(); at += kSearchPage) {
    const std::vector<std::int64_t> batch(
        ids.begin() + static_cast<std::ptrdiff_t>(at),
        ids.begin() + static_cast<std::ptrdiff_t>(std::min(ids.size(), at + kSearchPage)));
    ASSIGN_OR_RETURN(std::vector<model::Message> messages, store_->GetMany(batch));
    for (const model::Message& m : messages) {
      RETURN_IF_ERROR(sink(m));
      ++*count;
    }
  }
  return core::Status::Ok();
}

core::Result<std::int64_t> ExportService::Select(const std::string& query_text,
                                                 const Sink& sink) const {
  std::int64_t count = 0;
  ASSIGN_OR_RETURN(search::Query query, search::ParseQuery(query_text));
  // A typo must not pass for "nothing to export": every conversation the query names, wherever
  // in it (with words, under OR or NOT), must exist.
  for (const std::string& c : query.Values(search::Term::Kind::kConversation)) {
    ASSIGN_OR_RETURN(std::optional<std::int64_t> id, store_->ResolveConversation(c));
    if (!id) {
      return NoSuchConversation(c);
    }
  }
  if (!query.OnlySimpleFilters()) {
    RETURN_IF_ERROR(SelectBySearch(query_text, sink, &count));
    return count;
  }
  archive::ExportFilter filter;
  if (query.conversation) {
    ASSIGN_OR_RETURN(filter.conversation_id, store_->ResolveConversation(*query.conversation));
    if (!filter.conversation_id) {
      return NoSuchConversation(*query.conversation);
    }
  }
  if (query.HasText() || query.from) {
    RETURN_IF_ERROR(SelectBySearch(query_text, sink, &count));
    return count;
  }
  if (query.channel) {
    filter.channel = core::ToLowerAscii(*query.channel);
  }
  filter.after = query.after;
  filter.before = query.before;
  core::Status sink_status;
  RETURN_IF_ERROR(store_->ExportEach(filter, [&](const model::Message& m) {
    sink_status = sink(m);
    ++count;
    return sink_status.ok();
  }));
  RETURN_IF_ERROR(sink_status);
  return count;
}

}  // namespace custos::app
