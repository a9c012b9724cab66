// SPDX-License-Identifier: Apache-2.0
// What is monitored about me (issue 15; docs/api.md, "What is monitored about me"), for the
// principal's own directory person (Principal::person_id; app/self_service.h):
//   GET  /api/v1/me                   who I am, my devices, my identities and the channels
//                                     captured, the pack in force and my acknowledgement of it,
//                                     the retention classes for my messages, my open notices
//   POST /api/v1/me/acknowledgements  {"version"}: acknowledge the pack in force (a
//                                     `policy_acknowledgement` record); again: 200, the same one
// A device credential is such a principal (its device's person), and so is a user's session when
// the user is linked to a directory person; an API token is answered who it is, with no person
// (and may acknowledge nothing). The actor is always the
// principal: a body "actor" is refused.
#include <string>

#include "app/self_service.h"
#include "http/respond.h"
#include "http/routes.h"
#include "http/self_json.h"

namespace custos::http {
namespace {

app::SelfRequest Who(const RequestContext& ctx) {
  return {ctx.principal.person_id, ctx.principal.device_id};
}

core::Result<Response> GetMe(RequestContext& ctx) {
  ASSIGN_OR_RETURN(app::SelfView view, app::DescribeSelf(ctx.custos, Who(ctx)));
  return JsonResponse(200, SelfViewJson(ctx.principal, view));
}

core::Result<Response> Acknowledge(RequestContext& ctx) {
  ASSIGN_OR_RETURN(Json probe, ParseJsonBody(ctx.request.body));
  if (probe.is_object() && probe.contains("actor")) {
    return ctx.Fail(core::InvalidArgument("actor: the actor of an acknowledgement is the "
                                          "authenticated principal, never a body member"),
                    {0, "actor"});
  }
  ASSIGN_OR_RETURN(Json body, ParseObjectBody(ctx.request, {"version"}));
  const auto version = body.find("version");
  if (version == body.end() || !version->is_string() || version->get<std::string>().empty()) {
    return ctx.Fail(core::InvalidArgument("version: expected the pack version (a string) to "
                                          "acknowledge; GET /api/v1/me names the one in force"),
                    {0, "version"});
  }
  ASSIGN_OR_RETURN(
      app::AcknowledgeOutcome outcome,
      ctx.Detail(app::AcknowledgePolicy(ctx.custos, Who(ctx), version->get<std::string>(),
                                        ctx.principal.Actor()),
                 {0, ctx.principal.person_id.empty() ? "principal" : "version"}));
  Json out = AcknowledgementJson(outcome.acknowledgement);
  out["created"] = outcome.created;
  return JsonResponse(outcome.created ? 201 : 200, out);
}

// Self-service: a device credential (its employee), every human role's API token and every
// user's session (AllRoutes adds it); an API token has no person, so GET answers who it is and
// POST is a 403 naming the principal.
Route Self(std::string method, std::string path, Handler handler) {
  return MakeRoute(std::move(method), std::move(path),
                   {AuthScheme::kDeviceCredential, AuthScheme::kBearerToken}, Permission::kSelf,
                   std::move(handler));
}

}  // namespace

void AddMeRoutes(RouteList& routes) {
  routes.push_back(Self("GET", "/api/v1/me", GetMe).Query({}));
  routes.push_back(Self("POST", "/api/v1/me/acknowledgements", Acknowledge).Query({}));
}

}  // namespace custos::http
