// SPDX-License-Identifier: Apache-2.0
// A connection's writing side: a whole response (Content-Length), a streaming response (chunked,
// fed by SinkImpl), and closing: gracefully (shut down our side, then read and discard what the
// client still sends for a bounded time, so that it sees the answer instead of a reset) or at
// once.
#include <string_view>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/status.hpp>
#include <boost/beast/http/write.hpp>

#include "core/log.h"
#include "http/transport/error_response.h"
#include "http/transport/session.h"

namespace custos::http::transport_internal {

namespace {

constexpr std::size_t kScratchBytes = 16 * 1024;

// Fields the transport writes itself; a handler's copy is ignored.
bool TransportField(std::string_view name) {
  auto is = [name](std::string_view other) {
    if (name.size() != other.size()) {
      return false;
    }
    for (std::size_t i = 0; i < name.size(); ++i) {
      if ((static_cast<unsigned char>(name[i]) | 0x20) !=
          (static_cast<unsigned char>(other[i]) | 0x20)) {
        return false;
      }
    }
    return true;
  };
  return is("content-length") || is("transfer-encoding") || is("connection") || is("content-type");
}

bool HasNoBody(int status) { return status / 100 == 1 || status == 204 || status == 304; }

}  // namespace

void Session::Respond(Response response, bool keep_alive, bool head_only) {
  if (phase_ == Phase::kClosed || phase_ == Phase::kClosing) {
    return;
  }
  keep_alive = keep_alive && !close_after_response_ && !shared_.stopping.load();
  if (response.stream && !head_only) {
    StartStream(std::move(response));
    return;
  }
  phase_ = Phase::kWrite;
  auto fill = [&](auto& message) {
    message.version(11);
    message.result(static_cast<unsigned>(response.status));
    for (const auto& [name, value] : response.headers.fields()) {
      if (!TransportField(name)) {
        message.insert(name, value);
      }
    }
    if (!response.content_type.empty()) {
      message.set(bhttp::field::content_type, response.content_type);
    }
    message.keep_alive(keep_alive);
  };
  auto write = [this, keep_alive](auto message) {
    writing_ = message;
    stream_.expires_after(shared_.options.body_timeout);
    bhttp::async_write(stream_, *message,
                       [self = shared_from_this(), keep_alive](beast::error_code ec, std::size_t) {
                         self->AfterWrite(keep_alive, ec);
                       });
  };
  if (head_only || HasNoBody(response.status)) {
    auto message = std::make_shared<bhttp::response<bhttp::empty_body>>();
    fill(*message);
    if (!HasNoBody(response.status)) {
      message->content_length(response.body.size());
    }
    write(std::move(message));
    return;
  }
  auto message = std::make_shared<bhttp::response<bhttp::string_body>>();
  fill(*message);
  message->body() = std::move(response.body);
  message->prepare_payload();
  write(std::move(message));
}

void Session::RespondError(int status, std::string_view code, std::string_view message) {
  close_after_response_ = true;
  Respond(ErrorResponse(status, code, message), /*keep_alive=*/false, /*head_only=*/false);
}

void Session::AfterWrite(bool keep_alive, beast::error_code ec) {
  writing_.reset();
  if (ec) {
    Close();
    return;
  }
  if (keep_alive) {
    WaitForRequest();
  } else {
    CloseGracefully();
  }
}

void Session::StartStream(Response response) {
  phase_ = Phase::kStream;
  stream_.expires_never();
  std::string head = "HTTP/1.1 " + std::to_string(response.status) + " " +
                     std::string(bhttp::obsolete_reason(
                         bhttp::int_to_status(static_cast<unsigned>(response.status)))) +
                     "\r\n";
  for (const auto& [name, value] : response.headers.fields()) {
    if (!TransportField(name)) {
      head += name + ": " + value + "\r\n";
    }
  }
  if (!response.content_type.empty()) {
    head += "Content-Type: " + response.content_type + "\r\n";
  }
  head += "Transfer-Encoding: chunked\r\n\r\n";
  sink_ = std::make_shared<SinkImpl>(weak_from_this(), shared_.options.max_stream_queue_bytes);
  chunks_.emplace_back(std::move(head), 0);
  WriteNextChunk();
  WatchPeer();
  // The producer registers the sink and returns; it holds no thread while the stream lasts.
  net::post(shared_.workers, [producer = std::move(response.stream), sink = sink_] {
    try {
      producer(sink);
    } catch (const std::exception& e) {
      CUSTOS_LOG_ERROR("event stream producer failed: {}", e.what());
      sink->Close();
    }
  });
}

void Session::EnqueueChunk(std::string framed, std::size_t counted) {
  if (phase_ != Phase::kStream || stream_finishing_) {
    return;
  }
  chunks_.emplace_back(std::move(framed), counted);
  WriteNextChunk();
}

void Session::FinishStream() {
  if (phase_ != Phase::kStream || stream_finishing_) {
    return;
  }
  stream_finishing_ = true;
  if (sink_) {
    sink_->Detach();
  }
  chunks_.emplace_back("0\r\n\r\n", 0);
  WriteNextChunk();
}

void Session::AbortStream() { Close(); }

void Session::WriteNextChunk() {
  if (chunk_writing_ || phase_ != Phase::kStream) {
    return;
  }
  if (chunks_.empty()) {
    if (stream_finishing_) {
      Close();  // the terminating chunk is out; the client sends nothing on a stream
    }
    return;
  }
  chunk_writing_ = true;
  net::async_write(stream_, net::buffer(chunks_.front().first),
                   [self = shared_from_this()](beast::error_code ec, std::size_t) {
                     self->chunk_writing_ = false;
                     if (ec) {
                       self->Close();
                       return;
                     }
                     if (self->sink_) {
                       self->sink_->Written(self->chunks_.front().second);
                     }
                     self->chunks_.pop_front();
                     self->WriteNextChunk();
                   });
}

void Session::WatchPeer() {
  if (!scratch_) {
    scratch_ = std::make_unique<char[]>(kScratchBytes);
  }
  // A streaming client sends nothing; a read completes only when it goes away.
  stream_.async_read_some(net::buffer(scratch_.get(), kScratchBytes),
                          [self = shared_from_this()](beast::error_code ec, std::size_t) {
                            if (self->phase_ != Phase::kStream) {
                              return;
                            }
                            if (ec) {
                              self->Close();
                              return;
                            }
                            self->WatchPeer();
                          });
}

void Session::CloseGracefully() {
  if (phase_ == Phase::kClosed || phase_ == Phase::kClosing) {
    return;
  }
  phase_ = Phase::kClosing;
  beast::error_code ec;
  stream_.socket().shutdown(Tcp::socket::shutdown_send, ec);
  if (ec) {
    Close();
    return;
  }
  if (!scratch_) {
    scratch_ = std::make_unique<char[]>(kScratchBytes);
  }
  drained_ = 0;
  stream_.expires_after(linger_time_);
  Drain();
}

void Session::LingerFor(std::size_t bytes, std::chrono::milliseconds time) {
  drain_limit_ = bytes;
  linger_time_ = time;
}

void Session::Drain() {
  stream_.async_read_some(net::buffer(scratch_.get(), kScratchBytes),
                          [self = shared_from_this()](beast::error_code ec, std::size_t n) {
                            self->drained_ += n;
                            if (ec || self->drained_ > self->drain_limit_) {
                              self->Close();
                              return;
                            }
                            self->Drain();
                          });
}

void Session::Close() {
  if (phase_ == Phase::kClosed) {
    return;
  }
  phase_ = Phase::kClosed;
  if (sink_) {
    sink_->Detach();
  }
  beast::error_code ec;
  stream_.socket().shutdown(Tcp::socket::shutdown_both, ec);
  stream_.close();
}

}  // namespace custos::http::transport_internal
