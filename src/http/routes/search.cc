// SPDX-License-Identifier: Apache-2.0
// GET /api/v1/search?q=...&limit=&cursor=: full-text search (search/query.h syntax), newest
// first, with a snippet and the conversation of each hit.
#include <cstdint>
#include <optional>
#include <string>

#include "http/respond.h"
#include "http/routes.h"

namespace custos::http {

namespace {

void Search(app::Custos& custos, const httplib::Request& req, httplib::Response& res) {
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

}  // namespace

void AddSearchRoutes(RouteContext* ctx, RouteList& routes) {
  routes.push_back(
      {"GET", "/api/v1/search", true, [ctx](const httplib::Request& req, httplib::Response& res) {
         Search(*ctx->custos, req, res);
       }});
}

}  // namespace custos::http
