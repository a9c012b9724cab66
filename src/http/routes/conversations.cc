// SPDX-License-Identifier: Apache-2.0
// GET /api/v1/conversations[?channel=&person=&since=&until=] and
// GET /api/v1/conversations/{id}/messages: newest first, keyset paginated
// ({"items":[...],"next_cursor":"..."|null}); each message with its "verdict" (or null).
// Unknown query parameters are a 400 naming them.
#include <optional>
#include <string>
#include <utility>

#include "http/content_access.h"
#include "http/resource_json.h"
#include "http/respond.h"
#include "http/routes.h"

namespace custos::http {

namespace {

core::Result<Response> ListConversations(RequestContext& ctx) {
  app::ConversationQuery query;
  for (auto [name, field] :
       {std::pair{"channel", &query.channel}, std::pair{"person", &query.person},
        std::pair{"since", &query.since}, std::pair{"until", &query.until}}) {
    ASSIGN_OR_RETURN(std::optional<std::string> value,
                     ctx.Detail(OptionalParam(ctx.request, name), {400, name}));
    *field = value.value_or("");
  }
  ASSIGN_OR_RETURN(int limit, ParseLimit(ctx.request));
  ASSIGN_OR_RETURN(std::optional<archive::PageCursor> cursor, ParseCursor(ctx.request));
  ASSIGN_OR_RETURN(app::ContentScope scope, ScopeOf(ctx));
  ASSIGN_OR_RETURN(auto page, ctx.custos.ListConversations(query, cursor, limit, scope));
  Json items = Json::array();
  for (const model::Conversation& c : page.items) {
    items.push_back(ConversationJson(c));
  }
  return JsonResponse(200,
                      Json{{"items", std::move(items)}, {"next_cursor", CursorJson(page.next)}});
}

// The most pages of a conversation a scoped read goes through to fill one answer.
constexpr int kMaxScopedPages = 20;

core::Result<Response> ListMessages(RequestContext& ctx) {
  ASSIGN_OR_RETURN(std::int64_t id, ParseId(ctx.PathParam("id"), "conversation id"));
  ASSIGN_OR_RETURN(int limit, ParseLimit(ctx.request));
  ASSIGN_OR_RETURN(std::optional<archive::PageCursor> cursor, ParseCursor(ctx.request));
  ASSIGN_OR_RETURN(app::AccessContext who, AccessOf(ctx));
  ASSIGN_OR_RETURN(app::ContentScope scope, ScopeOf(ctx));
  ASSIGN_OR_RETURN(auto conversation, ctx.custos.store().GetConversation(id));
  if (!conversation.has_value() || !scope.AnyVisible(conversation->participants)) {
    return core::NotFound("conversation " + std::to_string(id) + " not found");
  }
  // A scoped reader gets only the messages in scope, `limit` of them when there are as many:
  // the pages are read on until then, so an answer never shows how many were left out.
  std::vector<model::Message> shown;
  std::optional<archive::PageCursor> next = cursor;
  for (int pages = 0; pages < kMaxScopedPages; ++pages) {
    ASSIGN_OR_RETURN(auto page, ctx.custos.store().ListMessages(id, next, limit));
    next = page.next;
    for (std::size_t i = 0; i < page.items.size(); ++i) {
      model::Message& m = page.items[i];
      if (!scope.Visible(m)) {
        continue;
      }
      shown.push_back(std::move(m));
      if (shown.size() == static_cast<std::size_t>(limit)) {
        if (i + 1 < page.items.size()) {
          next = archive::PageCursor{shown.back().sent_at, shown.back().id};
        }
        break;
      }
    }
    if (shown.size() == static_cast<std::size_t>(limit) || !next || !scope.scoped()) {
      break;
    }
  }
  Json items = Json::array();
  for (const model::Message& m : shown) {
    items.push_back(MessageJson(m, id));
  }
  RETURN_IF_ERROR(AttachVerdicts(ctx.custos, items));
  RETURN_IF_ERROR(ctx.custos.access().RecordRead(who, "conversation", shown));
  return JsonResponse(200, Json{{"items", std::move(items)}, {"next_cursor", CursorJson(next)}});
}

}  // namespace

void AddConversationRoutes(RouteList& routes) {
  routes.push_back(
      MakeRoute("GET", "/api/v1/conversations", {AuthScheme::kBearerToken},
                Permission::kMessagesRead, ListConversations)
          .Query({"limit", "cursor", "channel", "person", "since", "until"}));  // metadata only
  routes.push_back(MakeRoute("GET", "/api/v1/conversations/{id}/messages",
                             {AuthScheme::kBearerToken}, Permission::kMessagesRead, ListMessages)
                       .Query({"limit", "cursor", "purpose"}));
}

}  // namespace custos::http
