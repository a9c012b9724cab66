// SPDX-License-Identifier: Apache-2.0
// GET /api/v1/search?q=...&limit=&cursor=: full-text search (search/query.h syntax, a bad query
// is a 400 naming the offending part), newest first, with a snippet and the conversation of each
// hit. GET /api/v1/verdicts?rule=&severity=&action=&channel=&person=&since=&until=&limit=&cursor=:
// the flagged messages, newest first, each with its verdict (docs/search.md).
#include <cstdint>
#include <optional>
#include <string>

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
  ASSIGN_OR_RETURN(auto found, ctx.custos.Search(q, Cursor(ctx.request), limit));
  Json results = Json::array();
  for (const app::SearchResult& r : found.results) {
    const std::int64_t conversation_id = r.message.conversation_id;
    Json item = {{"message", MessageJson(r.message, conversation_id)}, {"snippet", r.snippet}};
    item["conversation_id"] = conversation_id != 0 ? Json(conversation_id) : Json(nullptr);
    results.push_back(std::move(item));
  }
  Json next = found.next_cursor ? Json(*found.next_cursor) : Json(nullptr);
  return JsonResponse(200, Json{{"results", std::move(results)}, {"next_cursor", std::move(next)}});
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
  ASSIGN_OR_RETURN(auto listing, ctx.custos.ListVerdicts(query, Cursor(ctx.request), limit));
  return JsonResponse(200, VerdictListJson(listing));
}

}  // namespace

void AddSearchRoutes(RouteList& routes) {
  routes.push_back(MakeRoute("GET", "/api/v1/search", {AuthScheme::kBearerToken},
                             Permission::kMessagesRead, Search)
                       .Query({"q", "limit", "cursor"}));
  routes.push_back(MakeRoute("GET", "/api/v1/verdicts", {AuthScheme::kBearerToken},
                             Permission::kMessagesRead, ListVerdicts)
                       .Query({"rule", "severity", "action", "channel", "person", "since", "until",
                               "limit", "cursor"}));
}

}  // namespace custos::http
