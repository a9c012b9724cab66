// SPDX-License-Identifier: Apache-2.0
// Issue 13 items 2, 8, 21 and 29 against real `custos serve` processes:
//  - one writer per data directory (DIR/lock): a second server on the same directory, and
//    every writing command beside a server, fail naming the server's pid; read-only commands
//    run beside it; `policy apply` hands the pack to the running server; a port in use is an
//    error (no SO_REUSEPORT); serve.pid is removed only by its owner; kill -9 leaves no lock;
//  - `custos tokens create|list|revoke` with the server running: the recovery path for a lost
//    admin token, usable over HTTP at once;
//  - a POST without body and without Content-Length is an ordinary request;
//  - a pack file path with NUL, "..", "//", control characters or an overlong component is a
//    400 naming the field, and nothing reaches the disk or the archive.
#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <thread>
#include <vector>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "cli/custos_runner.h"
#include "e2e/server_test.h"

namespace custos::e2e {
namespace {

using nlohmann::json;
using testing::ReadFile;
using testing::RunCustos;
using testing::RunResult;
namespace fs = std::filesystem;

constexpr int kExitUnavailable = 69;
constexpr int kExitOk = 0;

std::string PackDir(const std::string& name) {
  const char* dir = std::getenv("CUSTOS_SOURCE_DIR");
  return std::string(dir != nullptr ? dir : ".") + "/tests/data/policy/" + name;
}

// The pid `custos serve` wrote; waits up to 5 s for it (the pid file is the last startup step,
// just after the listening line the fixture waits for).
std::string ServePid(const std::string& data) {
  std::string pid;
  for (int i = 0; i < 100 && pid.empty(); ++i) {
    pid = ReadFile(data + "/serve.pid");
    if (pid.empty()) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
  }
  while (!pid.empty() && (pid.back() == '\n' || pid.back() == '\r')) {
    pid.pop_back();
  }
  return pid;
}

// Sends `request` as is on a new connection and returns the whole response ("" on failure);
// gives up after 10 s.
std::string RawHttp(int port, const std::string& request) {
  const int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  timeval timeout{10, 0};
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, sizeof timeout);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_port = htons(static_cast<std::uint16_t>(port));
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  std::string response;
  if (::connect(fd, reinterpret_cast<const sockaddr*>(&addr), sizeof addr) == 0 &&
      ::write(fd, request.data(), request.size()) == static_cast<ssize_t>(request.size())) {
    char buf[4096];
    ssize_t n = 0;
    while ((n = ::read(fd, buf, sizeof buf)) > 0) {
      response.append(buf, static_cast<std::size_t>(n));
    }
  }
  ::close(fd);
  return response;
}

using SingleWriter = ServerTest;

TEST_F(SingleWriter, ASecondServerOnTheSameDirectoryIsRefusedAndLeavesTheFirstAlone) {
  const std::string pid = ServePid(dir_.Path());
  ASSERT_FALSE(pid.empty());
  const RunResult second = RunCustos({"serve", "--data", dir_.Path(), "--listen", "127.0.0.1:0"});
  EXPECT_EQ(second.exit_code, kExitUnavailable) << second.out << second.err;
  EXPECT_NE(second.err.find("in use by process " + pid), std::string::npos) << second.err;
  EXPECT_EQ(second.out.find("listening"), std::string::npos) << second.out;
  // The first server's pid file survives the second one's exit...
  EXPECT_EQ(ServePid(dir_.Path()), pid);
  // ... so `policy apply` still reaches it, and the running server really uses the new pack.
  const json before = BodyJson(client_->Get("/api/v1/policy", Auth()));
  const RunResult apply = RunCustos({"policy", "apply", PackDir("small"), "--data", dir_.Path()});
  ASSERT_EQ(apply.exit_code, kExitOk) << apply.out << apply.err;
  EXPECT_NE(apply.out.find("(pid " + pid + ")"), std::string::npos) << apply.out;
  const json after = BodyJson(client_->Get("/api/v1/policy", Auth()));
  EXPECT_NE(after["version"], before["version"]);
  EXPECT_EQ(after["rules"].size(), 3u) << after;
  EXPECT_NE(apply.out.find(after["version"].get<std::string>() + " in force"), std::string::npos)
      << apply.out;
}

TEST_F(SingleWriter, WritingCommandsBesideAServerNameItAndReadersRun) {
  const std::string pid = ServePid(dir_.Path());
  PostOne(SampleMessage("w1", "quarterly numbers"));
  testing::TempDir input;
  testing::WriteFile(input.Path() + "/in.jsonl", testing::MessageLine(1) + "\n");
  for (const std::vector<std::string>& args : std::vector<std::vector<std::string>>{
           {"import", "jsonl", input.Path() + "/in.jsonl"},
           {"hold", "create", "--name", "m", "--query", "quarterly"},
           {"retention", "run"},
           {"keys", "rotate"},
           {"demo", "seed"},
           // A read of message content is recorded in the access audit, which only the writer
           // appends to (docs/access.md): through the API while the server runs.
           {"search", "quarterly"}}) {
    std::vector<std::string> full = args;
    full.insert(full.end(), {"--data", dir_.Path()});
    const RunResult r = RunCustos(full);
    EXPECT_EQ(r.exit_code, kExitUnavailable) << args[0] << ": " << r.out << r.err;
    EXPECT_NE(r.err.find("in use by process " + pid), std::string::npos) << args[0] << r.err;
  }
  // Readers need no lock: SQLite's WAL gives them a consistent snapshot beside the writer.
  // The server writes its first checkpoint within about a second of the first message; wait
  // for it (up to 20 s on a loaded machine) so that `log checkpoint` has one to show.
  for (int i = 0; i < 200; ++i) {
    if (RunCustos({"log", "checkpoint", "--data", dir_.Path()}).exit_code == kExitOk) {
      break;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  for (const std::vector<std::string>& args :
       std::vector<std::vector<std::string>>{{"verify"},
                                             {"record", "show", "1"},
                                             {"log", "checkpoint"},
                                             {"import", "runs"},
                                             {"hold", "list"}}) {
    std::vector<std::string> full = args;
    full.insert(full.end(), {"--data", dir_.Path()});
    const RunResult r = RunCustos(full);
    EXPECT_EQ(r.exit_code, kExitOk) << args[0] << ": " << r.out << r.err;
  }
  // The server is unharmed and still the only writer.
  PostOne(SampleMessage("w2", "more numbers"));
  EXPECT_EQ(ServePid(dir_.Path()), pid);
}

TEST_F(SingleWriter, APortInUseIsAnErrorNotASharedPort) {
  testing::TempDir other;
  const RunResult r = RunCustos({"serve", "--data", other.Path(), "--listen",
                                 "127.0.0.1:" + std::to_string(server_->port())});
  EXPECT_EQ(r.exit_code, kExitUnavailable) << r.out << r.err;
  EXPECT_NE(r.err.find("cannot listen on 127.0.0.1:" + std::to_string(server_->port())),
            std::string::npos)
      << r.err;
  EXPECT_EQ(r.out.find("listening"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(other.Path() + "/serve.pid"));
  // Every request still reaches the one archive.
  for (int i = 0; i < 6; ++i) {
    auto res = client_->Get("/healthz");
    ASSERT_TRUE(res);
    EXPECT_EQ(res->status, 200);
  }
}

TEST_F(SingleWriter, KillNineLeavesNoLockAndAStalePidFileIsNotSignalled) {
  ASSERT_EQ(server_->Terminate(SIGKILL, std::chrono::seconds(10)), 128 + SIGKILL);
  ASSERT_TRUE(fs::exists(dir_.Path() + "/serve.pid"));  // left behind by the killed server
  // The kernel dropped the lock with the process: writers run again, and `policy apply`
  // applies directly instead of signalling whoever has that pid now.
  const RunResult apply = RunCustos({"policy", "apply", PackDir("small"), "--data", dir_.Path()});
  EXPECT_EQ(apply.exit_code, kExitOk) << apply.out << apply.err;
  EXPECT_EQ(apply.out.find("SIGHUP"), std::string::npos) << apply.out;
  std::string error;
  auto restarted = CustosProcess::Start(dir_.Path(), &error);
  ASSERT_NE(restarted, nullptr) << error;
  EXPECT_EQ(BodyJson(restarted->Client()->Get("/api/v1/policy", restarted->Auth()))["rules"].size(),
            3u);
  // A clean stop removes its own pid file.
  EXPECT_EQ(restarted->Terminate(SIGTERM, std::chrono::seconds(30)), 0);
  EXPECT_FALSE(fs::exists(dir_.Path() + "/serve.pid"));
}

TEST_F(SingleWriter, TokensCreatedBesideTheServerWorkAtOnceAndRevokeAtOnce) {
  const RunResult created = RunCustos({"tokens", "create", "--role", "admin", "--name", "recovery",
                                       "--json", "--data", dir_.Path()});
  ASSERT_EQ(created.exit_code, kExitOk) << created.out << created.err;
  const json t = json::parse(created.out);
  const std::string token = t["token"];
  EXPECT_EQ(token.rfind("cst_", 0), 0u);
  EXPECT_EQ(t["role"], "admin");
  EXPECT_TRUE(t["expires_at"].is_null());
  // Only a hash is stored: the token is nowhere in the data directory.
  for (const auto& entry : fs::recursive_directory_iterator(dir_.Path())) {
    if (entry.is_regular_file() && entry.path().filename() != "admin-token") {
      EXPECT_EQ(ReadFile(entry.path().string()).find(token), std::string::npos) << entry.path();
    }
  }
  const httplib::Headers auth = {{"Authorization", "Bearer " + token}};
  auto ok = client_->Get("/api/v1/policy", auth);
  ASSERT_TRUE(ok);
  EXPECT_EQ(ok->status, 200) << ok->body;

  const RunResult list = RunCustos({"tokens", "list", "--json", "--data", dir_.Path()});
  ASSERT_EQ(list.exit_code, kExitOk) << list.err;
  const json tokens = json::parse(list.out)["tokens"];
  ASSERT_EQ(tokens.size(), 2u) << list.out;  // the bootstrap token and this one
  EXPECT_EQ(tokens[1]["name"], "recovery");
  EXPECT_EQ(list.out.find(token), std::string::npos);

  const RunResult revoke =
      RunCustos({"tokens", "revoke", std::to_string(t["id"].get<int>()), "--data", dir_.Path()});
  ASSERT_EQ(revoke.exit_code, kExitOk) << revoke.err;
  ExpectError(client_->Get("/api/v1/policy", auth), 401, "unauthenticated");
  // The other token is untouched; revoking twice or an unknown id is an error.
  EXPECT_EQ(client_->Get("/api/v1/policy", Auth())->status, 200);
  EXPECT_NE(
      RunCustos({"tokens", "revoke", std::to_string(t["id"].get<int>()), "--data", dir_.Path()})
          .exit_code,
      kExitOk);
  EXPECT_EQ(RunCustos({"tokens", "revoke", "99", "--data", dir_.Path()}).exit_code, 66);

  // Expiry: in the past refused; a short one works now.
  const RunResult past = RunCustos(
      {"tokens", "create", "--role", "admin", "--expires", "2001-01-01", "--data", dir_.Path()});
  EXPECT_NE(past.exit_code, kExitOk);
  EXPECT_NE(past.err.find("not in the future"), std::string::npos) << past.err;
  const RunResult role = RunCustos({"tokens", "create", "--role", "root", "--data", dir_.Path()});
  EXPECT_NE(role.exit_code, kExitOk);
  EXPECT_NE(role.err.find("unknown role \"root\""), std::string::npos) << role.err;
  const RunResult day = RunCustos(
      {"tokens", "create", "--role", "admin", "--expires", "1d", "--json", "--data", dir_.Path()});
  ASSERT_EQ(day.exit_code, kExitOk) << day.err;
  const std::string day_token = json::parse(day.out)["token"];
  EXPECT_EQ(client_->Get("/api/v1/policy", {{"Authorization", "Bearer " + day_token}})->status,
            200);
}

TEST(SingleWriterRecovery, ALostAdminTokenPointsToTheRecoveryCommand) {
  testing::TempDir dir;
  const std::string data = dir.Path() + "/data";
  {
    std::string error;
    auto first = CustosProcess::Start(data, &error);
    ASSERT_NE(first, nullptr) << error;
    EXPECT_EQ(first->Terminate(SIGTERM, std::chrono::seconds(30)), 0);
  }
  fs::remove(data + "/admin-token");  // lost
  const std::string out = dir.Path() + "/serve.out";
  const pid_t pid = testing::StartCustos({"serve", "--data", data, "--listen", "127.0.0.1:0"}, out,
                                         dir.Path() + "/serve.err");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (ReadFile(out).find("listening") == std::string::npos &&
         std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
  const std::string text = ReadFile(out);
  EXPECT_NE(text.find("custos tokens create --role admin --data " + data), std::string::npos)
      << text;
  EXPECT_EQ(text.find("see " + data + "/admin-token"), std::string::npos) << text;
  // The recovery works against this running server.
  const RunResult created =
      RunCustos({"tokens", "create", "--role", "admin", "--json", "--data", data});
  ASSERT_EQ(created.exit_code, kExitOk) << created.err;
  const std::string port = text.substr(text.rfind(':') + 1);
  const std::string response =
      RawHttp(std::stoi(port), "GET /api/v1/policy HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                                   json::parse(created.out)["token"].get<std::string>() +
                                   "\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(response.rfind("HTTP/1.1 200", 0), 0u) << response;
  ::kill(pid, SIGTERM);
  EXPECT_EQ(testing::WaitExit(pid), 0);
}

TEST_F(SingleWriter, APostWithoutABodyIsAnOrdinaryRequest) {
  const auto start = std::chrono::steady_clock::now();
  const std::string reload =
      RawHttp(server_->port(), "POST /api/v1/policy/reload HTTP/1.1\r\nHost: x\r\nAuthorization: " +
                                   Auth().begin()->second + "\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(reload.rfind("HTTP/1.1 200", 0), 0u) << reload;
  EXPECT_NE(reload.find("\"version\""), std::string::npos) << reload;
  // Answered at once, not after httplib's read timeout.
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(3));
  // Without a token: 401, not 400; an unknown path: 404; both at once.
  const std::string anonymous =
      RawHttp(server_->port(),
              "POST /api/v1/policy/reload HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(anonymous.rfind("HTTP/1.1 401", 0), 0u) << anonymous;
  const std::string unknown = RawHttp(
      server_->port(), "POST /api/v1/nothing HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(unknown.rfind("HTTP/1.1 404", 0), 0u) << unknown;
  EXPECT_NE(unknown.find("\"not_found\""), std::string::npos) << unknown;
  // A route that needs a body says so (a JSON error naming the problem), not "malformed HTTP".
  const std::string empty =
      RawHttp(server_->port(), "POST /api/v1/holds HTTP/1.1\r\nHost: x\r\nAuthorization: " +
                                   Auth().begin()->second + "\r\nConnection: close\r\n\r\n");
  EXPECT_EQ(empty.rfind("HTTP/1.1 400", 0), 0u) << empty;
  EXPECT_EQ(empty.find("malformed HTTP request"), std::string::npos) << empty;
}

TEST_F(SingleWriter, UnsafePackFilePathsAreRefusedNamingTheField) {
  const std::string rules = ReadFile(PackDir("small") + "/rules/rules.yaml");
  const std::string pack = ReadFile(PackDir("small") + "/pack.yaml");
  const json before = BodyJson(client_->Get("/api/v1/policy", Auth()));
  const auto policy_entries = [&] {
    std::vector<std::string> out;
    for (const auto& entry : fs::recursive_directory_iterator(dir_.Path() + "/policy")) {
      out.push_back(entry.path().string());
    }
    std::sort(out.begin(), out.end());
    return out;
  };
  const std::vector<std::string> entries_before = policy_entries();
  for (const std::string& bad :
       {std::string("x\0y.yaml", 8), std::string("rules/\x01.yaml"), std::string("a//b.yaml"),
        std::string("../x.yaml"), std::string("rules/../../x.yaml"), std::string("/etc/x.yaml"),
        std::string(""), std::string("rules/"), std::string("a\\b.yaml"),
        std::string(300, 'a') + ".yaml", std::string(".hidden.yaml"),
        std::string("rules/x\x7f.yaml"), std::string("rules\n/x.yaml")}) {
    const json body = {{"files", json::array({{{"path", "pack.yaml"}, {"content", pack}},
                                              {{"path", bad}, {"content", rules}}})}};
    auto res = client_->Post("/api/v1/policy", Auth(), body.dump(), "application/json");
    ExpectError(res, 400, "invalid_argument");
    const json error = BodyJson(res)["error"];
    EXPECT_EQ(error.value("field", ""), "files[1].path") << res->body;
    EXPECT_EQ(error.value("message", "").find('\0'), std::string::npos);
  }
  EXPECT_EQ(BodyJson(client_->Get("/api/v1/policy", Auth()))["version"], before["version"]);
  // Nothing reached the disk; after a restart the archive still verifies.
  EXPECT_EQ(policy_entries(), entries_before);
  ASSERT_EQ(server_->Terminate(SIGTERM, std::chrono::seconds(30)), 0);
  std::string error;
  auto restarted = CustosProcess::Start(dir_.Path(), &error);
  ASSERT_NE(restarted, nullptr) << error;
  const RunResult verify = RunCustos({"verify", "--data", dir_.Path()});
  EXPECT_EQ(verify.exit_code, kExitOk) << verify.out << verify.err;
}

}  // namespace
}  // namespace custos::e2e
