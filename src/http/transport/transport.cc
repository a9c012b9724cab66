// SPDX-License-Identifier: Apache-2.0
// Transport: the listening socket, the accept loop, the I/O threads and the worker pool, and the
// orderly stop. Connections live in session.cc / session_write.cc.
#include "http/transport/transport.h"

#include <algorithm>
#include <chrono>
#include <optional>
#include <thread>
#include <vector>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <signal.h>
#include <sys/resource.h>

#include "core/log.h"
#include "http/transport/session.h"

namespace custos::http {

using transport_internal::Session;
using transport_internal::Shared;
using transport_internal::Tcp;
namespace net = transport_internal::net;

namespace {

void RaiseFileLimit() {
  rlimit limit{};
  if (getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    if (setrlimit(RLIMIT_NOFILE, &limit) != 0) {
      CUSTOS_LOG_WARN("cannot raise the open-file limit to {}", limit.rlim_max);
    }
  }
}

void IgnoreSigpipe() {
  struct sigaction ignore = {};
  ignore.sa_handler = SIG_IGN;
  sigemptyset(&ignore.sa_mask);
  sigaction(SIGPIPE, &ignore, nullptr);
}

}  // namespace

class Transport::Impl {
 public:
  ~Impl() { Stop(); }

  core::Status Start(const TransportOptions& options, RequestHandler* handler);
  void Stop();

  int port() const { return port_; }

  std::size_t OpenConnections() const {
    return shared_ ? shared_->connections.load() : std::size_t{0};
  }

 private:
  void Accept();

  // Declared first: destroyed after the I/O context (whose pending handlers hold sessions that
  // refer to it).
  std::unique_ptr<Shared> shared_;
  std::unique_ptr<net::io_context> io_;
  std::optional<net::executor_work_guard<net::io_context::executor_type>> work_;
  std::unique_ptr<Tcp::acceptor> acceptor_;
  std::unique_ptr<net::steady_timer> retry_timer_;
  std::vector<std::thread> threads_;
  int port_ = 0;
  bool started_ = false;
};

core::Status Transport::Impl::Start(const TransportOptions& options, RequestHandler* handler) {
  if (started_) {
    return core::FailedPrecondition("the HTTP transport is already running");
  }
  RaiseFileLimit();
  IgnoreSigpipe();
  const std::string where = options.host + ":" + std::to_string(options.port);
  auto io = std::make_unique<net::io_context>(std::max(1, options.io_threads));
  auto acceptor = std::make_unique<Tcp::acceptor>(*io);
  boost::system::error_code ec;
  net::ip::address address = net::ip::make_address(options.host, ec);
  if (ec) {
    Tcp::resolver resolver(*io);
    auto results = resolver.resolve(options.host, std::to_string(options.port), ec);
    if (ec || results.empty()) {
      return core::Unavailable("cannot listen on " + where + ": cannot resolve the host");
    }
    address = results.begin()->endpoint().address();
  }
  const Tcp::endpoint endpoint(address, static_cast<unsigned short>(options.port));
  acceptor->open(endpoint.protocol(), ec);
  if (!ec) {
    // SO_REUSEADDR only (a restart may bind while old connections sit in TIME_WAIT); never
    // SO_REUSEPORT, with which a second server could bind the same port.
    acceptor->set_option(Tcp::acceptor::reuse_address(true), ec);
  }
  if (!ec) {
    acceptor->bind(endpoint, ec);
  }
  if (!ec) {
    acceptor->listen(std::max(1, options.listen_backlog), ec);
  }
  if (ec) {
    return core::Unavailable("cannot listen on " + where + ": " + ec.message());
  }
  port_ = acceptor->local_endpoint().port();
  shared_ = std::make_unique<Shared>(options, handler,
                                     static_cast<std::size_t>(std::max(1, options.worker_threads)));
  io_ = std::move(io);
  acceptor_ = std::move(acceptor);
  retry_timer_ = std::make_unique<net::steady_timer>(*io_);
  work_.emplace(io_->get_executor());
  Accept();
  for (int i = 0; i < std::max(1, options.io_threads); ++i) {
    threads_.emplace_back([io = io_.get()] { io->run(); });
  }
  started_ = true;
  return core::Status::Ok();
}

void Transport::Impl::Accept() {
  acceptor_->async_accept(
      net::make_strand(*io_), [this](boost::system::error_code ec, Tcp::socket socket) {
        if (ec == net::error::operation_aborted || !acceptor_->is_open()) {
          return;  // stopping
        }
        if (ec) {
          // Out of file descriptors (or another transient failure): wait a little, then go on.
          CUSTOS_LOG_WARN("accept failed: {}", ec.message());
          retry_timer_->expires_after(std::chrono::milliseconds(50));
          retry_timer_->async_wait([this](boost::system::error_code wait_ec) {
            if (!wait_ec && acceptor_->is_open()) {
              Accept();
            }
          });
          return;
        }
        if (shared_->stopping.load() ||
            shared_->connections.load() >= shared_->options.max_connections) {
          boost::system::error_code ignored;
          socket.close(ignored);  // over the limit: closed at once, before any byte is read
        } else {
          std::make_shared<Session>(*shared_, std::move(socket))->Start();
        }
        Accept();
      });
}

void Transport::Impl::Stop() {
  if (!started_) {
    return;
  }
  started_ = false;
  shared_->stopping.store(true);
  net::post(*io_, [this] {
    boost::system::error_code ignored;
    acceptor_->close(ignored);
    retry_timer_->cancel();
  });
  for (const auto& session : shared_->Sessions()) {
    session->Shutdown(/*force=*/false);
  }
  const auto deadline = std::chrono::steady_clock::now() + shared_->options.stop_grace;
  while (shared_->connections.load() > 0 && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  for (const auto& session : shared_->Sessions()) {
    session->Shutdown(/*force=*/true);
  }
  const auto forced = std::chrono::steady_clock::now() + std::chrono::milliseconds(200);
  while (shared_->connections.load() > 0 && std::chrono::steady_clock::now() < forced) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  work_.reset();
  io_->stop();
  for (std::thread& t : threads_) {
    t.join();
  }
  threads_.clear();
  // Admit/Handle calls still running return (what they post to the stopped context is dropped).
  shared_->workers.join();
  // No thread runs the context now; make every sink refuse before the context (and the strands
  // its sessions use) is destroyed, so that a producer still holding one never touches it.
  for (const auto& session : shared_->Sessions()) {
    session->DetachSink();
  }
  retry_timer_.reset();
  acceptor_.reset();
  io_.reset();  // destroys pending handlers, and with them the remaining sessions
  shared_.reset();
}

Transport::Transport() : impl_(std::make_unique<Impl>()) {}

Transport::~Transport() { Stop(); }

core::Status Transport::Start(const TransportOptions& options, RequestHandler* handler) {
  return impl_->Start(options, handler);
}

int Transport::port() const { return impl_->port(); }

void Transport::Stop() { impl_->Stop(); }

std::size_t Transport::OpenConnections() const { return impl_->OpenConnections(); }

}  // namespace custos::http
