// SPDX-License-Identifier: Apache-2.0
// The HTTP request and response as the rest of custos sees them, independent of the server
// library underneath (http/transport/). The transport parses a request into `Request`, asks its
// `RequestHandler` to admit the head (before reading any body), reads the body up to the
// admitted limit, hands the whole request to the handler on a worker thread, and writes the
// `Response` back. A streaming response (server-sent events) is written by its producer through
// a `StreamSink` for as long as the client stays connected, without holding a worker.
//
// Thread-safety: Request and Response are values owned by one request. StreamSink is
// thread-safe (any thread may Write or Close).
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace custos::http {

// Header fields in arrival order; names compare ASCII case-insensitively.
class Headers {
 public:
  void Add(std::string name, std::string value) {
    fields_.emplace_back(std::move(name), std::move(value));
  }

  // Replaces every field named `name` with one.
  void Set(std::string_view name, std::string value);
  // The first value of `name`; nullopt when absent.
  std::optional<std::string_view> Get(std::string_view name) const;

  bool Has(std::string_view name) const { return Get(name).has_value(); }

  std::size_t size() const { return fields_.size(); }

  const std::vector<std::pair<std::string, std::string>>& fields() const { return fields_; }

 private:
  std::vector<std::pair<std::string, std::string>> fields_;
};

struct Request {
  std::string method;  // "GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"
  std::string target;  // as sent: "/api/v1/messages?limit=5"
  std::string path;    // percent-decoded path without the query: "/api/v1/messages"
  // Percent-decoded query parameters in order ("a=1&a=2" gives two entries; "+" is a space).
  std::vector<std::pair<std::string, std::string>> query;
  Headers headers;
  std::string body;         // empty until the body has been read
  std::string remote_addr;  // "127.0.0.1"
  int remote_port = 0;

  // The first value of a query parameter; nullopt when absent.
  std::optional<std::string_view> Param(std::string_view name) const;
  std::size_t ParamCount(std::string_view name) const;
};

// Where a streaming response writes. Write returns false once the client is gone or the
// transport is stopping; a producer then stops writing. Close ends the response (the transport
// finishes the chunked body). Both may be called from any thread; writes are sent in order.
class StreamSink {
 public:
  virtual ~StreamSink() = default;
  virtual bool Write(std::string chunk) = 0;
  virtual void Close() = 0;
  virtual bool IsOpen() const = 0;
};

struct Response {
  int status = 200;
  Headers headers;
  std::string content_type;  // "" for no body
  std::string body;
  // When set, the transport writes the status and headers (chunked, no Content-Length), then
  // calls `stream` once with the sink; `body` is ignored. The producer keeps the sink.
  std::function<void(std::shared_ptr<StreamSink>)> stream;
};

// What the transport does with a request whose head has been read.
struct Admission {
  // When set, this is answered at once: the body is not read and the connection is closed
  // after the answer if a body was announced.
  std::optional<Response> refuse;
  // The largest body the request may have; a larger one (Content-Length or chunked) is refused
  // with 413 as soon as the limit is passed, without reading the rest.
  std::size_t max_body_bytes = 0;
  // What Admit learned (the matched route, the authenticated caller), handed back to Handle so
  // that nothing is resolved twice. Opaque to the transport.
  std::shared_ptr<const void> state;
};

// The application side of the transport. Admit and Handle run on worker threads, never on the
// threads that do network I/O, so they may block (database reads, the ingest queue).
class RequestHandler {
 public:
  virtual ~RequestHandler() = default;
  // `request` has no body yet.
  virtual Admission Admit(const Request& request) = 0;
  // Called only for an admitted request (no `refuse`), with its body read and the Admission
  // that Admit returned for it.
  virtual Response Handle(Request& request, const Admission& admission) = 0;
};

}  // namespace custos::http
