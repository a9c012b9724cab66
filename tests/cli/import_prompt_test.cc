// SPDX-License-Identifier: Apache-2.0
// The questions of `custos import FORMAT` on a terminal (docs/directory.md), through the real
// binary under a pseudo-terminal (forkpty): who exported the file when --custodian is missing,
// and who each WhatsApp sender name is that the directory does not resolve. Not asked with
// --no-input, --json or when stdin is not a terminal.
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <string>
#include <vector>

#include <fcntl.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <poll.h>
#include <pty.h>
#include <sys/wait.h>
#include <unistd.h>

#include "custos_runner.h"
#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

std::string Chat() {
  const char* s = std::getenv("CUSTOS_SOURCE_DIR");
  return std::string(s != nullptr ? s : ".") +
         "/tests/data/importers/whatsapp/overlap_anna_android.txt";
}

// `custos args...` with stdin and stderr on a pseudo-terminal, stdout to `stdout_path`.
class PtySession {
 public:
  PtySession(const std::vector<std::string>& args, const std::string& stdout_path) {
    pid_ = ::forkpty(&master_, nullptr, nullptr, nullptr);
    if (pid_ == 0) {
      const int fd = ::open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      ::dup2(fd, STDOUT_FILENO);
      std::vector<std::string> argv_s = {CustosBin()};
      argv_s.insert(argv_s.end(), args.begin(), args.end());
      std::vector<char*> argv;
      for (std::string& a : argv_s) {
        argv.push_back(a.data());
      }
      argv.push_back(nullptr);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
  }

  ~PtySession() {
    if (pid_ > 0 && !waited_) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
    }
    if (master_ >= 0) {
      ::close(master_);
    }
  }

  // Reads the terminal until `text` appears after what earlier calls consumed (true), or 20 s
  // pass or the terminal closes (false).
  bool Expect(const std::string& text) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(20);
    for (;;) {
      if (const std::size_t at = seen_.find(text, consumed_); at != std::string::npos) {
        consumed_ = at + text.size();
        return true;
      }
      const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
          deadline - std::chrono::steady_clock::now());
      if (left.count() <= 0 || !ReadSome(static_cast<int>(left.count()))) {
        return false;
      }
    }
  }

  void Send(const std::string& line) {
    const std::string bytes = line + "\r";
    ASSERT_EQ(::write(master_, bytes.data(), bytes.size()), static_cast<ssize_t>(bytes.size()));
  }

  // Reads the rest of the terminal and waits for the exit code.
  int Finish() {
    while (ReadSome(20'000)) {
    }
    int status = 0;
    ::waitpid(pid_, &status, 0);
    waited_ = true;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  }

  const std::string& seen() const { return seen_; }

 private:
  bool ReadSome(int timeout_ms) {
    pollfd p{master_, POLLIN, 0};
    if (::poll(&p, 1, timeout_ms) <= 0) {
      return false;
    }
    char buffer[4096];
    const ssize_t n = ::read(master_, buffer, sizeof buffer);
    if (n <= 0) {
      return false;  // EIO once the child has closed the terminal
    }
    seen_.append(buffer, static_cast<std::size_t>(n));
    return true;
  }

  pid_t pid_ = -1;
  int master_ = -1;
  bool waited_ = false;
  std::string seen_;
  std::size_t consumed_ = 0;
};

std::string Search(const std::string& data, const std::string& query) {
  const RunResult r = RunCustos({"search", "--data", data, "--json", query});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return r.out;
}

nlohmann::json LastRun(const std::string& data) {
  const RunResult r = RunCustos({"import", "runs", "--data", data, "--json"});
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return nlohmann::json::parse(r.out)["runs"].back();
}

TEST(ImportPrompt, OnATerminalAsksForTheCustodianAndUnknownSenderNames) {
  TempDir dir;
  const std::string data = dir.File("data");
  PtySession s({"import", "whatsapp", Chat(), "--data", data, "--chat-name", "Bob Smith"},
               dir.File("out"));
  ASSERT_TRUE(s.Expect("Who exported this file?")) << s.seen();
  s.Send("anna@firm.com");
  ASSERT_TRUE(s.Expect("Who is \"Anna Jones\"?")) << s.seen();
  s.Send("anna@firm.com");  // the custodian's own name: her messages are outbound
  ASSERT_TRUE(s.Expect("Who is \"Bob Smith\"?")) << s.seen();
  s.Send("+999 7700 900456");  // no such country code: asked again
  ASSERT_TRUE(s.Expect("is not a valid phone number")) << s.seen();
  ASSERT_TRUE(s.Expect("Who is \"Bob Smith\"?")) << s.seen();
  s.Send("07700 900456");
  EXPECT_EQ(s.Finish(), 0) << s.seen();
  EXPECT_NE(ReadFile(dir.File("out")).find("whatsapp: imported 5"), std::string::npos)
      << ReadFile(dir.File("out"));

  EXPECT_EQ(LastRun(data)["custodian"], "anna@firm.com");
  EXPECT_NE(Search(data, "from:anna@firm.com figures").find("figures ready"), std::string::npos);
  EXPECT_NE(Search(data, "from:+447700900456 sending").find("sending now"), std::string::npos);
  const std::string exported = RunCustos({"export", "jsonl", "--data", data}).out;
  EXPECT_NE(exported.find("\"conversation\":\"dm:+447700900456 anna@firm.com\""), std::string::npos)
      << exported;
  EXPECT_NE(exported.find("\"direction\":\"outbound\",\"text\":\"Morning Bob"), std::string::npos)
      << exported;
}

TEST(ImportPrompt, EnterKeepsTheDefaultsAndFlagsAreNotAskedAgain) {
  TempDir dir;
  const std::string data = dir.File("data");
  PtySession s({"import", "whatsapp", Chat(), "--data", data, "--custodian", "anna@firm.com",
                "--self", "Anna Jones"},
               dir.File("out"));
  ASSERT_TRUE(s.Expect("Who is \"Bob Smith\"?")) << s.seen();
  s.Send("");
  EXPECT_EQ(s.Finish(), 0) << s.seen();
  EXPECT_EQ(s.seen().find("Who exported this file?"), std::string::npos) << s.seen();
  EXPECT_EQ(s.seen().find("Anna Jones\"?"), std::string::npos) << s.seen();
  EXPECT_NE(Search(data, "sending").find("\"Bob Smith\""), std::string::npos);  // external name
}

TEST(ImportPrompt, NoQuestionsWithNoInputJsonOrWithoutATerminal) {
  TempDir dir;
  for (const std::string flag : {"--no-input", "--json"}) {
    const std::string data = dir.File("data" + flag);
    PtySession s({"import", "whatsapp", Chat(), "--data", data, flag}, dir.File("out"));
    EXPECT_EQ(s.Finish(), 0) << s.seen();
    EXPECT_EQ(s.seen().find("Who "), std::string::npos) << flag << ": " << s.seen();
    EXPECT_EQ(LastRun(data)["imported"], 5) << flag;
  }
  const RunResult piped = RunCustos({"import", "whatsapp", Chat(), "--data", dir.File("piped")});
  EXPECT_EQ(piped.exit_code, 0) << piped.err;
  EXPECT_EQ(piped.err.find("Who "), std::string::npos) << piped.err;
  EXPECT_EQ(LastRun(dir.File("piped"))["custodian"], "");
}

}  // namespace
}  // namespace custos::testing
