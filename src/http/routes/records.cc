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

// kFailedPrecondition from the archive: disposed of at the end of its retention (410 Gone).
template <typename T>
core::Result<T> GoneIfDisposed(RequestContext& ctx, core::Result<T> result) {
  const bool disposed =
      !result.has_value() && result.error().code() == core::StatusCode::kFailedPrecondition;
  return disposed ? ctx.Detail(std::move(result), {410, ""}) : std::move(result);
}

core::Result<Response> GetCanonical(RequestContext& ctx) {
  ASSIGN_OR_RETURN(std::int64_t id, ParseId(ctx.PathParam("id"), "record id"));
  ASSIGN_OR_RETURN(std::string bytes, GoneIfDisposed(ctx, ctx.custos.log().RecordCanonical(id)));
  return TextResponse(200, "application/octet-stream", std::move(bytes));
}

core::Result<Response> GetEvidence(RequestContext& ctx) {
  ASSIGN_OR_RETURN(std::int64_t id, ParseId(ctx.PathParam("id"), "message id"));
  ASSIGN_OR_RETURN(auto bundle, ctx.custos.log().Evidence(id));
  return TextResponse(200, "application/json", archive::EvidenceJson(bundle));
}

}  // namespace

void AddRecordRoutes(RouteList& routes) {
  routes.push_back(MakeRoute("GET", "/api/v1/records/{id}/canonical", {AuthScheme::kBearerToken},
                             Permission::kMessagesRead, GetCanonical));
  routes.push_back(MakeRoute("GET", "/api/v1/messages/{id}/evidence", {AuthScheme::kBearerToken},
                             Permission::kMessagesRead, GetEvidence));
}

}  // namespace custos::http
