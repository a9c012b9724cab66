// SPDX-License-Identifier: Apache-2.0
// SinkImpl: the StreamSink of a streaming response. Write frames the chunk (chunked transfer
// coding) and posts it to the connection's strand; the bytes queued but not yet written are
// bounded, so a client that stops reading is dropped instead of growing memory. Once the
// connection is gone, or the transport stops (Detach), Write returns false and touches nothing.
#include <utility>

#include <boost/asio/post.hpp>

#include "http/transport/session.h"

namespace custos::http::transport_internal {

namespace {

std::string Frame(const std::string& chunk) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::string size;
  for (std::size_t n = chunk.size(); n > 0; n >>= 4) {
    size.insert(size.begin(), kHex[n & 0xF]);
  }
  std::string framed;
  framed.reserve(size.size() + chunk.size() + 4);
  framed += size;
  framed += "\r\n";
  framed += chunk;
  framed += "\r\n";
  return framed;
}

}  // namespace

bool SinkImpl::Write(std::string chunk) {
  // The strong reference is dropped while the lock is held, so once Detach (from Stop) has
  // returned no producer thread can hold the session; ~Session never takes this lock.
  std::lock_guard<std::mutex> lock(mu_);
  std::shared_ptr<Session> session;
  if (!open_) {
    return false;
  }
  session = session_.lock();
  if (!session) {
    open_ = false;
    return false;
  }
  if (chunk.empty()) {
    return true;  // an empty chunk would end the chunked body
  }
  std::string framed = Frame(chunk);
  const std::size_t bytes = framed.size();
  if (queued_ + bytes > max_queued_) {
    // The client is not reading: drop the connection rather than buffer without bound.
    open_ = false;
    session_.reset();
    net::post(session->executor(), [session] { session->AbortStream(); });
    return false;
  }
  queued_ += bytes;
  net::post(session->executor(), [session, framed = std::move(framed), bytes]() mutable {
    session->EnqueueChunk(std::move(framed), bytes);
  });
  return true;
}

void SinkImpl::Close() {
  std::lock_guard<std::mutex> lock(mu_);
  std::shared_ptr<Session> session;  // dropped under the lock (see Write)
  if (!open_) {
    return;
  }
  open_ = false;
  session = session_.lock();
  session_.reset();
  if (session) {
    net::post(session->executor(), [session] { session->FinishStream(); });
  }
}

bool SinkImpl::IsOpen() const {
  std::lock_guard<std::mutex> lock(mu_);
  return open_;
}

void SinkImpl::Written(std::size_t bytes) {
  std::lock_guard<std::mutex> lock(mu_);
  queued_ = bytes > queued_ ? 0 : queued_ - bytes;
}

void SinkImpl::Detach() {
  std::lock_guard<std::mutex> lock(mu_);
  open_ = false;
  session_.reset();
}

}  // namespace custos::http::transport_internal
