// SPDX-License-Identifier: Apache-2.0
// GET /api/v1/events: server-sent events, one `event: message` per committed message
// (`id:` the message id, `data:` its JSON), followed, when the policy flagged it, by an
// `event: verdict` (`id:` the message id, `data:` {"message_id","conversation_id","channel",
// "verdict":{action, severity, blocked, hits...}}); a comment heartbeat every 15 s of silence.
// The stream subscribes to the ingest service for as long as the client stays connected and
// ends when the server stops.
#include <chrono>
#include <memory>
#include <string>
#include <vector>

#include "core/time.h"
#include "http/event_streams.h"
#include "http/respond.h"
#include "http/routes.h"

namespace custos::http {

namespace {

constexpr std::size_t kQueuePoll = 500;  // ms between checks for stop and dead clients
constexpr core::Micros kHeartbeat = 15 * core::kMicrosPerSecond;

struct StreamState {
  bool started = false;
  core::Micros last_write = 0;
};

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

bool Write(httplib::DataSink& sink, const std::string& text) {
  return sink.write(text.data(), text.size());
}

// One turn of the chunked content provider: returns false to drop the connection.
bool Pump(EventQueue& queue, StreamState& state, httplib::DataSink& sink) {
  if (!state.started) {
    state.started = true;
    state.last_write = core::SteadyNowMicros();
    return Write(sink, "retry: 3000\n: connected\n\n");
  }
  std::vector<std::string> events;
  const EventQueue::State s = queue.Take(std::chrono::milliseconds(kQueuePoll), &events);
  for (const std::string& e : events) {
    if (!Write(sink, e)) {
      return false;
    }
  }
  const core::Micros now = core::SteadyNowMicros();
  if (!events.empty()) {
    state.last_write = now;
  }
  if (s == EventQueue::State::kOverflowed) {
    Write(sink, "event: overflow\ndata: {\"reason\":\"client too slow; reconnect\"}\n\n");
    sink.done();
    return true;
  }
  if (s == EventQueue::State::kClosed) {
    sink.done();
    return true;
  }
  if (now - state.last_write >= kHeartbeat) {
    state.last_write = now;
    if (!Write(sink, ": heartbeat\n\n")) {
      return false;
    }
  }
  return sink.is_writable();
}

void StreamEvents(RouteContext& ctx, const httplib::Request& req, httplib::Response& res) {
  if (!AcceptQueryParams(req, res, {})) {
    return;
  }
  auto opened = ctx.streams->Open();
  if (!opened) {
    SendError(res, opened.error());
    return;
  }
  std::shared_ptr<EventQueue> queue = std::move(opened).value();
  app::IngestService& ingest = ctx.custos->ingest();
  const int token = ingest.Subscribe([queue, custos = ctx.custos](const model::Message& m) {
    queue->Push(FormatEvent(m));
    if (std::string verdict = FormatVerdictEvent(*custos, m); !verdict.empty()) {
      queue->Push(std::move(verdict));
    }
  });
  auto state = std::make_shared<StreamState>();
  res.status = 200;
  res.set_header("Cache-Control", "no-cache");
  res.set_header("X-Accel-Buffering", "no");
  res.set_chunked_content_provider(
      "text/event-stream",
      [queue, state](std::size_t, httplib::DataSink& sink) { return Pump(*queue, *state, sink); },
      [&ingest, streams = ctx.streams, queue, token](bool) {
        ingest.Unsubscribe(token);
        streams->Release(queue.get());
      });
}

}  // namespace

void AddEventRoutes(RouteContext* ctx, RouteList& routes) {
  routes.push_back(
      {"GET", "/api/v1/events", true, [ctx](const httplib::Request& req, httplib::Response& res) {
         StreamEvents(*ctx, req, res);
       }});
}

}  // namespace custos::http
