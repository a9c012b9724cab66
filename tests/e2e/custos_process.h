// SPDX-License-Identifier: Apache-2.0
// CustosProcess: the real `custos serve` binary ($CUSTOS_BIN) as a child process on an
// ephemeral port, for end-to-end tests over HTTP. Start() waits for the line
// `custos: listening on http://127.0.0.1:PORT` on the child's stdout and for the admin token in
// DIR/admin-token. The child's stderr (its logs) goes to the test's stderr.
// Thread-safety: one test thread drives it; Client() may be called from any thread.
#pragma once

#include <chrono>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include <httplib.h>
#include <nlohmann/json.hpp>
#include <sys/types.h>

namespace custos::e2e {

class CustosProcess {
 public:
  // Spawns `custos serve --data <data_dir> --listen 127.0.0.1:0`. nullptr (with `*error` set)
  // when the binary is missing, exits, or does not report a port within `timeout`.
  static std::unique_ptr<CustosProcess> Start(
      const std::string& data_dir, std::string* error,
      std::chrono::seconds timeout = std::chrono::seconds(30));

  ~CustosProcess();  // SIGKILLs the child if it still runs.
  CustosProcess(const CustosProcess&) = delete;
  CustosProcess& operator=(const CustosProcess&) = delete;

  int port() const { return port_; }

  // The child's process id (for /proc/PID/status in memory tests).
  pid_t pid() const { return pid_; }

  const std::string& token() const { return token_; }

  // A client for 127.0.0.1:port() with generous timeouts.
  std::unique_ptr<httplib::Client> Client() const;

  // {"Authorization": "Bearer <token>"}
  httplib::Headers Auth() const;

  // Sends `signal` and waits up to `timeout`. Returns the exit code, 128 + the signal number
  // when a signal ended it, or -1 when it is still running after `timeout`.
  int Terminate(int signal, std::chrono::seconds timeout);

  // Everything the child wrote to stdout so far.
  std::string Output() const;

 private:
  CustosProcess() = default;
  void Drain();

  pid_t pid_ = -1;
  int stdout_fd_ = -1;
  int port_ = 0;
  std::string token_;
  std::thread drainer_;
  mutable std::mutex mu_;
  std::string output_;  // guarded by mu_
  bool exited_ = false;
  int exit_code_ = 0;
};

// The path of the custos binary under test ($CUSTOS_BIN, else "custos").
std::string CustosBin();

// A canonical message with sensible defaults; tests override fields.
nlohmann::json SampleMessage(const std::string& source_id, const std::string& text = "hello",
                             const std::string& conversation = "+447700900123",
                             const std::string& sent_at = "2026-10-05T08:31:12Z");

// POSTs `body` (JSON) to /api/v1/messages.
httplib::Result PostMessages(httplib::Client& client, const httplib::Headers& auth,
                             const nlohmann::json& body);

// The JSON body of a response; a discarded value when it is not JSON.
nlohmann::json BodyJson(const httplib::Result& res);

}  // namespace custos::e2e
