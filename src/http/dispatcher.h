// SPDX-License-Identifier: Apache-2.0
// The application side of the HTTP transport (http/message.h RequestHandler): matches a request
// to a route (404, or 405 with Allow), authenticates it with the one middleware
// (http/authenticate.h), authorises it against the route's permission (403 naming it), and
// admits its body up to the route's limit; then calls the route's handler with a RequestContext
// and turns its Status into the JSON error through the one mapping (http/status_mapping.h).
// Every response carries X-Request-Id; every request is counted in app::Metrics by route.
//
// Admit refuses, before any body is read: an unknown route or method, a request without valid
// credentials (401), a principal without the route's permission (403), an unaccepted query
// parameter (400). An anonymous request to a public route may send at most
// kAnonymousMaxBodyBytes.
//
// Thread-safety: Admit and Handle may run concurrently on any threads. Create, Stop and the
// destructor from one thread, with no request in flight for the destructor.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "app/custos.h"
#include "core/status.h"
#include "http/event_streams.h"
#include "http/message.h"
#include "http/routes.h"

namespace custos::http {

// The body an anonymous caller may send to a public route (an enrollment token is 100 bytes).
inline constexpr std::size_t kAnonymousMaxBodyBytes = std::size_t{64} << 10;

struct DispatcherOptions {
  // Further GET /api/v1/events requests are answered 503 while this many streams are open.
  int max_event_streams = 1000;
  // A larger body is refused on every route, whatever the route declares.
  std::size_t max_body_bytes = std::size_t{64} << 20;
  // Whether session cookies carry `Secure`: true unless the server listens on plain loopback
  // (a browser sends a Secure cookie only over https; behind a TLS proxy the server is https).
  bool secure_cookies = true;
};

class Dispatcher : public RequestHandler {
 public:
  // kInvalidArgument naming the route when one declares no scheme or no permission
  // (CheckRoutes); the server then refuses to start.
  static core::Result<std::unique_ptr<Dispatcher>> Create(app::Custos* custos, RouteList routes,
                                                          const DispatcherOptions& options);
  ~Dispatcher() override;
  Dispatcher(const Dispatcher&) = delete;
  Dispatcher& operator=(const Dispatcher&) = delete;

  Admission Admit(const Request& request) override;
  Response Handle(Request& request, const Admission& admission) override;

  // Ends every open event stream; later ones are refused 503. Call before stopping the
  // transport.
  void Stop();

  EventStreams& streams() { return *streams_; }

 private:
  struct Admitted;

  Dispatcher(app::Custos* custos, RouteList routes, const DispatcherOptions& options);
  Response Finish(const Request& request, const std::string& label, const std::string& request_id,
                  Response response) const;

  app::Custos* const custos_;
  const RouteList routes_;
  const DispatcherOptions options_;
  std::shared_ptr<EventStreams> streams_;  // shared with the ingest feed
  int feed_token_ = -1;
};

}  // namespace custos::http
