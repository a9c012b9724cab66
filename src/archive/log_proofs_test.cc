// SPDX-License-Identifier: Apache-2.0
// The JSON and hex forms of log proofs (the database side is in
// tests/integration/archive/checkpoint_test.cc).
#include "archive/log_proofs.h"

#include <gtest/gtest.h>

#include "crypto/merkle.h"

namespace custos::archive {
namespace {

std::string H(int n) { return crypto::LeafHash("leaf " + std::to_string(n)); }

TEST(LogProofs, HashHexRoundTripsAndRejectsBadInput) {
  const std::string h = H(1);
  const std::string hex = HashHex(h);
  EXPECT_EQ(hex.size(), 64u);
  EXPECT_EQ(hex.find_first_not_of("0123456789abcdef"), std::string::npos);
  EXPECT_EQ(*ParseHashHex(hex), h);
  std::string upper = hex;
  for (char& c : upper) {
    c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  }
  EXPECT_EQ(*ParseHashHex(upper), h);
  EXPECT_EQ(ParseHashHex(hex.substr(2)).status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseHashHex("zz" + hex.substr(2)).status().code(), core::StatusCode::kInvalidArgument);
}

TEST(LogProofs, ParsesCommaSeparatedHashLists) {
  EXPECT_TRUE(ParseHashList("")->empty());
  auto list = ParseHashList(HashHex(H(1)) + ", " + HashHex(H(2)));
  ASSERT_TRUE(list.has_value());
  EXPECT_EQ(*list, (std::vector<std::string>{H(1), H(2)}));
  auto bad = ParseHashList(HashHex(H(1)) + ",abc");
  EXPECT_EQ(bad.status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_NE(bad.error().message().find("proof hash 2"), std::string::npos);
}

TEST(LogProofs, InclusionJsonHasTheDocumentedShapeAndParsesBack) {
  RecordInclusion in{7, 6, 9, H(7), {H(1), H(2)}, H(99), "custos/x\n9\nAAAA\n\n— custos/x sig\n"};
  const std::string json = InclusionJson(in);
  EXPECT_EQ(json.find("{\"checkpoint\":\"custos/x\\n9\\nAAAA\\n\\n— custos/x sig\\n\""), 0u)
      << json;
  EXPECT_NE(json.find("\"leaf_index\":6"), std::string::npos);
  EXPECT_NE(json.find("\"tree_size\":9"), std::string::npos);
  EXPECT_NE(json.find("\"record_id\":7"), std::string::npos);
  EXPECT_NE(json.find("\"proof\":[\"" + HashHex(H(1)) + "\",\"" + HashHex(H(2)) + "\"]"),
            std::string::npos);
  auto back = ParseInclusionJson(json);
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(back->record_id, 7);
  EXPECT_EQ(back->leaf_index, 6u);
  EXPECT_EQ(back->tree_size, 9u);
  EXPECT_EQ(back->leaf_hash, H(7));
  EXPECT_EQ(back->proof, in.proof);
  EXPECT_EQ(back->root_hash, H(99));
  EXPECT_EQ(back->checkpoint, in.checkpoint);
}

TEST(LogProofs, ConsistencyJsonParsesBack) {
  CheckpointConsistency in{3, 8, H(3), H(8), {H(4)}, "old\n", "new\n"};
  auto back = ParseConsistencyJson(ConsistencyJson(in));
  ASSERT_TRUE(back.has_value()) << back.error().ToString();
  EXPECT_EQ(back->old_size, 3u);
  EXPECT_EQ(back->new_size, 8u);
  EXPECT_EQ(back->old_root, H(3));
  EXPECT_EQ(back->new_root, H(8));
  EXPECT_EQ(back->proof, in.proof);
  EXPECT_EQ(back->old_checkpoint, "old\n");
  EXPECT_EQ(back->new_checkpoint, "new\n");
}

TEST(LogProofs, ParseNamesTheMemberAtFault) {
  EXPECT_EQ(ParseInclusionJson("[]").status().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(ParseInclusionJson("{oops").status().code(), core::StatusCode::kInvalidArgument);
  RecordInclusion in{1, 0, 1, H(1), {}, H(1), "n\n"};
  std::string json = InclusionJson(in);
  json.replace(json.find("\"tree_size\":1"), 13, "\"tree_size\":-1");
  auto bad = ParseInclusionJson(json);
  ASSERT_FALSE(bad.has_value());
  EXPECT_NE(bad.error().message().find("tree_size"), std::string::npos);
  auto bad_proof = ParseInclusionJson(
      InclusionJson(in).replace(InclusionJson(in).find("\"proof\":[]"), 10, "\"proof\":[\"ab\"]"));
  ASSERT_FALSE(bad_proof.has_value());
  EXPECT_NE(bad_proof.error().message().find("proof"), std::string::npos);
}

}  // namespace
}  // namespace custos::archive
