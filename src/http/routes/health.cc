// SPDX-License-Identifier: Apache-2.0
// GET /healthz: liveness, no token needed.
#include "http/respond.h"
#include "http/routes.h"

namespace custos::http {

void AddHealthRoutes(RouteContext* /*ctx*/, RouteList& routes) {
  routes.push_back({"GET", "/healthz", /*needs_token=*/false,
                    [](const httplib::Request&, httplib::Response& res) {
                      SendJson(res, 200, Json{{"status", "ok"}});
                    }});
}

}  // namespace custos::http
