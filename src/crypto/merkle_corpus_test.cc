// SPDX-License-Identifier: Apache-2.0
// Runs every inclusion and consistency vector of the transparency-dev/merkle test data
// ($CUSTOS_CORPUS/merkle-rfc6962/testdata, positive and negative) through the verifiers.
// CUSTOS_CORPUS defaults to $CUSTOS_SOURCE_DIR/../shared/corpus; the tests skip when the
// folder is absent. The corpus is read in place, never copied into the repository.
#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "crypto/crypto.h"
#include "crypto/merkle.h"

namespace custos::crypto {
namespace {

namespace fs = std::filesystem;

fs::path TestDataDir() {
  if (const char* corpus = std::getenv("CUSTOS_CORPUS"); corpus != nullptr && *corpus != '\0') {
    return fs::path(corpus) / "merkle-rfc6962" / "testdata";
  }
  const char* source = std::getenv("CUSTOS_SOURCE_DIR");
  const fs::path root =
      source != nullptr && *source != '\0' ? fs::path(source) : fs::path(CUSTOS_DEFAULT_SOURCE_DIR);
  return root / ".." / "shared" / "corpus" / "merkle-rfc6962" / "testdata";
}

// All *.json files under `dir`, sorted so that failures are reported in a stable order.
std::vector<fs::path> JsonFiles(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") {
      files.push_back(entry.path());
    }
  }
  std::sort(files.begin(), files.end());
  return files;
}

nlohmann::json ReadJson(const fs::path& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

// Decodes a base64 field; `ok` is cleared when the vector itself is unreadable.
std::string Bytes(const nlohmann::json& value, bool& ok) {
  auto decoded = Base64Decode(value.get<std::string>());
  if (!decoded.has_value()) {
    ok = false;
    return {};
  }
  return *decoded;
}

std::vector<std::string> Proof(const nlohmann::json& value, bool& ok) {
  std::vector<std::string> proof;
  if (value.is_null()) {
    return proof;
  }
  for (const auto& hash : value) {
    proof.push_back(Bytes(hash, ok));
  }
  return proof;
}

struct Tally {
  int positive = 0;
  int negative = 0;
};

// Runs `check` over every vector in `kind`, expecting an error exactly when "wantErr" is set.
template <typename Check>
Tally RunVectors(const std::string& kind, Check check) {
  Tally tally;
  for (const fs::path& file : JsonFiles(TestDataDir() / kind)) {
    SCOPED_TRACE(file.string());
    nlohmann::json v;
    try {
      v = ReadJson(file);
    } catch (const nlohmann::json::exception& e) {
      ADD_FAILURE() << "unreadable vector: " << e.what();
      continue;
    }
    bool ok = true;
    const core::Status status = check(v, ok);
    EXPECT_TRUE(ok) << "vector has a field that is not base64";
    const bool want_err = v.at("wantErr").get<bool>();
    (want_err ? tally.negative : tally.positive)++;
    if (want_err) {
      EXPECT_FALSE(status.ok()) << v.at("desc").get<std::string>() << ": accepted a bad proof";
    } else {
      EXPECT_TRUE(status.ok()) << v.at("desc").get<std::string>() << ": " << status.ToString();
    }
  }
  return tally;
}

class MerkleCorpus : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!fs::is_directory(TestDataDir())) {
      GTEST_SKIP() << "Merkle test vectors not found at " << TestDataDir()
                   << "; set CUSTOS_CORPUS to the shared corpus folder to run them";
    }
  }
};

TEST_F(MerkleCorpus, EveryInclusionVectorGivesTheExpectedVerdict) {
  const Tally tally = RunVectors("inclusion", [](const nlohmann::json& v, bool& ok) {
    return VerifyInclusion(v.at("leafIdx").get<std::uint64_t>(),
                           v.at("treeSize").get<std::uint64_t>(), Bytes(v.at("leafHash"), ok),
                           Proof(v.at("proof"), ok), Bytes(v.at("root"), ok));
  });
  EXPECT_GT(tally.positive, 0);
  EXPECT_GT(tally.negative, 0);
  std::cout << "inclusion vectors: " << tally.positive << " positive, " << tally.negative
            << " negative\n";
}

TEST_F(MerkleCorpus, EveryConsistencyVectorGivesTheExpectedVerdict) {
  const Tally tally = RunVectors("consistency", [](const nlohmann::json& v, bool& ok) {
    return VerifyConsistency(v.at("size1").get<std::uint64_t>(), v.at("size2").get<std::uint64_t>(),
                             Proof(v.at("proof"), ok), Bytes(v.at("root1"), ok),
                             Bytes(v.at("root2"), ok));
  });
  EXPECT_GT(tally.positive, 0);
  EXPECT_GT(tally.negative, 0);
  std::cout << "consistency vectors: " << tally.positive << " positive, " << tally.negative
            << " negative\n";
}

}  // namespace
}  // namespace custos::crypto
