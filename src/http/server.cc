// SPDX-License-Identifier: Apache-2.0
#include "http/server.h"

#include <algorithm>
#include <chrono>
#include <exception>
#include <regex>
#include <string_view>
#include <thread>
#include <utility>

#include <httplib.h>
#include <signal.h>
#include <sys/socket.h>

#include "core/log.h"
#include "core/text.h"
#include "http/event_streams.h"
#include "http/respond.h"
#include "http/routes.h"

namespace custos::http {

namespace {

constexpr std::size_t kEventQueueCapacity = 4096;

struct RouteMatcher {
  std::string method;
  std::regex path;
  std::string pattern;
  httplib::Server::Handler handler;  // as installed (with the token check)
};

// Methods after which httplib expects a body (httplib::detail::expect_content).
bool ExpectsBody(const std::string& method) {
  return method == "POST" || method == "PUT" || method == "PATCH" || method == "DELETE" ||
         method == "PRI";
}

// SO_REUSEADDR only (a restart may bind while old connections sit in TIME_WAIT), never
// httplib's default SO_REUSEPORT: with it a second server binds the same port and the kernel
// splits the connections between the two.
void ExclusivePortSocketOptions(socket_t sock) {
  int yes = 1;
  ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
}

void IgnoreSigpipe() {
  struct sigaction ignore = {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGPIPE, &ignore, nullptr);
}

// The token of an "Authorization: Bearer <token>" header; empty when absent or malformed.
std::string_view BearerToken(std::string_view header) {
  constexpr std::string_view kScheme = "bearer ";
  if (header.size() <= kScheme.size() ||
      core::ToLowerAscii(header.substr(0, kScheme.size())) != kScheme) {
    return {};
  }
  return core::TrimAscii(header.substr(kScheme.size()));
}

// OK when the request carries a valid bearer token; otherwise the error is already answered.
bool Authorized(app::Custos* custos, const httplib::Request& req, httplib::Response& res) {
  const std::string header = req.get_header_value("Authorization");
  const std::string_view token = BearerToken(header);
  core::Status verdict =
      token.empty() ? core::Unauthenticated(
                          "missing bearer token: send the header Authorization: Bearer <token>")
                    : custos->VerifyToken(token);
  if (!verdict.ok()) {
    if (verdict.code() == core::StatusCode::kUnauthenticated) {
      res.set_header("WWW-Authenticate", "Bearer realm=\"custos\"");
    }
    SendError(res, verdict);
    return false;
  }
  return true;
}

httplib::Server::Handler RequireToken(app::Custos* custos, httplib::Server::Handler inner) {
  return [custos, inner = std::move(inner)](const httplib::Request& req, httplib::Response& res) {
    if (Authorized(custos, req, res)) {
      inner(req, res);
    }
  };
}

// A POST route reads its body itself (httplib would otherwise buffer any chunked body whole
// before the handler): the token is checked first, then at most `limit` bytes are kept. A larger
// body, or any body of a request without a valid token, is read and discarded (up to
// `drain_limit`, after which the connection is given up) so the client still gets its 413/401.
httplib::Server::HandlerWithContentReader WithBoundedBody(app::Custos* custos, bool needs_token,
                                                          std::size_t limit,
                                                          std::size_t drain_limit,
                                                          httplib::Server::Handler inner) {
  return [=, inner = std::move(inner)](const httplib::Request& req, httplib::Response& res,
                                       const httplib::ContentReader& read) {
    const bool authorized = !needs_token || Authorized(custos, req, res);
    const int refused_status = res.status;
    std::string body;
    std::size_t seen = 0;
    bool over = false;
    const bool complete = read([&](const char* data, std::size_t n) {
      seen += n;
      if (authorized && !over && body.size() + n <= limit) {
        body.append(data, n);
      } else if (!over && authorized) {
        over = true;
        std::string().swap(body);
      }
      return seen <= drain_limit;
    });
    if (!authorized) {
      res.status = refused_status;  // answered 401/403 above (httplib may have set 413 since)
      return;
    }
    if (over || res.status == 413) {
      SendError(res,
                core::ResourceExhausted("request body larger than the limit of " +
                                        std::to_string(limit) + " bytes for " + req.method + " " +
                                        std::string(core::TruncateUtf8(req.path, 200))),
                413);
      return;
    }
    if (!complete) {
      SendError(res, core::InvalidArgument("incomplete or malformed request body"), 400);
      return;
    }
    // httplib owns the request and hands it over as const; the body is the only member set.
    const_cast<httplib::Request&>(req).body = std::move(body);
    inner(req, res);
  };
}

// The JSON error for a response httplib produced itself (no route, body too large, a request
// it could not parse).
core::Status StatusForBareError(const httplib::Request& req, int http_status,
                                std::size_t max_body_bytes) {
  const std::string target = req.method + " " + std::string(core::TruncateUtf8(req.path, 200));
  switch (http_status) {
    case 404:
      return core::NotFound("no route for " + target);
    case 413:
      if (req.get_header_value("Content-Type").rfind("application/x-www-form-urlencoded", 0) == 0) {
        // httplib caps form-encoded bodies at CPPHTTPLIB_FORM_URL_ENCODED_PAYLOAD_MAX_LENGTH.
        return core::ResourceExhausted(
            "form-encoded request bodies are limited to " +
            std::to_string(CPPHTTPLIB_FORM_URL_ENCODED_PAYLOAD_MAX_LENGTH) +
            " bytes; send JSON with Content-Type: application/json");
      }
      return core::ResourceExhausted("request body larger than the limit of " +
                                     std::to_string(max_body_bytes) + " bytes");
    case 414:
      return core::InvalidArgument("request target too long");
    default:
      break;
  }
  if (http_status >= 500) {
    return core::Internal("HTTP " + std::to_string(http_status) + " for " + target);
  }
  return core::InvalidArgument("malformed HTTP request (HTTP " + std::to_string(http_status) + ")");
}

}  // namespace

class Server::Impl {
 public:
  explicit Impl(app::Custos* custos) : custos_(custos) {}

  ~Impl() { Stop(); }

  core::Status Start(const ServerOptions& options);

  void Stop();

  int port() const { return port_; }

 private:
  void Install(const ServerOptions& options);

  std::string RouteLabel(const httplib::Request& req) const;

  // A POST (or PUT, ...) with neither Content-Length nor Transfer-Encoding has no body (RFC
  // 9112 section 6.3), e.g. `curl -X POST .../policy/reload`. httplib 0.11 would read such a
  // request's body until the connection closes, and answer 400 when its read timeout expires;
  // this serves it here, before httplib reads, with an empty body: the matching route, or 404.
  // False for every other request (httplib handles it).
  bool DispatchWithoutBody(const httplib::Request& req, httplib::Response& res) const;

  app::Custos* const custos_;
  std::unique_ptr<EventStreams> streams_;
  RouteContext ctx_;
  std::vector<RouteMatcher> matchers_;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
  bool started_ = false;
};

void Server::Impl::Install(const ServerOptions& options) {
  const std::size_t workers = options.worker_threads > 0 ? std::size_t(options.worker_threads) : 8;
  server_->new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  RouteList routes = AllRoutes(&ctx_);
  // httplib reads a body with a Content-Length over this and discards it (413) before any
  // handler; each POST route bounds its own body below it (Route::max_body_bytes).
  std::size_t largest_body = 0;
  for (const Route& route : routes) {
    largest_body = std::max(largest_body, route.max_body_bytes);
  }
  const std::size_t max_body = std::min(largest_body, options.max_body_bytes);
  server_->set_payload_max_length(max_body);

  for (Route& route : routes) {
    const std::string regex = PathRegex(route.path);
    httplib::Server::Handler handler =
        route.needs_token ? RequireToken(custos_, route.handler) : route.handler;
    // The matcher's handler serves a POST without a body (no Content-Length) as well.
    matchers_.push_back({route.method, std::regex(regex), route.Pattern(), handler});
    if (route.method == "GET") {
      server_->Get(regex, std::move(handler));
    } else if (route.method == "POST") {
      server_->Post(regex, WithBoundedBody(custos_, route.needs_token,
                                           std::min(route.max_body_bytes, options.max_body_bytes),
                                           options.max_body_bytes, std::move(route.handler)));
    } else {
      CUSTOS_CHECK(false && "route method must be GET or POST");
    }
  }

  server_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    res.set_header(kRequestIdHeader, NewRequestId());
    return DispatchWithoutBody(req, res) ? httplib::Server::HandlerResponse::Handled
                                         : httplib::Server::HandlerResponse::Unhandled;
  });

  server_->set_error_handler(httplib::Server::HandlerWithResponse(
      [max_body](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty()) {
          return httplib::Server::HandlerResponse::Unhandled;  // a route's own JSON error
        }
        if (RequestIdOf(res).empty()) {
          res.set_header(kRequestIdHeader, NewRequestId());
        }
        SendError(res, StatusForBareError(req, res.status, max_body), res.status);
        return httplib::Server::HandlerResponse::Handled;
      }));

  server_->set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr ep) {
        std::string what = "unknown exception";
        try {
          std::rethrow_exception(ep);
        } catch (const std::exception& e) {
          what = e.what();
        } catch (...) {
        }
        if (RequestIdOf(res).empty()) {
          res.set_header(kRequestIdHeader, NewRequestId());
        }
        SendError(res, core::Internal("exception in " + req.method + " " + req.path + ": " + what));
      });

  // Counted before the response is written (post-routing runs after the error handler, with
  // the final status), so a client that reads /metrics right after a response sees it counted.
  server_->set_post_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    custos_->metrics().HttpRequest(RouteLabel(req), res.status);
  });
  server_->set_logger([](const httplib::Request& req, const httplib::Response& res) {
    CUSTOS_LOG_DEBUG("http {} {} {} -> {}", RequestIdOf(res), req.method,
                     core::TruncateUtf8(req.path, 200), res.status);
  });
}

std::string Server::Impl::RouteLabel(const httplib::Request& req) const {
  const std::string& method = req.method == "HEAD" ? std::string("GET") : req.method;
  for (const RouteMatcher& m : matchers_) {
    if (m.method == method && std::regex_match(req.path, m.path)) {
      return m.pattern;
    }
  }
  return "unmatched";
}

bool Server::Impl::DispatchWithoutBody(const httplib::Request& req, httplib::Response& res) const {
  if (!ExpectsBody(req.method) || req.has_header("Content-Length") ||
      req.has_header("Transfer-Encoding")) {
    return false;
  }
  httplib::Request bodiless = req;  // the handler sees its own path matches, as httplib sets them
  for (const RouteMatcher& m : matchers_) {
    if (m.method == req.method && std::regex_match(bodiless.path, bodiless.matches, m.path)) {
      m.handler(bodiless, res);
      return true;
    }
  }
  res.status = 404;  // the error handler writes the JSON error
  return true;
}

core::Status Server::Impl::Start(const ServerOptions& options) {
  if (started_) {
    return core::FailedPrecondition("the HTTP server is already running");
  }
  IgnoreSigpipe();
  streams_ = std::make_unique<EventStreams>(
      options.max_event_streams > 0 ? std::size_t(options.max_event_streams) : 1,
      kEventQueueCapacity);
  ctx_ = RouteContext{custos_, streams_.get()};
  matchers_.clear();
  server_ = std::make_unique<httplib::Server>();
  server_->set_socket_options(ExclusivePortSocketOptions);
  Install(options);

  const std::string where = options.host + ":" + std::to_string(options.port);
  if (options.port == 0) {
    port_ = server_->bind_to_any_port(options.host);
    if (port_ <= 0) {
      return core::Unavailable("cannot listen on " + where + ": no free port or bad address");
    }
  } else {
    if (!server_->bind_to_port(options.host, options.port)) {
      return core::Unavailable("cannot listen on " + where +
                               ": address in use, not local, or not permitted");
    }
    port_ = options.port;
  }
  thread_ = std::thread([server = server_.get()] {
    if (!server->listen_after_bind()) {
      CUSTOS_LOG_ERROR("the HTTP server stopped accepting connections unexpectedly");
    }
  });
  // stop() is a no-op until the accept loop runs, so wait for it before reporting success.
  for (int i = 0; i < 5000 && !server_->is_running(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  }
  started_ = true;
  return core::Status::Ok();
}

void Server::Impl::Stop() {
  if (!started_) {
    return;
  }
  started_ = false;
  streams_->CloseAll();
  server_->stop();
  if (thread_.joinable()) {
    thread_.join();
  }
}

Server::Server(app::Custos* custos) : impl_(std::make_unique<Impl>(custos)) {}

Server::~Server() { Stop(); }

core::Status Server::Start(const ServerOptions& options) { return impl_->Start(options); }

int Server::port() const { return impl_->port(); }

void Server::Stop() { impl_->Stop(); }

std::vector<std::string> Server::RoutePatterns() {
  std::vector<std::string> patterns;
  for (const Route& route : AllRoutes(nullptr)) {
    patterns.push_back(route.Pattern());
  }
  return patterns;
}

}  // namespace custos::http
