// SPDX-License-Identifier: Apache-2.0
// GET /api/v1/conversations[?channel=&person=&since=&until=] and
// GET /api/v1/conversations/{id}/messages: newest first, keyset paginated
// ({"items":[...],"next_cursor":"..."|null}); each message with its "verdict" (or null).
// Unknown query parameters are a 400 naming them.
#include <string>

#include "http/resource_json.h"
#include "http/respond.h"
#include "http/routes.h"

namespace custos::http {

namespace {

void ListConversations(app::Custos& custos, const httplib::Request& req, httplib::Response& res) {
  if (!AcceptQueryParams(req, res, {"limit", "cursor", "channel", "person", "since", "until"})) {
    return;
  }
  app::ConversationQuery query;
  for (auto [name, field] :
       {std::pair{"channel", &query.channel}, std::pair{"person", &query.person},
        std::pair{"since", &query.since}, std::pair{"until", &query.until}}) {
    auto value = OptionalParam(req, name);
    if (!value) {
      SendError(res, value.error(), 400, name);
      return;
    }
    *field = value->value_or("");
  }
  auto limit = ParseLimit(req);
  if (!limit) {
    SendError(res, limit.error());
    return;
  }
  auto cursor = ParseCursor(req);
  if (!cursor) {
    SendError(res, cursor.error());
    return;
  }
  auto page = custos.ListConversations(query, *cursor, *limit);
  if (!page) {
    SendError(res, page.error());
    return;
  }
  Json items = Json::array();
  for (const model::Conversation& c : page->items) {
    items.push_back(ConversationJson(c));
  }
  SendJson(res, 200, Json{{"items", std::move(items)}, {"next_cursor", CursorJson(page->next)}});
}

void ListMessages(app::Custos& custos, const httplib::Request& req, httplib::Response& res) {
  if (!AcceptQueryParams(req, res, {"limit", "cursor"})) {
    return;
  }
  auto id = ParseId(req.matches[1].str(), "conversation id");
  if (!id) {
    SendError(res, id.error());
    return;
  }
  auto limit = ParseLimit(req);
  if (!limit) {
    SendError(res, limit.error());
    return;
  }
  auto cursor = ParseCursor(req);
  if (!cursor) {
    SendError(res, cursor.error());
    return;
  }
  auto conversation = custos.store().GetConversation(*id);
  if (!conversation) {
    SendError(res, conversation.error());
    return;
  }
  if (!conversation->has_value()) {
    SendError(res, core::NotFound("conversation " + std::to_string(*id) + " not found"));
    return;
  }
  auto page = custos.store().ListMessages(*id, *cursor, *limit);
  if (!page) {
    SendError(res, page.error());
    return;
  }
  Json items = Json::array();
  for (const model::Message& m : page->items) {
    items.push_back(MessageJson(m, *id));
  }
  if (const core::Status s = AttachVerdicts(custos, items); !s.ok()) {
    SendError(res, s);
    return;
  }
  SendJson(res, 200, Json{{"items", std::move(items)}, {"next_cursor", CursorJson(page->next)}});
}

}  // namespace

void AddConversationRoutes(RouteContext* ctx, RouteList& routes) {
  routes.push_back({"GET", "/api/v1/conversations", true,
                    [ctx](const httplib::Request& req, httplib::Response& res) {
                      ListConversations(*ctx->custos, req, res);
                    }});
  routes.push_back({"GET", "/api/v1/conversations/{id}/messages", true,
                    [ctx](const httplib::Request& req, httplib::Response& res) {
                      ListMessages(*ctx->custos, req, res);
                    }});
}

}  // namespace custos::http
