// SPDX-License-Identifier: Apache-2.0
// GET /api/v1/records/{id}/canonical: a record's exact canonical bytes
// (docs/formats/records.md) as application/octet-stream, so SHA-256(0x00 || body) is its leaf
// hash. 410 when the record was disposed of (only its leaf hash remains).
// GET /api/v1/messages/{id}/evidence: the message's evidence bundle (archive/evidence.h,
// docs/archive.md), as `custos record evidence ID` prints it.
#include <string>

#include "archive/evidence.h"
#include "http/respond.h"
#include "http/routes.h"

namespace custos::http {

namespace {

void GetCanonical(app::Custos& custos, const httplib::Request& req, httplib::Response& res) {
  auto id = ParseId(req.matches[1].str(), "record id");
  if (!id) {
    SendError(res, id.error());
    return;
  }
  auto bytes = custos.log().RecordCanonical(*id);
  if (!bytes) {
    const bool disposed = bytes.error().code() == core::StatusCode::kFailedPrecondition;
    SendError(res, bytes.error(), disposed ? 410 : 0);
    return;
  }
  res.status = 200;
  res.set_content(std::move(bytes).value(), "application/octet-stream");
}

void GetEvidence(app::Custos& custos, const httplib::Request& req, httplib::Response& res) {
  auto id = ParseId(req.matches[1].str(), "message id");
  if (!id) {
    SendError(res, id.error());
    return;
  }
  auto bundle = custos.log().Evidence(*id);
  if (!bundle) {
    SendError(res, bundle.error());
    return;
  }
  res.status = 200;
  res.set_content(archive::EvidenceJson(*bundle), "application/json");
}

}  // namespace

void AddRecordRoutes(RouteContext* ctx, RouteList& routes) {
  routes.push_back({"GET", "/api/v1/records/{id}/canonical", true,
                    [ctx](const httplib::Request& req, httplib::Response& res) {
                      GetCanonical(*ctx->custos, req, res);
                    }});
  routes.push_back({"GET", "/api/v1/messages/{id}/evidence", true,
                    [ctx](const httplib::Request& req, httplib::Response& res) {
                      GetEvidence(*ctx->custos, req, res);
                    }});
}

}  // namespace custos::http
