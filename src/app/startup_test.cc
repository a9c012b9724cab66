// SPDX-License-Identifier: Apache-2.0
#include "app/startup.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace custos::app {
namespace {

// A worker that records its calls in a shared journal.
class JournalWorker final : public core::Worker {
 public:
  JournalWorker(std::string name, std::vector<std::string>* journal)
      : name_(std::move(name)), journal_(journal) {}

  std::string_view Name() const override { return name_; }

  core::Status Start() override {
    journal_->push_back("start " + name_);
    return core::Status::Ok();
  }

  void Stop() override { journal_->push_back("stop " + name_); }

 private:
  std::string name_;
  std::vector<std::string>* journal_;
};

TEST(StepList, StartsInOrderAndStopsInReverseOnce) {
  std::vector<std::string> journal;
  JournalWorker worker("w", &journal);
  {
    StepList steps("test");
    steps.Add(
        "a",
        [&] {
          journal.push_back("start a");
          return core::Status::Ok();
        },
        [&] { journal.push_back("stop a"); });
    steps.Add("b", [&] {
      journal.push_back("start b");
      return core::Status::Ok();
    });
    steps.AddWorker(&worker);
    ASSERT_TRUE(steps.Run().ok());
    EXPECT_EQ(steps.started(), (std::vector<std::string>{"a", "b", "worker w"}));
    ASSERT_EQ(steps.timings().size(), 3u);
    EXPECT_EQ(steps.timings()[2].name, "worker w");
    EXPECT_GE(steps.timings()[0].millis, 0.0);
    steps.Stop();
    steps.Stop();  // idempotent; the destructor's Stop adds nothing either
  }
  EXPECT_EQ(journal,
            (std::vector<std::string>{"start a", "start b", "start w", "stop w", "stop a"}));
}

TEST(StepList, AFailingStepStopsTheStartedOnesInReverseAndKeepsItsError) {
  std::vector<std::string> journal;
  StepList steps("test");
  for (const char* name : {"a", "b"}) {
    steps.Add(
        name,
        [&, name] {
          journal.push_back(std::string("start ") + name);
          return core::Status::Ok();
        },
        [&, name] { journal.push_back(std::string("stop ") + name); });
  }
  steps.Add(
      "c", [] { return core::Unavailable("DIR is locked by pid 42"); },
      [&] { journal.push_back("stop c"); });
  steps.Add("d", [&] {
    journal.push_back("start d");
    return core::Status::Ok();
  });
  const core::Status status = steps.Run();
  EXPECT_EQ(status.code(), core::StatusCode::kUnavailable);
  EXPECT_EQ(status.message(), "DIR is locked by pid 42");  // unchanged: messages stay the same
  EXPECT_EQ(steps.failed_step(), "c");
  EXPECT_EQ(journal, (std::vector<std::string>{"start a", "start b", "stop b", "stop a"}));
  EXPECT_TRUE(steps.started().empty());
}

TEST(StepList, StepsAddedAfterARunStartInTheNextAndStopFirst) {
  std::vector<std::string> journal;
  StepList steps("test");
  steps.Add(
      "open",
      [&] {
        journal.push_back("start open");
        return core::Status::Ok();
      },
      [&] { journal.push_back("stop open"); });
  ASSERT_TRUE(steps.Run().ok());
  for (int i = 0; i < 20; ++i) {  // enough to reallocate the list
    steps.Add(
        "server" + std::to_string(i), [] { return core::Status::Ok(); },
        [&, i] { journal.push_back("stop server" + std::to_string(i)); });
  }
  ASSERT_TRUE(steps.Run().ok());
  EXPECT_EQ(steps.started().size(), 21u);
  steps.Stop();
  ASSERT_EQ(journal.size(), 22u);
  EXPECT_EQ(journal[1], "stop server19");
  EXPECT_EQ(journal.back(), "stop open");
}

}  // namespace
}  // namespace custos::app
