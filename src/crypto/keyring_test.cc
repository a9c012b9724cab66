// SPDX-License-Identifier: Apache-2.0
#include "crypto/keyring.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include <gtest/gtest.h>
#include <sys/stat.h>

#include "crypto/crypto.h"

namespace custos::crypto {
namespace {

using core::StatusCode;

// A fresh directory under $TMPDIR, removed with its contents at the end of the test.
class TempDir {
 public:
  TempDir() {
    const char* base = std::getenv("TMPDIR");
    std::string pattern = std::string(base != nullptr ? base : "/tmp") + "/custos-keyring-XXXXXX";
    CUSTOS_CHECK(::mkdtemp(pattern.data()) != nullptr);
    path_ = pattern;
  }

  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }

  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  std::string File(const std::string& name) const { return path_ + "/" + name; }

  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

unsigned FileMode(const std::string& path) {
  struct stat st {};

  CUSTOS_CHECK(::stat(path.c_str(), &st) == 0);
  return st.st_mode & 07777U;
}

void WriteFile(const std::string& path, const std::string& contents, unsigned mode) {
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out << contents;
  }
  CUSTOS_CHECK(::chmod(path.c_str(), mode) == 0);
}

const std::string kKeyB64 = Base64Encode(std::string(32, 'K'));

TEST(KeyRing, CreatesAFileWithMode0600) {
  TempDir dir;
  const std::string path = dir.File("keys");
  auto ring = KeyRing::LoadOrCreate(path);
  ASSERT_TRUE(ring.has_value()) << ring.error().ToString();
  EXPECT_EQ(FileMode(path), 0600u);
  EXPECT_EQ(ring->CurrentVersion(), 1);
  EXPECT_EQ(ring->IndexKey().size(), 32u);
  // Nothing but the key file is left behind.
  int entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST(KeyRing, ReloadsTheSameKeys) {
  TempDir dir;
  const std::string path = dir.File("keys");
  auto first = KeyRing::LoadOrCreate(path);
  ASSERT_TRUE(first.has_value());
  auto envelope = first->SealEnvelope("hello", "msg-1");
  ASSERT_TRUE(envelope.has_value());
  auto second = KeyRing::LoadOrCreate(path);
  ASSERT_TRUE(second.has_value());
  EXPECT_EQ(second->IndexKey(), first->IndexKey());
  EXPECT_EQ(second->IndexHash("alice"), first->IndexHash("alice"));
  auto opened = second->OpenEnvelope(*envelope, "msg-1");
  ASSERT_TRUE(opened.has_value()) << opened.error().ToString();
  EXPECT_EQ(*opened, "hello");
}

TEST(KeyRing, LoadReportsAMissingFileAsNotFound) {
  TempDir dir;
  EXPECT_EQ(KeyRing::Load(dir.File("absent")).error().code(), StatusCode::kNotFound);
}

TEST(KeyRing, IndexHashIsHmacUnderTheIndexKey) {
  TempDir dir;
  auto ring = KeyRing::LoadOrCreate(dir.File("keys"));
  ASSERT_TRUE(ring.has_value());
  EXPECT_EQ(ring->IndexHash("x"), HmacSha256(ring->IndexKey(), "x"));
  auto other = KeyRing::LoadOrCreate(dir.File("other"));
  ASSERT_TRUE(other.has_value());
  EXPECT_NE(ring->IndexHash("x"), other->IndexHash("x"));
}

TEST(KeyRing, EnvelopesBindTheirAadAndKeyVersion) {
  TempDir dir;
  auto ring = KeyRing::LoadOrCreate(dir.File("keys"));
  ASSERT_TRUE(ring.has_value());
  auto envelope = ring->SealEnvelope("secret", "msg-1");
  ASSERT_TRUE(envelope.has_value());
  EXPECT_EQ(envelope->key_version, 1);
  EXPECT_EQ(ring->OpenEnvelope(*envelope, "msg-2").error().code(), StatusCode::kDataLoss);

  Envelope tampered = *envelope;
  tampered.ciphertext[tampered.ciphertext.size() / 2] ^= 0x20;
  EXPECT_EQ(ring->OpenEnvelope(tampered, "msg-1").error().code(), StatusCode::kDataLoss);

  tampered = *envelope;
  tampered.wrapped_key[0] ^= 0x01;
  EXPECT_EQ(ring->OpenEnvelope(tampered, "msg-1").error().code(), StatusCode::kDataLoss);

  tampered = *envelope;
  tampered.key_version = 7;
  EXPECT_EQ(ring->OpenEnvelope(tampered, "msg-1").error().code(), StatusCode::kNotFound);

  ASSERT_TRUE(ring->Rotate().ok());
  tampered = *envelope;
  tampered.key_version = 2;  // exists now, but did not wrap this record
  EXPECT_EQ(ring->OpenEnvelope(tampered, "msg-1").error().code(), StatusCode::kDataLoss);
}

TEST(KeyRing, RotateKeepsOldRecordsReadable) {
  TempDir dir;
  const std::string path = dir.File("keys");
  auto ring = KeyRing::LoadOrCreate(path);
  ASSERT_TRUE(ring.has_value());
  auto old_envelope = ring->SealEnvelope("old record", "id-1");
  ASSERT_TRUE(old_envelope.has_value());

  ASSERT_TRUE(ring->Rotate().ok());
  EXPECT_EQ(ring->CurrentVersion(), 2);
  EXPECT_EQ(FileMode(path), 0600u);
  auto new_envelope = ring->SealEnvelope("new record", "id-2");
  ASSERT_TRUE(new_envelope.has_value());
  EXPECT_EQ(new_envelope->key_version, 2);
  EXPECT_EQ(*ring->OpenEnvelope(*old_envelope, "id-1"), "old record");

  auto reloaded = KeyRing::Load(path);
  ASSERT_TRUE(reloaded.has_value()) << reloaded.error().ToString();
  EXPECT_EQ(reloaded->CurrentVersion(), 2);
  EXPECT_EQ(reloaded->IndexKey(), ring->IndexKey());
  EXPECT_EQ(*reloaded->OpenEnvelope(*old_envelope, "id-1"), "old record");
  EXPECT_EQ(*reloaded->OpenEnvelope(*new_envelope, "id-2"), "new record");

  int entries = 0;
  for ([[maybe_unused]] const auto& entry : std::filesystem::directory_iterator(dir.path())) {
    ++entries;
  }
  EXPECT_EQ(entries, 1);
}

TEST(KeyRing, RefusesAFileReadableByGroupOrOthers) {
  TempDir dir;
  const std::string path = dir.File("keys");
  ASSERT_TRUE(KeyRing::LoadOrCreate(path).has_value());
  for (unsigned mode : {0640u, 0604u, 0620u}) {
    ASSERT_EQ(::chmod(path.c_str(), mode), 0);
    auto ring = KeyRing::LoadOrCreate(path);
    ASSERT_FALSE(ring.has_value());
    EXPECT_EQ(ring.error().code(), StatusCode::kPermissionDenied);
    EXPECT_NE(ring.error().message().find(path), std::string::npos);
  }
}

TEST(KeyRing, LoadsAHandWrittenFile) {
  TempDir dir;
  const std::string path = dir.File("keys");
  WriteFile(
      path,
      "custos-keyring 1\nkek 1 " + kKeyB64 + "\nkek 3 " + kKeyB64 + "\nindex " + kKeyB64 + "\n",
      0600);
  auto ring = KeyRing::Load(path);
  ASSERT_TRUE(ring.has_value()) << ring.error().ToString();
  EXPECT_EQ(ring->CurrentVersion(), 3);
  EXPECT_EQ(ring->IndexKey(), std::string(32, 'K'));
}

TEST(KeyRing, ReportsTheLineOfAMalformedItem) {
  const std::string short_key = Base64Encode("short");

  const struct {
    std::string contents;
    int line;
  } cases[] = {
      {"custos-keyring 2\n", 1},
      {"custos-keyring 1\nkek 1 " + kKeyB64 + "\nkek 1 " + kKeyB64 + "\n", 3},
      {"custos-keyring 1\nkek 0 " + kKeyB64 + "\n", 2},
      {"custos-keyring 1\nkek 01 " + kKeyB64 + "\n", 2},
      {"custos-keyring 1\nkek x " + kKeyB64 + "\n", 2},
      {"custos-keyring 1\nkek 1 " + short_key + "\n", 2},
      {"custos-keyring 1\nkek 1 " + kKeyB64 + "\nindex " + kKeyB64 + "!\n", 3},
      {"custos-keyring 1\nkek 1 " + kKeyB64 + "\n\nindex " + kKeyB64 + "\n", 3},
      {"custos-keyring 1\nkek 1  " + kKeyB64 + "\n", 2},
      {"custos-keyring 1\nkek 1 " + kKeyB64 + "\nsecret " + kKeyB64 + "\n", 3},
      {"custos-keyring 1\nkek 1 " + kKeyB64 + "\nindex " + kKeyB64 + "\nindex " + kKeyB64 + "\n",
       4},
  };

  TempDir dir;
  const std::string path = dir.File("keys");
  for (const auto& c : cases) {
    WriteFile(path, c.contents, 0600);
    auto ring = KeyRing::Load(path);
    ASSERT_FALSE(ring.has_value()) << c.contents;
    EXPECT_EQ(ring.error().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(ring.error().message().find(path + ":" + std::to_string(c.line) + ": "),
              std::string::npos)
        << ring.error().message();
    EXPECT_EQ(ring.error().message().find(kKeyB64), std::string::npos) << "leaks key material";
  }
}

TEST(KeyRing, RejectsIncompleteFiles) {
  TempDir dir;
  const std::string path = dir.File("keys");
  for (const std::string& contents :
       {std::string(), std::string("custos-keyring 1"), std::string("custos-keyring 1\n"),
        "custos-keyring 1\nkek 1 " + kKeyB64 + "\n", "custos-keyring 1\nindex " + kKeyB64 + "\n"}) {
    WriteFile(path, contents, 0600);
    auto ring = KeyRing::Load(path);
    ASSERT_FALSE(ring.has_value()) << contents;
    EXPECT_EQ(ring.error().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(ring.error().message().find(path), std::string::npos);
  }
}

}  // namespace
}  // namespace custos::crypto
