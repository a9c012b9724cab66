// SPDX-License-Identifier: Apache-2.0
// A connection's reading side: wait for a request (keep-alive idle timeout), read its head
// (header timeout, size and count limits), admit it on a worker, read the admitted body (limit,
// Content-Length or chunked), handle it on a worker. Writing is in session_write.cc.
#include "http/transport/session.h"

#include <exception>
#include <limits>
#include <string_view>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/read.hpp>

#include "core/log.h"
#include "http/transport/error_response.h"
#include "http/transport/request_target.h"

namespace custos::http::transport_internal {

namespace {

const boost::system::error_category& HttpCategory() {
  return bhttp::make_error_code(bhttp::error::bad_target).category();
}

bool KnownMethod(std::string_view m) {
  return m == "GET" || m == "HEAD" || m == "POST" || m == "PUT" || m == "PATCH" || m == "DELETE" ||
         m == "OPTIONS";
}

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto x = static_cast<unsigned char>(a[i]);
    const auto y = static_cast<unsigned char>(b[i]);
    if ((x | 0x20) != (y | 0x20)) {
      return false;
    }
  }
  return true;
}

// Admit and Handle must never take the transport down: an exception becomes a 500.
Response InternalError(std::string_view what, const std::exception* e) {
  const std::string id = NewRequestId();
  CUSTOS_LOG_ERROR("request {}: exception in {}: {}", id, what, e != nullptr ? e->what() : "?");
  return ErrorResponse(500, "internal",
                       "internal error; quote request id " + id + " to the operator", id);
}

Admission SafeAdmit(RequestHandler& handler, const Request& request) {
  try {
    return handler.Admit(request);
  } catch (const std::exception& e) {
    return Admission{InternalError("Admit", &e), 0, nullptr};
  } catch (...) {
    return Admission{InternalError("Admit", nullptr), 0, nullptr};
  }
}

Response SafeHandle(RequestHandler& handler, Request& request, const Admission& admission) {
  try {
    return handler.Handle(request, admission);
  } catch (const std::exception& e) {
    return InternalError("Handle", &e);
  } catch (...) {
    return InternalError("Handle", nullptr);
  }
}

}  // namespace

void Shared::Register(const std::shared_ptr<Session>& session) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_[session.get()] = session;
}

void Shared::Unregister(const Session* session) {
  std::lock_guard<std::mutex> lock(mu_);
  sessions_.erase(session);
}

std::vector<std::shared_ptr<Session>> Shared::Sessions() {
  std::vector<std::shared_ptr<Session>> out;
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [raw, weak] : sessions_) {
    if (auto strong = weak.lock()) {
      out.push_back(std::move(strong));
    }
  }
  return out;
}

Session::Session(Shared& shared, Tcp::socket socket) : shared_(shared), stream_(std::move(socket)) {
  shared_.connections.fetch_add(1);
  beast::error_code ec;
  const Tcp::endpoint remote = stream_.socket().remote_endpoint(ec);
  if (!ec) {
    remote_addr_ = remote.address().to_string();
    remote_port_ = remote.port();
  }
  stream_.socket().set_option(Tcp::no_delay(true), ec);
}

Session::~Session() {
  // No sink_->Detach() here: the sink's weak reference has expired, and a producer may be
  // dropping the last reference while holding the sink's lock.
  shared_.Unregister(this);
  shared_.connections.fetch_sub(1);
}

void Session::Start() {
  shared_.Register(shared_from_this());
  // The first request's head must arrive within the header timeout of the connection.
  net::post(stream_.get_executor(), [self = shared_from_this()] { self->ReadHead(); });
}

void Session::Shutdown(bool force) {
  net::post(stream_.get_executor(), [self = shared_from_this(), force] {
    if (force || self->phase_ == Phase::kIdle || self->phase_ == Phase::kHead) {
      self->Close();
    } else if (self->phase_ == Phase::kStream) {
      self->FinishStream();
    } else {
      self->close_after_response_ = true;
    }
  });
}

void Session::DetachSink() {
  // sink_ is set once on the strand before any producer sees it; Stop() calls this after the
  // I/O threads have been joined, so there is no concurrent writer of the pointer.
  if (sink_) {
    sink_->Detach();
  }
}

void Session::WaitForRequest() {
  if (shared_.stopping.load() || close_after_response_) {
    CloseGracefully();
    return;
  }
  if (buffer_.size() > 0) {  // a pipelined request is already here
    ReadHead();
    return;
  }
  phase_ = Phase::kIdle;
  stream_.expires_after(shared_.options.idle_timeout);
  stream_.async_read_some(buffer_.prepare(4096),
                          [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                            self->buffer_.commit(n);
                            if (ec) {
                              self->Close();
                              return;
                            }
                            self->ReadHead();
                          });
}

void Session::ReadHead() {
  phase_ = Phase::kHead;
  head_.emplace();
  head_->header_limit(static_cast<std::uint32_t>(shared_.options.max_header_bytes));
  // No limit yet: the admitted one is applied once Admit has run. (Not boost::none, which
  // Beast 1.74 compares as smaller than every Content-Length.)
  head_->body_limit(std::numeric_limits<std::uint64_t>::max());
  stream_.expires_after(shared_.options.header_timeout);
  bhttp::async_read_header(
      stream_, buffer_, *head_,
      [self = shared_from_this()](beast::error_code ec, std::size_t) { self->OnHead(ec); });
}

void Session::OnHead(beast::error_code ec) {
  if (ec == bhttp::error::header_limit) {
    RespondError(
        431, "resource_exhausted",
        "request head larger than " + std::to_string(shared_.options.max_header_bytes) + " bytes");
    return;
  }
  if (ec) {
    const bool protocol_error = ec.category() == HttpCategory() &&
                                ec != bhttp::error::end_of_stream &&
                                ec != bhttp::error::partial_message;
    if (!protocol_error) {  // closed, timed out (slowloris) or a socket error
      Close();
      return;
    }
    RespondError(400, "invalid_argument", "malformed HTTP request: " + ec.message());
    return;
  }
  const auto& msg = head_->get();
  std::size_t fields = 0;
  for (auto it = msg.begin(); it != msg.end(); ++it) {
    ++fields;
  }
  if (fields > shared_.options.max_header_count) {
    RespondError(431, "resource_exhausted",
                 "request has more than " + std::to_string(shared_.options.max_header_count) +
                     " header fields");
    return;
  }
  auto exchange = std::make_shared<Exchange>();
  Request& request = exchange->request;
  request.method = std::string(msg.method_string());
  request.target = std::string(msg.target());
  ParseTarget(request.target, &request.path, &request.query);
  for (const auto& field : msg) {
    request.headers.Add(std::string(field.name_string()), std::string(field.value()));
  }
  request.remote_addr = remote_addr_;
  request.remote_port = remote_port_;
  exchange->keep_alive = msg.keep_alive();
  exchange->head_only = request.method == "HEAD";
  if (const auto length = head_->content_length()) {
    exchange->content_length = *length;
  }
  exchange->has_body = head_->chunked() || exchange->content_length.value_or(0) > 0;
  if (const auto expect = request.headers.Get("Expect")) {
    exchange->expect_continue = EqualsIgnoreCase(*expect, "100-continue");
  }
  if (!KnownMethod(request.method)) {
    close_after_response_ = true;
    RespondError(501, "unimplemented",
                 "method " + request.method.substr(0, 32) + " is not supported");
    return;
  }
  if (msg.version() < 10 || msg.version() > 11) {
    close_after_response_ = true;
    RespondError(505, "invalid_argument", "only HTTP/1.0 and HTTP/1.1 are supported");
    return;
  }
  Admit(std::move(exchange));
}

void Session::Admit(std::shared_ptr<Exchange> exchange) {
  phase_ = Phase::kAdmit;
  stream_.expires_never();
  net::post(shared_.workers, [self = shared_from_this(), exchange = std::move(exchange)] {
    exchange->admission = SafeAdmit(*self->shared_.handler, exchange->request);
    if (!exchange->admission.refuse && !exchange->has_body) {
      // Nothing to read: handle on this worker at once instead of a round trip to the strand.
      Response response =
          SafeHandle(*self->shared_.handler, exchange->request, exchange->admission);
      net::post(self->stream_.get_executor(),
                [self, exchange, response = std::move(response)]() mutable {
                  self->Respond(std::move(response), exchange->keep_alive, exchange->head_only);
                });
      return;
    }
    net::post(self->stream_.get_executor(), [self, exchange] { self->OnAdmitted(exchange); });
  });
}

void Session::OnAdmitted(std::shared_ptr<Exchange> exchange) {
  if (exchange->admission.refuse) {
    // Refused before its body: answer and, when a body was announced, close without reading it.
    const bool keep = exchange->keep_alive && !exchange->has_body;
    Respond(std::move(*exchange->admission.refuse), keep, exchange->head_only);
    return;
  }
  const std::size_t limit = exchange->admission.max_body_bytes;
  if (exchange->content_length && *exchange->content_length > limit) {
    // An admitted (authenticated) caller over the route's limit: answer now, then read and
    // discard what it announced (bounded) so that a client that writes its whole body before
    // reading sees the 413 instead of a reset.
    LingerFor(static_cast<std::size_t>(
                  std::min<std::uint64_t>(*exchange->content_length, kMaxAdmittedDrainBytes)),
              kAdmittedLingerTime);
    RespondError(413, "resource_exhausted",
                 "request body of " + std::to_string(*exchange->content_length) +
                     " bytes is larger than the limit of " + std::to_string(limit) + " bytes for " +
                     exchange->request.method + " " + exchange->request.path.substr(0, 200));
    return;
  }
  if (!exchange->expect_continue) {
    ReadBody(std::move(exchange));
    return;
  }
  static const std::string kContinue = "HTTP/1.1 100 Continue\r\n\r\n";
  phase_ = Phase::kWrite;
  stream_.expires_after(shared_.options.body_timeout);
  net::async_write(stream_, net::buffer(kContinue),
                   [self = shared_from_this(), exchange](beast::error_code ec, std::size_t) {
                     if (ec) {
                       self->Close();
                       return;
                     }
                     self->ReadBody(exchange);
                   });
}

void Session::ReadBody(std::shared_ptr<Exchange> exchange) {
  phase_ = Phase::kBody;
  body_.emplace(std::move(*head_));
  head_.reset();
  body_->body_limit(exchange->admission.max_body_bytes);
  stream_.expires_after(shared_.options.body_timeout);
  bhttp::async_read(stream_, buffer_, *body_,
                    [self = shared_from_this(), exchange](beast::error_code ec, std::size_t) {
                      self->OnBody(exchange, ec);
                    });
}

void Session::OnBody(std::shared_ptr<Exchange> exchange, beast::error_code ec) {
  if (ec == bhttp::error::body_limit) {
    body_.reset();
    LingerFor(kMaxAdmittedDrainBytes, kAdmittedLingerTime);  // as in OnAdmitted
    RespondError(413, "resource_exhausted",
                 "request body larger than the limit of " +
                     std::to_string(exchange->admission.max_body_bytes) + " bytes for " +
                     exchange->request.method + " " + exchange->request.path.substr(0, 200));
    return;
  }
  if (ec && (ec.category() != HttpCategory() || ec == bhttp::error::end_of_stream ||
             ec == bhttp::error::partial_message)) {
    Close();  // closed, timed out or a socket error
    return;
  }
  if (ec) {
    RespondError(400, "invalid_argument", "malformed request body: " + ec.message());
    return;
  }
  exchange->request.body = std::move(body_->get().body());
  body_.reset();
  RunHandle(std::move(exchange));
}

void Session::RunHandle(std::shared_ptr<Exchange> exchange) {
  phase_ = Phase::kHandle;
  stream_.expires_never();
  net::post(shared_.workers, [self = shared_from_this(), exchange = std::move(exchange)] {
    Response response = SafeHandle(*self->shared_.handler, exchange->request, exchange->admission);
    net::post(self->stream_.get_executor(),
              [self, exchange, response = std::move(response)]() mutable {
                self->Respond(std::move(response), exchange->keep_alive, exchange->head_only);
              });
  });
}

}  // namespace custos::http::transport_internal
