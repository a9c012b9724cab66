// SPDX-License-Identifier: Apache-2.0
// `custos serve`: opens the data directory, shows the first admin token once, serves the REST
// API until SIGTERM or SIGINT, then stops accepting, finishes in-flight commits and exits 0.
// SIGHUP re-reads the policy pack in force (DIR/policy/active, after `custos policy apply`);
// DIR/serve.pid names the serving process while it runs and is removed only by that process.
// The server is the data directory's one writer (app/data_lock.h): a second `serve` on the
// same directory, or on a port that is taken, fails with a clear error and a non-zero exit.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include "app/startup.h"
#include "cli/commands.h"
#include "cli/common.h"
#include "cli/exit_codes.h"
#include "cli/listen_address.h"
#include "core/fs.h"
#include "core/log.h"
#include "http/server.h"

namespace custos::cli {
namespace {

struct ServeArgs {
  std::string data_dir;
  std::string listen = "127.0.0.1:8080";
};

// Writes DIR/serve.pid atomically (core/fs.h), so a reader never sees half of it.
core::Status WritePidFile(const std::string& path) {
  return core::LocalFileSystem().WriteFileAtomic(path, std::to_string(::getpid()) + "\n",
                                                 {.mode = 0644});
}

// Removes DIR/serve.pid when it still names this process (never another server's file).
void RemoveOwnPidFile(const std::string& path) {
  std::ifstream in(path);
  long pid = 0;
  if (in >> pid && pid == static_cast<long>(::getpid())) {
    std::error_code ignored;
    std::filesystem::remove(path, ignored);
  }
}

// Shows the first admin token once, or where it is.
core::Status ShowAdminToken(app::Custos& custos) {
  ASSIGN_OR_RETURN(std::optional<app::BootstrapToken> token, custos.BootstrapAdminToken());
  if (token) {
    std::printf("custos: admin token (shown once): %s\n", token->token.c_str());
    std::printf("custos: admin token saved to %s (mode 0600)\n", token->path.c_str());
    return core::Status::Ok();
  }
  const std::string token_file = custos.data_dir() + "/admin-token";
  std::error_code ec;
  if (std::filesystem::exists(token_file, ec)) {
    std::printf("custos: admin token: see %s (created at first start)\n", token_file.c_str());
  } else {
    std::printf(
        "custos: admin token: shown once at first start (%s is gone); a lost token "
        "is replaced with `custos tokens create --role admin --data %s`\n",
        token_file.c_str(), custos.data_dir().c_str());
  }
  return core::Status::Ok();
}

int RunServe(const ServeArgs& args) {
  auto address = ParseListenAddress(args.listen);
  if (!address.has_value()) {
    std::fprintf(stderr, "custos: serve: %s\n", address.error().message().c_str());
    return kExitUsage;
  }
  // The startup and shutdown steps, with their durations, are the server's log (stderr).
  core::InitLogging(core::LogLevel::kInfo);
  // Block the shutdown signals before any thread starts, so every thread inherits the mask
  // and only sigwait() below sees them.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  // Startup as named steps, shutdown in reverse (app/startup.h): the data directory (its own
  // steps: storage, keys, log, policy, devices, workers), the admin token, the HTTP server,
  // DIR/serve.pid.
  std::unique_ptr<app::Custos> custos;
  std::unique_ptr<http::Server> server;
  std::string pid_path;
  app::StepList steps("serve");
  steps.Add(
      "data directory",
      [&]() -> core::Status {
        ASSIGN_OR_RETURN(custos, OpenData(args.data_dir, /*read_only=*/false));
        return core::Status::Ok();
      },
      [&] { custos.reset(); });  // Custos' own steps in reverse: workers, final checkpoint, ...
  steps.Add("admin token", [&] { return ShowAdminToken(*custos); });
  steps.Add(
      "http server",
      [&]() -> core::Status {
        server = std::make_unique<http::Server>(custos.get());
        http::ServerOptions options;
        options.host = address->host;
        options.port = address->port;
        RETURN_IF_ERROR(server->Start(options));
        std::printf("custos: listening on %s\n", HttpUrl(address->host, server->port()).c_str());
        const std::string demo_users = custos->data_dir() + "/demo-users";
        if (std::error_code ec; std::filesystem::exists(demo_users, ec)) {
          std::printf("custos: demo users (log in with POST /api/v1/auth/login): see %s\n",
                      demo_users.c_str());
        }
        std::fflush(stdout);
        return core::Status::Ok();
      },
      [&] { server.reset(); });  // stops accepting, finishes in-flight requests, joins
  steps.Add(
      "pid file",
      [&] {
        pid_path = custos->data_dir() + "/serve.pid";
        if (const core::Status written = WritePidFile(pid_path); !written.ok()) {
          // Only `custos policy apply` needs it (to signal this server); serving goes on.
          std::fprintf(stderr, "custos: serve: %s\n", written.message().c_str());
        }
        return core::Status::Ok();
      },
      [&] { RemoveOwnPidFile(pid_path); });
  if (const core::Status started = steps.Run(); !started.ok()) {
    return Fail(steps.failed_step() == "admin token" ? "serve: creating the admin token" : "serve",
                started);
  }

  int signal_number = 0;
  while (sigwait(&signals, &signal_number) == 0 && signal_number == SIGHUP) {
    auto reloaded = custos->policy().Reload("sighup");
    if (reloaded.has_value()) {
      std::fprintf(stderr, "custos: SIGHUP: policy pack %s in force\n", reloaded->version.c_str());
    } else {
      std::fprintf(stderr, "custos: SIGHUP: policy pack not reloaded, the running one stays: %s\n",
                   reloaded.error().message().c_str());
    }
  }
  std::fprintf(stderr, "custos: %s received, shutting down\n",
               signal_number == SIGINT ? "SIGINT" : "SIGTERM");
  steps.Stop();
  std::fprintf(stderr, "custos: stopped\n");
  return kExitOk;
}

}  // namespace

void RegisterServeCommand(CLI::App& root, int* exit_code) {
  auto args = std::make_shared<ServeArgs>();
  CLI::App* serve = root.add_subcommand("serve", "Serve the REST API until SIGTERM or SIGINT");
  AddDataOption(serve, &args->data_dir);
  serve
      ->add_option("--listen", args->listen,
                   "Address to listen on (a bare PORT is 127.0.0.1:PORT); port 0 picks a free port")
      ->type_name("ADDR:PORT")
      ->capture_default_str();
  serve->callback([args, exit_code] { *exit_code = RunServe(*args); });
}

}  // namespace custos::cli
