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

void ListImportRuns(app::Custos& custos, httplib::Response& res) {
  auto runs = custos.import_runs().List();
  if (!runs) {
    SendError(res, runs.error());
    return;
  }
  Json items = Json::array();
  for (const directory::ImportRun& run : *runs) {
    items.push_back(Json(directory::ImportRunJson(run)));
  }
  SendJson(res, 200, Json{{"items", std::move(items)}});
}

void ListLabels(app::Custos& custos, const httplib::Request& req, httplib::Response& res) {
  if (!AcceptQueryParams(req, res, {"label"})) {
    return;
  }
  const std::string label = req.has_param("label") ? req.get_param_value("label") : "";
  if (!label.empty() && label != "internal" && label != "external") {
    SendError(res, core::InvalidArgument("label must be internal or external"), 0, "label");
    return;
  }
  auto labels = custos.directory().Labels(label);
  if (!labels) {
    SendError(res, labels.error());
    return;
  }
  Json items = Json::array();
  for (const directory::StoredLabel& l : *labels) {
    items.push_back(Json(directory::LabelJson(l)));
  }
  SendJson(res, 200, Json{{"items", std::move(items)}});
}

}  // namespace

void AddImportRunRoutes(RouteContext* ctx, RouteList& routes) {
  routes.push_back({"GET", "/api/v1/import-runs", true,
                    [ctx](const httplib::Request& req, httplib::Response& res) {
                      if (AcceptQueryParams(req, res, {})) {
                        ListImportRuns(*ctx->custos, res);
                      }
                    }});
  routes.push_back({"GET", "/api/v1/conversation-labels", true,
                    [ctx](const httplib::Request& req, httplib::Response& res) {
                      ListLabels(*ctx->custos, req, res);
                    }});
}

}  // namespace custos::http
