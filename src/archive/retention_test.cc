// SPDX-License-Identifier: Apache-2.0
#include "archive/retention.h"

#include <gtest/gtest.h>

#include "archive/message_store.h"
#include "archive/verdicts.h"
#include "storage/sqlite/sqlite_database.h"
#include "testing/fake_clock.h"
#include "testing/temp_dir.h"

namespace custos::archive {
namespace {

constexpr core::Micros kDay = 86'400 * core::kMicrosPerSecond;

RetentionClass Class(std::string name, core::Micros cutoff, std::vector<std::string> channels,
                     std::vector<std::string> desks = {}, std::vector<std::string> rules = {}) {
  RetentionClass c;
  c.legal_basis = "basis of " + name;
  c.name = std::move(name);
  c.period = "x";
  c.cutoff = cutoff;
  c.channels = std::move(channels);
  c.desks = std::move(desks);
  c.rules = std::move(rules);
  return c;
}

class RetentionTest : public ::testing::Test {
 protected:
  RetentionTest()
      : keys_(*crypto::KeyRing::LoadOrCreate(dir_.File("keyring"))),
        db_(*storage::OpenSqlite(dir_.File("custos.db"))),
        store_(db_.get(), &keys_, &clock_) {}

  std::int64_t Add(std::string id, std::string channel, core::Micros age,
                   std::string conversation = "c", std::string from = "+15550001") {
    model::Message m;
    m.source = "t";
    m.source_id = id;
    m.idempotency_key = "t\x1f" + id;
    m.channel = std::move(channel);
    m.conversation = std::move(conversation);
    m.from = std::move(from);
    m.to = {"+15559999"};
    m.sent_at = clock_.Now() - age;
    m.text = "secret words " + id;
    std::vector<model::Message> batch = {m};
    auto tx = *db_->Begin(storage::TxMode::kWrite);
    EXPECT_TRUE(store_.Append(*tx, batch).has_value());
    EXPECT_TRUE(tx->Commit().ok());
    return batch[0].id;
  }

  std::vector<std::int64_t> Expired(const Retention& r, const HeldSet& held = {}) {
    auto tx = *db_->Begin(storage::TxMode::kRead);
    auto scan = r.FindExpired(*tx, held, std::nullopt, 1000);
    EXPECT_TRUE(scan.has_value()) << scan.error().ToString();
    std::vector<std::int64_t> ids;
    for (const archive::Expired& e : scan->items) {
      ids.push_back(e.message_id);
    }
    return ids;
  }

  RetentionPolicy Policy(std::vector<RetentionClass> classes, core::Micros default_age) {
    RetentionPolicy p;
    p.classes = std::move(classes);
    p.default_class = Class("default", clock_.Now() - default_age, {});
    return p;
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  crypto::KeyRing keys_;
  std::unique_ptr<storage::Database> db_;
  MessageStore store_;
};

TEST_F(RetentionTest, TheLongestMatchingClassGovernsAndTheDefaultOnlyWhenNoneMatches) {
  const std::int64_t old_sms = Add("1", "sms", 100 * kDay);
  const std::int64_t new_sms = Add("2", "sms", 10 * kDay);
  const std::int64_t old_wa = Add("3", "whatsapp", 100 * kDay);
  const std::int64_t ancient_wa = Add("4", "whatsapp", 400 * kDay);
  Retention r(&keys_, Policy({Class("sms-90d", clock_.Now() - 90 * kDay, {"sms"})}, 365 * kDay));
  EXPECT_EQ(Expired(r), (std::vector<std::int64_t>{ancient_wa, old_sms}));
  // A second, longer class for SMS wins over the shorter one.
  Retention longer(&keys_, Policy({Class("sms-90d", clock_.Now() - 90 * kDay, {"sms"}),
                                   Class("sms-1y", clock_.Now() - 365 * kDay, {"sms", "slack"})},
                                  365 * kDay));
  EXPECT_EQ(Expired(longer), std::vector<std::int64_t>{ancient_wa});
  (void)new_sms;
  (void)old_wa;
}

TEST_F(RetentionTest, DesksMatchConversationsTheirMembersTakePartIn) {
  const std::int64_t sales = Add("1", "sms", 30 * kDay, "s", "+15551234");
  const std::int64_t other = Add("2", "sms", 30 * kDay, "o", "+15559876");
  RetentionPolicy p = Policy({Class("sales", clock_.Now() - 7 * kDay, {}, {"sales"}),
                              Class("rules", clock_.Now() - kDay, {}, {}, {"R1"})},
                             365 * kDay);
  p.desks["sales"] = {"+1 555 1234"};
  Retention r(&keys_, p);
  EXPECT_EQ(Expired(r), std::vector<std::int64_t>{sales});
  // Rule classes match through the lookup only.
  Retention with_rules(&keys_, p, [&](storage::Transaction&, std::int64_t id) {
    VerdictFacts f;
    if (id == other) {
      f.rules = {"R1"};
    }
    return core::Result<VerdictFacts>(f);
  });
  EXPECT_EQ(Expired(with_rules), (std::vector<std::int64_t>{sales, other}));
}

TEST_F(RetentionTest, SeveritiesAndActionsMatchAnyHitOfTheVerdict) {
  const std::int64_t flagged = Add("1", "sms", 30 * kDay, "f");
  const std::int64_t plain = Add("2", "sms", 30 * kDay, "p");
  // The short class matches every SMS; the long one only messages with a high-severity hit
  // whose action is flag: the longest matching class governs.
  RetentionClass long_class = Class("flagged", clock_.Now() - 365 * kDay, {});
  long_class.severities = {"high", "critical"};
  long_class.actions = {"flag"};
  RetentionPolicy p = Policy({Class("sms", clock_.Now() - kDay, {"sms"}), long_class}, 365 * kDay);
  Retention r(&keys_, p, [&](storage::Transaction&, std::int64_t id) {
    VerdictFacts f;
    if (id == flagged) {
      f.rules = {"a", "b"};
      f.severities = {"low", "high"};
      f.actions = {"warn", "flag"};
    }
    return core::Result<VerdictFacts>(f);
  });
  EXPECT_EQ(Expired(r), std::vector<std::int64_t>{plain});
  long_class.actions = {"block"};
  RetentionPolicy q = Policy({Class("sms", clock_.Now() - kDay, {"sms"}), long_class}, 365 * kDay);
  Retention r2(&keys_, q, [&](storage::Transaction&, std::int64_t id) {
    VerdictFacts f;
    if (id == flagged) {
      f.severities = {"high"};
      f.actions = {"flag"};
    }
    return core::Result<VerdictFacts>(f);
  });
  EXPECT_EQ(Expired(r2), (std::vector<std::int64_t>{flagged, plain}));
}

TEST_F(RetentionTest, HeldMessagesAreNeverListed) {
  const std::int64_t a = Add("1", "sms", 30 * kDay, "a");
  const std::int64_t b = Add("2", "sms", 30 * kDay, "b");
  Retention r(&keys_, Policy({}, kDay));
  HeldSet held;
  held.messages.insert(a);
  EXPECT_EQ(Expired(r, held), std::vector<std::int64_t>{b});
  HeldSet by_conversation;
  auto conv = *store_.ResolveConversation("b");
  by_conversation.conversations.insert(*conv);
  EXPECT_EQ(Expired(r, by_conversation), std::vector<std::int64_t>{a});
}

TEST_F(RetentionTest, ScansResumeAfterTheirCursor) {
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 5; ++i) {
    ids.push_back(Add(std::to_string(i), "sms", (50 - i) * kDay));
  }
  Retention r(&keys_, Policy({}, kDay));
  auto tx = *db_->Begin(storage::TxMode::kRead);
  auto first = *r.FindExpired(*tx, {}, std::nullopt, 2);
  ASSERT_EQ(first.items.size(), 2u);
  ASSERT_TRUE(first.next.has_value());
  auto rest = *r.FindExpired(*tx, {}, first.next, 10);
  ASSERT_EQ(rest.items.size(), 3u);
  EXPECT_EQ(rest.items[0].message_id, ids[2]);
  EXPECT_FALSE(rest.next.has_value());
}

TEST_F(RetentionTest, DisposalShredsThePayloadKeepsTheLeafAndAppendsADisposition) {
  const std::int64_t id = Add("1", "sms", 30 * kDay);
  Retention r(&keys_, Policy({Class("short", clock_.Now() - kDay, {"sms"})}, 365 * kDay));
  auto tx = *db_->Begin(storage::TxMode::kWrite);
  auto before = **GetRecordInfo(*tx, 1);
  auto scan = *r.FindExpired(*tx, {}, std::nullopt, 10);
  ASSERT_EQ(scan.items.size(), 1u);
  auto records = *RecordAppender::Begin(*tx, keys_);
  std::string removed_text;
  ASSERT_TRUE(r.Dispose(*tx, records, &scan.items[0], clock_.Now(),
                        [&](storage::Transaction&, const model::Message& m) {
                          removed_text = m.text;
                          EXPECT_EQ(m.id, id);
                          return core::Status::Ok();
                        })
                  .ok());
  ASSERT_TRUE(tx->Commit().ok());
  EXPECT_EQ(removed_text, "secret words 1");
  EXPECT_EQ(scan.items[0].disposition_record_id, 2);
  tx = *db_->Begin(storage::TxMode::kRead);
  auto after = **GetRecordInfo(*tx, 1);
  EXPECT_TRUE(after.disposed);
  EXPECT_EQ(after.leaf_hash, before.leaf_hash);
  auto rows = *tx->Query(
      "SELECT payload IS NULL, wrapped_key IS NULL, disposed_at FROM records"
      " WHERE id = 1");
  EXPECT_EQ(rows[0].Int(0), 1);
  EXPECT_EQ(rows[0].Int(1), 1);
  EXPECT_EQ(rows[0].Int(2), clock_.Now());
  EXPECT_EQ(ReadCanonical(*tx, keys_, 1).error().code(), core::StatusCode::kFailedPrecondition);
  auto disposition = *ReadCanonical(*tx, keys_, 2);
  EXPECT_NE(disposition.find(R"("class":"short","event":"message","leaf_hash":")"),
            std::string::npos)
      << disposition;
  EXPECT_NE(disposition.find(R"("legal_basis":"basis of short","message_id":1,"period":"x",)"
                             R"("reason":"retention period expired","record_id":1,)"
                             R"("record_kind":"message","rows_sha256":")"),
            std::string::npos)
      << disposition;
  EXPECT_EQ(tx->Query("SELECT COUNT(*) FROM messages")->at(0).Int(0), 1);
  EXPECT_TRUE((*r.FindExpired(*tx, {}, std::nullopt, 10)).items.empty());
  tx.reset();
  // Reads skip it or say it is gone; none crashes.
  EXPECT_EQ(store_.Get(id).error().code(), core::StatusCode::kFailedPrecondition);
  EXPECT_TRUE(store_.GetMany({id})->empty());
  EXPECT_TRUE(store_.ListMessages(*store_.ResolveConversation("c").value(), {}, 10)->items.empty());
  int exported = 0;
  ASSERT_TRUE(store_.ExportEach({}, [&](const model::Message&) { return ++exported > 0; }).ok());
  EXPECT_EQ(exported, 0);
}

TEST_F(RetentionTest, TheVerdictIsDisposedOfWithItsMessage) {
  const std::int64_t id = Add("1", "sms", 30 * kDay);
  const std::int64_t clean = Add("2", "sms", 30 * kDay);  // no hits: no verdict record
  {
    StoredHit hit{"R-1", "phrase", "high", "flag", {{0, 6, "secret", false, "phrase", "text", ""}}};
    VerdictEntry v{id, "flag", "high", "pack-v1", false, {hit}};
    auto tx = *db_->Begin(storage::TxMode::kWrite);
    ASSERT_TRUE(AppendVerdicts(*tx, keys_, clock_.Now(), {v}).has_value());
    ASSERT_TRUE(tx->Commit().ok());
  }
  Retention r(&keys_, Policy({}, kDay));
  auto tx = *db_->Begin(storage::TxMode::kWrite);
  auto scan = *r.FindExpired(*tx, {}, std::nullopt, 10);
  ASSERT_EQ(scan.items.size(), 2u);
  auto records = *RecordAppender::Begin(*tx, keys_);
  for (archive::Expired& e : scan.items) {
    ASSERT_TRUE(r.Dispose(*tx, records, &e, clock_.Now(), {}).ok());
  }
  ASSERT_TRUE(tx->Commit().ok());
  EXPECT_NE(scan.items[0].verdict_disposition_record_id, 0);
  EXPECT_EQ(scan.items[1].verdict_disposition_record_id, 0);
  tx = *db_->Begin(storage::TxMode::kRead);
  const VerdictSummary summary = **GetVerdictSummary(*tx, id);  // the index row stays
  EXPECT_EQ(summary.rules, std::vector<std::string>{"R-1"});
  EXPECT_TRUE((**GetRecordInfo(*tx, summary.record_id)).disposed);
  EXPECT_EQ(ReadVerdictJson(*tx, keys_, id).status().code(), core::StatusCode::kFailedPrecondition);
  EXPECT_FALSE(*ReadVerdictJson(*tx, keys_, clean));
  // One disposition record per destroyed record: message 1, its verdict, message 2.
  EXPECT_EQ(tx->Query("SELECT COUNT(*) FROM records WHERE payload IS NULL")->at(0).Int(0), 3);
  EXPECT_EQ(tx->Query("SELECT COUNT(*) FROM dispositions")->at(0).Int(0), 3);
  auto body = *ReadCanonical(*tx, keys_, scan.items[0].verdict_disposition_record_id);
  EXPECT_NE(body.find(R"("record_id":)" + std::to_string(summary.record_id) +
                      R"(,"record_kind":"verdict")"),
            std::string::npos)
      << body;
}

TEST_F(RetentionTest, AFailedDisposalLeavesTheBatchUntouched) {
  for (int i = 0; i < 3; ++i) {
    Add(std::to_string(i), "sms", 30 * kDay);
  }
  Retention r(&keys_, Policy({}, kDay));
  {
    auto tx = *db_->Begin(storage::TxMode::kWrite);
    auto scan = *r.FindExpired(*tx, {}, std::nullopt, 10);
    ASSERT_EQ(scan.items.size(), 3u);
    auto records = *RecordAppender::Begin(*tx, keys_);
    int calls = 0;
    const IndexRemover fail_third = [&](storage::Transaction&, const model::Message&) {
      return ++calls == 3 ? core::Unavailable("disk gone") : core::Status::Ok();
    };
    core::Status s;
    for (archive::Expired& e : scan.items) {
      s = r.Dispose(*tx, records, &e, clock_.Now(), fail_third);
      if (!s.ok()) {
        break;
      }
    }
    EXPECT_EQ(s.code(), core::StatusCode::kUnavailable);
  }  // rolled back, as the caller does on any error
  auto tx = *db_->Begin(storage::TxMode::kRead);
  EXPECT_EQ(tx->Query("SELECT COUNT(*) FROM records WHERE payload IS NULL")->at(0).Int(0), 0);
  EXPECT_EQ(tx->Query("SELECT COUNT(*) FROM records")->at(0).Int(0), 3);
  EXPECT_EQ(tx->Query("SELECT COUNT(*) FROM dispositions")->at(0).Int(0), 0);
  EXPECT_EQ((*r.FindExpired(*tx, {}, std::nullopt, 10)).items.size(), 3u);
}

}  // namespace
}  // namespace custos::archive
