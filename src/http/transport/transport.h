// SPDX-License-Identifier: Apache-2.0
// The HTTP/1.1 server underneath custos: asynchronous network I/O on a few threads
// (Boost.Beast/Asio, never visible outside src/http/transport/), application work on a separate
// pool of worker threads. An idle, slow or streaming connection holds no thread; only Admit and
// Handle (which may block on SQLite) run on workers. See http/message.h for the seam.
//
// Per connection: read the head within `header_timeout` (a slowloris client is closed), refuse
// oversized heads with 431, ask the handler to Admit the head on a worker, read the body only
// once admitted and only up to the admitted limit (413 the moment it is passed, the rest is never
// read), Handle on a worker, write the response, keep the connection alive per HTTP/1.1 (closed
// after `idle_timeout` of silence). A streaming Response is written with chunked encoding through
// a thread-safe StreamSink whose queue is bounded (a slow reader is dropped, memory never grows).
// Errors the transport produces itself are JSON: {"error":{"code","message","request_id"}}.
//
// Thread-safety: Start and Stop from one thread; port() from any thread after Start. The
// RequestHandler is called concurrently from the worker threads and must be thread-safe; it must
// outlive Stop().
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include "core/status.h"
#include "http/message.h"

namespace custos::http {

struct TransportOptions {
  std::string host = "127.0.0.1";
  int port = 8080;  // 0 picks a free port (see Transport::port())
  int io_threads = 2;
  // Threads that run RequestHandler::Admit and Handle (handlers may block on SQLite).
  int worker_threads = 16;
  int listen_backlog = 1024;  // capped by the kernel at net.core.somaxconn
  // A head (request line and fields) larger than this, or with more fields, is answered 431.
  std::size_t max_header_bytes = std::size_t{16} << 10;
  std::size_t max_header_count = 100;
  // A connection that has not sent a complete head this long after its first byte (or after it
  // connected) is closed: slowloris.
  std::chrono::milliseconds header_timeout{std::chrono::seconds(10)};
  // A keep-alive connection with no new request for this long is closed.
  std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};
  // Reading an admitted body, and writing a whole (non-streaming) response, must finish in this.
  std::chrono::milliseconds body_timeout{std::chrono::seconds(60)};
  // Connections beyond this are closed as soon as they are accepted.
  std::size_t max_connections = 10'000;
  // Bytes a StreamSink may have queued but not yet written; beyond it the stream is closed.
  std::size_t max_stream_queue_bytes = std::size_t{1} << 20;
  // How long Stop() lets in-flight requests finish before it closes their connections.
  std::chrono::milliseconds stop_grace{std::chrono::seconds(5)};
};

class Transport {
 public:
  Transport();
  ~Transport();  // Calls Stop().
  Transport(const Transport&) = delete;
  Transport& operator=(const Transport&) = delete;

  // Raises the RLIMIT_NOFILE soft limit to the hard limit, ignores SIGPIPE for the process, binds
  // host:port and starts the I/O and worker threads. Returns once the socket is listening.
  // kUnavailable naming the address when it cannot be bound; kFailedPrecondition when already
  // started. `handler` must outlive Stop().
  core::Status Start(const TransportOptions& options, RequestHandler* handler);

  // The bound port (the chosen one with port 0); 0 before Start.
  int port() const;

  // Stops accepting, closes idle connections and open streams (their sinks' Write returns false
  // from now on), lets in-flight requests finish for up to `stop_grace`, then closes every
  // connection and joins all threads. Blocks until the running Admit/Handle calls have returned.
  // Idempotent.
  void Stop();

  // Connections open right now (for tests and metrics).
  std::size_t OpenConnections() const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace custos::http
