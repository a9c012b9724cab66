// SPDX-License-Identifier: Apache-2.0
#include "crypto/merkle.h"

#include <span>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "core/text.h"
#include "crypto/crypto.h"

namespace custos::crypto {
namespace {

using core::HexEncode;
using core::StatusCode;

constexpr std::uint64_t kMaxSize = 64;

// The RFC 6962 definitions, written as literally as possible, to check the real code against.
std::uint64_t NaiveSplit(std::uint64_t n) {
  std::uint64_t k = 1;
  while (k * 2 < n) {
    k *= 2;
  }
  return k;
}

using LeafSpan = std::span<const std::string>;

std::vector<std::string> Slice(const std::vector<std::string>& v, std::uint64_t a,
                               std::uint64_t b) {
  return {v.begin() + static_cast<std::ptrdiff_t>(a), v.begin() + static_cast<std::ptrdiff_t>(b)};
}

std::string NaiveRoot(LeafSpan d) {
  const std::uint64_t n = d.size();
  if (n == 0) {
    return Sha256("");
  }
  if (n == 1) {
    return d[0];
  }
  const std::uint64_t k = NaiveSplit(n);
  return NodeHash(NaiveRoot(d.subspan(0, k)), NaiveRoot(d.subspan(k)));
}

std::vector<std::string> NaivePath(std::uint64_t m, LeafSpan d) {
  const std::uint64_t n = d.size();
  if (n == 1) {
    return {};
  }
  const std::uint64_t k = NaiveSplit(n);
  std::vector<std::string> out;
  if (m < k) {
    out = NaivePath(m, d.subspan(0, k));
    out.push_back(NaiveRoot(d.subspan(k)));
  } else {
    out = NaivePath(m - k, d.subspan(k));
    out.push_back(NaiveRoot(d.subspan(0, k)));
  }
  return out;
}

std::vector<std::string> NaiveSubproof(std::uint64_t m, LeafSpan d, bool b) {
  const std::uint64_t n = d.size();
  if (m == n) {
    return b ? std::vector<std::string>{} : std::vector<std::string>{NaiveRoot(d)};
  }
  const std::uint64_t k = NaiveSplit(n);
  std::vector<std::string> out;
  if (m <= k) {
    out = NaiveSubproof(m, d.subspan(0, k), b);
    out.push_back(NaiveRoot(d.subspan(k)));
  } else {
    out = NaiveSubproof(m - k, d.subspan(k), false);
    out.push_back(NaiveRoot(d.subspan(0, k)));
  }
  return out;
}

std::vector<std::string> MakeLeaves(std::uint64_t n) {
  std::vector<std::string> leaves;
  for (std::uint64_t i = 0; i < n; ++i) {
    leaves.push_back(LeafHash("leaf " + std::to_string(i)));
  }
  return leaves;
}

TEST(Merkle, HashesMatchRfc6962KnownAnswers) {
  EXPECT_EQ(HexEncode(EmptyTreeHash()),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(HexEncode(LeafHash("")),
            "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d");
  // The eight-leaf tree of the RFC 6962 test suite (certificate-transparency, transparency-dev).
  const std::vector<std::string> data = {
      "",         std::string(1, '\x00'), "\x10",     "\x20\x21",
      "\x30\x31", "\x40\x41\x42\x43",     "PQRSTUVW", "`abcdefghijklmno"};
  const char* const roots[] = {
      "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
      "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
      "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
      "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
      "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
      "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
      "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
      "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
  };
  std::vector<std::string> leaves;
  for (std::size_t i = 0; i < data.size(); ++i) {
    leaves.push_back(LeafHash(data[i]));
    EXPECT_EQ(HexEncode(MerkleRoot(leaves)), roots[i]) << "size " << i + 1;
  }
}

TEST(Merkle, RootMatchesNaiveDefinitionForSizes0To64) {
  const std::vector<std::string> all = MakeLeaves(kMaxSize);
  MerkleFrontier frontier;
  EXPECT_EQ(frontier.Root(), EmptyTreeHash());
  for (std::uint64_t n = 1; n <= kMaxSize; ++n) {
    const std::vector<std::string> leaves = Slice(all, 0, n);
    frontier.Append(all[n - 1]);
    EXPECT_EQ(frontier.size(), n);
    EXPECT_EQ(MerkleRoot(leaves), NaiveRoot(leaves)) << "size " << n;
    EXPECT_EQ(frontier.Root(), NaiveRoot(leaves)) << "size " << n;
  }
}

TEST(Merkle, EveryInclusionProofMatchesNaiveAndVerifies) {
  const std::vector<std::string> all = MakeLeaves(kMaxSize);
  for (std::uint64_t n = 1; n <= kMaxSize; ++n) {
    const std::vector<std::string> leaves = Slice(all, 0, n);
    const std::string root = MerkleRoot(leaves);
    for (std::uint64_t i = 0; i < n; ++i) {
      auto proof = InclusionProof(i, leaves);
      ASSERT_TRUE(proof.has_value()) << proof.error().ToString();
      EXPECT_EQ(*proof, NaivePath(i, leaves)) << i << " in " << n;
      const core::Status status = VerifyInclusion(i, n, leaves[i], *proof, root);
      EXPECT_TRUE(status.ok()) << i << " in " << n << ": " << status.ToString();
    }
  }
}

// roots[n] is the root of the first n leaves of `all`.
std::vector<std::string> PrefixRoots(const std::vector<std::string>& all) {
  std::vector<std::string> roots;
  MerkleFrontier frontier;
  roots.push_back(frontier.Root());
  for (const std::string& leaf : all) {
    frontier.Append(leaf);
    roots.push_back(frontier.Root());
  }
  return roots;
}

TEST(Merkle, EveryConsistencyProofMatchesNaiveAndVerifies) {
  const std::vector<std::string> all = MakeLeaves(kMaxSize);
  const std::vector<std::string> roots = PrefixRoots(all);
  for (std::uint64_t n = 1; n <= kMaxSize; ++n) {
    const std::vector<std::string> leaves = Slice(all, 0, n);
    const std::string& root2 = roots[n];
    for (std::uint64_t m = 1; m <= n; ++m) {
      const std::string& root1 = roots[m];
      auto proof = ConsistencyProof(m, leaves);
      ASSERT_TRUE(proof.has_value()) << proof.error().ToString();
      EXPECT_EQ(*proof, NaiveSubproof(m, leaves, true)) << m << " to " << n;
      const core::Status status = VerifyConsistency(m, n, *proof, root1, root2);
      EXPECT_TRUE(status.ok()) << m << " to " << n << ": " << status.ToString();
    }
  }
}

TEST(Merkle, AFlippedBitInAnyProofHashFails) {
  const std::vector<std::string> all = MakeLeaves(kMaxSize);
  const std::vector<std::string> roots = PrefixRoots(all);
  for (std::uint64_t n : {2u, 3u, 7u, 8u, 13u, 64u}) {
    const std::vector<std::string> leaves = Slice(all, 0, n);
    const std::string root = MerkleRoot(leaves);
    for (std::uint64_t i = 0; i < n; ++i) {
      const std::vector<std::string> proof = *InclusionProof(i, leaves);
      for (std::size_t h = 0; h < proof.size(); ++h) {
        for (int bit = 0; bit < 256; bit += 37) {
          std::vector<std::string> bad = proof;
          bad[h][static_cast<std::size_t>(bit / 8)] ^= static_cast<char>(1 << (bit % 8));
          EXPECT_EQ(VerifyInclusion(i, n, leaves[i], bad, root).code(), StatusCode::kDataLoss);
        }
      }
      std::string bad_leaf = leaves[i];
      bad_leaf[31] ^= 0x01;
      EXPECT_EQ(VerifyInclusion(i, n, bad_leaf, proof, root).code(), StatusCode::kDataLoss);
    }
    for (std::uint64_t m = 1; m < n; ++m) {
      const std::string& root1 = roots[m];
      const std::vector<std::string> proof = *ConsistencyProof(m, leaves);
      for (std::size_t h = 0; h < proof.size(); ++h) {
        std::vector<std::string> bad = proof;
        bad[h][h % 32] ^= 0x10;
        EXPECT_EQ(VerifyConsistency(m, n, bad, root1, root).code(), StatusCode::kDataLoss)
            << m << " to " << n << " hash " << h;
      }
    }
  }
}

TEST(Merkle, RejectsWrongIndexSizeAndShape) {
  const std::vector<std::string> leaves = MakeLeaves(13);
  const std::string root = MerkleRoot(leaves);
  const std::vector<std::string> proof = *InclusionProof(5, leaves);
  EXPECT_EQ(VerifyInclusion(13, 13, leaves[5], proof, root).code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(VerifyInclusion(5, 13, "short", proof, root).code(), StatusCode::kInvalidArgument);
  EXPECT_NE(VerifyInclusion(4, 13, leaves[5], proof, root).code(), StatusCode::kOk);
  EXPECT_NE(VerifyInclusion(5, 26, leaves[5], proof, root).code(), StatusCode::kOk);
  EXPECT_NE(VerifyInclusion(5, 6, leaves[5], proof, root).code(), StatusCode::kOk);
  // The size only shapes the path: 14 leaves share the shape of 13 for leaf 5, so only the
  // root distinguishes them.
  EXPECT_NE(VerifyInclusion(5, 14, leaves[5], proof, MerkleRoot(MakeLeaves(14))).code(),
            StatusCode::kOk);
  std::vector<std::string> longer = proof;
  longer.push_back(root);
  EXPECT_EQ(VerifyInclusion(5, 13, leaves[5], longer, root).code(), StatusCode::kDataLoss);
  std::vector<std::string> shorter(proof.begin(), proof.end() - 1);
  EXPECT_EQ(VerifyInclusion(5, 13, leaves[5], shorter, root).code(), StatusCode::kDataLoss);

  EXPECT_EQ(InclusionProof(13, leaves).error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ConsistencyProof(0, leaves).error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(ConsistencyProof(14, leaves).error().code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(ConsistencyProof(13, leaves)->empty());
  EXPECT_EQ(VerifyConsistency(0, 13, {}, EmptyTreeHash(), root).code(),
            StatusCode::kInvalidArgument);
  EXPECT_EQ(VerifyConsistency(5, 4, {}, root, root).code(), StatusCode::kInvalidArgument);
  EXPECT_TRUE(VerifyConsistency(13, 13, {}, root, root).ok());
  EXPECT_EQ(VerifyConsistency(13, 13, proof, root, root).code(), StatusCode::kDataLoss);
  EXPECT_EQ(VerifyConsistency(5, 13, {}, MerkleRoot(Slice(leaves, 0, 5)), root).code(),
            StatusCode::kDataLoss);
}

TEST(Merkle, ProofsCanBeBuiltFromALeafCallback) {
  const std::vector<std::string> leaves = MakeLeaves(21);
  int reads = 0;
  const SubtreeHashFn subtree =
      SubtreeHashesFromLeaves([&](std::uint64_t i) -> core::Result<std::string> {
        ++reads;
        return leaves[i];
      });
  auto proof = InclusionProof(17, leaves.size(), subtree);
  ASSERT_TRUE(proof.has_value());
  EXPECT_EQ(*proof, NaivePath(17, leaves));
  EXPECT_LE(reads, 21);  // each leaf at most once per proof

  const SubtreeHashFn failing = SubtreeHashesFromLeaves(
      [](std::uint64_t) -> core::Result<std::string> { return core::Unavailable("offline"); });
  EXPECT_EQ(InclusionProof(3, 8, failing).error().code(), StatusCode::kUnavailable);
  const SubtreeHashFn short_hashes = SubtreeHashesFromLeaves(
      [](std::uint64_t) -> core::Result<std::string> { return std::string("x"); });
  EXPECT_EQ(ConsistencyProof(3, 8, short_hashes).error().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace custos::crypto
