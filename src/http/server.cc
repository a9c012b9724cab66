// SPDX-License-Identifier: Apache-2.0
// Server: the Dispatcher behind a transport. HttplibTransport below is the interim adapter over
// cpp-httplib 0.11 (to be replaced by http::Transport on Boost.Beast, with the same Start(options,
// RequestHandler*), Stop() and port()): it converts each httplib request into an http::Request,
// asks the handler to Admit it before reading any body, reads the body up to the admitted
// limit, calls Handle and writes the http::Response back; a streaming response is a chunked
// content provider fed from a bounded queue (QueueSink).
#include "http/server.h"

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <exception>
#include <mutex>
#include <thread>
#include <utility>

#include <httplib.h>
#include <signal.h>
#include <sys/socket.h>

#include "core/log.h"
#include "core/text.h"
#include "http/dispatcher.h"
#include "http/respond.h"

namespace custos::http {

namespace {

constexpr std::size_t kStreamQueueCapacity = 4096;  // events a slow client may fall behind

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

// A stream's writes, queued for the httplib worker that writes them; Write never blocks and
// refuses once the client is gone or has fallen kStreamQueueCapacity events behind.
class QueueSink : public StreamSink {
 public:
  bool Write(std::string chunk) override {
    std::lock_guard<std::mutex> lock(mu_);
    if (gone_ || closed_ || queue_.size() >= kStreamQueueCapacity) {
      return false;
    }
    queue_.push_back(std::move(chunk));
    cv_.notify_all();
    return true;
  }

  void Close() override {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    cv_.notify_all();
  }

  bool IsOpen() const override {
    std::lock_guard<std::mutex> lock(mu_);
    return !gone_ && !closed_;
  }

  void Gone() {
    std::lock_guard<std::mutex> lock(mu_);
    gone_ = true;
  }

  // One turn of the content provider: false drops the connection.
  bool Pump(httplib::DataSink& sink) {
    std::deque<std::string> chunks;
    bool closed = false;
    {
      std::unique_lock<std::mutex> lock(mu_);
      cv_.wait_for(lock, std::chrono::milliseconds(500),
                   [this] { return !queue_.empty() || closed_; });
      chunks.swap(queue_);
      closed = closed_;
    }
    for (const std::string& c : chunks) {
      if (!sink.write(c.data(), c.size())) {
        Gone();
        return false;
      }
    }
    if (closed) {
      sink.done();
      return true;
    }
    if (!sink.is_writable()) {
      Gone();
      return false;
    }
    return true;
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable cv_;
  std::deque<std::string> queue_;
  bool closed_ = false;
  bool gone_ = false;
};

Request ToRequest(const httplib::Request& req) {
  Request out;
  out.method = req.method;
  out.target = req.target;
  out.path = req.path;
  for (const auto& [name, value] : req.params) {
    out.query.emplace_back(name, value);
  }
  for (const auto& [name, value] : req.headers) {
    out.headers.Add(name, value);
  }
  out.remote_addr = req.remote_addr;
  out.remote_port = req.remote_port;
  return out;
}

void WriteResponse(Response response, httplib::Response& res) {
  res.status = response.status;
  for (const auto& [name, value] : response.headers.fields()) {
    res.set_header(name.c_str(), value);
  }
  if (response.stream) {
    auto sink = std::make_shared<QueueSink>();
    response.stream(sink);
    res.set_chunked_content_provider(
        response.content_type,
        [sink](std::size_t, httplib::DataSink& ds) { return sink->Pump(ds); },
        [sink](bool) { sink->Gone(); });
    return;
  }
  if (!response.content_type.empty() || !response.body.empty()) {
    res.set_content(std::move(response.body), response.content_type.c_str());
  }
}

// A request with neither Content-Length nor Transfer-Encoding has no body (RFC 9112 6.3).
bool HasBody(const httplib::Request& req) {
  return req.has_header("Content-Length") || req.has_header("Transfer-Encoding");
}

// The JSON error for a response httplib produced itself (a body over the server-wide limit, a
// request it could not parse).
Response BareError(const httplib::Request& req, int http_status, std::size_t max_body_bytes) {
  const std::string target = req.method + " " + std::string(core::TruncateUtf8(req.path, 200));
  core::Status status =
      core::InvalidArgument("malformed HTTP request (HTTP " + std::to_string(http_status) + ")");
  if (http_status == 404) {
    status = core::NotFound("no route for " + target);
  } else if (http_status == 413) {
    status = core::ResourceExhausted("request body larger than the limit of " +
                                     std::to_string(max_body_bytes) + " bytes");
  } else if (http_status == 414) {
    status = core::InvalidArgument("request target too long");
  } else if (http_status >= 500) {
    status = core::Internal("HTTP " + std::to_string(http_status) + " for " + target);
  }
  const std::string id = NewRequestId();
  Response out = ErrorResponse(status, id, http_status);
  out.headers.Set(kRequestIdHeader, id);
  return out;
}

}  // namespace

// The interim transport: same shape as http::Transport (Start(options, RequestHandler*),
// Stop(), port()).
class HttplibTransport {
 public:
  core::Status Start(const ServerOptions& options, RequestHandler* handler);
  void Stop();

  int port() const { return port_; }

 private:
  // Admit, read the body within the admitted limit (nullptr `read`: no body), Handle.
  void Serve(const httplib::Request& req, httplib::Response& res,
             const httplib::ContentReader* read) const;

  RequestHandler* handler_ = nullptr;
  std::size_t drain_limit_ = 0;
  std::unique_ptr<httplib::Server> server_;
  std::thread thread_;
  int port_ = 0;
};

void HttplibTransport::Serve(const httplib::Request& req, httplib::Response& res,
                             const httplib::ContentReader* read) const {
  Request request = ToRequest(req);
  const Admission admission = handler_->Admit(request);
  // A body is read (and discarded beyond the limit, up to drain_limit_, after which the
  // connection is given up) so that the client still gets its answer.
  std::size_t seen = 0;
  bool over = false;
  bool complete = true;
  if (read != nullptr) {
    const std::size_t limit = admission.refuse ? 0 : admission.max_body_bytes;
    complete = (*read)([&](const char* data, std::size_t n) {
      seen += n;
      if (!over && request.body.size() + n <= limit) {
        request.body.append(data, n);
      } else if (!over) {
        over = true;
        std::string().swap(request.body);
      }
      return seen <= drain_limit_;
    });
  }
  if (admission.refuse) {
    WriteResponse(*admission.refuse, res);
    return;
  }
  if (over) {
    const std::string id = NewRequestId();
    Response too_large = ErrorResponse(
        core::ResourceExhausted("request body larger than the limit of " +
                                std::to_string(admission.max_body_bytes) + " bytes for " +
                                req.method + " " + std::string(core::TruncateUtf8(req.path, 200))),
        id, 413);
    too_large.headers.Set(kRequestIdHeader, id);
    WriteResponse(std::move(too_large), res);
    return;
  }
  if (!complete) {
    const std::string id = NewRequestId();
    Response bad = ErrorResponse(core::InvalidArgument("incomplete or malformed request body"), id);
    bad.headers.Set(kRequestIdHeader, id);
    WriteResponse(std::move(bad), res);
    return;
  }
  WriteResponse(handler_->Handle(request, admission), res);
}

core::Status HttplibTransport::Start(const ServerOptions& options, RequestHandler* handler) {
  IgnoreSigpipe();
  handler_ = handler;
  drain_limit_ = options.max_body_bytes;
  server_ = std::make_unique<httplib::Server>();
  server_->set_socket_options(ExclusivePortSocketOptions);
  const std::size_t workers = options.worker_threads > 0 ? std::size_t(options.worker_threads) : 8;
  server_->new_task_queue = [workers] { return new httplib::ThreadPool(workers); };
  server_->set_payload_max_length(options.max_body_bytes);

  const httplib::Server::Handler bodiless =
      [this](const httplib::Request& req, httplib::Response& res) { Serve(req, res, nullptr); };
  const httplib::Server::HandlerWithContentReader with_body =
      [this](const httplib::Request& req, httplib::Response& res,
             const httplib::ContentReader& read) { Serve(req, res, &read); };
  server_->Get(".*", bodiless);
  server_->Options(".*", bodiless);
  server_->Post(".*", with_body);
  server_->Put(".*", with_body);
  server_->Patch(".*", with_body);
  server_->Delete(".*", with_body);
  // httplib 0.11 would read a bodiless POST's body until the connection closes: serve it here.
  server_->set_pre_routing_handler([this](const httplib::Request& req, httplib::Response& res) {
    if (req.method == "GET" || req.method == "HEAD" || req.method == "OPTIONS" || HasBody(req)) {
      return httplib::Server::HandlerResponse::Unhandled;
    }
    Serve(req, res, nullptr);
    return httplib::Server::HandlerResponse::Handled;
  });
  const std::size_t max_body = options.max_body_bytes;
  server_->set_error_handler(httplib::Server::HandlerWithResponse(
      [max_body](const httplib::Request& req, httplib::Response& res) {
        if (!res.body.empty() || res.has_header(kRequestIdHeader)) {
          return httplib::Server::HandlerResponse::Unhandled;  // the dispatcher's own answer
        }
        WriteResponse(BareError(req, res.status, max_body), res);
        return httplib::Server::HandlerResponse::Handled;
      }));
  server_->set_exception_handler(
      [](const httplib::Request& req, httplib::Response& res, std::exception_ptr) {
        WriteResponse(BareError(req, 500, 0), res);
      });

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
  return core::Status::Ok();
}

void HttplibTransport::Stop() {
  if (server_ == nullptr) {
    return;
  }
  server_->stop();
  if (thread_.joinable()) {
    thread_.join();
  }
  server_.reset();
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
    // Interim: each stream holds an httplib worker; keep half of them for requests.
    d.max_event_streams =
        std::min(options.max_event_streams, std::max(1, options.worker_threads / 2));
    d.max_body_bytes = options.max_body_bytes;
    ASSIGN_OR_RETURN(dispatcher_, Dispatcher::Create(custos_, AllRoutes(), d));
    const core::Status started = transport_.Start(options, dispatcher_.get());
    if (!started.ok()) {
      dispatcher_.reset();
    }
    return started;
  }

  void Stop() {
    if (dispatcher_ == nullptr) {
      return;
    }
    dispatcher_->Stop();  // ends the event streams, so the transport's workers come free
    transport_.Stop();
    dispatcher_.reset();
  }

  int port() const { return transport_.port(); }

 private:
  app::Custos* const custos_;
  std::unique_ptr<Dispatcher> dispatcher_;
  HttplibTransport transport_;
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
