// SPDX-License-Identifier: Apache-2.0
// Transport over real sockets on 127.0.0.1 with a small RequestHandler: parsing, keep-alive,
// admission before the body, limits, timeouts, streaming and stop.
#include "http/transport/transport.h"

#include <atomic>
#include <condition_variable>
#include <mutex>
#include <stdexcept>
#include <thread>
#include <vector>

#include <gtest/gtest.h>

#include "hostile/raw_http.h"

namespace custos::http {
namespace {

using hostile::GetRequest;
using hostile::Millis;
using hostile::RawConnection;

constexpr Millis kWait(5000);

class EchoHandler : public RequestHandler {
 public:
  Admission Admit(const Request& request) override {
    Admission admission;
    admission.max_body_bytes = 1024;
    if (request.path == "/private" && !request.headers.Has("Authorization")) {
      Response refuse;
      refuse.status = 401;
      refuse.content_type = "application/json";
      refuse.body = R"({"error":{"code":"unauthenticated","message":"no","request_id":"r1"}})";
      admission.refuse = std::move(refuse);
    }
    admission.state = std::make_shared<int>(7);
    return admission;
  }

  Response Handle(Request& request, const Admission& admission) override {
    if (request.path == "/throw") {
      throw std::runtime_error("boom");
    }
    Response response;
    if (request.path == "/stream") {
      response.content_type = "text/event-stream";
      response.stream = [this](std::shared_ptr<StreamSink> sink) {
        std::lock_guard<std::mutex> lock(mu_);
        sinks_.push_back(std::move(sink));
        cv_.notify_all();
      };
      return response;
    }
    response.content_type = "text/plain";
    response.body = request.method + " " + request.path;
    for (const auto& [name, value] : request.query) {
      response.body += " [" + name + "=" + value + "]";
    }
    response.body += " state=" + std::to_string(*static_cast<const int*>(admission.state.get()));
    response.body += " body=" + request.body;
    return response;
  }

  std::shared_ptr<StreamSink> WaitSink(std::size_t index) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, kWait, [&] { return sinks_.size() > index; });
    return sinks_.size() > index ? sinks_[index] : nullptr;
  }

 private:
  std::mutex mu_;
  std::condition_variable cv_;
  std::vector<std::shared_ptr<StreamSink>> sinks_;
};

class TransportTest : public ::testing::Test {
 protected:
  void StartWith(TransportOptions options) {
    options.port = 0;
    ASSERT_TRUE(transport_.Start(options, &handler_).ok());
    ASSERT_GT(transport_.port(), 0);
  }

  std::unique_ptr<RawConnection> Connect() {
    auto c = RawConnection::Connect(transport_.port());
    EXPECT_NE(c, nullptr);
    return c;
  }

  EchoHandler handler_;
  Transport transport_;
};

TEST_F(TransportTest, DecodesPathAndQueryAndPassesAdmissionStateToHandle) {
  StartWith({});
  auto c = Connect();
  ASSERT_TRUE(c->Send(GetRequest("/a%20b/c?x=1%2B1&y=two+words&flag&x=2")));
  auto r = c->ReadResponse(kWait);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "GET /a b/c [x=1+1] [y=two words] [flag=] [x=2] state=7 body=");
}

TEST_F(TransportTest, RefusesToBindAnAddressInUse) {
  StartWith({});
  Transport second;
  TransportOptions options;
  options.port = transport_.port();
  const core::Status s = second.Start(options, &handler_);
  EXPECT_EQ(s.code(), core::StatusCode::kUnavailable);
  EXPECT_NE(s.message().find("127.0.0.1:" + std::to_string(options.port)), std::string::npos);
}

TEST_F(TransportTest, ServesManyRequestsOnOneKeepAliveConnection) {
  StartWith({});
  auto c = Connect();
  for (int i = 0; i < 50; ++i) {
    ASSERT_TRUE(c->Send(GetRequest("/n?i=" + std::to_string(i))));
    auto r = c->ReadResponse(kWait);
    ASSERT_TRUE(r) << i;
    EXPECT_EQ(r->body.find("[i=" + std::to_string(i) + "]") != std::string::npos, true);
  }
  // Two pipelined requests in one write are answered in order.
  ASSERT_TRUE(c->Send(GetRequest("/p1") + GetRequest("/p2")));
  EXPECT_NE(c->ReadResponse(kWait)->body.find("/p1"), std::string::npos);
  EXPECT_NE(c->ReadResponse(kWait)->body.find("/p2"), std::string::npos);
}

TEST_F(TransportTest, ReadsContentLengthAndChunkedBodiesAndAPostWithoutBody) {
  StartWith({});
  auto c = Connect();
  ASSERT_TRUE(c->Send("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"));
  EXPECT_EQ(c->ReadResponse(kWait)->body, "POST /x state=7 body=hello");
  ASSERT_TRUE(
      c->Send("PUT /y HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
              "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n"));
  EXPECT_EQ(c->ReadResponse(kWait)->body, "PUT /y state=7 body=abcde");
  ASSERT_TRUE(c->Send("POST /reload HTTP/1.1\r\nHost: h\r\n\r\n"));
  auto r = c->ReadResponse(kWait);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 200);
  EXPECT_EQ(r->body, "POST /reload state=7 body=");
  for (const char* method : {"PATCH", "DELETE", "OPTIONS"}) {
    ASSERT_TRUE(c->Send(std::string(method) + " /m HTTP/1.1\r\nHost: h\r\n\r\n"));
    EXPECT_EQ(c->ReadResponse(kWait)->body, std::string(method) + " /m state=7 body=");
  }
}

TEST_F(TransportTest, AnswersExpectContinueOnlyWhenAdmitted) {
  StartWith({});
  auto c = Connect();
  ASSERT_TRUE(
      c->Send("POST /x HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
              "Content-Length: 3\r\n\r\n"));
  ASSERT_TRUE(c->ReadUntil("HTTP/1.1 100 Continue\r\n\r\n", kWait));
  c->ClearBuffer();
  ASSERT_TRUE(c->Send("abc"));
  EXPECT_EQ(c->ReadResponse(kWait)->body, "POST /x state=7 body=abc");
  auto refused = Connect();
  ASSERT_TRUE(
      refused->Send("POST /private HTTP/1.1\r\nHost: h\r\nExpect: 100-continue\r\n"
                    "Content-Length: 3\r\n\r\n"));
  auto r = refused->ReadResponse(kWait);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);  // no 100 Continue first
}

TEST_F(TransportTest, HeadGetsTheLengthButNoBody) {
  StartWith({});
  auto c = Connect();
  ASSERT_TRUE(c->Send("HEAD /h HTTP/1.1\r\nHost: h\r\n\r\n"));
  auto r = c->ReadResponse(kWait, /*head_request=*/true);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->Header("content-length"),
            std::to_string(std::string("HEAD /h state=7 body=").size()));
  ASSERT_TRUE(c->Send(GetRequest("/after")));  // nothing of a body was sent in between
  EXPECT_NE(c->ReadResponse(kWait)->body.find("GET /after"), std::string::npos);
}

TEST_F(TransportTest, RefusedRequestWithABodyIsAnsweredAndClosedWithoutReadingIt) {
  StartWith({});
  auto c = Connect();
  ASSERT_TRUE(c->Send("POST /private HTTP/1.1\r\nHost: h\r\nContent-Length: 104857600\r\n\r\n"));
  auto r = c->ReadResponse(kWait);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 401);
  EXPECT_EQ(r->Header("connection"), "close");
  EXPECT_TRUE(c->WaitClosed(kWait));
}

TEST_F(TransportTest, BodiesOverTheAdmittedLimitAre413) {
  StartWith({});
  auto c = Connect();
  ASSERT_TRUE(c->Send("POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: 2000\r\n\r\n"));
  auto r = c->ReadResponse(kWait);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
  EXPECT_NE(r->body.find("\"code\":\"resource_exhausted\""), std::string::npos);
  EXPECT_NE(r->body.find("\"request_id\":\"" + r->Header("x-request-id") + "\""),
            std::string::npos);

  auto chunked = Connect();
  ASSERT_TRUE(chunked->Send("POST /x HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"));
  const std::string chunk = "200\r\n" + std::string(512, 'x') + "\r\n";
  for (int i = 0; i < 3; ++i) {
    chunked->Send(chunk);
  }
  r = chunked->ReadResponse(kWait);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 413);
}

TEST_F(TransportTest, HeadsOverTheSizeOrCountLimitAre431) {
  TransportOptions options;
  options.max_header_bytes = 4096;
  options.max_header_count = 10;
  StartWith(options);
  auto big = Connect();
  ASSERT_TRUE(big->Send(GetRequest("/x", {"X-Big: " + std::string(8000, 'a')})));
  auto r = big->ReadResponse(kWait);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
  EXPECT_EQ(r->Header("content-type"), "application/json");
  EXPECT_TRUE(big->WaitClosed(kWait));

  std::vector<std::string> many;
  for (int i = 0; i < 11; ++i) {
    many.push_back("X-H" + std::to_string(i) + ": v");
  }
  auto c = Connect();
  ASSERT_TRUE(c->Send(GetRequest("/x", many)));
  r = c->ReadResponse(kWait);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 431);
}

TEST_F(TransportTest, ClosesAConnectionThatDoesNotFinishItsHeadInTime) {
  TransportOptions options;
  options.header_timeout = Millis(300);
  StartWith(options);
  auto c = Connect();
  ASSERT_TRUE(c->Send("GET / HTTP/1.1\r\nHost: h\r\n"));
  const auto start = std::chrono::steady_clock::now();
  EXPECT_TRUE(c->WaitClosed(kWait));
  EXPECT_LT(std::chrono::steady_clock::now() - start, Millis(2000));
}

TEST_F(TransportTest, AHandlerExceptionIsA500WithARequestId) {
  StartWith({});
  auto c = Connect();
  ASSERT_TRUE(c->Send(GetRequest("/throw")));
  auto r = c->ReadResponse(kWait);
  ASSERT_TRUE(r);
  EXPECT_EQ(r->status, 500);
  EXPECT_NE(r->body.find("\"code\":\"internal\""), std::string::npos);
  EXPECT_FALSE(r->Header("x-request-id").empty());
}

TEST_F(TransportTest, ConnectionsOverTheLimitAreClosedAtOnce) {
  TransportOptions options;
  options.max_connections = 2;
  StartWith(options);
  auto a = Connect();
  auto b = Connect();
  ASSERT_TRUE(a->Send(GetRequest("/a")));
  ASSERT_TRUE(a->ReadResponse(kWait));
  ASSERT_TRUE(b->Send(GetRequest("/b")));
  ASSERT_TRUE(b->ReadResponse(kWait));
  auto c = Connect();
  EXPECT_TRUE(c->WaitClosed(kWait));
}

TEST_F(TransportTest, StreamsChunksUntilStopThenWriteFails) {
  StartWith({});
  auto c = Connect();
  ASSERT_TRUE(c->Send(GetRequest("/stream")));
  ASSERT_TRUE(c->ReadUntil("\r\n\r\n", kWait));
  EXPECT_NE(c->Buffered().find("Transfer-Encoding: chunked"), std::string::npos);
  auto sink = handler_.WaitSink(0);
  ASSERT_NE(sink, nullptr);
  EXPECT_TRUE(sink->Write("data: one\n\n"));
  EXPECT_TRUE(c->ReadUntil("data: one", kWait));
  transport_.Stop();
  EXPECT_FALSE(sink->Write("data: two\n\n"));
  EXPECT_FALSE(sink->IsOpen());
  EXPECT_TRUE(c->ReadUntil("0\r\n\r\n", kWait));  // the stream was ended, not cut
}

TEST_F(TransportTest, AStreamWhosePeerLeftRefusesWrites) {
  StartWith({});
  auto c = Connect();
  ASSERT_TRUE(c->Send(GetRequest("/stream")));
  auto sink = handler_.WaitSink(0);
  ASSERT_NE(sink, nullptr);
  c.reset();
  bool open = true;
  for (int i = 0; i < 500 && open; ++i) {
    open = sink->Write("x");
    std::this_thread::sleep_for(Millis(10));
  }
  EXPECT_FALSE(open);
}

TEST_F(TransportTest, AStreamReaderThatFallsBehindIsDropped) {
  TransportOptions options;
  options.max_stream_queue_bytes = 64 * 1024;
  StartWith(options);
  auto c = Connect();  // never reads
  ASSERT_TRUE(c->Send(GetRequest("/stream")));
  auto sink = handler_.WaitSink(0);
  ASSERT_NE(sink, nullptr);
  const std::string block(16 * 1024, 'e');
  bool open = true;
  int writes = 0;
  while (open && writes < 100'000) {
    open = sink->Write(block);
    ++writes;
  }
  EXPECT_FALSE(open);  // socket buffers (a few MiB) plus the 64 KiB queue, then dropped
  EXPECT_TRUE(c->WaitClosed(kWait));
}

}  // namespace
}  // namespace custos::http
