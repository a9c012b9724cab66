// SPDX-License-Identifier: Apache-2.0
// GET /healthz: liveness, no credential needed.
#include "http/respond.h"
#include "http/routes.h"

namespace custos::http {

void AddHealthRoutes(RouteList& routes) {
  routes.push_back(MakeRoute("GET", "/healthz", {AuthScheme::kPublic}, Permission::kPublic,
                             [](RequestContext&) -> core::Result<Response> {
                               return JsonResponse(200, Json{{"status", "ok"}});
                             }));
}

}  // namespace custos::http
