// SPDX-License-Identifier: Apache-2.0
// POST /api/v1/messages: one canonical message object or an array of them, answered after
// commit with a status per message. GET /api/v1/messages/{id}: one stored message.
// GET /api/v1/messages/{id}/history: the message and every event about it, oldest first.
// A message with policy hits carries its "verdict"; ?view=redacted hides the spans of redact
// rules (the original stays in the archive, encrypted). An outbound message the policy blocks
// is archived as blocked and answered 422 with the explanation (docs/policy-language.md).
#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "app/ingest.h"
#include "capture/jsonl.h"
#include "core/json_reader.h"
#include "http/content_access.h"
#include "http/resource_json.h"
#include "http/respond.h"
#include "http/routes.h"

namespace custos::http {

namespace {

constexpr std::size_t kMaxBatch = 10'000;
// A batch of up to 10,000 messages: the route's body limit and the JSON limits of its reader.
constexpr std::size_t kMaxMessagesBodyBytes = std::size_t{16} << 20;
constexpr core::JsonLimits kBatchJsonLimits{kMaxMessagesBodyBytes, 32, 1'000'000};

// The verdict of a stored message, when anything hit: {"action","pack_version","hits":[...]}.
std::optional<Json> VerdictJson(const policy::Verdict& verdict) {
  if (verdict.hits.empty()) {
    return std::nullopt;
  }
  return Json::parse(verdict.ToJson());
}

Json OutcomeJson(std::size_t index, const app::IngestOutcome& outcome) {
  Json out = {{"index", index}, {"status", app::IngestStatusName(outcome.status)}};
  const bool stored = outcome.status == app::IngestStatus::kAccepted ||
                      outcome.status == app::IngestStatus::kDuplicate ||
                      outcome.status == app::IngestStatus::kBlocked;
  if (stored) {
    out["id"] = outcome.id;
    if (outcome.status == app::IngestStatus::kBlocked) {
      out["error"] = outcome.error;
    }
    if (std::optional<Json> verdict = VerdictJson(outcome.verdict)) {
      out["verdict"] = std::move(*verdict);
    }
  } else {
    if (!outcome.field.empty()) {
      out["field"] = outcome.field;
    }
    out["error"] = outcome.error;
  }
  return out;
}

// The request decoded: one outcome slot per element (kRejected with field and error for a bad
// element) and the good messages with their element index.
struct Decoded {
  bool single = false;
  std::vector<app::IngestOutcome> outcomes;
  std::vector<model::Message> batch;
  std::vector<std::size_t> origin;
};

void DecodeElement(std::string_view json, std::size_t index, Decoded& d, app::Metrics& metrics) {
  capture::DecodeError error;
  auto message = capture::DecodeMessage(json, &error);
  if (!message) {
    d.outcomes[index].field = error.field;
    d.outcomes[index].error = message.error().message();
    metrics.Rejected();
    return;
  }
  d.batch.push_back(std::move(message).value());
  d.origin.push_back(index);
}

core::Result<Decoded> Decode(const std::string& body, app::Metrics& metrics) {
  Decoded d;
  const std::size_t first = body.find_first_not_of(" \t\r\n");
  if (first != std::string::npos && body[first] == '{') {
    // One object: the codec parses it once and names the byte offset of broken JSON itself.
    d.single = true;
    d.outcomes.resize(1);
    DecodeElement(body, 0, d, metrics);
    return d;
  }
  ASSIGN_OR_RETURN(nlohmann::json parsed, core::ParseJson(body, kBatchJsonLimits, "request body"));
  if (!parsed.is_array()) {
    return core::InvalidArgument("expected a message object or an array of them");
  }
  if (parsed.empty()) {
    return core::InvalidArgument("empty array: nothing to ingest");
  }
  if (parsed.size() > kMaxBatch) {
    return core::ResourceExhausted("at most " + std::to_string(kMaxBatch) +
                                   " messages per request; got " + std::to_string(parsed.size()));
  }
  d.outcomes.resize(parsed.size());
  for (std::size_t i = 0; i < parsed.size(); ++i) {
    if (!parsed[i].is_object()) {
      d.outcomes[i].error = "element " + std::to_string(i) + " is not a JSON object";
      metrics.Rejected();
      continue;
    }
    DecodeElement(parsed[i].dump(), i, d, metrics);
  }
  return d;
}

core::Result<Response> PostMessages(RequestContext& ctx) {
  core::Result<Decoded> decoded = Decode(ctx.request.body, ctx.custos.metrics());
  if (!decoded) {
    const bool too_many = decoded.error().code() == core::StatusCode::kResourceExhausted;
    return ctx.Fail(decoded.error(), {too_many ? 413 : 0, ""});
  }
  const bool single = decoded->single;
  const std::size_t n = decoded->outcomes.size();
  std::vector<app::IngestOutcome>& outcomes = decoded->outcomes;
  std::vector<model::Message>& batch = decoded->batch;
  const std::vector<std::size_t>& origin = decoded->origin;
  if (!batch.empty()) {
    for (model::Message& m : batch) {
      m.principal = "api";  // the API tokens' idempotency namespace (docs/formats/records.md)
    }
    std::vector<app::IngestOutcome> committed = ctx.custos.ingest().Ingest(std::move(batch));
    for (std::size_t k = 0; k < committed.size() && k < origin.size(); ++k) {
      outcomes[origin[k]] = std::move(committed[k]);
    }
  }

  // One object: a bad message is a 400 naming the field, a failed commit a 503.
  if (single && outcomes[0].status == app::IngestStatus::kRejected) {
    return ctx.Fail(core::InvalidArgument(outcomes[0].error), {0, outcomes[0].field});
  }
  if (single && outcomes[0].status == app::IngestStatus::kFailed) {
    return core::Unavailable("the message was not stored: " + outcomes[0].error);
  }
  // One outbound message the policy blocks: archived as blocked, answered 422 with the why.
  if (single && outcomes[0].status == app::IngestStatus::kBlocked) {
    Json body = {{"error",
                  {{"code", "blocked_by_policy"},
                   {"message", outcomes[0].error},
                   {"request_id", ctx.request_id}}},
                 {"id", outcomes[0].id},
                 {"status", "blocked"}};
    if (std::optional<Json> verdict = VerdictJson(outcomes[0].verdict)) {
      body["verdict"] = std::move(*verdict);
    }
    return JsonResponse(422, body);
  }
  Json results = Json::array();
  int accepted = 0;
  int duplicates = 0;
  int rejected = 0;
  int failed = 0;
  int blocked = 0;
  for (std::size_t i = 0; i < n; ++i) {
    results.push_back(OutcomeJson(i, outcomes[i]));
    switch (outcomes[i].status) {
      case app::IngestStatus::kAccepted:
        ++accepted;
        break;
      case app::IngestStatus::kDuplicate:
        ++duplicates;
        break;
      case app::IngestStatus::kRejected:
        ++rejected;
        break;
      case app::IngestStatus::kFailed:
        ++failed;
        break;
      case app::IngestStatus::kBlocked:
        ++blocked;
        break;
    }
  }
  return JsonResponse(200, Json{{"results", std::move(results)},
                                {"accepted", accepted},
                                {"duplicates", duplicates},
                                {"rejected", rejected},
                                {"failed", failed},
                                {"blocked", blocked}});
}

// `text` with the spans of the verdict's redact hits replaced by "[redacted]".
std::string RedactedText(const std::string& text, const Json& verdict) {
  std::vector<std::pair<std::size_t, std::size_t>> spans;
  for (const Json& hit : verdict.value("hits", Json::array())) {
    if (hit.value("action", "") != "redact") {
      continue;
    }
    for (const Json& e : hit.value("evidence", Json::array())) {
      const auto begin = e.value("begin", std::int64_t{0});
      const auto end = e.value("end", std::int64_t{0});
      if (begin >= 0 && end > begin && static_cast<std::size_t>(end) <= text.size()) {
        spans.emplace_back(static_cast<std::size_t>(begin), static_cast<std::size_t>(end));
      }
    }
  }
  std::sort(spans.begin(), spans.end());
  std::string out;
  std::size_t at = 0;
  for (const auto& [begin, end] : spans) {
    if (end <= at) {
      continue;  // inside a span already redacted
    }
    if (begin >= at) {
      out.append(text, at, begin - at);
      out += "[redacted]";
    }
    at = end;
  }
  out.append(text, at, std::string::npos);
  return out;
}

// kFailedPrecondition from the archive: disposed of at the end of its retention (410 Gone).
template <typename T>
core::Result<T> GoneIfDisposed(RequestContext& ctx, core::Result<T> result) {
  const bool disposed =
      !result.has_value() && result.error().code() == core::StatusCode::kFailedPrecondition;
  return disposed ? ctx.Detail(std::move(result), {410, ""}) : std::move(result);
}

core::Result<Response> GetMessage(RequestContext& ctx) {
  ASSIGN_OR_RETURN(std::int64_t id, ParseId(ctx.PathParam("id"), "message id"));
  ASSIGN_OR_RETURN(app::AccessContext who, AccessOf(ctx));
  ASSIGN_OR_RETURN(app::ContentScope scope, ScopeOf(ctx));
  const core::Status missing = core::NotFound("message " + std::to_string(id) + " not found");
  core::Result<std::optional<model::Message>> found =
      GoneIfDisposed(ctx, ctx.custos.store().Get(id));
  if (!found.has_value()) {
    // Disposed of: a scoped reader cannot be told whose it was, so for it it does not exist.
    const bool disposed = found.error().code() == core::StatusCode::kFailedPrecondition;
    return scope.scoped() && disposed ? missing : found.error();
  }
  std::optional<model::Message>& message = *found;
  if (!message.has_value() || !scope.Visible(*message)) {
    return missing;
  }
  model::Message& m = *message;
  ASSIGN_OR_RETURN(auto verdict, ctx.custos.policy().VerdictOf(m.id));
  std::optional<Json> verdict_json;
  if (verdict) {
    verdict_json = Json::parse(*verdict);
  }
  const std::string view(ctx.request.Param("view").value_or("original"));
  if (view == "redacted") {
    if (verdict_json) {
      m.text = RedactedText(m.text, *verdict_json);
    }
  } else if (view != "original") {
    return ctx.Fail(core::InvalidArgument("view must be \"original\" or \"redacted\""),
                    {0, "view"});
  }
  Json body = MessageJson(m, m.conversation_id);
  if (verdict_json) {
    body["verdict"] = std::move(*verdict_json);
  }
  RETURN_IF_ERROR(ctx.custos.access().RecordRead(who, "message", {m}));
  return JsonResponse(200, body);
}

core::Result<Response> GetHistory(RequestContext& ctx) {
  ASSIGN_OR_RETURN(std::int64_t id, ParseId(ctx.PathParam("id"), "message id"));
  ASSIGN_OR_RETURN(app::AccessContext who, AccessOf(ctx));
  ASSIGN_OR_RETURN(app::ContentScope scope, ScopeOf(ctx));
  core::Result<std::vector<model::Message>> found =
      GoneIfDisposed(ctx, ctx.custos.store().History(id));
  if (!found.has_value()) {
    const bool disposed = found.error().code() == core::StatusCode::kFailedPrecondition;
    return scope.scoped() && disposed ? core::NotFound("no message " + std::to_string(id))
                                      : found.error();
  }
  std::vector<model::Message>& history = *found;
  if (scope.scoped() && (history.empty() || !scope.Visible(history.front()))) {
    return core::NotFound("no message " + std::to_string(id));  // as History says it
  }
  Json body = HistoryJson(id, history);
  RETURN_IF_ERROR(AttachVerdicts(ctx.custos, body["items"]));
  RETURN_IF_ERROR(ctx.custos.access().RecordRead(who, "history", history));
  return JsonResponse(200, body);
}

}  // namespace

void AddMessageRoutes(RouteList& routes) {
  routes.push_back(MakeRoute("POST", "/api/v1/messages", {AuthScheme::kBearerToken},
                             Permission::kMessagesWrite, PostMessages)
                       .MaxBody(kMaxMessagesBodyBytes));
  routes.push_back(MakeRoute("GET", "/api/v1/messages/{id}", {AuthScheme::kBearerToken},
                             Permission::kMessagesRead, GetMessage)
                       .Query({"view", "purpose"}));
  routes.push_back(MakeRoute("GET", "/api/v1/messages/{id}/history", {AuthScheme::kBearerToken},
                             Permission::kMessagesRead, GetHistory)
                       .Query({"purpose"}));
}

}  // namespace custos::http
