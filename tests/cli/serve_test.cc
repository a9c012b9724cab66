// SPDX-License-Identifier: Apache-2.0
// End-to-end test of `custos serve`: the listening line, the admin token shown once, /healthz,
// and a clean exit on SIGTERM and SIGINT.
#include <chrono>
#include <string>
#include <thread>

#include <arpa/inet.h>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <unistd.h>

#include "custos_runner.h"
#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

constexpr auto kStartTimeout = std::chrono::seconds(30);

// Waits until `path` contains a "custos: listening on http://127.0.0.1:PORT" line; the port,
// or 0 on timeout.
int WaitForPort(const std::string& path) {
  const std::string prefix = "custos: listening on http://127.0.0.1:";
  const auto deadline = std::chrono::steady_clock::now() + kStartTimeout;
  while (std::chrono::steady_clock::now() < deadline) {
    const std::string out = ReadFile(path);
    const std::size_t at = out.find(prefix);
    if (at != std::string::npos && out.find('\n', at) != std::string::npos) {
      return std::stoi(out.substr(at + prefix.size()));
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  return 0;
}

// A minimal HTTP/1.0 GET; the whole response, or "" when the connection fails.
std::string HttpGet(int port, const std::string& path) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0) {
    const std::string request = "GET " + path + " HTTP/1.0\r\nHost: localhost\r\n\r\n";
    if (::write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
      char buf[4096];
      ssize_t n = 0;
      while ((n = ::read(fd, buf, sizeof buf)) > 0) {
        response.append(buf, static_cast<std::size_t>(n));
      }
    }
  }
  ::close(fd);
  return response;
}

// Starts `custos serve` on a free port, checks /healthz, sends `sig`, expects exit 0.
std::string ServeOnce(const TempDir& dir, const std::string& data, int sig) {
  const std::string out = dir.File("serve-" + std::to_string(sig) + ".out");
  const std::string err = dir.File("serve-" + std::to_string(sig) + ".err");
  const pid_t pid = StartCustos({"serve", "--data", data, "--listen", "127.0.0.1:0"}, out, err);
  const int port = WaitForPort(out);
  EXPECT_GT(port, 0) << ReadFile(err);
  if (port > 0) {
    EXPECT_EQ(HttpGet(port, "/healthz").rfind("HTTP/1.1 200", 0), 0U);
  }
  ::kill(pid, sig);
  EXPECT_EQ(WaitExit(pid), 0) << ReadFile(err);
  return ReadFile(out);
}

TEST(Serve, ShowsTheAdminTokenOnceAndStopsCleanly) {
  TempDir dir;
  const std::string data = dir.File("data");
  const std::string first = ServeOnce(dir, data, SIGTERM);
  const std::string token = ReadFile(data + "/admin-token");
  ASSERT_FALSE(token.empty());
  EXPECT_NE(first.find("admin token (shown once): " + token.substr(0, token.find('\n'))),
            std::string::npos)
      << first;

  const std::string second = ServeOnce(dir, data, SIGINT);
  EXPECT_EQ(second.find(token.substr(0, token.find('\n'))), std::string::npos) << second;
  EXPECT_NE(second.find(data + "/admin-token"), std::string::npos) << second;
}

}  // namespace
}  // namespace custos::testing
