// SPDX-License-Identifier: Apache-2.0
// Server: the Dispatcher (routes, authentication, permissions) behind http::Transport (the
// asynchronous HTTP/1.1 server on Boost.Beast/Asio, http/transport/transport.h).
#include "http/server.h"

#include <string_view>
#include <utility>

#include "http/dispatcher.h"
#include "http/transport/transport.h"

namespace custos::http {

bool IsLoopbackHost(std::string_view host) {
  return host == "localhost" || host == "::1" || host == "[::1]" || host.rfind("127.", 0) == 0;
}

class Server::Impl {
 public:
  explicit Impl(app::Custos* custos) : custos_(custos) {}

  ~Impl() { Stop(); }

  core::Status Start(const ServerOptions& options) {
    if (dispatcher_ != nullptr) {
      return core::FailedPrecondition("the HTTP server is already running");
    }
    DispatcherOptions d;
    d.max_event_streams = options.max_event_streams;
    d.max_body_bytes = options.max_body_bytes;
    // Plain HTTP on loopback (a developer, tools/run.sh): a Secure cookie would never be sent
    // back. Any other address is expected behind TLS (docs/operations.md).
    d.secure_cookies = !IsLoopbackHost(options.host);
    ASSIGN_OR_RETURN(dispatcher_, Dispatcher::Create(custos_, AllRoutes(), d));
    TransportOptions t;
    t.host = options.host;
    t.port = options.port;
    t.worker_threads = options.worker_threads;
    const core::Status started = transport_.Start(t, dispatcher_.get());
    if (!started.ok()) {
      dispatcher_.reset();
    }
    return started;
  }

  void Stop() {
    if (dispatcher_ == nullptr) {
      return;
    }
    dispatcher_->Stop();  // ends the event streams
    transport_.Stop();
    dispatcher_.reset();
  }

  int port() const { return transport_.port(); }

 private:
  app::Custos* const custos_;
  std::unique_ptr<Dispatcher> dispatcher_;
  Transport transport_;
};

Server::Server(app::Custos* custos) : impl_(std::make_unique<Impl>(custos)) {}

Server::~Server() { Stop(); }

core::Status Server::Start(const ServerOptions& options) { return impl_->Start(options); }

int Server::port() const { return impl_->port(); }

void Server::Stop() { impl_->Stop(); }

std::vector<std::string> Server::RoutePatterns() {
  std::vector<std::string> patterns;
  for (const Route& route : AllRoutes()) {
    patterns.push_back(route.Pattern());
  }
  return patterns;
}

}  // namespace custos::http
