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

core::Result<Response> RunRetention(RequestContext& ctx) {
  ASSIGN_OR_RETURN(Json body, ParseObjectBody(ctx.request, {"dry_run"}));
  if (!body.contains("dry_run") || !body.at("dry_run").is_boolean()) {
    return ctx.Fail(core::InvalidArgument("member \"dry_run\" (true or false) is required"),
                    {0, "dry_run"});
  }
  app::RetentionRunOptions options;
  options.dry_run = body.at("dry_run").get<bool>();
  ASSIGN_OR_RETURN(app::RetentionReport report, ctx.custos.retention().Run(options));
  return JsonResponse(200, RetentionReportJson(report));
}

}  // namespace

void AddRetentionRoutes(RouteList& routes) {
  routes.push_back(MakeRoute("POST", "/api/v1/retention/run", {AuthScheme::kBearerToken},
                             Permission::kRetentionManage, RunRetention));
}

}  // namespace custos::http
