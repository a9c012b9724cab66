// SPDX-License-Identifier: Apache-2.0
// GET /api/v1/search?q=...&limit=&cursor=: full-text search (search/query.h syntax, a bad query
// is a 400 naming the offending part), newest first, with a snippet and the conversation of each
// hit. GET /api/v1/verdicts?rule=&severity=&action=&channel=&person=&since=&until=&limit=&cursor=:
// the flagged messages, newest first, each with its verdict (docs/search.md).
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "http/content_access.h"
#include "http/resource_json.h"
#include "http/respond.h"
#include "http/routes.h"

namespace custos::http {

namespace {

// The optional `cursor` query parameter as given ("" is none).
std::optional<std::string> Cursor(const Request& req) {
  const std::string c(req.Param("cursor").value_or(""));
  return c.empty() ? std::nullopt : std::optional<std::string>(c);
}

core::Result<Response> Search(RequestContext& ctx) {
  const std::string q(ctx.request.Param("q").value_or(""));
  if (q.empty()) {
    return ctx.Fail(core::InvalidArgument("query parameter \"q\" is required"), {0, "q"});
  }
  ASSIGN_OR_RETURN(int limit, ParseLimit(ctx.request));
  ASSIGN_OR_RETURN(app::AccessContext who, AccessOf(ctx));
  ASSIGN_OR_RETURN(app::ContentScope scope, ScopeOf(ctx));
  ASSIGN_OR_RETURN(auto found, ctx.custos.Search(q, Cursor(ctx.request), limit, scope));
  std::vector<std::pair<std::int64_t, std::int64_t>> read;
  Json results = Json::array();
  for (const app::SearchResult& r : found.results) {
    read.emplace_back(r.message.id, r.message.record_id);
    const std::int64_t conversation_id = r.message.conversation_id;
    Json item = {{"message", MessageJson(r.message, conversation_id)}, {"snippet", r.snippet}};
    item["conversation_id"] = conversation_id != 0 ? Json(conversation_id) : Json(nullptr);
    results.push_back(std::move(item));
  }
  Json next = found.next_cursor ? Json(*found.next_cursor) : Json(nullptr);
  RETURN_IF_ERROR(ctx.custos.access().RecordReadIds(who, "search", read, q,
                                                    static_cast<std::int64_t>(read.size())));
  return JsonResponse(200, Json{{"results", std::move(results)}, {"next_cursor", std::move(next)}});
}

// The most pages of verdicts a scoped read goes through to fill one answer.
constexpr int kMaxScopedPages = 20;

// The verdicts whose messages `scope` lets through, `limit` of them when there are as many.
core::Result<app::VerdictListing> ScopedVerdicts(RequestContext& ctx,
                                                 const app::VerdictQuery& query,
                                                 std::optional<std::string> cursor, int limit,
                                                 const app::ContentScope& scope) {
  app::VerdictListing out;
  for (int pages = 0; pages < kMaxScopedPages; ++pages) {
    ASSIGN_OR_RETURN(app::VerdictListing page, ctx.custos.ListVerdicts(query, cursor, limit));
    std::vector<std::int64_t> ids;
    for (const app::VerdictItem& item : page.items) {
      ids.push_back(item.row.summary.message_id);
    }
    ASSIGN_OR_RETURN(std::vector<model::Message> messages, ctx.custos.store().GetMany(ids));
    std::set<std::int64_t> visible;
    for (const model::Message& m : messages) {
      if (scope.Visible(m)) {
        visible.insert(m.id);
      }
    }
    cursor = page.next_cursor;
    for (std::size_t i = 0; i < page.items.size(); ++i) {
      app::VerdictItem& item = page.items[i];
      if (visible.count(item.row.summary.message_id) == 0) {
        continue;
      }
      out.items.push_back(std::move(item));
      if (out.items.size() == static_cast<std::size_t>(limit)) {
        if (i + 1 < page.items.size()) {
          cursor = archive::EncodeCursor(
              {out.items.back().row.sent_at, out.items.back().row.summary.message_id});
        }
        break;
      }
    }
    if (out.items.size() == static_cast<std::size_t>(limit) || !cursor) {
      break;
    }
  }
  out.next_cursor = cursor;
  return out;
}

core::Result<Response> ListVerdicts(RequestContext& ctx) {
  app::VerdictQuery query;
  for (auto [name, field] :
       {std::pair{"rule", &query.rule}, std::pair{"severity", &query.severity},
        std::pair{"action", &query.action}, std::pair{"channel", &query.channel},
        std::pair{"person", &query.person}, std::pair{"since", &query.since},
        std::pair{"until", &query.until}}) {
    ASSIGN_OR_RETURN(std::optional<std::string> value,
                     ctx.Detail(OptionalParam(ctx.request, name), {400, name}));
    *field = value.value_or("");
  }
  ASSIGN_OR_RETURN(int limit, ctx.Detail(ParseLimit(ctx.request), {400, "limit"}));
  ASSIGN_OR_RETURN(app::AccessContext who, AccessOf(ctx));
  ASSIGN_OR_RETURN(app::ContentScope scope, ScopeOf(ctx));
  ASSIGN_OR_RETURN(auto listing, scope.scoped()
                                     ? ScopedVerdicts(ctx, query, Cursor(ctx.request), limit, scope)
                                     : ctx.custos.ListVerdicts(query, Cursor(ctx.request), limit));
  // The verdicts' evidence quotes the messages: a read of their content.
  std::vector<std::pair<std::int64_t, std::int64_t>> read;
  for (const app::VerdictItem& item : listing.items) {
    read.emplace_back(item.row.summary.message_id, item.row.summary.record_id);
  }
  RETURN_IF_ERROR(ctx.custos.access().RecordReadIds(who, "verdicts", read, {},
                                                    static_cast<std::int64_t>(read.size())));
  return JsonResponse(200, VerdictListJson(listing));
}

}  // namespace

void AddSearchRoutes(RouteList& routes) {
  routes.push_back(MakeRoute("GET", "/api/v1/search", {AuthScheme::kBearerToken},
                             Permission::kMessagesRead, Search)
                       .Query({"q", "limit", "cursor", "purpose"}));
  routes.push_back(MakeRoute("GET", "/api/v1/verdicts", {AuthScheme::kBearerToken},
                             Permission::kMessagesRead, ListVerdicts)
                       .Query({"rule", "severity", "action", "channel", "person", "since", "until",
                               "limit", "cursor", "purpose"}));
}

}  // namespace custos::http
