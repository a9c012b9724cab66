// SPDX-License-Identifier: Apache-2.0
// The server process as an operator sees it: /metrics, and graceful shutdown on SIGTERM
// (exit 0, open event streams do not hold it up, every acknowledged message is durable).
#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include <signal.h>

#include "e2e/server_test.h"

namespace custos::e2e {
namespace {

using nlohmann::json;

class Lifecycle : public ServerTest {};

TEST_F(Lifecycle, MetricsCountIngestAndHttpRequests) {
  ASSERT_GT(PostOne(SampleMessage("m1")), 0);
  PostOne(SampleMessage("m1"));  // duplicate
  auto res = client_->Get("/metrics");
  ASSERT_TRUE(res);
  ASSERT_EQ(res->status, 200);
  EXPECT_EQ(res->get_header_value("Content-Type").rfind("text/plain", 0), 0u);
  const std::string& text = res->body;
  EXPECT_NE(text.find("custos_messages_ingested_total{channel=\"sms\"} 1"), std::string::npos)
      << text;
  EXPECT_NE(text.find("custos_messages_duplicate_total 1"), std::string::npos) << text;
  EXPECT_NE(text.find("custos_commit_latency_seconds_count"), std::string::npos) << text;
  EXPECT_NE(
      text.find("custos_http_requests_total{route=\"POST /api/v1/messages\",status=\"200\"} 2"),
      std::string::npos)
      << text;
}

TEST_F(Lifecycle, SigtermWithAnOpenEventStreamExitsZero) {
  auto stream_client = server_->Client();
  std::atomic<bool> connected{false};
  std::thread stream([&] {
    stream_client->Get("/api/v1/events", Auth(), [&](const char*, std::size_t) {
      connected = true;
      return true;
    });
  });
  for (int i = 0; i < 500 && !connected; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  EXPECT_TRUE(connected);
  const auto start = std::chrono::steady_clock::now();
  EXPECT_EQ(server_->Terminate(SIGTERM, std::chrono::seconds(20)), 0);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(15));
  stream_client->stop();
  stream.join();
}

TEST_F(Lifecycle, EveryAcknowledgedMessageSurvivesSigterm) {
  std::vector<std::int64_t> acknowledged;
  std::atomic<bool> stop{false};
  std::thread writer([&] {
    auto client = server_->Client();
    for (int batch = 0; !stop && batch < 1000; ++batch) {
      json messages = json::array();
      for (int i = 0; i < 20; ++i) {
        messages.push_back(SampleMessage("b" + std::to_string(batch) + "-" + std::to_string(i)));
      }
      auto res = PostMessages(*client, Auth(), messages);
      if (!res || res->status != 200) {
        break;  // the server is going away
      }
      const json body = BodyJson(res);
      for (const json& r : body["results"]) {
        if (r["status"] == "accepted") {
          acknowledged.push_back(r["id"].get<std::int64_t>());
        }
      }
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(500));
  EXPECT_EQ(server_->Terminate(SIGTERM, std::chrono::seconds(20)), 0);
  stop = true;
  writer.join();
  ASSERT_FALSE(acknowledged.empty());

  std::string error;
  server_ = CustosProcess::Start(dir_.Path(), &error);
  ASSERT_NE(server_, nullptr) << error;
  client_ = server_->Client();
  for (std::int64_t id : acknowledged) {
    auto res = client_->Get("/api/v1/messages/" + std::to_string(id), Auth());
    ASSERT_TRUE(res);
    ASSERT_EQ(res->status, 200) << "acknowledged message " << id << " is missing";
  }
}

}  // namespace
}  // namespace custos::e2e
