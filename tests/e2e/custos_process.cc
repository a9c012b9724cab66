// SPDX-License-Identifier: Apache-2.0
#include "e2e/custos_process.h"

#include <cerrno>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <vector>

#include <fcntl.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace custos::e2e {
namespace {

// The port of a "custos: listening on http://HOST:PORT" line in `out`; 0 when not there yet.
int ParsePort(const std::string& out) {
  static const std::string kMarker = "custos: listening on http://";
  const std::size_t at = out.find(kMarker);
  if (at == std::string::npos) {
    return 0;
  }
  const std::size_t eol = out.find('\n', at);
  if (eol == std::string::npos) {
    return 0;
  }
  const std::string url = out.substr(at + kMarker.size(), eol - at - kMarker.size());
  const std::size_t colon = url.rfind(':');
  if (colon == std::string::npos) {
    return 0;
  }
  return std::atoi(url.c_str() + colon + 1);
}

std::string ReadToken(const std::string& path) {
  std::ifstream in(path);
  std::string token;
  in >> token;
  return token;
}

}  // namespace

std::string CustosBin() {
  const char* bin = std::getenv("CUSTOS_BIN");  // NOLINT(concurrency-mt-unsafe)
  return bin != nullptr && bin[0] != '\0' ? bin : "custos";
}

std::unique_ptr<CustosProcess> CustosProcess::Start(const std::string& data_dir, std::string* error,
                                                    std::chrono::seconds timeout) {
  std::unique_ptr<CustosProcess> p(new CustosProcess());
  int fds[2];
  if (pipe2(fds, O_CLOEXEC) != 0) {
    *error = "pipe failed";
    return nullptr;
  }
  std::vector<std::string> args = {CustosBin(), "serve",    "--data",
                                   data_dir,    "--listen", "127.0.0.1:0"};
  std::vector<char*> argv;
  for (std::string& a : args) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  // A client writing to a connection the server has closed gets EPIPE, not a signal that kills
  // the test (cpp-httplib's client does not send with MSG_NOSIGNAL).
  signal(SIGPIPE, SIG_IGN);
  const pid_t parent = getpid();
  const pid_t pid = fork();
  if (pid == 0) {
    // The server dies with the test: a test that crashes must not leave a server holding
    // ctest's output pipe open (ctest would wait for it until the timeout).
    if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 || getppid() != parent ||
        dup2(fds[1], STDOUT_FILENO) < 0) {
      _exit(126);
    }
    execve(argv[0], argv.data(), environ);
    _exit(127);
  }
  close(fds[1]);
  if (pid < 0) {
    close(fds[0]);
    p->pid_ = -1;
    *error = "cannot start " + args[0] + ": errno " + std::to_string(errno);
    return nullptr;
  }
  p->pid_ = pid;
  p->stdout_fd_ = fds[0];
  p->drainer_ = std::thread([raw = p.get()] { raw->Drain(); });

  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard<std::mutex> lock(p->mu_);
      p->port_ = ParsePort(p->output_);
    }
    if (p->port_ > 0) {
      p->token_ = ReadToken(data_dir + "/admin-token");
      if (!p->token_.empty()) {
        return p;
      }
    }
    int status = 0;
    if (waitpid(p->pid_, &status, WNOHANG) == p->pid_) {
      p->exited_ = true;
      *error = "custos serve exited early (status " + std::to_string(status) +
               "); stdout: " + p->Output();
      return nullptr;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  *error = "custos serve did not report a port and write admin-token within " +
           std::to_string(timeout.count()) + " s; stdout: " + p->Output();
  return nullptr;
}

void CustosProcess::Drain() {
  char buf[4096];
  for (;;) {
    const ssize_t n = read(stdout_fd_, buf, sizeof buf);
    if (n < 0 && errno == EINTR) {
      continue;
    }
    if (n <= 0) {
      return;
    }
    std::lock_guard<std::mutex> lock(mu_);
    output_.append(buf, static_cast<std::size_t>(n));
  }
}

int CustosProcess::Terminate(int signal, std::chrono::seconds timeout) {
  if (exited_) {
    return exit_code_;
  }
  kill(pid_, signal);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    int status = 0;
    if (waitpid(pid_, &status, WNOHANG) == pid_) {
      exited_ = true;
      exit_code_ = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
      return exit_code_;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  return -1;
}

CustosProcess::~CustosProcess() {
  if (pid_ > 0 && !exited_) {
    kill(pid_, SIGKILL);
    int status = 0;
    waitpid(pid_, &status, 0);
  }
  if (drainer_.joinable()) {
    drainer_.join();  // EOF once the child (and its copy of the pipe) is gone
  }
  if (stdout_fd_ >= 0) {
    close(stdout_fd_);
  }
}

std::string CustosProcess::Output() const {
  std::lock_guard<std::mutex> lock(mu_);
  return output_;
}

std::unique_ptr<httplib::Client> CustosProcess::Client() const {
  auto client = std::make_unique<httplib::Client>("127.0.0.1", port_);
  client->set_connection_timeout(std::chrono::seconds(10));
  client->set_read_timeout(std::chrono::seconds(60));
  client->set_write_timeout(std::chrono::seconds(60));
  return client;
}

httplib::Headers CustosProcess::Auth() const { return {{"Authorization", "Bearer " + token_}}; }

nlohmann::json SampleMessage(const std::string& source_id, const std::string& text,
                             const std::string& conversation, const std::string& sent_at) {
  return {{"source", "e2e"},
          {"source_id", source_id},
          {"channel", "sms"},
          {"conversation", conversation},
          {"from", "+447700900123"},
          {"to", {"+447700900045"}},
          {"sent_at", sent_at},
          {"direction", "inbound"},
          {"text", text},
          {"attachments", nlohmann::json::array()}};
}

httplib::Result PostMessages(httplib::Client& client, const httplib::Headers& auth,
                             const nlohmann::json& body) {
  return client.Post("/api/v1/messages", auth, body.dump(), "application/json");
}

nlohmann::json BodyJson(const httplib::Result& res) {
  if (!res) {
    return nlohmann::json(nlohmann::json::value_t::discarded);
  }
  return nlohmann::json::parse(res->body, nullptr, false);
}

}  // namespace custos::e2e
