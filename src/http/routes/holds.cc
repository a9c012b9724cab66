// SPDX-License-Identifier: Apache-2.0
// Legal holds (docs/retention.md):
//   GET  /api/v1/holds               every hold, active and released, oldest first
//   POST /api/v1/holds               {"name", and one of "person" (and/or "identities") |
//                                     "conversation" | "query"}; 404 for a person the
//                                     directory does not know
//   POST /api/v1/holds/{id}/release  {"reason"} (optional)
// Bodies are JSON objects; unknown members are rejected.
#include <optional>
#include <string>

#include "http/resource_json.h"
#include "http/respond.h"
#include "http/routes.h"

namespace custos::http {

namespace {

// The string member `name` of `body`, nullopt when absent; kInvalidArgument for another type.
core::Result<std::optional<std::string>> StringMember(const Json& body, const char* name) {
  if (!body.contains(name)) {
    return std::optional<std::string>();
  }
  if (!body.at(name).is_string()) {
    return core::InvalidArgument(std::string("member \"") + name + "\" must be a string");
  }
  return std::optional<std::string>(body.at(name).get<std::string>());
}

core::Result<app::HoldRequest> DecodeHoldRequest(const Request& req) {
  ASSIGN_OR_RETURN(Json body,
                   ParseObjectBody(req, {"name", "person", "identities", "conversation", "query"}));
  app::HoldRequest request;
  ASSIGN_OR_RETURN(std::optional<std::string> name, StringMember(body, "name"));
  if (!name || name->empty()) {
    return core::InvalidArgument("member \"name\" is required");
  }
  request.name = std::move(*name);
  ASSIGN_OR_RETURN(request.person, StringMember(body, "person"));
  ASSIGN_OR_RETURN(request.query, StringMember(body, "query"));
  if (body.contains("identities")) {
    const Json& ids = body.at("identities");
    if (!ids.is_array() || ids.empty()) {
      return core::InvalidArgument("member \"identities\" must be a non-empty array of strings");
    }
    for (const Json& id : ids) {
      if (!id.is_string()) {
        return core::InvalidArgument("member \"identities\" must be a non-empty array of strings");
      }
      request.identities.push_back(id.get<std::string>());
    }
  }
  if (body.contains("conversation")) {
    const Json& c = body.at("conversation");
    if (c.is_number_integer()) {
      request.conversation = std::to_string(c.get<std::int64_t>());
    } else if (c.is_string()) {
      request.conversation = c.get<std::string>();
    } else {
      return core::InvalidArgument(
          "member \"conversation\" must be a conversation id or the source's conversation key");
    }
  }
  return request;
}

core::Result<Response> ListHolds(RequestContext& ctx) {
  ASSIGN_OR_RETURN(std::vector<archive::Hold> holds, ctx.custos.retention().ListHolds());
  return JsonResponse(200, HoldListJson(holds));
}

core::Result<Response> CreateHold(RequestContext& ctx) {
  ASSIGN_OR_RETURN(app::HoldRequest request, DecodeHoldRequest(ctx.request));
  ASSIGN_OR_RETURN(archive::Hold hold, ctx.custos.retention().CreateHold(request));
  Response res = JsonResponse(201, HoldJson(hold));
  res.headers.Set("Location", "/api/v1/holds/" + std::to_string(hold.id));
  return res;
}

core::Result<Response> ReleaseHold(RequestContext& ctx) {
  ASSIGN_OR_RETURN(std::int64_t id, ParseId(ctx.PathParam("id"), "hold id"));
  ASSIGN_OR_RETURN(Json body, ParseObjectBody(ctx.request, {"reason"}));
  ASSIGN_OR_RETURN(std::optional<std::string> reason, StringMember(body, "reason"));
  ASSIGN_OR_RETURN(archive::Hold hold, ctx.custos.retention().ReleaseHold(id, reason.value_or("")));
  return JsonResponse(200, HoldJson(hold));
}

}  // namespace

void AddHoldRoutes(RouteList& routes) {
  routes.push_back(MakeRoute("GET", "/api/v1/holds", {AuthScheme::kBearerToken},
                             Permission::kHoldsRead, ListHolds)
                       .Query({}));
  routes.push_back(MakeRoute("POST", "/api/v1/holds", {AuthScheme::kBearerToken},
                             Permission::kHoldsManage, CreateHold));
  routes.push_back(MakeRoute("POST", "/api/v1/holds/{id}/release", {AuthScheme::kBearerToken},
                             Permission::kHoldsManage, ReleaseHold));
}

}  // namespace custos::http
