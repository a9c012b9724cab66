// SPDX-License-Identifier: Apache-2.0
// GET /api/v1/events of the real binary: server-sent events for committed messages.
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <mutex>
#include <string>
#include <thread>

#include "e2e/server_test.h"

namespace custos::e2e {
namespace {

using nlohmann::json;

// Reads an event stream on its own thread and keeps what arrived.
class EventReader {
 public:
  EventReader(CustosProcess& server, httplib::Headers auth)
      : client_(server.Client()), auth_(std::move(auth)) {
    thread_ = std::thread([this] {
      auto res = client_->Get(
          "/api/v1/events", auth_,
          [this](const httplib::Response& r) {
            std::lock_guard<std::mutex> lock(mu_);
            status_ = r.status;
            content_type_ = r.get_header_value("Content-Type");
            cv_.notify_all();
            return true;
          },
          [this](const char* data, std::size_t n) {
            std::lock_guard<std::mutex> lock(mu_);
            text_.append(data, n);
            cv_.notify_all();
            return !stop_;
          });
      std::lock_guard<std::mutex> lock(mu_);
      ended_ = true;
      cv_.notify_all();
    });
  }

  ~EventReader() {
    {
      std::lock_guard<std::mutex> lock(mu_);
      stop_ = true;
    }
    client_->stop();
    thread_.join();
  }

  // Waits until the stream's text contains `needle`; returns the whole text.
  std::string WaitFor(const std::string& needle, std::chrono::seconds timeout) {
    std::unique_lock<std::mutex> lock(mu_);
    cv_.wait_for(lock, timeout, [&] { return ended_ || text_.find(needle) != std::string::npos; });
    return text_;
  }

  int status() {
    std::lock_guard<std::mutex> lock(mu_);
    return status_;
  }

  std::string content_type() {
    std::lock_guard<std::mutex> lock(mu_);
    return content_type_;
  }

 private:
  std::unique_ptr<httplib::Client> client_;
  httplib::Headers auth_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::string text_;
  int status_ = 0;
  std::string content_type_;
  bool stop_ = false;
  bool ended_ = false;
  std::thread thread_;
};

class Events : public ServerTest {};

TEST_F(Events, DeliversEachCommittedMessage) {
  EventReader reader(*server_, Auth());
  ASSERT_NE(reader.WaitFor(": connected", std::chrono::seconds(10)).find(": connected"),
            std::string::npos);
  EXPECT_EQ(reader.status(), 200);
  EXPECT_EQ(reader.content_type().rfind("text/event-stream", 0), 0u);

  const std::int64_t id = PostOne(SampleMessage("live-1", "streamed to the dashboard"));
  ASSERT_GT(id, 0);
  const std::string text = reader.WaitFor("live-1", std::chrono::seconds(10));
  const std::string expected_head = "event: message\nid: " + std::to_string(id) + "\ndata: ";
  const std::size_t at = text.find(expected_head);
  ASSERT_NE(at, std::string::npos) << text;
  const std::size_t data = at + expected_head.size();
  const json message = json::parse(text.substr(data, text.find('\n', data) - data));
  EXPECT_EQ(message["id"], id);
  EXPECT_EQ(message["source_id"], "live-1");
  EXPECT_EQ(message["text"], "streamed to the dashboard");

  // A duplicate is not a new commit: no second event for it.
  PostOne(SampleMessage("live-1", "streamed to the dashboard"));
  const std::int64_t id2 = PostOne(SampleMessage("live-2"));
  const std::string after = reader.WaitFor("live-2", std::chrono::seconds(10));
  EXPECT_NE(after.find("id: " + std::to_string(id2) + "\n"), std::string::npos) << after;
  EXPECT_EQ(after.find("live-1", after.find("live-1") + 1), std::string::npos) << after;
}

TEST_F(Events, AFlaggedMessageIsFollowedByItsVerdict) {
  EventReader reader(*server_, Auth());
  ASSERT_NE(reader.WaitFor(": connected", std::chrono::seconds(10)).find(": connected"),
            std::string::npos);
  const std::int64_t plain = PostOne(SampleMessage("plain-1", "see you at the meeting"));
  const std::int64_t flagged =
      PostOne(SampleMessage("flag-1", "Can you message me on Signal instead?"));
  ASSERT_GT(flagged, 0);
  const std::string head = "event: verdict\nid: " + std::to_string(flagged) + "\ndata: ";
  const std::string text = reader.WaitFor(head, std::chrono::seconds(10));
  const std::size_t at = text.find(head);
  ASSERT_NE(at, std::string::npos) << text;
  // After the message's own event.
  EXPECT_LT(text.find("event: message\nid: " + std::to_string(flagged) + "\n"), at);
  const std::size_t data = at + head.size();
  const json event = json::parse(text.substr(data, text.find('\n', data) - data));
  EXPECT_EQ(event["message_id"], flagged);
  EXPECT_EQ(event["channel"], "sms");
  EXPECT_EQ(event["verdict"]["action"], "flag");
  EXPECT_EQ(event["verdict"]["hits"][0]["rule"], "off-channel.client-request");
  // A message without hits has no verdict event.
  EXPECT_EQ(text.find("event: verdict\nid: " + std::to_string(plain) + "\n"), std::string::npos)
      << text;
}

TEST_F(Events, RejectsUnknownParameters) {
  ExpectError(client_->Get("/api/v1/events?since=5", Auth()), 400, "invalid_argument");
}

TEST_F(Events, RequireAToken) {
  ExpectError(client_->Get("/api/v1/events"), 401, "unauthenticated");
}

}  // namespace
}  // namespace custos::e2e
