// SPDX-License-Identifier: Apache-2.0
// GET /api/v1/events: server-sent events, one `event: message` per committed message
// (`id:` the message id, `data:` its JSON), followed, when the policy flagged it, by an
// `event: verdict` (`id:` the message id, `data:` {"message_id","conversation_id","channel",
// "verdict":{action, severity, blocked, hits...}}); a comment heartbeat every 15 s of silence.
// One feed subscribes to the ingest service and formats each event once for every open stream
// (http/event_streams.h); a stream lasts while the client stays connected and ends when the
// server stops. No stream holds a worker thread.
#include <memory>
#include <string>

#include "http/event_streams.h"
#include "http/respond.h"
#include "http/routes.h"

namespace custos::http {

namespace {

constexpr const char* kPreamble = "retry: 3000\n: connected\n\n";

std::string FormatEvent(const model::Message& message) {
  return "event: message\nid: " + std::to_string(message.id) +
         "\ndata: " + MessageJson(message).dump(-1, ' ', false, Json::error_handler_t::replace) +
         "\n\n";
}

// The verdict event of a flagged message; "" when it had no hits (or its verdict is unreadable,
// which the message event does not depend on).
std::string FormatVerdictEvent(app::Custos& custos, const model::Message& message) {
  auto verdict = custos.policy().VerdictOf(message.id);
  if (!verdict.has_value() || !verdict->has_value()) {
    return "";
  }
  Json body = {{"message_id", message.id},
               {"conversation_id", message.conversation_id},
               {"channel", message.channel},
               {"verdict", Json::parse(**verdict, nullptr, /*allow_exceptions=*/false)}};
  return "event: verdict\nid: " + std::to_string(message.id) +
         "\ndata: " + body.dump(-1, ' ', false, Json::error_handler_t::replace) + "\n\n";
}

core::Result<Response> StreamEvents(RequestContext& ctx) {
  ASSIGN_OR_RETURN(std::shared_ptr<EventStream> stream, ctx.streams->Open());
  Response res;
  res.content_type = "text/event-stream";
  res.headers.Set("Cache-Control", "no-cache");
  res.headers.Set("X-Accel-Buffering", "no");
  res.stream = [stream](std::shared_ptr<StreamSink> sink) {
    stream->Attach(std::move(sink), kPreamble);
  };
  return res;
}

}  // namespace

int SubscribeEventFeed(app::Custos& custos, std::shared_ptr<EventStreams> streams) {
  return custos.ingest().Subscribe([&custos, streams](const model::Message& m) {
    if (!streams->HasListeners()) {
      return;
    }
    streams->Publish(FormatEvent(m));
    if (std::string verdict = FormatVerdictEvent(custos, m); !verdict.empty()) {
      streams->Publish(verdict);
    }
  });
}

void AddEventRoutes(RouteList& routes) {
  routes.push_back(MakeRoute("GET", "/api/v1/events", {AuthScheme::kBearerToken},
                             Permission::kEventsRead, StreamEvents)
                       .Query({}));
}

}  // namespace custos::http
