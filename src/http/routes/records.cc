// SPDX-License-Identifier: Apache-2.0
// GET /api/v1/records/{id}/canonical: a record's exact canonical bytes
// (docs/formats/records.md) as application/octet-stream, so SHA-256(0x00 || body) is its leaf
// hash. 410 when the record was disposed of (only its leaf hash remains).
// GET /api/v1/messages/{id}/evidence: the message's evidence bundle (archive/evidence.h,
// docs/archive.md), as `custos record evidence ID` prints it.
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "archive/evidence.h"
#include "http/content_access.h"
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

// The message a message or verdict record is about (0 for other kinds, which hold no content).
std::int64_t ContentMessageId(const std::string& canonical) {
  const nlohmann::json j = nlohmann::json::parse(canonical, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j.contains("kind") || !j["kind"].is_string()) {
    return 0;
  }
  const std::string kind = j["kind"].get<std::string>();
  if (kind != "message" && kind != "verdict") {
    return 0;
  }
  const nlohmann::json& body = j.value("body", nlohmann::json::object());
  const auto it = body.find("message_id");
  return it != body.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}

// Whether a scoped reader may see message `id` (its record, its evidence).
core::Result<bool> InScope(RequestContext& ctx, const app::ContentScope& scope, std::int64_t id) {
  if (!scope.scoped()) {
    return true;
  }
  core::Result<std::optional<model::Message>> m = ctx.custos.store().Get(id);
  if (!m.has_value()) {
    return m.error().code() == core::StatusCode::kFailedPrecondition ? core::Result<bool>(false)
                                                                     : m.error();
  }
  return m->has_value() && scope.Visible(**m);
}

core::Result<Response> GetCanonical(RequestContext& ctx) {
  ASSIGN_OR_RETURN(std::int64_t id, ParseId(ctx.PathParam("id"), "record id"));
  ASSIGN_OR_RETURN(app::AccessContext who, AccessOf(ctx));
  ASSIGN_OR_RETURN(app::ContentScope scope, ScopeOf(ctx));
  core::Result<std::string> found = ctx.custos.log().RecordCanonical(id);
  if (scope.scoped() && !found.has_value()) {
    return core::NotFound("no record " + std::to_string(id));  // disposed: whose is not known
  }
  ASSIGN_OR_RETURN(std::string bytes, GoneIfDisposed(ctx, std::move(found)));
  const std::int64_t message_id = ContentMessageId(bytes);
  ASSIGN_OR_RETURN(const bool visible, InScope(ctx, scope, message_id));
  if (scope.scoped() && (message_id == 0 || !visible)) {
    return core::NotFound("no record " + std::to_string(id));
  }
  if (message_id != 0) {
    RETURN_IF_ERROR(
        ctx.custos.access().RecordReadIds(who, "record", {{message_id, id}}, {}, std::nullopt));
  }
  return TextResponse(200, "application/octet-stream", std::move(bytes));
}

core::Result<Response> GetEvidence(RequestContext& ctx) {
  ASSIGN_OR_RETURN(std::int64_t id, ParseId(ctx.PathParam("id"), "message id"));
  ASSIGN_OR_RETURN(app::AccessContext who, AccessOf(ctx));
  ASSIGN_OR_RETURN(app::ContentScope scope, ScopeOf(ctx));
  ASSIGN_OR_RETURN(const bool visible, InScope(ctx, scope, id));
  if (!visible) {
    return core::NotFound("no message " + std::to_string(id));  // as the bundle says it
  }
  ASSIGN_OR_RETURN(auto bundle, ctx.custos.log().Evidence(id));
  std::vector<std::pair<std::int64_t, std::int64_t>> read;
  for (const archive::EvidenceItem& item : bundle.items) {
    if (item.canonical) {
      read.emplace_back(id, item.inclusion.record_id);
    }
  }
  RETURN_IF_ERROR(ctx.custos.access().RecordReadIds(who, "evidence", read, {}, std::nullopt));
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
