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
#include "policy/policy.h"

#include <string>
#include <utility>
#include <vector>

#include "http/respond.h"
#include "http/routes.h"

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

void GetPolicy(app::Custos& custos, httplib::Response& res) {
  const auto pack = custos.policy().current();
  if (pack == nullptr) {
    SendJson(res, 200, Json{{"version", nullptr}, {"rules", Json::array()}});
    return;
  }
  SendJson(res, 200, Json{{"version", pack->Version()}, {"rules", RulesJson(*pack)}});
}

Json AppliedJson(const app::AppliedPolicy& applied) {
  return Json{{"version", applied.version},
              {"tests_passed", applied.tests_passed},
              {"warnings", applied.warnings},
              {"record_id", applied.record_id},
              {"changed", applied.changed}};
}

// A pack that cannot be applied is the client's fault: 422 with every diagnostic.
void SendApplyError(httplib::Response& res, const core::Status& status) {
  const bool invalid = status.code() == core::StatusCode::kInvalidArgument;
  SendError(res, status, invalid ? 422 : 0);
}

void ApplyPolicy(app::Custos& custos, const httplib::Request& req, httplib::Response& res) {
  auto body = ParseObjectBody(req, {"files"});
  if (!body) {
    SendError(res, body.error());
    return;
  }
  if (!body->contains("files") || !body->at("files").is_array()) {
    SendError(res, core::InvalidArgument("member \"files\" must be an array of {path, content}"), 0,
              "files");
    return;
  }
  std::vector<std::pair<std::string, std::string>> files;
  std::size_t index = 0;
  for (const Json& f : body->at("files")) {
    if (!f.is_object() || !f.contains("path") || !f.contains("content") ||
        !f.at("path").is_string() || !f.at("content").is_string()) {
      SendError(res,
                core::InvalidArgument("files[" + std::to_string(index) +
                                      "] must be an object with string members path and content"),
                0, "files");
      return;
    }
    std::string path = f.at("path").get<std::string>();
    // A name that becomes a file under DIR/policy: checked here so the error names the field.
    if (const core::Status checked = app::CheckPackFilePath(path); !checked.ok()) {
      const std::string field = "files[" + std::to_string(index) + "].path";
      SendError(res, core::InvalidArgument(field + ": " + checked.message()), 400, field);
      return;
    }
    files.emplace_back(std::move(path), f.at("content").get<std::string>());
    ++index;
  }
  // YAML anchors/aliases ("billion laughs") and files beyond the reader's bounds are a
  // malformed request (400), refused before anything is parsed into a tree.
  if (const auto refused = policy::YamlLimitErrors(files)) {
    SendError(res, core::InvalidArgument("the pack's YAML is refused:\n" + *refused), 0, "files");
    return;
  }
  auto applied = custos.policy().ApplyFiles(std::move(files), "api", "api");
  if (!applied) {
    SendApplyError(res, applied.error());
    return;
  }
  SendJson(res, 200, AppliedJson(*applied));
}

void ReloadPolicy(app::Custos& custos, httplib::Response& res) {
  auto applied = custos.policy().Reload("api");
  if (!applied) {
    SendApplyError(res, applied.error());
    return;
  }
  SendJson(res, 200, AppliedJson(*applied));
}

void CheckPolicy(app::Custos& custos, const httplib::Request& req, httplib::Response& res) {
  auto body = ParseObjectBody(req, {"text", "channel", "direction", "from", "to"});
  if (!body) {
    SendError(res, body.error());
    return;
  }
  for (const char* name : {"text", "channel", "direction", "from"}) {
    if (body->contains(name) && !body->at(name).is_string()) {
      SendError(res, core::InvalidArgument(std::string("member \"") + name + "\" must be a string"),
                0, name);
      return;
    }
  }
  if (body->contains("to") && !body->at("to").is_array()) {
    SendError(res, core::InvalidArgument("member \"to\" must be an array of strings"), 0, "to");
    return;
  }
  model::Message m;
  m.source = "policy-check";
  m.conversation = "policy-check";
  m.channel = body->value("channel", "whatsapp");
  m.from = body->value("from", "employee@example.com");
  if (!body->contains("text")) {
    SendError(res, core::InvalidArgument("member \"text\" is required"), 0, "text");
    return;
  }
  m.text = body->at("text").get<std::string>();
  auto direction = model::ParseDirection(body->value("direction", "outbound"));
  if (!direction) {
    SendError(res, direction.error(), 0, "direction");
    return;
  }
  m.direction = *direction;
  if (body->contains("to")) {
    for (const Json& to : body->at("to")) {
      if (to.is_string()) {
        m.to.push_back(to.get<std::string>());
      }
    }
  }
  const policy::Verdict verdict = custos.policy().engine().Evaluate(m);
  SendJson(res, 200, Json::parse(verdict.ToJson()));
}

}  // namespace

void AddPolicyRoutes(RouteContext* ctx, RouteList& routes) {
  routes.push_back(
      {"GET", "/api/v1/policy", true,
       [ctx](const httplib::Request&, httplib::Response& res) { GetPolicy(*ctx->custos, res); }});
  routes.push_back({"POST", "/api/v1/policy", true,
                    [ctx](const httplib::Request& req, httplib::Response& res) {
                      ApplyPolicy(*ctx->custos, req, res);
                    },
                    kMaxPolicyBodyBytes});
  routes.push_back({"POST", "/api/v1/policy/reload", true,
                    [ctx](const httplib::Request&, httplib::Response& res) {
                      ReloadPolicy(*ctx->custos, res);
                    }});
  routes.push_back({"POST", "/api/v1/policy/check", true,
                    [ctx](const httplib::Request& req, httplib::Response& res) {
                      CheckPolicy(*ctx->custos, req, res);
                    }});
}

}  // namespace custos::http
