// SPDX-License-Identifier: Apache-2.0
// A deliberately small HTTP/1.1 client over a raw TCP socket to 127.0.0.1, for tests that must
// misbehave on purpose (send half a head, a header line every 2 s, a body that never ends) and
// measure what the server does. Every read has a deadline, so a test never hangs on a server
// that does not answer.
//
// Thread-safety: one RawConnection per thread.
#pragma once

#include <chrono>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace custos::hostile {

using Millis = std::chrono::milliseconds;

struct RawResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;                                          // de-chunked

  // The first value of `name` (lower-case); "" when absent.
  std::string Header(std::string_view name) const;
};

class RawConnection {
 public:
  // Connects to 127.0.0.1:port with TCP_NODELAY; nullptr when the connection fails.
  static std::unique_ptr<RawConnection> Connect(int port);

  ~RawConnection();
  RawConnection(const RawConnection&) = delete;
  RawConnection& operator=(const RawConnection&) = delete;

  // Sends all of `data` (waiting at most `timeout` for the socket to drain); false on error or
  // timeout (the server stopped reading).
  bool Send(std::string_view data, Millis timeout = Millis(10'000));

  // Reads one response: head, then a Content-Length or chunked body, or up to the close. nullopt
  // when the connection fails or `timeout` passes first. A HEAD request's response has no body:
  // pass `head_request`.
  std::optional<RawResponse> ReadResponse(Millis timeout, bool head_request = false);

  // Reads until `needle` has arrived (true) or the peer closes / `timeout` passes (false). What
  // was read is appended to the internal buffer and returned by Buffered().
  bool ReadUntil(std::string_view needle, Millis timeout);

  // True when the peer closes (EOF or reset) within `timeout`; data that arrives is discarded.
  bool WaitClosed(Millis timeout);

  const std::string& Buffered() const { return buffer_; }

  void ClearBuffer() { buffer_.clear(); }

  int fd() const { return fd_; }

 private:
  explicit RawConnection(int fd) : fd_(fd) {}

  // Reads what is available within the deadline into buffer_; false on EOF, error or timeout.
  bool Fill(std::chrono::steady_clock::time_point deadline);

  int fd_;
  std::string buffer_;
};

// "GET <path> HTTP/1.1" with Host and the extra header lines (each "Name: value").
std::string GetRequest(std::string_view path, const std::vector<std::string>& headers = {});

// A memory figure of process `pid` in KiB from /proc/PID/status: "VmRSS:" (resident now) or
// "VmHWM:" (peak resident); 0 when unreadable.
long ProcKib(int pid, const char* key);

// Raises this process's RLIMIT_NOFILE soft limit to its hard limit (the suite opens thousands
// of sockets).
void RaiseFileLimit();

// Percentiles (0..100) of `samples_us`, which it sorts; 0 for an empty vector.
double Percentile(std::vector<double>& samples_us, double p);

}  // namespace custos::hostile
