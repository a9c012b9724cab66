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

void Search(app::Custos& custos, const httplib::Request& req, httplib::Response& res) {
  if (!AcceptQueryParams(req, res, {"q", "limit", "cursor"})) {
    return;
  }
  const std::string q = req.get_param_value("q");
  if (q.empty()) {
    SendError(res, core::InvalidArgument("query parameter \"q\" is required"), 0, "q");
    return;
  }
  auto limit = ParseLimit(req);
  if (!limit) {
    SendError(res, limit.error());
    return;
  }
  std::optional<std::string> cursor;
  if (const std::string c = req.get_param_value("cursor"); !c.empty()) {
    cursor = c;
  }
  auto found = custos.Search(q, cursor, *limit);
  if (!found) {
    SendError(res, found.error());
    return;
  }
  Json results = Json::array();
  for (const app::SearchResult& r : found->results) {
    const std::int64_t conversation_id = r.message.conversation_id;
    Json item = {{"message", MessageJson(r.message, conversation_id)}, {"snippet", r.snippet}};
    item["conversation_id"] = conversation_id != 0 ? Json(conversation_id) : Json(nullptr);
    results.push_back(std::move(item));
  }
  Json next = found->next_cursor ? Json(*found->next_cursor) : Json(nullptr);
  SendJson(res, 200, Json{{"results", std::move(results)}, {"next_cursor", std::move(next)}});
}

void ListVerdicts(app::Custos& custos, const httplib::Request& req, httplib::Response& res) {
  if (!AcceptQueryParams(req, res,
                         {"rule", "severity", "action", "channel", "person", "since", "until",
                          "limit", "cursor"})) {
    return;
  }
  app::VerdictQuery query;
  for (auto [name, field] :
       {std::pair{"rule", &query.rule}, std::pair{"severity", &query.severity},
        std::pair{"action", &query.action}, std::pair{"channel", &query.channel},
        std::pair{"person", &query.person}, std::pair{"since", &query.since},
        std::pair{"until", &query.until}}) {
    auto value = OptionalParam(req, name);
    if (!value) {
      SendError(res, value.error(), 400, name);
      return;
    }
    *field = value->value_or("");
  }
  auto limit = ParseLimit(req);
  if (!limit) {
    SendError(res, limit.error(), 400, "limit");
    return;
  }
  std::optional<std::string> cursor;
  if (const std::string c = req.get_param_value("cursor"); !c.empty()) {
    cursor = c;
  }
  auto listing = custos.ListVerdicts(query, cursor, *limit);
  if (!listing) {
    SendError(res, listing.error());
    return;
  }
  SendJson(res, 200, VerdictListJson(*listing));
}

}  // namespace

void AddSearchRoutes(RouteContext* ctx, RouteList& routes) {
  routes.push_back(
      {"GET", "/api/v1/search", true, [ctx](const httplib::Request& req, httplib::Response& res) {
         Search(*ctx->custos, req, res);
       }});
  routes.push_back(
      {"GET", "/api/v1/verdicts", true, [ctx](const httplib::Request& req, httplib::Response& res) {
         ListVerdicts(*ctx->custos, req, res);
       }});
}

}  // namespace custos::http
