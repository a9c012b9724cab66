// SPDX-License-Identifier: Apache-2.0
// hostile_target: a stand-in for `custos serve` built on http::Transport, for the hostile-client
// suite until the real server runs on the transport. It takes the same arguments
// (`serve --data DIR --listen HOST:PORT`), writes DIR/admin-token, prints
// "custos: listening on http://HOST:PORT" and stops on SIGTERM/SIGINT, so the suite starts it
// exactly like the real binary (tests/e2e/custos_process.h). Its handler emulates the real
// policy: /healthz is public; everything else needs `Authorization: Bearer <admin token>`, and a
// request without it is refused at admission (401, its body never read); an admitted body may
// be 1 MiB (the default route limit); GET /api/v1/events is a server-sent event stream;
// POST /api/v1/messages pushes one `event: message` to every open stream.
#include <cstdio>
#include <fstream>
#include <mutex>
#include <random>
#include <string>
#include <vector>

#include <signal.h>
#include <unistd.h>

#include "http/transport/transport.h"

namespace {

using custos::http::Admission;
using custos::http::Request;
using custos::http::RequestHandler;
using custos::http::Response;
using custos::http::StreamSink;

constexpr std::size_t kRouteLimit = std::size_t{1} << 20;

Response Json(int status, std::string body) {
  Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

class PolicyHandler : public RequestHandler {
 public:
  explicit PolicyHandler(std::string token) : token_(std::move(token)) {}

  Admission Admit(const Request& request) override {
    Admission admission;
    if (request.path == "/healthz") {
      admission.max_body_bytes = 64 * 1024;
      return admission;
    }
    const auto auth = request.headers.Get("Authorization");
    if (!auth || *auth != "Bearer " + token_) {
      Response refuse =
          Json(401, R"({"error":{"code":"unauthenticated","message":"missing or unknown bearer )"
                    R"(token","request_id":"hostile"}})");
      refuse.headers.Set("WWW-Authenticate", "Bearer realm=\"custos\"");
      refuse.headers.Set("X-Request-Id", "hostile");
      admission.refuse = std::move(refuse);
      return admission;
    }
    admission.max_body_bytes = kRouteLimit;
    return admission;
  }

  Response Handle(Request& request, const Admission&) override {
    if (request.path == "/healthz") {
      return Json(200, R"({"status":"ok"})");
    }
    if (request.path == "/api/v1/events" && request.method == "GET") {
      Response r;
      r.content_type = "text/event-stream";
      r.headers.Set("Cache-Control", "no-cache");
      r.stream = [this](std::shared_ptr<StreamSink> sink) {
        if (sink->Write("retry: 3000\n: connected\n\n")) {
          std::lock_guard<std::mutex> lock(mu_);
          sinks_.push_back(std::move(sink));
        }
      };
      return r;
    }
    if (request.path == "/api/v1/messages" && request.method == "POST") {
      const std::string event = "event: message\nid: 1\ndata: " + request.body + "\n\n";
      std::lock_guard<std::mutex> lock(mu_);
      std::vector<std::shared_ptr<StreamSink>> open;
      for (auto& sink : sinks_) {
        if (sink->Write(event)) {
          open.push_back(sink);
        }
      }
      sinks_.swap(open);
      return Json(200, R"({"results":[{"id":1,"status":"stored"}]})");
    }
    return Json(404, R"({"error":{"code":"not_found","message":"no route","request_id":"h"}})");
  }

 private:
  const std::string token_;
  std::mutex mu_;
  std::vector<std::shared_ptr<StreamSink>> sinks_;
};

std::string RandomToken() {
  std::random_device rd;
  std::string token;
  static constexpr char kHex[] = "0123456789abcdef";
  for (int i = 0; i < 32; ++i) {
    token += kHex[rd() & 0xF];
  }
  return token;
}

}  // namespace

int main(int argc, char** argv) {
  std::string data = ".";
  std::string listen = "127.0.0.1:0";
  for (int i = 1; i + 1 < argc; ++i) {
    if (std::string(argv[i]) == "--data") {
      data = argv[++i];
    } else if (std::string(argv[i]) == "--listen") {
      listen = argv[++i];
    }
  }
  sigset_t stop_signals;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGTERM);
  sigaddset(&stop_signals, SIGINT);
  pthread_sigmask(SIG_BLOCK, &stop_signals, nullptr);  // before any thread starts

  const std::string token = RandomToken();
  PolicyHandler handler(token);
  custos::http::TransportOptions options;
  const std::size_t colon = listen.rfind(':');
  options.host = listen.substr(0, colon);
  options.port = std::stoi(listen.substr(colon + 1));
  custos::http::Transport transport;
  if (const auto s = transport.Start(options, &handler); !s.ok()) {
    std::fprintf(stderr, "hostile_target: %s\n", s.ToString().c_str());
    return 1;
  }
  std::ofstream(data + "/admin-token") << token << "\n";
  std::printf("custos: listening on http://%s:%d\n", options.host.c_str(), transport.port());
  std::fflush(stdout);
  int sig = 0;
  sigwait(&stop_signals, &sig);
  transport.Stop();
  return 0;
}
