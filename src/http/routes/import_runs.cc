// SPDX-License-Identifier: Apache-2.0
// GET /api/v1/import-runs: every import run, oldest first (the chain of custody of imported
// history: importer and version, source file name and SHA-256, custodian, counts, start, end and
// the `import_run` record). GET /api/v1/conversation-labels[?label=internal|external]: the
// internal/external label imports gave each conversation (docs/directory.md).
#include "directory/json.h"
#include "http/respond.h"
#include "http/routes.h"

namespace custos::http {
namespace {

core::Result<Response> ListImportRuns(RequestContext& ctx) {
  ASSIGN_OR_RETURN(std::vector<directory::ImportRun> runs, ctx.custos.import_runs().List());
  Json items = Json::array();
  for (const directory::ImportRun& run : runs) {
    items.push_back(Json(directory::ImportRunJson(run)));
  }
  return JsonResponse(200, Json{{"items", std::move(items)}});
}

core::Result<Response> ListLabels(RequestContext& ctx) {
  const std::string label(ctx.request.Param("label").value_or(""));
  if (!label.empty() && label != "internal" && label != "external") {
    return ctx.Fail(core::InvalidArgument("label must be internal or external"), {0, "label"});
  }
  ASSIGN_OR_RETURN(std::vector<directory::StoredLabel> labels,
                   ctx.custos.directory().Labels(label));
  Json items = Json::array();
  for (const directory::StoredLabel& l : labels) {
    items.push_back(Json(directory::LabelJson(l)));
  }
  return JsonResponse(200, Json{{"items", std::move(items)}});
}

}  // namespace

void AddImportRunRoutes(RouteList& routes) {
  routes.push_back(MakeRoute("GET", "/api/v1/import-runs", {AuthScheme::kBearerToken},
                             Permission::kImportRunsRead, ListImportRuns)
                       .Query({}));
  routes.push_back(MakeRoute("GET", "/api/v1/conversation-labels", {AuthScheme::kBearerToken},
                             Permission::kImportRunsRead, ListLabels)
                       .Query({"label"}));
}

}  // namespace custos::http
