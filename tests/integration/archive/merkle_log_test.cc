// SPDX-License-Identifier: Apache-2.0
// The persisted Merkle log against the in-memory reference implementation of crypto/merkle.h.
#include "archive/merkle_log.h"

#include <gtest/gtest.h>

#include "crypto/merkle.h"
#include "storage/sqlite/sqlite_database.h"
#include "testing/temp_dir.h"

namespace custos::archive {
namespace {

TEST(MerkleLog, RootsAndProofsMatchTheReferenceForEverySize) {
  testing::TempDir dir;
  auto db = storage::OpenSqlite(dir.File("log.db"));
  ASSERT_TRUE(db.has_value()) << db.error().ToString();
  std::vector<std::string> leaves;
  auto tx = (*db)->Begin(storage::TxMode::kWrite);
  ASSERT_TRUE(tx.has_value());
  EXPECT_EQ(*LogRoot(**tx, 0), crypto::EmptyTreeHash());
  for (std::uint64_t n = 1; n <= 70; ++n) {
    leaves.push_back(crypto::LeafHash("record " + std::to_string(n)));
    ASSERT_TRUE(LogAppend(**tx, n - 1, leaves.back()).ok());
    ASSERT_EQ(*LogSize(**tx), n);
    const std::string root = *LogRoot(**tx, n);
    ASSERT_EQ(root, crypto::MerkleRoot(leaves)) << n;
    for (std::uint64_t i = 0; i < n; i += 7) {
      auto proof = LogInclusionProof(**tx, i, n);
      ASSERT_TRUE(proof.has_value());
      EXPECT_TRUE(crypto::VerifyInclusion(i, n, leaves[i], *proof, root).ok()) << i << "/" << n;
    }
    for (std::uint64_t m = 1; m < n; m += 5) {
      auto proof = LogConsistencyProof(**tx, m, n);
      ASSERT_TRUE(proof.has_value());
      EXPECT_TRUE(crypto::VerifyConsistency(m, n, *proof, *LogRoot(**tx, m), root).ok());
    }
  }
  EXPECT_EQ(LogRoot(**tx, 71).error().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(LogLeaf(**tx, 70).error().code(), core::StatusCode::kNotFound);
  EXPECT_FALSE(LogAppend(**tx, 5, leaves[0]).ok());  // a leaf is never replaced
}

}  // namespace
}  // namespace custos::archive
