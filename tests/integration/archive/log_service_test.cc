// SPDX-License-Identifier: Apache-2.0
// The log on a real data directory: the signing key and origin, checkpoints while ingesting and
// on shutdown, and proofs of real ingested messages checked against the signed checkpoints
// with code that does not share the archive's hashing (OpenSSL called directly).
#include "app/log_service.h"

#include <chrono>
#include <filesystem>
#include <fstream>
#include <regex>
#include <thread>

#include <gtest/gtest.h>
#include <openssl/sha.h>
#include <sys/stat.h>

#include "app/custos.h"
#include "archive/standalone_verifier.h"
#include "crypto/checkpoint.h"
#include "crypto/merkle.h"
#include "testing/temp_dir.h"

namespace custos::app {
namespace {

model::Message Msg(int n) {
  model::Message m;
  m.source = "test";
  m.source_id = "m" + std::to_string(n);
  m.channel = "whatsapp";
  m.conversation = "client-" + std::to_string(n % 3);
  m.from = "+447700900123";
  m.to = {"+447700900456"};
  m.sent_at = 1'790'000'000'000'000 + n;
  m.direction = model::Direction::kOutbound;
  m.text = "message number " + std::to_string(n);
  return m;
}

std::unique_ptr<Custos> OpenAt(const std::string& dir, bool read_only = false) {
  auto c = Custos::Open({dir, read_only, nullptr, kNoPolicyPack});
  EXPECT_TRUE(c.has_value()) << c.error().ToString();
  return c.has_value() ? std::move(c).value() : nullptr;
}

void Ingest(Custos& c, int from, int to) {
  std::vector<model::Message> batch;
  for (int n = from; n < to; ++n) {
    batch.push_back(Msg(n));
  }
  for (const IngestOutcome& o : c.ingest().Ingest(std::move(batch))) {
    ASSERT_EQ(o.status, IngestStatus::kAccepted) << o.error;
  }
}

// SHA-256(0x00 || bytes) with OpenSSL directly, not through crypto/merkle.h.
std::string IndependentLeafHash(const std::string& bytes) {
  std::string input(1, '\0');
  input += bytes;
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(input.data()), input.size(), out);
  return std::string(reinterpret_cast<const char*>(out), sizeof(out));
}

crypto::Checkpoint OpenNote(const std::string& note, const std::string& key) {
  auto verifier = crypto::NoteVerifier::FromVerifierKey(key);
  EXPECT_TRUE(verifier.has_value());
  auto cp = crypto::OpenCheckpoint(note, std::span<const crypto::NoteVerifier>(&*verifier, 1));
  EXPECT_TRUE(cp.has_value()) << cp.error().ToString();
  return cp.has_value() ? *cp : crypto::Checkpoint{};
}

TEST(LogService, CreatesItsKeyAndOriginOnceOnFirstOpen) {
  testing::TempDir dir;
  std::string key;
  std::string origin;
  {
    auto c = OpenAt(dir.Path());
    origin = c->log().origin();
    EXPECT_TRUE(std::regex_match(origin, std::regex("custos/[0-9a-f]{8}"))) << origin;
    key = *c->log().PublicKey();
    EXPECT_EQ(key.rfind(origin + "+", 0), 0u) << key;
  }

  struct stat st {};

  ASSERT_EQ(::stat(dir.File("keys/log-signer").c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  std::ifstream in(dir.File("keys/log-signer"));
  std::string contents((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(contents.rfind("PRIVATE+KEY+" + origin + "+", 0), 0u);
  EXPECT_EQ(contents.back(), '\n');
  auto again = OpenAt(dir.Path());
  EXPECT_EQ(again->log().origin(), origin);
  EXPECT_EQ(*again->log().PublicKey(), key);
  auto read_only = OpenAt(dir.Path(), true);
  EXPECT_EQ(*read_only->log().PublicKey(), key);
  EXPECT_EQ(read_only->log().CreateCheckpoint().status().code(),
            core::StatusCode::kFailedPrecondition);
}

TEST(LogService, RefusesASigningKeyThatOutlivedItsDatabase) {
  testing::TempDir dir;
  OpenAt(dir.Path()).reset();
  for (const char* f : {"custos.db", "custos.db-wal", "custos.db-shm"}) {
    std::filesystem::remove(dir.File(f));
  }
  auto c = Custos::Open({dir.Path(), false, nullptr, kNoPolicyPack});
  ASSERT_FALSE(c.has_value());
  EXPECT_EQ(c.error().code(), core::StatusCode::kFailedPrecondition) << c.error().ToString();
  std::filesystem::remove(dir.File("keys/log-signer"));
  EXPECT_TRUE(Custos::Open({dir.Path(), false, nullptr, kNoPolicyPack})
                  .has_value());  // a new log, a new key
}

TEST(LogService, CheckpointsWhileIngestingAndOnShutdown) {
  testing::TempDir dir;
  {
    auto c = OpenAt(dir.Path());
    EXPECT_EQ(c->log().Checkpoint().status().code(), core::StatusCode::kNotFound);  // empty log
    for (int round = 0; round < 3; ++round) {
      Ingest(*c, round * 10, round * 10 + 10);
      const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(3);
      std::uint64_t latest = 0;
      while (latest < static_cast<std::uint64_t>(round * 10 + 10) &&
             std::chrono::steady_clock::now() < deadline) {
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        auto list = c->log().ListCheckpoints(0, 1000);
        ASSERT_TRUE(list.has_value());
        latest = list->empty() ? 0 : list->back().tree_size;
      }
      EXPECT_EQ(latest, static_cast<std::uint64_t>(round * 10 + 10))
          << "the background checkpointer did not cover round " << round << " within 3 s";
    }
    EXPECT_GE(c->log().ListCheckpoints(0, 1000)->size(), 3u);
    Ingest(*c, 30, 37);  // closed right away: only the shutdown checkpoint can cover these
  }
  auto c = OpenAt(dir.Path(), true);
  auto latest = c->log().Checkpoint();
  ASSERT_TRUE(latest.has_value()) << latest.error().ToString();
  EXPECT_EQ(latest->tree_size, 37u);
  const crypto::Checkpoint opened = OpenNote(latest->note, *c->log().PublicKey());
  EXPECT_EQ(opened.origin, c->log().origin());
  EXPECT_EQ(opened.tree_size, 37u);
  EXPECT_EQ(opened.root_hash, latest->root_hash);
}

TEST(LogService, InclusionProofOfAnIngestedMessageVerifiesIndependently) {
  testing::TempDir dir;
  auto c = OpenAt(dir.Path());
  Ingest(*c, 0, 23);
  auto checkpoint = c->log().Checkpoint();
  ASSERT_TRUE(checkpoint.has_value());
  const std::string key = *c->log().PublicKey();
  const crypto::Checkpoint signed_head = OpenNote(checkpoint->note, key);
  for (std::int64_t record_id : {1, 2, 11, 16, 23}) {
    auto bytes = c->log().RecordCanonical(record_id);
    ASSERT_TRUE(bytes.has_value()) << bytes.error().ToString();
    EXPECT_NE(bytes->find("\"id\":" + std::to_string(record_id) + ","), std::string::npos);
    EXPECT_NE(bytes->find("\"text\":\"message number " + std::to_string(record_id - 1) + "\""),
              std::string::npos);
    auto proof = c->log().ProveInclusion(record_id);
    ASSERT_TRUE(proof.has_value()) << proof.error().ToString();
    EXPECT_EQ(proof->leaf_index, static_cast<std::uint64_t>(record_id - 1));
    EXPECT_EQ(proof->tree_size, 23u);
    EXPECT_EQ(proof->leaf_hash, IndependentLeafHash(*bytes));
    EXPECT_EQ(proof->checkpoint, checkpoint->note);
    EXPECT_TRUE(crypto::VerifyInclusion(proof->leaf_index, signed_head.tree_size,
                                        IndependentLeafHash(*bytes), proof->proof,
                                        signed_head.root_hash)
                    .ok());
    // What an examiner does with the JSON and the exported record.
    auto parsed = archive::ParseInclusionJson(archive::InclusionJson(*proof));
    ASSERT_TRUE(parsed.has_value());
    archive::InclusionClaim claim;
    claim.checkpoint = parsed->checkpoint;
    claim.verifier_key = key;
    claim.record_bytes = *bytes;
    claim.proof = parsed->proof;
    claim.expected_leaf_hash = parsed->leaf_hash;
    EXPECT_TRUE(archive::VerifyInclusionStandalone(claim).has_value());
  }
  EXPECT_EQ(c->log().ProveInclusion(24).status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(c->log().RecordCanonical(24).status().code(), core::StatusCode::kNotFound);
  EXPECT_EQ(c->log().ProveInclusion(3, 2).status().code(), core::StatusCode::kNotFound);
}

TEST(LogService, ProvingANewRecordCheckpointsFirstWhenWritable) {
  testing::TempDir dir;
  auto c = OpenAt(dir.Path());
  Ingest(*c, 0, 5);
  ASSERT_TRUE(c->log().CreateCheckpoint().has_value());
  Ingest(*c, 5, 6);
  auto proof = c->log().ProveInclusion(6);
  ASSERT_TRUE(proof.has_value()) << proof.error().ToString();
  EXPECT_GE(proof->tree_size, 6u);
  auto old = c->log().ProveInclusion(2, 5);  // in an older checkpoint
  ASSERT_TRUE(old.has_value()) << old.error().ToString();
  EXPECT_EQ(old->tree_size, 5u);
  EXPECT_EQ(c->log().ProveInclusion(6, 5).status().code(), core::StatusCode::kInvalidArgument);
}

TEST(LogService, ConsistencyProofBetweenTwoCheckpointsVerifies) {
  testing::TempDir dir;
  auto c = OpenAt(dir.Path());
  Ingest(*c, 0, 6);
  auto first = c->log().CreateCheckpoint();
  ASSERT_TRUE(first.has_value() && first->has_value());
  Ingest(*c, 6, 19);
  auto second = c->log().CreateCheckpoint();
  ASSERT_TRUE(second.has_value() && second->has_value());
  const std::uint64_t a = (*first)->tree_size;
  const std::uint64_t b = (*second)->tree_size;
  ASSERT_LT(a, b);
  auto proof = c->log().ProveConsistency(a, b);
  ASSERT_TRUE(proof.has_value()) << proof.error().ToString();
  const std::string key = *c->log().PublicKey();
  const crypto::Checkpoint old_head = OpenNote(proof->old_checkpoint, key);
  const crypto::Checkpoint new_head = OpenNote(proof->new_checkpoint, key);
  EXPECT_TRUE(crypto::VerifyConsistency(old_head.tree_size, new_head.tree_size, proof->proof,
                                        old_head.root_hash, new_head.root_hash)
                  .ok());
  auto parsed = archive::ParseConsistencyJson(archive::ConsistencyJson(*proof));
  ASSERT_TRUE(parsed.has_value());
  EXPECT_TRUE(archive::VerifyConsistencyStandalone(
                  {parsed->old_checkpoint, parsed->new_checkpoint, key, parsed->proof})
                  .has_value());
  EXPECT_TRUE(c->log().ProveConsistency(b, b)->proof.empty());
  EXPECT_EQ(c->log().ProveConsistency(0, b).status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(c->log().ProveConsistency(b, a).status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(c->log().ProveConsistency(a, b + 1).status().code(), core::StatusCode::kNotFound);
}

}  // namespace
}  // namespace custos::app
