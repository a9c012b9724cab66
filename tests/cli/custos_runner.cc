// SPDX-License-Identifier: Apache-2.0
#include "custos_runner.h"

#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include "testing/temp_dir.h"

namespace custos::testing {
namespace {

pid_t Spawn(const std::vector<std::string>& args, const std::string& stdout_path,
            const std::string& stderr_path, const std::string& stdin_path) {
  std::vector<std::string> argv_strings = {CustosBin()};
  argv_strings.insert(argv_strings.end(), args.begin(), args.end());
  std::vector<char*> argv;
  for (std::string& a : argv_strings) {
    argv.push_back(a.data());
  }
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid == 0) {
    const int in = ::open(stdin_path.empty() ? "/dev/null" : stdin_path.c_str(), O_RDONLY);
    const int out = ::open(stdout_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    const int err = ::open(stderr_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
    if (in < 0 || out < 0 || err < 0 || dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0) {
      _exit(126);
    }
    execv(argv[0], argv.data());
    _exit(127);
  }
  return pid;
}

}  // namespace

std::string CustosBin() {
  const char* bin = std::getenv("CUSTOS_BIN");  // NOLINT(concurrency-mt-unsafe): tests only
  return bin != nullptr ? bin : "custos";
}

pid_t StartCustos(const std::vector<std::string>& args, const std::string& stdout_path,
                  const std::string& stderr_path) {
  return Spawn(args, stdout_path, stderr_path, "");
}

int WaitExit(pid_t pid) {
  int status = 0;
  if (waitpid(pid, &status, 0) != pid || !WIFEXITED(status)) {
    return -1;
  }
  return WEXITSTATUS(status);
}

RunResult RunCustos(const std::vector<std::string>& args, const std::string& stdin_path) {
  TempDir dir;
  const std::string out = dir.File("stdout");
  const std::string err = dir.File("stderr");
  RunResult r;
  r.exit_code = WaitExit(Spawn(args, out, err, stdin_path));
  r.out = ReadFile(out);
  r.err = ReadFile(err);
  return r;
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void WriteFile(const std::string& path, const std::string& text) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out << text;
}

std::string MessageLine(int n) {
  char sent_at[32];
  std::snprintf(sent_at, sizeof sent_at, "2026-10-01T09:%02d:%02dZ", n / 60 % 60, n % 60);
  return R"({"source":"e2e","source_id":"m)" + std::to_string(n) +
         R"(","channel":"sms","conversation":"+447700900001","from":"+447700900001",)"
         R"("to":["+447700900100"],"sent_at":")" +
         sent_at + R"(","direction":"inbound","text":"message )" + std::to_string(n) +
         R"( about the quarterly numbers","attachments":[]})";
}

}  // namespace custos::testing
