// SPDX-License-Identifier: Apache-2.0
#include "crypto/checkpoint.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "crypto/crypto.h"
#include "crypto/merkle.h"

namespace custos::crypto {
namespace {

using core::StatusCode;

TEST(Checkpoint, ParsesTheSpecExampleBody) {
  auto checkpoint = ParseCheckpoint(
      "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n");
  ASSERT_TRUE(checkpoint.has_value()) << checkpoint.error().ToString();
  EXPECT_EQ(checkpoint->origin, "example.com/behind-the-sofa");
  EXPECT_EQ(checkpoint->tree_size, 20852163u);
  EXPECT_EQ(checkpoint->root_hash, *Base64Decode("CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I="));
  EXPECT_TRUE(checkpoint->extensions.empty());
}

TEST(Checkpoint, FormatAndParseRoundTrip) {
  Checkpoint checkpoint{"custos.example/archive", 0, EmptyTreeHash(), {"ext one", "ext two"}};
  auto text = FormatCheckpoint(checkpoint);
  ASSERT_TRUE(text.has_value());
  EXPECT_EQ(*text,
            "custos.example/archive\n0\n" + Base64Encode(EmptyTreeHash()) + "\next one\next two\n");
  auto parsed = ParseCheckpoint(*text);
  ASSERT_TRUE(parsed.has_value());
  EXPECT_EQ(parsed->origin, checkpoint.origin);
  EXPECT_EQ(parsed->tree_size, 0u);
  EXPECT_EQ(parsed->root_hash, checkpoint.root_hash);
  EXPECT_EQ(parsed->extensions, checkpoint.extensions);
}

TEST(Checkpoint, RejectsMalformedBodies) {
  const std::string root = Base64Encode(std::string(32, 'r'));
  const std::vector<std::string> bad = {
      "",
      "origin\n5\n" + root,                            // no final newline
      "origin\n5\n",                                   // two lines
      "\n5\n" + root + "\n",                           // empty origin
      "origin\n05\n" + root + "\n",                    // leading zero
      "origin\n-5\n" + root + "\n",                    // negative
      "origin\n+5\n" + root + "\n",                    // sign
      "origin\n5x\n" + root + "\n",                    // trailing junk
      "origin\n\n" + root + "\n",                      // empty size
      "origin\n18446744073709551616\n" + root + "\n",  // overflow
      "origin\n5\n" + Base64Encode("short") + "\n",
      "origin\n5\nnot base64\n",
      "origin\n5\n" + root + "\n\nlate\n",  // empty extension line
  };
  for (const std::string& text : bad) {
    auto parsed = ParseCheckpoint(text);
    ASSERT_FALSE(parsed.has_value()) << text;
    EXPECT_EQ(parsed.error().code(), StatusCode::kInvalidArgument) << text;
  }
  EXPECT_FALSE(FormatCheckpoint({"", 1, std::string(32, 'r'), {}}).has_value());
  EXPECT_FALSE(FormatCheckpoint({"a\nb", 1, std::string(32, 'r'), {}}).has_value());
  EXPECT_FALSE(FormatCheckpoint({"origin", 1, "short", {}}).has_value());
  EXPECT_FALSE(FormatCheckpoint({"origin", 1, std::string(32, 'r'), {""}}).has_value());
}

TEST(Checkpoint, SignedCheckpointOpensAndResistsTampering) {
  std::vector<std::string> leaves;
  leaves.reserve(5);
  for (int i = 0; i < 5; ++i) {
    leaves.push_back(LeafHash("message " + std::to_string(i)));
  }
  auto signer = NoteSigner::Generate("custos.example/archive");
  ASSERT_TRUE(signer.has_value());
  const Checkpoint checkpoint{"custos.example/archive", leaves.size(), MerkleRoot(leaves), {}};
  auto note = SignCheckpoint(checkpoint, *signer);
  ASSERT_TRUE(note.has_value()) << note.error().ToString();

  const NoteVerifier verifiers[] = {*NoteVerifier::FromVerifierKey(signer->VerifierKey())};
  auto opened = OpenCheckpoint(*note, verifiers);
  ASSERT_TRUE(opened.has_value()) << opened.error().ToString();
  EXPECT_EQ(opened->origin, checkpoint.origin);
  EXPECT_EQ(opened->tree_size, 5u);
  EXPECT_EQ(opened->root_hash, checkpoint.root_hash);

  std::string grown = *note;
  grown.replace(grown.find("\n5\n"), 3, "\n6\n");
  EXPECT_EQ(OpenCheckpoint(grown, verifiers).error().code(), StatusCode::kDataLoss);

  auto stranger = NoteSigner::Generate("custos.example/archive");
  ASSERT_TRUE(stranger.has_value());
  const NoteVerifier wrong[] = {*NoteVerifier::FromVerifierKey(stranger->VerifierKey())};
  EXPECT_EQ(OpenCheckpoint(*note, wrong).error().code(), StatusCode::kUnauthenticated);
}

}  // namespace
}  // namespace custos::crypto
