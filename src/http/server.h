// SPDX-License-Identifier: Apache-2.0
// The HTTP server: REST API under /api/v1, /healthz, /metrics, server-sent events. It builds
// the Dispatcher (http/dispatcher.h: routes, authentication, permissions, the one error
// mapping) and serves it through http::Transport (Boost.Beast/Asio, http/transport/), which owns
// the I/O and worker threads.
//
// Thread-safety: Start/Stop from one thread; handlers run on the server's worker threads and
// only call thread-safe app::Custos methods.
#pragma once

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "app/custos.h"
#include "core/status.h"

namespace custos::http {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 picks a free port
  // Larger request bodies are answered 413 with a JSON error and never reach a handler.
  std::size_t max_body_bytes = std::size_t{64} << 20;
  // Threads that run handlers (they may block on SQLite). Network I/O, idle and slow
  // connections and event streams hold none (http/transport/transport.h).
  int worker_threads = 16;
  // Further GET /api/v1/events requests are answered 503 while this many streams are open.
  int max_event_streams = 1000;
};

// True for a loopback listening address ("127.0.0.1", "127.x.y.z", "::1", "localhost"): the
// server then sets session cookies without `Secure` (plain http on the machine itself).
bool IsLoopbackHost(std::string_view host);

class Server {
 public:
  explicit Server(app::Custos* custos);
  ~Server();  // Calls Stop().
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  // Binds and starts serving on a background thread. Returns once the socket is listening.
  // kUnavailable when the address cannot be bound (the message names it); kInvalidArgument
  // naming the route when a route declares no authentication scheme or permission. Also sets
  // SIGPIPE to be ignored for the process, so a client that disconnects mid-response cannot kill
  // it.
  core::Status Start(const ServerOptions& options);

  // The bound port (useful with port 0). Valid after Start().
  int port() const;

  // Stops accepting, lets in-flight requests finish, closes event streams, joins the thread.
  // Idempotent. Call it before the app::Custos it serves is destroyed or shut down.
  void Stop();

  // Every route pattern the server registers ("GET /api/v1/messages/{id}"), for the test
  // that checks docs/api/openapi.yaml lists them all.
  static std::vector<std::string> RoutePatterns();

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace custos::http
