// SPDX-License-Identifier: Apache-2.0
// A property test of retention and legal holds: random messages across channels, desks and
// times; random holds (person, conversation, query) and releases; random clock advances
// (testing::FakeClock); random retention runs and dry runs. A simple model of the rules
// (docs/retention.md) predicts every run, and after every step the archive must satisfy:
//   - no message was disposed of while an active hold covered it;
//   - every expired message that no hold covers is disposed of by a run, and nothing else;
//   - a dry run lists exactly that and changes nothing;
//   - every disposed record has exactly one disposition record naming it;
//   - the Merkle log only grows and its earlier leaves (and roots) never change;
//   - a disposed message is gone from search and reads say so; held ones read back intact.
// CUSTOS_PROPERTY_SEED=<n> replays one seed; CUSTOS_PROPERTY_STEPS=<n> changes the length.
#include <cstdlib>
#include <fstream>
#include <map>
#include <random>
#include <set>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/custos.h"
#include "archive/merkle_log.h"
#include "archive/records.h"
#include "config/duration.h"
#include "storage/sqlite/sqlite_database.h"
#include "testing/fake_clock.h"
#include "testing/temp_dir.h"

namespace custos::app {
namespace {

constexpr core::Micros kHour = 3'600 * core::kMicrosPerSecond;
constexpr core::Micros kDay = 24 * kHour;

constexpr std::string_view kConfig = R"y(retention:
  default_period: 2y
  schedule: "off"
  batch_size: 7
  classes:
    - {name: sms-90d, period: 90d, legal_basis: "GDPR Art. 5(1)(e)", channels: [sms]}
    - {name: sales-1y, period: 1y, legal_basis: "FINRA 4511", desks: [sales]}
    - {name: tg-sales, period: 30d, legal_basis: "firm", channels: [telegram], desks: [sales]}
desks:
  sales: ["+12025550101", "+12025550102"]
)y";

const std::vector<std::string> kChannels = {"sms", "whatsapp", "telegram", "slack"};
const std::vector<std::string> kHandles = {"+12025550101", "+12025550102", "+12025550103",
                                           "+12025550104", "+12025550105"};
const std::vector<std::string> kWords = {"alpha", "bravo", "charlie", "delta", "echo"};

struct ModelMessage {
  std::int64_t id = 0;
  std::string source_id;
  std::string channel;
  std::string conversation;  // unique across channels: "<channel>-c<n>"
  std::string target;        // edits: the source_id of the original
  core::Micros sent_at = 0;
  std::set<std::string> words;
  bool disposed = false;
};

struct ModelHold {
  std::int64_t id = 0;
  std::string person, conversation, word, channel;  // one scope; query = word [channel:]
  std::set<std::int64_t> snapshot;
  bool active = true;
};

class Model {
 public:
  std::map<std::int64_t, ModelMessage> messages;
  std::map<std::string, std::set<std::string>> participants;  // conversation -> handles
  std::map<std::int64_t, ModelHold> holds;

  bool QueryMatches(const ModelHold& h, const ModelMessage& m) const {
    return !m.disposed && m.words.count(h.word) > 0 &&
           (h.channel.empty() || h.channel == m.channel);
  }

  bool Covered(const ModelMessage& m) const {
    for (const auto& [id, h] : holds) {
      if (!h.active) {
        continue;
      }
      if (!h.person.empty() && participants.at(m.conversation).count(h.person) > 0) {
        return true;
      }
      if (!h.conversation.empty() && h.conversation == m.conversation) {
        return true;
      }
      if (!h.word.empty() && (h.snapshot.count(m.id) > 0 || QueryMatches(h, m))) {
        return true;
      }
    }
    return false;
  }

  // The message, the original it edits, or any edit of it is covered.
  bool Held(const ModelMessage& m) const {
    for (const auto& [id, other] : messages) {
      const bool related = other.id == m.id || other.source_id == m.target ||
                           (!other.target.empty() && other.target == m.source_id);
      if (related && Covered(other)) {
        return true;
      }
    }
    return false;
  }

  core::Micros Cutoff(const ModelMessage& m, core::Micros now) const {
    const bool sales = participants.at(m.conversation).count("+12025550101") > 0 ||
                       participants.at(m.conversation).count("+12025550102") > 0;
    std::string period = "2y";
    if (sales) {
      period = "1y";  // the longest matching class wins
    } else if (m.channel == "sms") {
      period = "90d";
    }
    return config::ParseDuration(period)->Before(now);
  }

  std::set<std::int64_t> ExpectedDisposals(core::Micros now) const {
    std::set<std::int64_t> out;
    for (const auto& [id, m] : messages) {
      if (!m.disposed && m.sent_at < Cutoff(m, now) && !Held(m)) {
        out.insert(id);
      }
    }
    return out;
  }
};

class PropertyRun {
 public:
  explicit PropertyRun(std::uint64_t seed) : rng_(seed) {
    std::ofstream(dir_.File("custos.yaml")) << kConfig;
    auto c = Custos::Open({dir_.Path(), false, &clock_});
    EXPECT_TRUE(c.has_value()) << c.error().ToString();
    custos_ = std::move(c).value();
    auto keys = crypto::KeyRing::Load(dir_.File("keys/keyring"));
    EXPECT_TRUE(keys.has_value()) << keys.error().ToString();
    keys_ = std::make_unique<crypto::KeyRing>(std::move(keys).value());
    storage::SqliteOptions read_only;
    read_only.read_only = true;
    auto db = storage::OpenSqlite(dir_.File("custos.db"), read_only);
    EXPECT_TRUE(db.has_value()) << db.error().ToString();
    db_ = std::move(db).value();
  }

  void Step(int step) {
    SCOPED_TRACE("step " + std::to_string(step));
    const int op = Pick(100);
    if (op < 35) {
      Ingest();
    } else if (op < 47) {
      CreateHold();
    } else if (op < 55) {
      ReleaseHold();
    } else if (op < 75) {
      clock_.Advance(kHour + Pick(200) * kDay);
    } else {
      RunRetention(Pick(10) < 3);
    }
    CheckInvariants();
  }

  int Disposed() const {
    int n = 0;
    for (const auto& [id, m] : model_.messages) {
      n += m.disposed ? 1 : 0;
    }
    return n;
  }

 private:
  int Pick(int n) { return static_cast<int>(rng_() % static_cast<std::uint64_t>(n)); }

  template <typename T>
  const T& PickFrom(const std::vector<T>& v) {
    return v[static_cast<std::size_t>(Pick(static_cast<int>(v.size())))];
  }

  void Ingest() {
    std::vector<model::Message> batch;
    std::vector<ModelMessage> added;
    for (int i = Pick(5) + 1; i > 0; --i) {
      ModelMessage mm;
      mm.source_id = "s" + std::to_string(next_source_id_++);
      model::Message m;
      m.source = "prop";
      m.source_id = mm.source_id;
      m.direction = model::Direction::kInbound;
      if (!model_.messages.empty() && Pick(4) == 0) {  // an edit of an earlier message
        auto it = model_.messages.begin();
        std::advance(it, Pick(static_cast<int>(model_.messages.size())));
        if (it->second.target.empty()) {
          mm.target = it->second.source_id;
          mm.channel = it->second.channel;
          mm.conversation = it->second.conversation;
          m.kind = model::EventKind::kEdit;
          m.target_source_id = mm.target;
        }
      }
      if (mm.channel.empty()) {
        mm.channel = PickFrom(kChannels);
        mm.conversation = mm.channel + "-c" + std::to_string(Pick(5));
      }
      m.channel = mm.channel;
      m.conversation = mm.conversation;
      m.from = PickFrom(kHandles);
      m.to = {PickFrom(kHandles)};
      mm.sent_at = clock_.Now() - Pick(3 * 365) * kDay - Pick(24) * kHour;
      m.sent_at = mm.sent_at;
      for (int w = 0; w < 2; ++w) {
        mm.words.insert(PickFrom(kWords));
      }
      mm.words.insert("u" + mm.source_id);
      for (const std::string& w : mm.words) {
        m.text += w + " ";
      }
      model_.participants[mm.conversation].insert(m.from);
      model_.participants[mm.conversation].insert(m.to[0]);
      batch.push_back(std::move(m));
      added.push_back(std::move(mm));
    }
    auto out = custos_->ingest().Ingest(batch);
    for (std::size_t i = 0; i < out.size(); ++i) {
      ASSERT_EQ(out[i].status, IngestStatus::kAccepted) << out[i].error;
      added[i].id = out[i].id;
      model_.messages[out[i].id] = added[i];
    }
  }

  void CreateHold() {
    ModelHold h;
    HoldRequest request;
    request.name = "hold " + std::to_string(model_.holds.size() + 1);
    const int scope = Pick(3);
    if (scope == 0) {
      h.person = PickFrom(kHandles);
      request.identities = {h.person};
    } else if (scope == 1 && !model_.participants.empty()) {
      auto it = model_.participants.begin();
      std::advance(it, Pick(static_cast<int>(model_.participants.size())));
      h.conversation = it->first;
      request.conversation = h.conversation;
    } else {
      h.word = PickFrom(kWords);
      h.channel = Pick(2) == 0 ? PickFrom(kChannels) : "";
      request.query = h.word + (h.channel.empty() ? "" : " channel:" + h.channel);
      for (const auto& [id, m] : model_.messages) {
        if (model_.QueryMatches(h, m)) {
          h.snapshot.insert(id);
        }
      }
    }
    auto hold = custos_->retention().CreateHold(request);
    ASSERT_TRUE(hold.has_value()) << hold.error().ToString();
    EXPECT_EQ(hold->matched_at_creation, static_cast<std::int64_t>(h.snapshot.size()));
    h.id = hold->id;
    model_.holds[h.id] = h;
  }

  void ReleaseHold() {
    std::vector<std::int64_t> active;
    for (const auto& [id, h] : model_.holds) {
      if (h.active) {
        active.push_back(id);
      }
    }
    if (active.empty()) {
      return;
    }
    const std::int64_t id = PickFrom(active);
    ASSERT_TRUE(custos_->retention().ReleaseHold(id, "done").has_value());
    model_.holds[id].active = false;
  }

  void RunRetention(bool dry_run) {
    const std::set<std::int64_t> expected = model_.ExpectedDisposals(clock_.Now());
    std::set<std::int64_t> held;
    for (const auto& [id, m] : model_.messages) {
      if (!m.disposed && model_.Held(m)) {
        held.insert(id);
      }
    }
    const std::int64_t records_before = RecordCount();
    auto report = custos_->retention().Run({.dry_run = dry_run});
    ASSERT_TRUE(report.has_value()) << report.error().ToString();
    std::set<std::int64_t> listed;
    for (const archive::Expired& e : report->items) {
      EXPECT_TRUE(listed.insert(e.message_id).second) << "listed twice: " << e.message_id;
      EXPECT_EQ(held.count(e.message_id), 0u) << "held message listed: " << e.message_id;
    }
    EXPECT_EQ(listed, expected);
    if (dry_run) {
      EXPECT_EQ(RecordCount(), records_before) << "a dry run wrote records";
    } else {
      for (std::int64_t id : listed) {
        model_.messages[id].disposed = true;
      }
    }
    // What the store says is disposed is exactly what the model says.
    auto tx = *db_->Begin(storage::TxMode::kRead);
    auto rows = *tx->Query(
        "SELECT m.id FROM messages m JOIN records r ON r.id = m.record_id"
        " WHERE r.payload IS NULL");
    std::set<std::int64_t> stored;
    for (const storage::Row& r : rows) {
      stored.insert(r.Int(0));
    }
    std::set<std::int64_t> modelled;
    for (const auto& [id, m] : model_.messages) {
      if (m.disposed) {
        modelled.insert(id);
      }
    }
    EXPECT_EQ(stored, modelled);
  }

  std::int64_t RecordCount() {
    auto tx = *db_->Begin(storage::TxMode::kRead);
    return tx->Query("SELECT COUNT(*) FROM records")->at(0).Int(0);
  }

  void CheckInvariants() {
    auto tx = *db_->Begin(storage::TxMode::kRead);
    // The log only grows; earlier leaves and roots never change.
    const std::uint64_t size = *archive::LogSize(*tx);
    ASSERT_GE(size, leaves_.size());
    for (std::uint64_t i = 0; i < leaves_.size(); ++i) {
      ASSERT_EQ(*archive::LogLeaf(*tx, i), leaves_[i]) << "leaf " << i << " changed";
    }
    for (const auto& [old_size, root] : roots_) {
      ASSERT_EQ(*archive::LogRoot(*tx, old_size), root) << "root of " << old_size << " changed";
    }
    for (std::uint64_t i = leaves_.size(); i < size; ++i) {
      leaves_.push_back(*archive::LogLeaf(*tx, i));
    }
    roots_[size] = *archive::LogRoot(*tx, size);
    // Every disposed record has exactly one disposition record naming it, and vice versa.
    auto disposed = *tx->Query("SELECT id, leaf_hash FROM records WHERE payload IS NULL");
    auto dispositions = *tx->Query("SELECT id FROM records WHERE kind = 'disposition'");
    ASSERT_EQ(disposed.size(), dispositions.size());
    std::map<std::int64_t, int> named;
    for (const storage::Row& r : dispositions) {
      const auto body =
          nlohmann::json::parse(*archive::ReadCanonical(*tx, *keys_, r.Int(0)))["body"];
      ++named[body["record_id"].get<std::int64_t>()];
      EXPECT_FALSE(body["class"].get<std::string>().empty());
      EXPECT_FALSE(body["legal_basis"].get<std::string>().empty());
    }
    for (const storage::Row& r : disposed) {
      EXPECT_EQ(named[r.Int(0)], 1) << "record " << r.Int(0);
      auto row = *tx->Query("SELECT COUNT(*) FROM dispositions WHERE record_id = ?", {r.Int(0)});
      EXPECT_EQ(row[0].Int(0), 1);
    }
    tx.reset();
    // Reads: disposed messages are gone from search and say so; the others read back.
    for (const auto& [id, m] : model_.messages) {
      if (checked_.count(id) > 0 && !m.disposed) {
        continue;  // checked when it was added; re-checked when disposed
      }
      auto got = custos_->store().Get(id);
      auto hits = custos_->Search("u" + m.source_id, std::nullopt, 10);
      ASSERT_TRUE(hits.has_value());
      if (m.disposed) {
        EXPECT_EQ(got.status().code(), core::StatusCode::kFailedPrecondition) << id;
        EXPECT_TRUE(hits->results.empty()) << "disposed message " << id << " still found";
      } else {
        ASSERT_TRUE(got.has_value() && got->has_value()) << id;
        EXPECT_NE((*got)->text.find("u" + m.source_id), std::string::npos);
        EXPECT_EQ(hits->results.size(), 1u) << id;
        checked_.insert(id);
      }
    }
  }

  std::mt19937_64 rng_;
  testing::TempDir dir_;
  testing::FakeClock clock_;
  std::unique_ptr<Custos> custos_;
  std::unique_ptr<crypto::KeyRing> keys_;
  std::unique_ptr<storage::Database> db_;
  Model model_;
  int next_source_id_ = 1;
  std::vector<std::string> leaves_;
  std::map<std::uint64_t, std::string> roots_;
  std::set<std::int64_t> checked_;
};

std::vector<std::uint64_t> Seeds() {
  if (const char* s = std::getenv("CUSTOS_PROPERTY_SEED")) {  // NOLINT(concurrency-mt-unsafe)
    return {std::strtoull(s, nullptr, 10)};
  }
  return {1, 2, 3, 4};
}

int Steps() {
  if (const char* s = std::getenv("CUSTOS_PROPERTY_STEPS")) {  // NOLINT(concurrency-mt-unsafe)
    return std::atoi(s);
  }
  return 120;
}

TEST(RetentionProperty, HoldsAlwaysWinAndExpiredUnheldRecordsGo) {
  int disposed = 0;
  for (std::uint64_t seed : Seeds()) {
    SCOPED_TRACE("seed " + std::to_string(seed) + " (CUSTOS_PROPERTY_SEED to replay)");
    PropertyRun run(seed);
    for (int step = 0; step < Steps() && !::testing::Test::HasFatalFailure(); ++step) {
      run.Step(step);
    }
    disposed += run.Disposed();
  }
  EXPECT_GT(disposed, 0) << "the sequences never disposed of anything";
}

}  // namespace
}  // namespace custos::app
