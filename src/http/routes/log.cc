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

#include "archive/log_proofs.h"
#include "core/time.h"
#include "http/respond.h"
#include "http/routes.h"

namespace custos::http {

namespace {

constexpr const char* kJsonType = "application/json";
constexpr const char* kTextType = "text/plain; charset=utf-8";

// A positive tree size from query parameter `name`; nullopt when absent and not `required`.
core::Result<std::optional<std::uint64_t>> SizeParam(const httplib::Request& req,
                                                     const std::string& name, bool required) {
  if (!req.has_param(name.c_str())) {
    if (required) {
      return core::InvalidArgument("query parameter \"" + name + "\" is required");
    }
    return std::optional<std::uint64_t>();
  }
  ASSIGN_OR_RETURN(std::int64_t size,
                   ParseId(req.get_param_value(name.c_str()), "query parameter \"" + name + "\""));
  return std::optional<std::uint64_t>(static_cast<std::uint64_t>(size));
}

void GetCheckpoint(app::Custos& custos, const httplib::Request& req, httplib::Response& res) {
  auto checkpoint = custos.log().Checkpoint();
  if (!checkpoint) {
    SendError(res, checkpoint.error());
    return;
  }
  if (WantsText(req)) {
    res.status = 200;
    res.set_content(checkpoint->note, kTextType);
    return;
  }
  SendJson(res, 200,
           Json{{"tree_size", checkpoint->tree_size},
                {"root_hash", archive::HashHex(checkpoint->root_hash)},
                {"created_at", core::FormatRfc3339(checkpoint->created_at)},
                {"checkpoint", checkpoint->note}});
}

void GetPublicKey(app::Custos& custos, const httplib::Request& req, httplib::Response& res) {
  auto key = custos.log().PublicKey();
  if (!key) {
    SendError(res, key.error());
    return;
  }
  if (WantsText(req)) {
    res.status = 200;
    res.set_content(*key + "\n", kTextType);
    return;
  }
  SendJson(res, 200, Json{{"origin", custos.log().origin()}, {"verifier_key", *key}});
}

void GetInclusionProof(app::Custos& custos, const httplib::Request& req, httplib::Response& res) {
  auto record_id = ParseId(req.matches[1].str(), "record id");
  if (!record_id) {
    SendError(res, record_id.error());
    return;
  }
  auto tree_size = SizeParam(req, "tree_size", /*required=*/false);
  if (!tree_size) {
    SendError(res, tree_size.error());
    return;
  }
  auto proof = custos.log().ProveInclusion(*record_id, *tree_size);
  if (!proof) {
    SendError(res, proof.error());
    return;
  }
  res.status = 200;
  res.set_content(archive::InclusionJson(*proof), kJsonType);
}

void GetConsistencyProof(app::Custos& custos, const httplib::Request& req, httplib::Response& res) {
  auto old_size = SizeParam(req, "old", /*required=*/true);
  if (!old_size) {
    SendError(res, old_size.error());
    return;
  }
  auto new_size = SizeParam(req, "new", /*required=*/true);
  if (!new_size) {
    SendError(res, new_size.error());
    return;
  }
  auto proof = custos.log().ProveConsistency(**old_size, **new_size);
  if (!proof) {
    SendError(res, proof.error());
    return;
  }
  res.status = 200;
  res.set_content(archive::ConsistencyJson(*proof), kJsonType);
}

}  // namespace

void AddLogRoutes(RouteContext* ctx, RouteList& routes) {
  routes.push_back({"GET", "/api/v1/log/checkpoint", true,
                    [ctx](const httplib::Request& req, httplib::Response& res) {
                      GetCheckpoint(*ctx->custos, req, res);
                    }});
  routes.push_back({"GET", "/api/v1/log/public-key", true,
                    [ctx](const httplib::Request& req, httplib::Response& res) {
                      GetPublicKey(*ctx->custos, req, res);
                    }});
  routes.push_back({"GET", "/api/v1/log/proof/inclusion/{record_id}", true,
                    [ctx](const httplib::Request& req, httplib::Response& res) {
                      GetInclusionProof(*ctx->custos, req, res);
                    }});
  routes.push_back({"GET", "/api/v1/log/proof/consistency", true,
                    [ctx](const httplib::Request& req, httplib::Response& res) {
                      GetConsistencyProof(*ctx->custos, req, res);
                    }});
}

}  // namespace custos::http
