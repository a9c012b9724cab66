// SPDX-License-Identifier: Apache-2.0
// hostile_target_httplib: today's server configuration (src/http/server.cc at e1427a8, on
// cpp-httplib 0.11) around the same emulated policy as target_server.cc, for the "before"
// figures of bench/hostile_clients.sh when no `custos` binary is built: 32 worker threads, a
// thread per connection, the token checked before a POST body is kept but every body read
// (up to 64 MiB, chunked without limit) so the client gets its 401/413, event streams holding a
// worker each (at most 16), listen backlog and socket options as httplib sets them. Same
// arguments and output as `custos serve` (see target_server.cc). Not part of the product.
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <fstream>
#include <memory>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include <httplib.h>
#include <signal.h>
#include <sys/socket.h>

namespace {

constexpr std::size_t kRouteLimit = std::size_t{1} << 20;
constexpr std::size_t kDrainLimit = std::size_t{64} << 20;  // ServerOptions::max_body_bytes
constexpr std::size_t kMaxStreams = 16;

struct Queue {
  std::mutex mu;
  std::condition_variable cv;
  std::deque<std::string> events;
  bool closed = false;
};

std::mutex g_mu;
std::vector<std::shared_ptr<Queue>> g_queues;
std::string g_token;

bool Authorized(const httplib::Request& req, httplib::Response& res) {
  if (req.get_header_value("Authorization") == "Bearer " + g_token) {
    return true;
  }
  res.status = 401;
  res.set_header("WWW-Authenticate", "Bearer realm=\"custos\"");
  res.set_content(R"({"error":{"code":"unauthenticated","message":"no token","request_id":"h"}})",
                  "application/json");
  return false;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data = ".";
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--data") {
      data = argv[++i];
    }
  }
  std::random_device rd;
  for (int i = 0; i < 32; ++i) {
    g_token += "0123456789abcdef"[rd() & 0xF];
  }
  signal(SIGPIPE, SIG_IGN);
  httplib::Server server;
  server.new_task_queue = [] { return new httplib::ThreadPool(32); };
  server.set_socket_options([](socket_t sock) {
    int yes = 1;
    ::setsockopt(sock, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
  });
  server.set_payload_max_length(kRouteLimit);
  server.Get("/healthz", [](const httplib::Request&, httplib::Response& res) {
    res.set_content(R"({"status":"ok"})", "application/json");
  });
  server.Get("/api/v1/events", [](const httplib::Request& req, httplib::Response& res) {
    if (!Authorized(req, res)) {
      return;
    }
    auto queue = std::make_shared<Queue>();
    {
      std::lock_guard<std::mutex> lock(g_mu);
      if (g_queues.size() >= kMaxStreams) {
        res.status = 503;
        res.set_content(R"({"error":{"code":"unavailable","message":"too many streams"}})",
                        "application/json");
        return;
      }
      g_queues.push_back(queue);
    }
    auto started = std::make_shared<bool>(false);
    res.set_chunked_content_provider(
        "text/event-stream",
        [queue, started](std::size_t, httplib::DataSink& sink) {
          if (!*started) {
            *started = true;
            const std::string hello = "retry: 3000\n: connected\n\n";
            return sink.write(hello.data(), hello.size());
          }
          std::unique_lock<std::mutex> lock(queue->mu);
          queue->cv.wait_for(lock, std::chrono::milliseconds(500),
                             [&] { return !queue->events.empty() || queue->closed; });
          while (!queue->events.empty()) {
            const std::string e = std::move(queue->events.front());
            queue->events.pop_front();
            if (!sink.write(e.data(), e.size())) {
              return false;
            }
          }
          if (queue->closed) {
            sink.done();
          }
          return sink.is_writable();
        },
        [queue](bool) {
          std::lock_guard<std::mutex> lock(g_mu);
          std::erase(g_queues, queue);
        });
  });
  server.Post("/api/v1/messages", [](const httplib::Request& req, httplib::Response& res,
                                     const httplib::ContentReader& read) {
    const bool authorized = Authorized(req, res);
    const int refused_status = res.status;
    std::string body;
    std::size_t seen = 0;
    bool over = false;
    read([&](const char* d, std::size_t n) {
      seen += n;
      if (authorized && !over && body.size() + n <= kRouteLimit) {
        body.append(d, n);
      } else {
        over = true;
      }
      return seen <= kDrainLimit;
    });
    if (!authorized) {
      res.status = refused_status;  // as server.cc: httplib may have set 400/413 since
      return;
    }
    if (over) {
      res.status = 413;
      res.set_content(R"({"error":{"code":"resource_exhausted","message":"too large"}})",
                      "application/json");
      return;
    }
    const std::string event = "event: message\nid: 1\ndata: " + body + "\n\n";
    std::lock_guard<std::mutex> lock(g_mu);
    for (auto& q : g_queues) {
      std::lock_guard<std::mutex> qlock(q->mu);
      q->events.push_back(event);
      q->cv.notify_all();
    }
    res.set_content(R"({"results":[{"id":1,"status":"stored"}]})", "application/json");
  });
  const int port = server.bind_to_any_port("127.0.0.1");
  std::ofstream(data + "/admin-token") << g_token << "\n";
  std::printf("custos: listening on http://127.0.0.1:%d\n", port);
  std::fflush(stdout);
  server.listen_after_bind();
  return 0;
}
