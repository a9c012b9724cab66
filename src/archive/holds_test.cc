// SPDX-License-Identifier: Apache-2.0
#include "archive/holds.h"

#include <gtest/gtest.h>

#include "archive/message_store.h"
#include "storage/sqlite/sqlite_database.h"
#include "testing/fake_clock.h"
#include "testing/temp_dir.h"

namespace custos::archive {
namespace {

constexpr core::Micros kDay = 86'400 * core::kMicrosPerSecond;

// A hold spec from the five fields the tests vary.
HoldSpec Spec(std::string name, HoldScope scope, std::string person, std::int64_t conversation_id,
              std::string query) {
  HoldSpec spec;
  spec.name = std::move(name);
  spec.scope = scope;
  spec.person = std::move(person);
  spec.conversation_id = conversation_id;
  spec.query = std::move(query);
  return spec;
}

class HoldStoreTest : public ::testing::Test {
 protected:
  HoldStoreTest()
      : keys_(*crypto::KeyRing::LoadOrCreate(dir_.File("keyring"))),
        db_(*storage::OpenSqlite(dir_.File("custos.db"))),
        store_(db_.get(), &keys_, &clock_),
        holds_(&keys_) {}

  model::Message Msg(std::string id, std::string conversation, std::string from,
                     std::string to = "+15550000") {
    model::Message m;
    m.source = "t";
    m.source_id = id;
    m.idempotency_key = "t\x1f" + id;
    m.channel = "sms";
    m.conversation = std::move(conversation);
    m.from = std::move(from);
    m.to = {std::move(to)};
    m.sent_at = clock_.Now() - 10 * kDay;
    m.text = "hello " + id;
    return m;
  }

  std::vector<std::int64_t> Append(std::vector<model::Message> batch) {
    auto tx = *db_->Begin(storage::TxMode::kWrite);
    auto out = store_.Append(*tx, batch);
    EXPECT_TRUE(out.has_value()) << out.error().ToString();
    EXPECT_TRUE(tx->Commit().ok());
    std::vector<std::int64_t> ids;
    for (const model::Message& m : batch) {
      ids.push_back(m.id);
    }
    return ids;
  }

  core::Result<Hold> Create(const HoldSpec& spec, std::vector<std::int64_t> snapshot = {}) {
    auto tx = *db_->Begin(storage::TxMode::kWrite);
    auto records = *RecordAppender::Begin(*tx, keys_);
    auto h = holds_.Create(*tx, records, spec, clock_.Now(), snapshot);
    if (h.has_value()) {
      EXPECT_TRUE(tx->Commit().ok());
    }
    return h;
  }

  core::Result<Hold> Release(std::int64_t id, std::string reason = "") {
    auto tx = *db_->Begin(storage::TxMode::kWrite);
    auto records = *RecordAppender::Begin(*tx, keys_);
    auto h = holds_.Release(*tx, records, id, clock_.Now(), reason);
    if (h.has_value()) {
      EXPECT_TRUE(tx->Commit().ok());
    }
    return h;
  }

  HeldSet Covered(const QueryMatcher& matcher = {}) {
    auto tx = *db_->Begin(storage::TxMode::kRead);
    return *holds_.Covered(*tx, matcher);
  }

  bool IsHeld(const HeldSet& held, std::int64_t id) {
    auto tx = *db_->Begin(storage::TxMode::kRead);
    return *HoldStore::IsHeld(*tx, held, id);
  }

  testing::TempDir dir_;
  testing::FakeClock clock_;
  crypto::KeyRing keys_;
  std::unique_ptr<storage::Database> db_;
  MessageStore store_;
  HoldStore holds_;
};

TEST_F(HoldStoreTest, EveryHoldAndReleaseIsARecord) {
  Append({Msg("1", "c1", "+15551111")});
  auto h = Create(Spec("SEC inquiry 14", HoldScope::kPerson, " +1 555 1111 ", 0, ""));
  ASSERT_TRUE(h.has_value()) << h.error().ToString();
  EXPECT_EQ(h->id, 1);
  EXPECT_EQ(h->person, "+1 555 1111");
  EXPECT_TRUE(h->active());
  auto tx = *db_->Begin(storage::TxMode::kRead);
  auto bytes = ReadCanonical(*tx, keys_, h->record_id);
  ASSERT_TRUE(bytes.has_value());
  EXPECT_NE(
      bytes->find(R"("body":{"hold_id":1,"identities":["+1 555 1111"],"name":"SEC inquiry 14",)"
                  R"("person":"+1 555 1111",)"
                  R"("scope":"person"},"id":2,"kind":"hold")"),
      std::string::npos)
      << *bytes;
  tx.reset();
  clock_.Advance(kDay);
  auto released = Release(h->id, "matter closed");
  ASSERT_TRUE(released.has_value()) << released.error().ToString();
  EXPECT_FALSE(released->active());
  tx = *db_->Begin(storage::TxMode::kRead);
  bytes = ReadCanonical(*tx, keys_, *released->release_record_id);
  ASSERT_TRUE(bytes.has_value());
  EXPECT_NE(bytes->find(R"("body":{"hold_id":1,"hold_record_id":2,"reason":"matter closed"},)"
                        R"("id":3,"kind":"hold_release")"),
            std::string::npos)
      << *bytes;
  auto list = holds_.List(*tx);
  ASSERT_TRUE(list.has_value());
  ASSERT_EQ(list->size(), 1u);
  EXPECT_EQ((*list)[0].name, "SEC inquiry 14");
  EXPECT_EQ((*list)[0].release_reason, "matter closed");
  EXPECT_EQ((*list)[0].released_at, clock_.Now());
}

TEST_F(HoldStoreTest, RejectsBadHoldsAndDoubleReleases) {
  EXPECT_EQ(Create(Spec(" ", HoldScope::kPerson, "+1", 0, "")).error().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(Create(Spec("n", HoldScope::kPerson, "", 0, "")).error().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(Create(Spec("n", HoldScope::kQuery, "", 0, "  ")).error().code(),
            core::StatusCode::kInvalidArgument);
  EXPECT_EQ(Create(Spec("n", HoldScope::kConversation, "", 99, "")).error().code(),
            core::StatusCode::kNotFound);
  EXPECT_EQ(Release(7).error().code(), core::StatusCode::kNotFound);
  auto h = Create(Spec("n", HoldScope::kQuery, "", 0, "hello"));
  ASSERT_TRUE(h.has_value());
  ASSERT_TRUE(Release(h->id).has_value());
  EXPECT_EQ(Release(h->id).error().code(), core::StatusCode::kFailedPrecondition);
}

TEST_F(HoldStoreTest, PersonHoldsCoverEveryConversationThePersonTakesPartIn) {
  auto ids = Append({Msg("1", "c1", "+15551111"), Msg("2", "c2", "+15552222", "+15551111"),
                     Msg("3", "c3", "+15553333")});
  ASSERT_TRUE(Create(Spec("p", HoldScope::kPerson, "+1 (555) 1111", 0, "")).has_value());
  const HeldSet held = Covered();
  EXPECT_TRUE(IsHeld(held, ids[0]));
  EXPECT_TRUE(IsHeld(held, ids[1]));  // received
  EXPECT_FALSE(IsHeld(held, ids[2]));
  // Later messages in the person's conversations are covered as they arrive.
  auto later = Append({Msg("4", "c3", "+15553333", "+15551111")});
  EXPECT_TRUE(IsHeld(Covered(), later[0]));
}

TEST_F(HoldStoreTest, QueryHoldsKeepTheirSnapshotAndAreReevaluated) {
  auto ids = Append({Msg("1", "c1", "+1"), Msg("2", "c1", "+1"), Msg("3", "c1", "+1")});
  auto h = Create(Spec("q", HoldScope::kQuery, "", 0, "hello"), {ids[0], ids[0]});
  ASSERT_TRUE(h.has_value());
  EXPECT_EQ(h->matched_at_creation, 1);
  EXPECT_EQ(Covered().messages, (std::set<std::int64_t>{ids[0]}));
  std::string seen;
  HeldSet now = Covered([&](storage::Transaction&, std::string_view q) {
    seen = std::string(q);
    return core::Result<std::vector<std::int64_t>>(std::vector<std::int64_t>{ids[2]});
  });
  EXPECT_EQ(seen, "hello");
  EXPECT_EQ(now.messages, (std::set<std::int64_t>{ids[0], ids[2]}));
  ASSERT_TRUE(Release(h->id).has_value());
  EXPECT_TRUE(Covered().empty());
}

TEST_F(HoldStoreTest, AHoldCoversTheWholeHistoryOfAMessage) {
  model::Message original = Msg("1", "c1", "+1");
  model::Message edit = Msg("2", "c9", "+1");
  edit.kind = model::EventKind::kEdit;
  edit.target_source_id = "1";
  auto ids = Append({original, edit, Msg("3", "c1", "+1")});
  auto tx = *db_->Begin(storage::TxMode::kRead);
  auto conv = *store_.ResolveConversation("c1");
  tx.reset();
  ASSERT_TRUE(Create(Spec("c", HoldScope::kConversation, "", *conv, "")).has_value());
  EXPECT_TRUE(IsHeld(Covered(), ids[1]));  // the edit is in another conversation
  HeldSet only_edit;
  only_edit.messages.insert(ids[1]);
  EXPECT_TRUE(IsHeld(only_edit, ids[0]));  // the original of a held edit
  EXPECT_FALSE(IsHeld(only_edit, ids[2]));
}

}  // namespace
}  // namespace custos::archive
