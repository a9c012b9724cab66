// SPDX-License-Identifier: Apache-2.0
// INTERNAL to src/http/transport/: the one header that includes Boost.Asio/Beast. Only the .cc
// files of this folder include it, so no other translation unit pays for Boost's headers.
//
// `Shared` is what the Transport and all its connections share (options, handler, pools, the
// registry Stop() walks). `Session` is one accepted connection: its state machine (head, admit,
// body, handle, write, keep-alive, stream) runs on the connection's strand; Admit and Handle run
// on the worker pool and post their results back to the strand. `SinkImpl` is the StreamSink of
// a streaming response: any thread may Write; it posts framed chunks to the strand and refuses
// once the peer has gone, the transport stops, or `max_stream_queue_bytes` are queued.
//
// Thread-safety: Shared's registry is guarded by its mutex; a Session's members are touched only
// on its strand except where noted; SinkImpl is thread-safe.
#pragma once

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include "http/message.h"
#include "http/transport/transport.h"

namespace custos::http::transport_internal {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using Tcp = net::ip::tcp;

class Session;
class SinkImpl;

struct Shared {
  Shared(const TransportOptions& opts, RequestHandler* h, std::size_t worker_threads)
      : options(opts), handler(h), workers(worker_threads) {}

  void Register(const std::shared_ptr<Session>& session);
  void Unregister(const Session* session);
  // Live sessions (weak references turned strong) for Stop().
  std::vector<std::shared_ptr<Session>> Sessions();

  const TransportOptions options;
  RequestHandler* const handler;
  net::thread_pool workers;
  std::atomic<bool> stopping{false};
  std::atomic<std::size_t> connections{0};

 private:
  std::mutex mu_;
  std::unordered_map<const Session*, std::weak_ptr<Session>> sessions_;  // guarded by mu_
};

// A closing connection reads and discards what the client still sends (so that it sees the answer
// instead of a reset): a refused one (401, 431, 400...) at most kMaxDrainBytes for kLingerTime; an
// admitted caller over a route's body limit (413) up to what it announced, at most
// kMaxAdmittedDrainBytes for kAdmittedLingerTime. Nothing drained is kept.
inline constexpr std::size_t kMaxDrainBytes = std::size_t{8} << 20;
inline constexpr std::chrono::milliseconds kLingerTime{1000};
inline constexpr std::size_t kMaxAdmittedDrainBytes = std::size_t{256} << 20;
inline constexpr std::chrono::milliseconds kAdmittedLingerTime{10'000};

// One request in flight: built on the strand, moved to a worker and back.
struct Exchange {
  Request request;
  Admission admission;
  bool keep_alive = true;
  bool head_only = false;  // a HEAD request: the body is not written
  bool has_body = false;   // Content-Length > 0 or chunked
  bool expect_continue = false;
  std::optional<std::uint64_t> content_length;
};

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(Shared& shared, Tcp::socket socket);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  void Start();

  // From Stop() (any thread). Not forced: an idle connection closes, a stream ends, a request
  // in flight is answered and then closed. Forced: the connection closes now.
  void Shutdown(bool force);

  // Any thread: marks this session's stream sink closed so that Write returns false without
  // touching the network (Stop() calls it before the I/O context goes away).
  void DetachSink();

  net::any_io_executor executor() { return stream_.get_executor(); }

  // On the strand, from SinkImpl: queue a framed chunk (`counted` bytes of the sink's queue),
  // end the stream, or drop the connection.
  void EnqueueChunk(std::string framed, std::size_t counted);
  void FinishStream();
  void AbortStream();

 private:
  enum class Phase { kIdle, kHead, kAdmit, kBody, kHandle, kWrite, kStream, kClosing, kClosed };

  // session.cc: reading and dispatch.
  void WaitForRequest();
  void ReadHead();
  void OnHead(beast::error_code ec);
  void Admit(std::shared_ptr<Exchange> exchange);
  void OnAdmitted(std::shared_ptr<Exchange> exchange);
  void ReadBody(std::shared_ptr<Exchange> exchange);
  void OnBody(std::shared_ptr<Exchange> exchange, beast::error_code ec);
  void RunHandle(std::shared_ptr<Exchange> exchange);

  // session_write.cc: responses, streams, closing.
  void Respond(Response response, bool keep_alive, bool head_only);
  void RespondError(int status, std::string_view code, std::string_view message);
  void AfterWrite(bool keep_alive, beast::error_code ec);
  void StartStream(Response response);
  void WriteNextChunk();
  void WatchPeer();
  void CloseGracefully();
  // After this, CloseGracefully reads and discards up to `bytes` for up to `time` (the default is
  // the small budget every refused connection gets).
  void LingerFor(std::size_t bytes, std::chrono::milliseconds time);
  void Drain();
  void Close();

  Shared& shared_;
  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  std::optional<bhttp::request_parser<bhttp::empty_body>> head_;
  std::optional<bhttp::request_parser<bhttp::string_body>> body_;
  std::string remote_addr_;
  int remote_port_ = 0;
  Phase phase_ = Phase::kIdle;
  bool close_after_response_ = false;  // set by a non-forced Shutdown during a request
  std::shared_ptr<void> writing_;      // the message being written
  // Streaming state.
  std::shared_ptr<SinkImpl> sink_;
  std::deque<std::pair<std::string, std::size_t>> chunks_;  // framed chunk, bytes counted
  bool chunk_writing_ = false;
  bool stream_finishing_ = false;
  std::unique_ptr<char[]> scratch_;  // for draining and watching the peer
  std::size_t drained_ = 0;
  std::size_t drain_limit_ = kMaxDrainBytes;             // CloseGracefully's budget (LingerFor)
  std::chrono::milliseconds linger_time_ = kLingerTime;  // ditto
};

class SinkImpl final : public StreamSink {
 public:
  SinkImpl(std::weak_ptr<Session> session, std::size_t max_queued)
      : session_(std::move(session)), max_queued_(max_queued) {}

  bool Write(std::string chunk) override;
  void Close() override;
  bool IsOpen() const override;

  // From the session's strand when a chunk has been written.
  void Written(std::size_t bytes);
  // The connection has gone (or the transport stops): Write returns false from now on.
  void Detach();

 private:
  mutable std::mutex mu_;
  std::weak_ptr<Session> session_;  // guarded by mu_; reset by Detach
  bool open_ = true;                // guarded by mu_
  std::size_t queued_ = 0;          // guarded by mu_
  const std::size_t max_queued_;
};

}  // namespace custos::http::transport_internal
