// SPDX-License-Identifier: Apache-2.0
// The ingest spine end to end on a real data directory: idempotency, group commit under
// concurrent submitters, validation, search, pages, export order, and no plaintext on disk.
#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <future>
#include <iterator>
#include <thread>

#include <gtest/gtest.h>

#include "app/access/permissions.h"
#include "app/custos.h"
#include "testing/temp_dir.h"

namespace custos::app {
namespace {

model::Message Msg(std::string source_id, std::string text, core::Micros t = 1'790'000'000'000'000,
                   std::string conversation = "client-42") {
  model::Message m;
  m.source = "test";
  m.source_id = std::move(source_id);
  m.channel = "whatsapp";
  m.conversation = std::move(conversation);
  m.from = "+44 7700 900123";
  m.to = {"+447700900456"};
  m.sent_at = t;
  m.direction = model::Direction::kOutbound;
  m.text = std::move(text);
  return m;
}

std::unique_ptr<Custos> OpenAt(const std::string& dir) {
  auto c = Custos::Open({dir, false});
  EXPECT_TRUE(c.has_value()) << c.error().ToString();
  return std::move(c).value();
}

TEST(Ingest, StoresOnceAndReportsDuplicates) {
  testing::TempDir dir;
  auto custos = OpenAt(dir.Path());
  auto first = custos->ingest().Ingest({Msg("1", "hello"), Msg("2", "world"), Msg("1", "hello")});
  ASSERT_EQ(first.size(), 3u);
  EXPECT_EQ(first[0].status, IngestStatus::kAccepted);
  EXPECT_EQ(first[1].status, IngestStatus::kAccepted);
  EXPECT_EQ(first[2].status, IngestStatus::kDuplicate);
  EXPECT_EQ(first[2].id, first[0].id);
  auto again = custos->ingest().Ingest({Msg("2", "world")});
  EXPECT_EQ(again[0].status, IngestStatus::kDuplicate);
  EXPECT_EQ(again[0].id, first[1].id);
  EXPECT_EQ(*custos->store().CountMessages(), 2);
}

TEST(Ingest, FingerprintsMessagesWithoutSourceIds) {
  testing::TempDir dir;
  auto custos = OpenAt(dir.Path());
  auto r = custos->ingest().Ingest({Msg("", "same"), Msg("", "same"), Msg("", "other")});
  EXPECT_EQ(r[0].status, IngestStatus::kAccepted);
  EXPECT_EQ(r[1].status, IngestStatus::kDuplicate);
  EXPECT_EQ(r[2].status, IngestStatus::kAccepted);
}

TEST(Ingest, RejectsInvalidMessagesNamingTheField) {
  testing::TempDir dir;
  auto custos = OpenAt(dir.Path());
  model::Message no_from = Msg("a", "x");
  no_from.from = " ";
  model::Message bad_channel = Msg("b", "x");
  bad_channel.channel = "pigeon";
  model::Message huge = Msg("c", std::string(model::kMaxTextBytes + 1, 'a'));
  model::Message edit = Msg("d", "fixed");
  edit.kind = model::EventKind::kEdit;
  auto r = custos->ingest().Ingest({no_from, bad_channel, huge, edit, Msg("e", "fine")});
  EXPECT_EQ(r[0].status, IngestStatus::kRejected);
  EXPECT_EQ(r[0].field, "from");
  EXPECT_EQ(r[1].field, "channel");
  EXPECT_NE(r[1].error.find("pigeon"), std::string::npos);
  EXPECT_EQ(r[2].field, "text");
  EXPECT_EQ(r[3].field, "target");
  EXPECT_EQ(r[4].status, IngestStatus::kAccepted);
  EXPECT_EQ(*custos->store().CountMessages(), 1);
}

TEST(Ingest, ConcurrentSubmittersAreGroupCommitted) {
  testing::TempDir dir;
  auto custos = OpenAt(dir.Path());
  constexpr int kThreads = 8;
  constexpr int kPerThread = 250;
  std::vector<std::thread> threads;
  std::atomic<int> accepted{0};
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < kPerThread; i += 25) {
        std::vector<model::Message> batch;
        for (int j = i; j < i + 25; ++j) {
          batch.push_back(Msg(std::to_string(t) + "-" + std::to_string(j), "m"));
        }
        for (const IngestOutcome& o : custos->ingest().Ingest(batch)) {
          accepted += o.status == IngestStatus::kAccepted ? 1 : 0;
        }
      }
    });
  }
  for (auto& th : threads) {
    th.join();
  }
  EXPECT_EQ(accepted.load(), kThreads * kPerThread);
  EXPECT_EQ(*custos->store().CountMessages(), kThreads * kPerThread);
}

// Writes that are not messages (the access audit's records) ride the group commit: many
// concurrent ones share commits, each future completes once its group is durable, a failing
// write fails its group with its error, and after Shutdown none is taken.
TEST(Ingest, GroupWritesShareCommitsAndFailTogether) {
  testing::TempDir dir;
  auto custos = OpenAt(dir.Path());
  std::atomic<int> applied{0};
  std::vector<std::future<core::Status>> done;
  for (int i = 0; i < 200; ++i) {
    done.push_back(custos->ingest().SubmitWrite([&applied](storage::Transaction&) {
      ++applied;
      return core::Status::Ok();
    }));
  }
  for (auto& f : done) {
    EXPECT_TRUE(f.get().ok());
  }
  EXPECT_EQ(applied.load(), 200);

  auto failing = custos->ingest().SubmitWrite(
      [](storage::Transaction&) { return core::Internal("disk on fire"); });
  EXPECT_EQ(failing.get().code(), core::StatusCode::kInternal);

  custos->ingest().Shutdown();
  auto late =
      custos->ingest().SubmitWrite([](storage::Transaction&) { return core::Status::Ok(); });
  EXPECT_EQ(late.get().code(), core::StatusCode::kUnavailable);
}

TEST(Ingest, PublishesCommittedMessagesToSubscribers) {
  testing::TempDir dir;
  auto custos = OpenAt(dir.Path());
  std::vector<std::int64_t> seen;
  std::mutex mu;
  const int token = custos->ingest().Subscribe([&](const model::Message& m) {
    std::lock_guard lock(mu);
    seen.push_back(m.id);
  });
  auto r = custos->ingest().Ingest({Msg("1", "a"), Msg("1", "a"), Msg("2", "b")});
  // Subscribers run on the writer thread after the commit, possibly after Ingest() returned.
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(10);
  while (std::chrono::steady_clock::now() < deadline) {
    {
      std::lock_guard lock(mu);
      if (seen.size() >= 2) {
        break;
      }
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  custos->ingest().Unsubscribe(token);
  std::lock_guard lock(mu);
  EXPECT_EQ(seen, (std::vector<std::int64_t>{r[0].id, r[2].id}));
}

TEST(Search, FindsTermsPhrasesAndFilters) {
  testing::TempDir dir;
  auto custos = OpenAt(dir.Path());
  const core::Micros day = 86'400 * core::kMicrosPerSecond;
  const core::Micros t0 = *core::ParseRfc3339("2026-10-01T09:00:00Z");
  model::Message sms =
      Msg("3", "Guaranteed returns of 12%, text me on my personal phone", t0 + 2 * day, "other");
  sms.channel = "sms";
  sms.from = "+447700900999";
  custos->ingest().Ingest({Msg("1", "Guaranteed RETURNS, trust me", t0),
                           Msg("2", "the returns are guaranteed", t0 + day), sms});
  auto all = custos->Search("guaranteed returns", std::nullopt, 10);
  ASSERT_TRUE(all.has_value()) << all.error().ToString();
  ASSERT_EQ(all->results.size(), 3u);
  EXPECT_EQ(all->results[0].message.source_id, "3");  // newest first
  auto phrase = custos->Search("\"guaranteed returns\"", std::nullopt, 10);
  EXPECT_EQ(phrase->results.size(), 2u);
  EXPECT_EQ(custos->Search("returns channel:sms", std::nullopt, 10)->results.size(), 1u);
  EXPECT_EQ(custos->Search("returns from:+447700900999", std::nullopt, 10)->results.size(), 1u);
  EXPECT_EQ(custos->Search("returns from:+44-7700-900123", std::nullopt, 10)->results.size(), 2u);
  EXPECT_EQ(custos->Search("conversation:other", std::nullopt, 10)->results.size(), 1u);
  EXPECT_EQ(custos->Search("returns after:2026-10-02", std::nullopt, 10)->results.size(), 2u);
  EXPECT_EQ(custos->Search("returns before:2026-10-02", std::nullopt, 10)->results.size(), 1u);
  EXPECT_NE(all->results[0].snippet.find("Guaranteed"), std::string::npos);
  auto page1 = custos->Search("returns", std::nullopt, 2);
  ASSERT_TRUE(page1->next_cursor.has_value());
  auto page2 = custos->Search("returns", page1->next_cursor, 2);
  ASSERT_EQ(page2->results.size(), 1u);
  EXPECT_EQ(page2->results[0].message.source_id, "1");
  EXPECT_FALSE(custos->Search("\"unterminated", std::nullopt, 10).has_value());
}

TEST(MessageStore, PagesConversationsAndExportsOldestFirst) {
  testing::TempDir dir;
  auto custos = OpenAt(dir.Path());
  for (int c = 0; c < 5; ++c) {
    std::vector<model::Message> batch;
    for (int i = 0; i < 4; ++i) {
      batch.push_back(Msg(std::to_string(c * 10 + i), "hi", 1'000'000 * (c * 10 + i),
                          "conv-" + std::to_string(c)));
    }
    custos->ingest().Ingest(batch);
  }
  auto page = custos->store().ListConversations(std::nullopt, 2);
  ASSERT_TRUE(page.has_value());
  ASSERT_EQ(page->items.size(), 2u);
  EXPECT_EQ(page->items[0].source_key, "conv-4");
  EXPECT_EQ(page->items[0].message_count, 4);
  EXPECT_EQ(page->items[0].participants,
            (std::vector<std::string>{"+447700900123", "+447700900456"}));
  auto rest = custos->store().ListConversations(page->next, 10);
  EXPECT_EQ(rest->items.size(), 3u);
  auto messages = custos->store().ListMessages(page->items[0].id, std::nullopt, 3);
  EXPECT_EQ(messages->items.size(), 3u);
  EXPECT_EQ(messages->items[0].source_id, "43");
  EXPECT_EQ(messages->items[0].conversation_id, page->items[0].id);
  std::vector<core::Micros> times;
  ASSERT_TRUE(custos->store()
                  .ExportEach({},
                              [&](const model::Message& m) {
                                times.push_back(m.sent_at);
                                return true;
                              })
                  .ok());
  EXPECT_EQ(times.size(), 20u);
  EXPECT_TRUE(std::is_sorted(times.begin(), times.end()));
}

TEST(SecrecyAtRest, NoMessageTextOrHandleOnDisk) {
  testing::TempDir dir;
  const std::string canary = "zqxcanary4711";
  const std::string handle = "+15550104711";
  {
    auto custos = OpenAt(dir.Path());
    model::Message m = Msg("1", "the secret word is " + canary + " ok", 1, "chat-" + canary);
    m.from = handle;
    m.attachments.push_back({canary + ".pdf", "application/pdf", 10, std::string(64, 'a')});
    custos->ingest().Ingest({m});
    auto found = custos->Search(canary, std::nullopt, 10);
    ASSERT_EQ(found->results.size(), 1u);  // searchable, yet never written in clear
  }
  int files = 0;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir.Path())) {
    if (!entry.is_regular_file()) {
      continue;
    }
    ++files;
    std::ifstream in(entry.path(), std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    EXPECT_EQ(bytes.find(canary), std::string::npos) << entry.path();
    EXPECT_EQ(bytes.find(handle), std::string::npos) << entry.path();
  }
  EXPECT_GE(files, 2);
}

TEST(Custos, BootstrapsOneAdminTokenAndVerifiesIt) {
  testing::TempDir dir;
  auto custos = OpenAt(dir.Path());
  auto token = custos->BootstrapAdminToken();
  ASSERT_TRUE(token.has_value() && token->has_value());
  EXPECT_EQ((*token)->path, dir.Path() + "/admin-token");
  EXPECT_EQ(std::filesystem::status((*token)->path).permissions() & std::filesystem::perms::all,
            std::filesystem::perms::owner_read | std::filesystem::perms::owner_write);
  // The break-glass token: admin, compliance_officer and ingest (app/access/permissions.h).
  EXPECT_EQ(custos->VerifyToken((*token)->token)->roles, BootstrapRoles());
  EXPECT_EQ(custos->VerifyToken("cst_wrong").error().code(), core::StatusCode::kUnauthenticated);
  EXPECT_EQ(custos->VerifyToken("").error().code(), core::StatusCode::kUnauthenticated);
  auto second = custos->BootstrapAdminToken();
  ASSERT_TRUE(second.has_value());
  EXPECT_FALSE(second->has_value());
}

TEST(MessageStore, HistoryShowsTheOriginalAndEveryLaterVersion) {
  testing::TempDir dir;
  auto custos = OpenAt(dir.Path());
  model::Message edit = Msg("2", "hello, corrected", 2'000'000);
  edit.kind = model::EventKind::kEdit;
  edit.target_source_id = "1";
  model::Message del = Msg("3", "", 3'000'000);
  del.kind = model::EventKind::kDelete;
  del.target_source_id = "1";
  model::Message other = Msg("4", "unrelated", 4'000'000);
  // The deletion arrives first: events may precede or follow their message.
  auto r = custos->ingest().Ingest({del, Msg("1", "hello, wrold", 1'000'000), edit, other});
  auto history = custos->store().History(r[1].id);
  ASSERT_TRUE(history.has_value()) << history.error().ToString();
  ASSERT_EQ(history->size(), 3u);
  EXPECT_EQ((*history)[0].text, "hello, wrold");
  EXPECT_EQ((*history)[1].kind, model::EventKind::kEdit);
  EXPECT_EQ((*history)[1].text, "hello, corrected");
  EXPECT_EQ((*history)[2].kind, model::EventKind::kDelete);
  auto from_event = custos->store().History(r[2].id);
  ASSERT_TRUE(from_event.has_value());
  EXPECT_EQ(from_event->size(), 3u);
  EXPECT_EQ(custos->store().History(r[3].id)->size(), 1u);
  EXPECT_EQ(custos->store().History(999).error().code(), core::StatusCode::kNotFound);
}

}  // namespace
}  // namespace custos::app
