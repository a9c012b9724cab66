// SPDX-License-Identifier: Apache-2.0
// The archive's Merkle log (docs/formats/checkpoint.md):
//   GET /api/v1/log/checkpoint                           the latest signed checkpoint
//   GET /api/v1/log/public-key                           the verifier key
//   GET /api/v1/log/proof/inclusion/{record_id}?tree_size=N
//   GET /api/v1/log/proof/consistency?old=A&new=B
// The proofs answer exactly what `custos log proof ... --json` prints. The checkpoint and the
// key are JSON, or their bare text with `Accept: text/plain`.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

#include "archive/log_proofs.h"
#include "core/time.h"
#include "http/respond.h"
#include "http/routes.h"

namespace custos::http {

namespace {

constexpr const char* kJsonType = "application/json";
constexpr const char* kTextType = "text/plain; charset=utf-8";

// A positive tree size from query parameter `name`; nullopt when absent and not `required`.
core::Result<std::optional<std::uint64_t>> SizeParam(const Request& req, const std::string& name,
                                                     bool required) {
  const std::optional<std::string_view> param = req.Param(name);
  if (!param) {
    if (required) {
      return core::InvalidArgument("query parameter \"" + name + "\" is required");
    }
    return std::optional<std::uint64_t>();
  }
  ASSIGN_OR_RETURN(std::int64_t size, ParseId(*param, "query parameter \"" + name + "\""));
  return std::optional<std::uint64_t>(static_cast<std::uint64_t>(size));
}

core::Result<Response> GetCheckpoint(RequestContext& ctx) {
  ASSIGN_OR_RETURN(auto checkpoint, ctx.custos.log().Checkpoint());
  if (WantsText(ctx.request)) {
    return TextResponse(200, kTextType, checkpoint.note);
  }
  return JsonResponse(200, Json{{"tree_size", checkpoint.tree_size},
                                {"root_hash", archive::HashHex(checkpoint.root_hash)},
                                {"created_at", core::FormatRfc3339(checkpoint.created_at)},
                                {"checkpoint", checkpoint.note}});
}

core::Result<Response> GetPublicKey(RequestContext& ctx) {
  ASSIGN_OR_RETURN(std::string key, ctx.custos.log().PublicKey());
  if (WantsText(ctx.request)) {
    return TextResponse(200, kTextType, key + "\n");
  }
  return JsonResponse(200, Json{{"origin", ctx.custos.log().origin()}, {"verifier_key", key}});
}

core::Result<Response> GetInclusionProof(RequestContext& ctx) {
  ASSIGN_OR_RETURN(std::int64_t record_id, ParseId(ctx.PathParam("record_id"), "record id"));
  ASSIGN_OR_RETURN(std::optional<std::uint64_t> tree_size,
                   SizeParam(ctx.request, "tree_size", /*required=*/false));
  ASSIGN_OR_RETURN(auto proof, ctx.custos.log().ProveInclusion(record_id, tree_size));
  return TextResponse(200, kJsonType, archive::InclusionJson(proof));
}

core::Result<Response> GetConsistencyProof(RequestContext& ctx) {
  ASSIGN_OR_RETURN(std::optional<std::uint64_t> old_size,
                   SizeParam(ctx.request, "old", /*required=*/true));
  ASSIGN_OR_RETURN(std::optional<std::uint64_t> new_size,
                   SizeParam(ctx.request, "new", /*required=*/true));
  ASSIGN_OR_RETURN(auto proof, ctx.custos.log().ProveConsistency(*old_size, *new_size));
  return TextResponse(200, kJsonType, archive::ConsistencyJson(proof));
}

}  // namespace

void AddLogRoutes(RouteList& routes) {
  for (auto [path, handler] :
       {std::pair{"/api/v1/log/checkpoint", &GetCheckpoint},
        std::pair{"/api/v1/log/public-key", &GetPublicKey},
        std::pair{"/api/v1/log/proof/inclusion/{record_id}", &GetInclusionProof},
        std::pair{"/api/v1/log/proof/consistency", &GetConsistencyProof}}) {
    routes.push_back(
        MakeRoute("GET", path, {AuthScheme::kBearerToken}, Permission::kArchiveRead, handler));
  }
}

}  // namespace custos::http
