// SPDX-License-Identifier: Apache-2.0
// Standalone verification: an examiner's checks from a checkpoint, the public key and
// exported records or leaf hashes, with no archive and no decryption key.
#include "archive/standalone_verifier.h"

#include <gtest/gtest.h>

#include "archive/canonical.h"
#include "crypto/checkpoint.h"
#include "crypto/merkle.h"

namespace custos::archive {
namespace {

constexpr core::Micros kAt = 1'790'000'000'000'000;

// A little log of `n` records with canonical bytes, signed checkpoints on demand.
class Log {
 public:
  explicit Log(int n, const std::string& text = "record ",
               crypto::NoteSigner signer = *crypto::NoteSigner::Generate("custos/0badc0de"))
      : signer_(std::move(signer)) {
    for (int id = 1; id <= n; ++id) {
      records_.push_back(EncodeRecord(id, "message", kAt + id,
                                      {{"message_id", id}, {"text", text + std::to_string(id)}}));
      leaves_.push_back(crypto::LeafHash(records_.back()));
    }
  }

  const std::string& Record(std::int64_t id) const {
    return records_[static_cast<std::size_t>(id - 1)];
  }

  const std::string& Leaf(std::int64_t id) const {
    return leaves_[static_cast<std::size_t>(id - 1)];
  }

  std::string Checkpoint(std::uint64_t size) const {
    const std::span<const std::string> prefix(leaves_.data(), size);
    return *crypto::SignCheckpoint({signer_.Name(), size, crypto::MerkleRoot(prefix), {}}, signer_);
  }

  std::vector<std::string> Inclusion(std::uint64_t index, std::uint64_t size) const {
    return *crypto::InclusionProof(index, std::span<const std::string>(leaves_.data(), size));
  }

  std::vector<std::string> Consistency(std::uint64_t size1, std::uint64_t size2) const {
    return *crypto::ConsistencyProof(size1, std::span<const std::string>(leaves_.data(), size2));
  }

  std::string Key() const { return signer_.VerifierKey(); }

  const crypto::NoteSigner& signer() const { return signer_; }

 private:
  crypto::NoteSigner signer_;
  std::vector<std::string> records_;
  std::vector<std::string> leaves_;
};

InclusionClaim ClaimFor(const Log& log, std::int64_t id, std::uint64_t size) {
  InclusionClaim claim;
  claim.checkpoint = log.Checkpoint(size);
  claim.verifier_key = log.Key();
  claim.record_bytes = log.Record(id);
  claim.proof = log.Inclusion(static_cast<std::uint64_t>(id - 1), size);
  return claim;
}

core::StatusCode CodeOf(const InclusionClaim& claim) {
  return VerifyInclusionStandalone(claim).status().code();
}

TEST(StandaloneVerifier, AcceptsARecordsBytesAndTakesTheIndexFromItsId) {
  const Log log(13);
  for (std::int64_t id = 1; id <= 13; ++id) {
    auto verified = VerifyInclusionStandalone(ClaimFor(log, id, 13));
    ASSERT_TRUE(verified.has_value()) << id << ": " << verified.error().ToString();
    EXPECT_EQ(verified->leaf_index, static_cast<std::uint64_t>(id - 1));
    EXPECT_EQ(verified->leaf_hash, log.Leaf(id));
    EXPECT_EQ(verified->checkpoint.tree_size, 13u);
    EXPECT_EQ(verified->checkpoint.origin, "custos/0badc0de");
  }
}

TEST(StandaloneVerifier, AcceptsALeafHashWithAnIndex) {
  const Log log(9);
  InclusionClaim claim = ClaimFor(log, 5, 7);
  claim.record_bytes.reset();
  claim.leaf_hash = log.Leaf(5);
  claim.leaf_index = 4;
  EXPECT_TRUE(VerifyInclusionStandalone(claim).has_value());
  claim.leaf_index.reset();
  EXPECT_EQ(CodeOf(claim), core::StatusCode::kInvalidArgument);  // the index is needed
}

TEST(StandaloneVerifier, RejectsTamperedRecordsProofsAndCheckpoints) {
  const Log log(10);
  InclusionClaim bytes = ClaimFor(log, 3, 10);
  bytes.record_bytes->replace(bytes.record_bytes->find("record 3"), 8, "record X");
  EXPECT_EQ(CodeOf(bytes), core::StatusCode::kDataLoss);

  InclusionClaim proof = ClaimFor(log, 3, 10);
  proof.proof[1][0] = static_cast<char>(proof.proof[1][0] ^ 1);
  EXPECT_EQ(CodeOf(proof), core::StatusCode::kDataLoss);
  proof.proof.pop_back();
  EXPECT_EQ(CodeOf(proof), core::StatusCode::kDataLoss);

  InclusionClaim note = ClaimFor(log, 3, 10);
  note.checkpoint.replace(note.checkpoint.find("\n10\n"), 4, "\n11\n");
  EXPECT_EQ(CodeOf(note), core::StatusCode::kDataLoss);  // signature fails

  InclusionClaim other_key = ClaimFor(log, 3, 10);
  other_key.verifier_key = Log(1).Key();  // same name, another key
  EXPECT_EQ(CodeOf(other_key), core::StatusCode::kUnauthenticated);

  InclusionClaim moved = ClaimFor(log, 3, 10);
  moved.leaf_index = 4;  // the record says it is leaf 2
  EXPECT_EQ(CodeOf(moved), core::StatusCode::kInvalidArgument);

  InclusionClaim wrong_leaf = ClaimFor(log, 3, 10);
  wrong_leaf.expected_leaf_hash = log.Leaf(4);
  EXPECT_EQ(CodeOf(wrong_leaf), core::StatusCode::kDataLoss);

  InclusionClaim both = ClaimFor(log, 3, 10);
  both.leaf_hash = log.Leaf(3);
  EXPECT_EQ(CodeOf(both), core::StatusCode::kInvalidArgument);

  InclusionClaim beyond = ClaimFor(log, 3, 10);
  beyond.checkpoint = log.Checkpoint(2);
  EXPECT_EQ(CodeOf(beyond), core::StatusCode::kInvalidArgument);  // leaf 2 is not in a tree of 2
}

TEST(StandaloneVerifier, RejectsAMalformedKeyAndACheckpointOfAnotherLog) {
  const Log log(4);
  InclusionClaim claim = ClaimFor(log, 1, 4);
  claim.verifier_key = "not a key";
  EXPECT_EQ(CodeOf(claim), core::StatusCode::kInvalidArgument);

  // Signed by the right key, but the body names another origin.
  InclusionClaim other_origin = ClaimFor(log, 1, 4);
  const std::vector<std::string> leaves = {log.Leaf(1), log.Leaf(2), log.Leaf(3), log.Leaf(4)};
  other_origin.checkpoint =
      *crypto::SignCheckpoint({"custos/other", 4, crypto::MerkleRoot(leaves), {}}, log.signer());
  EXPECT_EQ(CodeOf(other_origin), core::StatusCode::kDataLoss);
}

TEST(StandaloneVerifier, ChecksConsistencyBetweenTwoCheckpoints) {
  const Log log(20);
  for (std::uint64_t m = 1; m <= 20; m += 3) {
    ConsistencyClaim claim{log.Checkpoint(m), log.Checkpoint(20), log.Key(),
                           log.Consistency(m, 20)};
    auto verified = VerifyConsistencyStandalone(claim);
    ASSERT_TRUE(verified.has_value()) << m << ": " << verified.error().ToString();
    EXPECT_EQ(verified->old_checkpoint.tree_size, m);
    EXPECT_EQ(verified->new_checkpoint.tree_size, 20u);
  }
  ConsistencyClaim bad{log.Checkpoint(7), log.Checkpoint(20), log.Key(), log.Consistency(7, 20)};
  bad.proof[0][5] = static_cast<char>(bad.proof[0][5] ^ 0x40);
  EXPECT_EQ(VerifyConsistencyStandalone(bad).status().code(), core::StatusCode::kDataLoss);

  // A forked log: same key, same sizes, different leaves.
  const Log fork(20, "forked ", log.signer());
  ConsistencyClaim forked{log.Checkpoint(7), fork.Checkpoint(20), log.Key(),
                          log.Consistency(7, 20)};
  EXPECT_EQ(VerifyConsistencyStandalone(forked).status().code(), core::StatusCode::kDataLoss);

  ConsistencyClaim shrinking{log.Checkpoint(20), log.Checkpoint(7), log.Key(), {}};
  EXPECT_EQ(VerifyConsistencyStandalone(shrinking).status().code(),
            core::StatusCode::kInvalidArgument);
}

TEST(StandaloneVerifier, ReadsTheRecordIdFromCanonicalBytes) {
  EXPECT_EQ(*CanonicalRecordId(EncodeRecord(42, "message", kAt, {})), 42);
  EXPECT_EQ(CanonicalRecordId("{\"id\":1}").status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(CanonicalRecordId("not json").status().code(), core::StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace custos::archive
