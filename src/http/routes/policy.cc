// SPDX-License-Identifier: Apache-2.0
// The policy pack in force (docs/policy-language.md, "Applying a pack"):
//   GET  /api/v1/policy         its version and rules
//   POST /api/v1/policy         {"files": [{"path", "content"}, ...]}: apply a pack; 400 naming
//                               the field for a path that is not a safe relative path
//                               (app::CheckPackFilePath); 422 with every diagnostic or failing
//                               test when it cannot replace the running one (which then stays)
//   POST /api/v1/policy/reload  re-read DIR/policy/active (like SIGHUP)
//   POST /api/v1/policy/check   {"text", "channel"?, "direction"?, "from"?, "to"?}: the verdict
//                               of the running pack for a message, nothing stored
//   GET  /api/v1/policy/acknowledgements?version=V
//                               who has and has not acknowledged pack V: every employee of the
//                               directory (app/self_service.h ListAcknowledgements)
#include "policy/policy.h"

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "app/self_service.h"
#include "http/respond.h"
#include "http/routes.h"
#include "http/self_json.h"

namespace custos::http {

namespace {

// A policy pack's files (the default pack with its word lists is under 1 MiB).
constexpr std::size_t kMaxPolicyBodyBytes = std::size_t{16} << 20;

Json RulesJson(const policy::Pack& pack) {
  Json rules = Json::array();
  for (const policy::RuleInfo& r : pack.Rules()) {
    rules.push_back({{"id", r.id},
                     {"clause", r.clause},
                     {"description", r.description},
                     {"severity", policy::SeverityName(r.severity)},
                     {"action", policy::ActionName(r.action)},
                     {"enabled", r.enabled},
                     {"file", r.pos.file},
                     {"line", r.pos.line}});
  }
  return rules;
}

core::Result<Response> GetPolicy(RequestContext& ctx) {
  const auto pack = ctx.custos.policy().current();
  if (pack == nullptr) {
    return JsonResponse(200, Json{{"version", nullptr}, {"rules", Json::array()}});
  }
  return JsonResponse(200, Json{{"version", pack->Version()},
                                {"requires_acknowledgement", pack->RequiresAcknowledgement()},
                                {"rules", RulesJson(*pack)}});
}

Json AppliedJson(const app::AppliedPolicy& applied) {
  return Json{{"version", applied.version},
              {"tests_passed", applied.tests_passed},
              {"warnings", applied.warnings},
              {"record_id", applied.record_id},
              {"changed", applied.changed}};
}

// A pack that cannot be applied is the client's fault: 422 with every diagnostic.
core::Result<Response> Applied(RequestContext& ctx, core::Result<app::AppliedPolicy> applied) {
  if (!applied) {
    const bool invalid = applied.error().code() == core::StatusCode::kInvalidArgument;
    return ctx.Fail(applied.error(), {invalid ? 422 : 0, ""});
  }
  return JsonResponse(200, AppliedJson(*applied));
}

core::Result<Response> ApplyPolicy(RequestContext& ctx) {
  ASSIGN_OR_RETURN(Json body, ParseObjectBody(ctx.request, {"files"}));
  if (!body.contains("files") || !body.at("files").is_array()) {
    return ctx.Fail(core::InvalidArgument("member \"files\" must be an array of {path, content}"),
                    {0, "files"});
  }
  std::vector<std::pair<std::string, std::string>> files;
  std::size_t index = 0;
  for (const Json& f : body.at("files")) {
    if (!f.is_object() || !f.contains("path") || !f.contains("content") ||
        !f.at("path").is_string() || !f.at("content").is_string()) {
      return ctx.Fail(
          core::InvalidArgument("files[" + std::to_string(index) +
                                "] must be an object with string members path and content"),
          {0, "files"});
    }
    std::string path = f.at("path").get<std::string>();
    // A name that becomes a file under DIR/policy: checked here so the error names the field.
    if (const core::Status checked = app::CheckPackFilePath(path); !checked.ok()) {
      const std::string field = "files[" + std::to_string(index) + "].path";
      return ctx.Fail(core::InvalidArgument(field + ": " + checked.message()), {400, field});
    }
    files.emplace_back(std::move(path), f.at("content").get<std::string>());
    ++index;
  }
  // YAML anchors/aliases ("billion laughs") and files beyond the reader's bounds are a
  // malformed request (400), refused before anything is parsed into a tree.
  if (const auto refused = policy::YamlLimitErrors(files)) {
    return ctx.Fail(core::InvalidArgument("the pack's YAML is refused:\n" + *refused),
                    {0, "files"});
  }
  return Applied(ctx,
                 ctx.custos.policy().ApplyFiles(std::move(files), "api", ctx.principal.Actor()));
}

core::Result<Response> ReloadPolicy(RequestContext& ctx) {
  return Applied(ctx, ctx.custos.policy().Reload(ctx.principal.Actor()));
}

core::Result<Response> CheckPolicy(RequestContext& ctx) {
  ASSIGN_OR_RETURN(Json body,
                   ParseObjectBody(ctx.request, {"text", "channel", "direction", "from", "to"}));
  for (const char* name : {"text", "channel", "direction", "from"}) {
    if (body.contains(name) && !body.at(name).is_string()) {
      return ctx.Fail(
          core::InvalidArgument(std::string("member \"") + name + "\" must be a string"),
          {0, name});
    }
  }
  if (body.contains("to") && !body.at("to").is_array()) {
    return ctx.Fail(core::InvalidArgument("member \"to\" must be an array of strings"), {0, "to"});
  }
  model::Message m;
  m.source = "policy-check";
  m.conversation = "policy-check";
  m.channel = body.value("channel", "whatsapp");
  m.from = body.value("from", "employee@example.com");
  if (!body.contains("text")) {
    return ctx.Fail(core::InvalidArgument("member \"text\" is required"), {0, "text"});
  }
  m.text = body.at("text").get<std::string>();
  ASSIGN_OR_RETURN(
      m.direction,
      ctx.Detail(model::ParseDirection(body.value("direction", "outbound")), {0, "direction"}));
  if (body.contains("to")) {
    for (const Json& to : body.at("to")) {
      if (to.is_string()) {
        m.to.push_back(to.get<std::string>());
      }
    }
  }
  const policy::Verdict verdict = ctx.custos.policy().engine().Evaluate(m);
  return JsonResponse(200, Json::parse(verdict.ToJson()));
}

core::Result<Response> ListAcknowledgements(RequestContext& ctx) {
  ASSIGN_OR_RETURN(std::optional<std::string> version,
                   ctx.Detail(OptionalParam(ctx.request, "version"), {0, "version"}));
  if (!version) {
    return ctx.Fail(core::InvalidArgument("version: the query parameter version=V is required "
                                          "(GET /api/v1/policy names the version in force)"),
                    {0, "version"});
  }
  ASSIGN_OR_RETURN(app::AcknowledgementListing listing,
                   ctx.Detail(app::ListAcknowledgements(ctx.custos, *version), {0, "version"}));
  return JsonResponse(200, AcknowledgementListingJson(listing));
}

}  // namespace

void AddPolicyRoutes(RouteList& routes) {
  routes.push_back(MakeRoute("GET", "/api/v1/policy", {AuthScheme::kBearerToken},
                             Permission::kPolicyRead, GetPolicy));
  routes.push_back(MakeRoute("POST", "/api/v1/policy", {AuthScheme::kBearerToken},
                             Permission::kPolicyManage, ApplyPolicy)
                       .MaxBody(kMaxPolicyBodyBytes));
  routes.push_back(MakeRoute("POST", "/api/v1/policy/reload", {AuthScheme::kBearerToken},
                             Permission::kPolicyManage, ReloadPolicy));
  routes.push_back(MakeRoute("POST", "/api/v1/policy/check", {AuthScheme::kBearerToken},
                             Permission::kPolicyRead, CheckPolicy));
  routes.push_back(MakeRoute("GET", "/api/v1/policy/acknowledgements", {AuthScheme::kBearerToken},
                             Permission::kPolicyRead, ListAcknowledgements)
                       .Query({"version"}));
}

}  // namespace custos::http
