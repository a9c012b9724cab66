// SPDX-License-Identifier: Apache-2.0
// GET /metrics: the Prometheus text exposition of app::Metrics (ingest counters, commit
// latency, HTTP requests by route and status). No credential needed, as is usual for scrapers.
#include "http/respond.h"
#include "http/routes.h"

namespace custos::http {

void AddMetricsRoutes(RouteList& routes) {
  routes.push_back(MakeRoute("GET", "/metrics", {AuthScheme::kPublic}, Permission::kPublic,
                             [](RequestContext& ctx) -> core::Result<Response> {
                               std::string text = ctx.custos.metrics().RenderPrometheus();
                               if (auto devices = ctx.custos.devices().Report()) {
                                 text += app::RenderDeviceMetrics(*devices);  // docs/devices.md
                               }
                               return TextResponse(200, "text/plain; version=0.0.4; charset=utf-8",
                                                   std::move(text));
                             }));
}

}  // namespace custos::http
