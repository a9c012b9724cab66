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

core::Result<app::HoldRequest> DecodeHoldRequest(const httplib::Request& req) {
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

void ListHolds(app::Custos& custos, httplib::Response& res) {
  auto holds = custos.retention().ListHolds();
  if (!holds) {
    SendError(res, holds.error());
    return;
  }
  SendJson(res, 200, HoldListJson(*holds));
}

void CreateHold(app::Custos& custos, const httplib::Request& req, httplib::Response& res) {
  auto request = DecodeHoldRequest(req);
  if (!request) {
    SendError(res, request.error());
    return;
  }
  auto hold = custos.retention().CreateHold(*request);
  if (!hold) {
    SendError(res, hold.error());
    return;
  }
  res.set_header("Location", "/api/v1/holds/" + std::to_string(hold->id));
  SendJson(res, 201, HoldJson(*hold));
}

void ReleaseHold(app::Custos& custos, const httplib::Request& req, httplib::Response& res) {
  auto id = ParseId(req.matches[1].str(), "hold id");
  if (!id) {
    SendError(res, id.error());
    return;
  }
  auto body = ParseObjectBody(req, {"reason"});
  if (!body) {
    SendError(res, body.error());
    return;
  }
  auto reason = StringMember(*body, "reason");
  if (!reason) {
    SendError(res, reason.error());
    return;
  }
  auto hold = custos.retention().ReleaseHold(*id, reason->value_or(""));
  if (!hold) {
    SendError(res, hold.error());
    return;
  }
  SendJson(res, 200, HoldJson(*hold));
}

}  // namespace

void AddHoldRoutes(RouteContext* ctx, RouteList& routes) {
  routes.push_back(
      {"GET", "/api/v1/holds", true, [ctx](const httplib::Request& req, httplib::Response& res) {
         if (AcceptQueryParams(req, res, {})) {
           ListHolds(*ctx->custos, res);
         }
       }});
  routes.push_back(
      {"POST", "/api/v1/holds", true, [ctx](const httplib::Request& req, httplib::Response& res) {
         CreateHold(*ctx->custos, req, res);
       }});
  routes.push_back({"POST", "/api/v1/holds/{id}/release", true,
                    [ctx](const httplib::Request& req, httplib::Response& res) {
                      ReleaseHold(*ctx->custos, req, res);
                    }});
}

}  // namespace custos::http
