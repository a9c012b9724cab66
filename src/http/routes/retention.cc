// SPDX-License-Identifier: Apache-2.0
// POST /api/v1/retention/run {"dry_run": bool}: runs retention now (docs/retention.md) and
// answers the report. A dry run lists what would be disposed of and changes nothing. The body
// is required and must say "dry_run" explicitly, so that an empty or mistyped request never
// disposes of anything.
#include "http/resource_json.h"
#include "http/respond.h"
#include "http/routes.h"

namespace custos::http {

namespace {

void RunRetention(app::Custos& custos, const httplib::Request& req, httplib::Response& res) {
  auto body = ParseObjectBody(req, {"dry_run"});
  if (!body) {
    SendError(res, body.error());
    return;
  }
  if (!body->contains("dry_run") || !body->at("dry_run").is_boolean()) {
    SendError(res, core::InvalidArgument("member \"dry_run\" (true or false) is required"), 0,
              "dry_run");
    return;
  }
  app::RetentionRunOptions options;
  options.dry_run = body->at("dry_run").get<bool>();
  auto report = custos.retention().Run(options);
  if (!report) {
    SendError(res, report.error());
    return;
  }
  SendJson(res, 200, RetentionReportJson(*report));
}

}  // namespace

void AddRetentionRoutes(RouteContext* ctx, RouteList& routes) {
  routes.push_back({"POST", "/api/v1/retention/run", true,
                    [ctx](const httplib::Request& req, httplib::Response& res) {
                      RunRetention(*ctx->custos, req, res);
                    }});
}

}  // namespace custos::http
