// SPDX-License-Identifier: Apache-2.0
#include "hostile/raw_http.h"

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <fstream>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

namespace custos::hostile {

namespace {

using Clock = std::chrono::steady_clock;

int RemainingMs(Clock::time_point deadline) {
  const auto left = std::chrono::duration_cast<Millis>(deadline - Clock::now()).count();
  return left <= 0 ? 0 : static_cast<int>(left);
}

std::string Lower(std::string s) {
  for (char& c : s) {
    c = static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
  }
  return s;
}

}  // namespace

std::string RawResponse::Header(std::string_view name) const {
  for (const auto& [n, v] : headers) {
    if (n == name) {
      return v;
    }
  }
  return "";
}

std::unique_ptr<RawConnection> RawConnection::Connect(int port) {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) {
    return nullptr;
  }
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) != 0) {
    ::close(fd);
    return nullptr;
  }
  int yes = 1;
  ::setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &yes, sizeof yes);
  return std::unique_ptr<RawConnection>(new RawConnection(fd));
}

RawConnection::~RawConnection() { ::close(fd_); }

bool RawConnection::Send(std::string_view data, Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  while (!data.empty()) {
    const ssize_t n = ::send(fd_, data.data(), data.size(), MSG_NOSIGNAL | MSG_DONTWAIT);
    if (n > 0) {
      data.remove_prefix(static_cast<std::size_t>(n));
      continue;
    }
    if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK && errno != EINTR) {
      return false;
    }
    pollfd p{fd_, POLLOUT, 0};
    if (::poll(&p, 1, RemainingMs(deadline)) <= 0) {
      return false;
    }
  }
  return true;
}

bool RawConnection::Fill(Clock::time_point deadline) {
  pollfd p{fd_, POLLIN, 0};
  if (::poll(&p, 1, RemainingMs(deadline)) <= 0) {
    return false;
  }
  char buf[16384];
  const ssize_t n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
  if (n <= 0) {
    return n < 0 && (errno == EAGAIN || errno == EINTR);
  }
  buffer_.append(buf, static_cast<std::size_t>(n));
  return true;
}

bool RawConnection::ReadUntil(std::string_view needle, Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  while (buffer_.find(needle) == std::string::npos) {
    if (!Fill(deadline)) {
      return false;
    }
  }
  return true;
}

bool RawConnection::WaitClosed(Millis timeout) {
  const auto deadline = Clock::now() + timeout;
  for (;;) {
    pollfd p{fd_, POLLIN, 0};
    if (::poll(&p, 1, RemainingMs(deadline)) <= 0) {
      return false;
    }
    char buf[16384];
    const ssize_t n = ::recv(fd_, buf, sizeof buf, MSG_DONTWAIT);
    if (n == 0 || (n < 0 && errno != EAGAIN && errno != EINTR)) {
      return true;
    }
  }
}

std::optional<RawResponse> RawConnection::ReadResponse(Millis timeout, bool head_request) {
  const auto deadline = Clock::now() + timeout;
  std::size_t end = 0;
  while ((end = buffer_.find("\r\n\r\n")) == std::string::npos) {
    if (!Fill(deadline)) {
      return std::nullopt;
    }
  }
  RawResponse r;
  const std::string head = buffer_.substr(0, end + 2);
  buffer_.erase(0, end + 4);
  std::size_t line_end = head.find("\r\n");
  const std::string status_line = head.substr(0, line_end);
  if (status_line.size() < 12) {
    return std::nullopt;
  }
  r.status = std::atoi(status_line.c_str() + 9);
  while (line_end + 2 < head.size()) {
    const std::size_t next = head.find("\r\n", line_end + 2);
    const std::string line = head.substr(line_end + 2, next - line_end - 2);
    const std::size_t colon = line.find(':');
    if (colon != std::string::npos) {
      std::string value = line.substr(colon + 1);
      value.erase(0, value.find_first_not_of(' '));
      r.headers.emplace_back(Lower(line.substr(0, colon)), value);
    }
    line_end = next;
  }
  if (head_request || r.status == 204 || r.status == 304 || r.status / 100 == 1) {
    return r;
  }
  if (Lower(r.Header("transfer-encoding")) == "chunked") {
    for (;;) {
      std::size_t eol = 0;
      while ((eol = buffer_.find("\r\n")) == std::string::npos) {
        if (!Fill(deadline)) {
          return std::nullopt;
        }
      }
      const std::size_t size = std::strtoul(buffer_.c_str(), nullptr, 16);
      while (buffer_.size() < eol + 2 + size + 2) {
        if (!Fill(deadline)) {
          return std::nullopt;
        }
      }
      r.body.append(buffer_, eol + 2, size);
      buffer_.erase(0, eol + 2 + size + 2);
      if (size == 0) {
        return r;
      }
    }
  }
  const std::string length = r.Header("content-length");
  if (!length.empty()) {
    const std::size_t n = std::strtoull(length.c_str(), nullptr, 10);
    while (buffer_.size() < n) {
      if (!Fill(deadline)) {
        return std::nullopt;
      }
    }
    r.body = buffer_.substr(0, n);
    buffer_.erase(0, n);
    return r;
  }
  while (Fill(deadline)) {
  }
  r.body = std::move(buffer_);
  buffer_.clear();
  return r;
}

std::string GetRequest(std::string_view path, const std::vector<std::string>& headers) {
  std::string request = "GET " + std::string(path) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
  for (const std::string& h : headers) {
    request += h + "\r\n";
  }
  return request + "\r\n";
}

long ProcKib(int pid, const char* key) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string word;
  while (in >> word) {
    if (word == key) {
      long kib = 0;
      in >> kib;
      return kib;
    }
    std::getline(in, word);
  }
  return 0;
}

void RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    setrlimit(RLIMIT_NOFILE, &limit);
  }
}

double Percentile(std::vector<double>& samples_us, double p) {
  if (samples_us.empty()) {
    return 0;
  }
  std::sort(samples_us.begin(), samples_us.end());
  const auto at = static_cast<std::size_t>(p / 100.0 * static_cast<double>(samples_us.size() - 1));
  return samples_us[at];
}

}  // namespace custos::hostile
