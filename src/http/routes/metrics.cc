// SPDX-License-Identifier: Apache-2.0
// GET /metrics: the Prometheus text exposition of app::Metrics (ingest counters, commit
// latency, HTTP requests by route and status). No token needed, as is usual for scrapers.
#include "http/respond.h"
#include "http/routes.h"

namespace custos::http {

void AddMetricsRoutes(RouteContext* ctx, RouteList& routes) {
  routes.push_back({"GET", "/metrics", /*needs_token=*/false,
                    [ctx](const httplib::Request&, httplib::Response& res) {
                      res.status = 200;
                      std::string text = ctx->custos->metrics().RenderPrometheus();
                      if (auto devices = ctx->custos->devices().Report()) {
                        text += app::RenderDeviceMetrics(*devices);  // docs/devices.md
                      }
                      res.set_content(text, "text/plain; version=0.0.4; charset=utf-8");
                    }});
}

}  // namespace custos::http
