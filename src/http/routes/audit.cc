// SPDX-License-Identifier: Apache-2.0
// GET /api/v1/audit/access?user=&since=&until=&record=&message=&limit=&cursor=: the access audit
// (docs/access.md, "The access audit"), newest first: each `access` record (a read of message
// content) and `access_refused` record (a 403) with its record id and log index, so that its
// inclusion proof can be fetched (GET /api/v1/log/proof/inclusion/{record_id}). Reading the
// audit is not itself a read of message content.
#include <cstdint>
#include <optional>
#include <string>
#include <utility>

#include "core/time.h"
#include "http/respond.h"
#include "http/routes.h"

namespace custos::http {

namespace {

core::Result<std::optional<std::int64_t>> IdParam(RequestContext& ctx, const char* name) {
  const std::optional<std::string_view> v = ctx.request.Param(name);
  if (!v || v->empty()) {
    return std::optional<std::int64_t>();
  }
  ASSIGN_OR_RETURN(
      std::int64_t id,
      ctx.Detail(ParseId(*v, std::string("query parameter \"") + name + "\""), {400, name}));
  return std::optional<std::int64_t>(id);
}

core::Result<Response> ListAccess(RequestContext& ctx) {
  app::AccessListQuery q;
  for (auto [name, field] :
       {std::pair{"user", &q.user}, std::pair{"since", &q.since}, std::pair{"until", &q.until}}) {
    ASSIGN_OR_RETURN(std::optional<std::string> value,
                     ctx.Detail(OptionalParam(ctx.request, name), {400, name}));
    *field = value.value_or("");
  }
  ASSIGN_OR_RETURN(q.record, IdParam(ctx, "record"));
  ASSIGN_OR_RETURN(q.message, IdParam(ctx, "message"));
  ASSIGN_OR_RETURN(q.before, IdParam(ctx, "cursor"));
  ASSIGN_OR_RETURN(q.limit, ctx.Detail(ParseLimit(ctx.request), {400, "limit"}));
  ASSIGN_OR_RETURN(archive::AccessListing listing, ctx.custos.access().List(q));
  Json items = Json::array();
  for (const archive::AccessListItem& item : listing.items) {
    items.push_back(Json{{"record_id", item.record_id},
                         {"log_index", item.log_index},
                         {"kind", item.kind},
                         {"read_at", core::FormatRfc3339(item.at)},
                         {"record", Json::parse(item.canonical)}});
  }
  Json next = listing.next_before ? Json(std::to_string(*listing.next_before)) : Json(nullptr);
  return JsonResponse(200, Json{{"items", std::move(items)}, {"next_cursor", std::move(next)}});
}

}  // namespace

void AddAuditRoutes(RouteList& routes) {
  routes.push_back(MakeRoute("GET", "/api/v1/audit/access", {AuthScheme::kBearerToken},
                             Permission::kAuditRead, ListAccess)
                       .Query({"user", "since", "until", "record", "message", "limit", "cursor"}));
}

}  // namespace custos::http
