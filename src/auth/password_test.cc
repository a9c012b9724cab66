// SPDX-License-Identifier: Apache-2.0
#include "auth/password.h"

#include <string>
#include <vector>

#include <argon2.h>
#include <gtest/gtest.h>

#include "auth/internal/argon2.h"
#include "core/text.h"

namespace custos::auth {
namespace {

using core::StatusCode;

// Small parameters so the tests run fast; production uses the Argon2Params defaults.
constexpr Argon2Params kFast{.memory_kib = 64, .iterations = 1, .parallelism = 1};

TEST(Argon2id, MatchesTheRfc9106TestVector) {
  // RFC 9106 §5.3: Argon2id v=0x13, m=32 KiB, t=3, p=4, with secret and associated data.
  const std::string password(32, '\x01');
  const std::string salt(16, '\x02');
  const std::string secret(8, '\x03');
  const std::string ad(12, '\x04');
  const std::string tag =
      internal::Argon2id({.password = password,
                          .salt = salt,
                          .secret = secret,
                          .associated_data = ad,
                          .params = {.memory_kib = 32, .iterations = 3, .parallelism = 4},
                          .tag_bytes = 32})
          .value();
  EXPECT_EQ(core::HexEncode(tag),
            "0d640df58d78766c08c037a34a8b53c9d01ef0452d75b65eb52520e96b01e659");
}

TEST(VerifyPassword, AcceptsAHashWrittenByTheArgon2Tool) {
  // `echo -n "correct horse battery staple" | argon2 custos-test-salt -id -t 2 -m 10 -p 1 -l 32 -e`
  // (Debian package argon2, 0~20171227-0.3+deb12u1).
  const std::string phc =
      "$argon2id$v=19$m=1024,t=2,p=1$Y3VzdG9zLXRlc3Qtc2FsdA$"
      "RRme+t4P8DNtdD96hJgHLeJjWcz493ogvPQ9I5H+KEk";
  EXPECT_TRUE(VerifyPassword("correct horse battery staple", phc).value());
  EXPECT_FALSE(VerifyPassword("correct horse battery stable", phc).value());
  EXPECT_FALSE(VerifyPassword("", phc).value());
  const PhcHash parsed = ParsePhcString(phc).value();
  EXPECT_EQ(parsed.params.memory_kib, 1024u);
  EXPECT_EQ(parsed.params.iterations, 2u);
  EXPECT_EQ(parsed.params.parallelism, 1u);
  EXPECT_EQ(parsed.salt, "custos-test-salt");
  EXPECT_EQ(FormatPhcString(parsed), phc);
}

TEST(HashPassword, WritesAPhcStringLibargon2Verifies) {
  const std::string pw = "a long enough passphrase";
  const std::string phc = HashPassword(pw, kFast).value();
  EXPECT_EQ(phc.rfind("$argon2id$v=19$m=64,t=1,p=1$", 0), 0u) << phc;
  EXPECT_EQ(argon2id_verify(phc.c_str(), pw.data(), pw.size()), ARGON2_OK);
  EXPECT_TRUE(VerifyPassword(pw, phc).value());
  EXPECT_FALSE(VerifyPassword(pw + "x", phc).value());
  // A fresh salt each time.
  EXPECT_NE(HashPassword(pw, kFast).value(), phc);
}

TEST(HashPassword, DefaultsAreOwaspAndRoundTrip) {
  const Argon2Params defaults;
  EXPECT_EQ(defaults.memory_kib, 19456u);
  EXPECT_EQ(defaults.iterations, 2u);
  EXPECT_EQ(defaults.parallelism, 1u);
  const std::string phc = HashPassword("ünïcödé pässwörd").value();
  EXPECT_EQ(phc.rfind("$argon2id$v=19$m=19456,t=2,p=1$", 0), 0u);
  EXPECT_TRUE(VerifyPassword("ünïcödé pässwörd", phc).value());
  EXPECT_FALSE(NeedsRehash(phc, defaults));
}

TEST(HashPassword, RefusesOversizedPasswordsAndParameters) {
  EXPECT_EQ(HashPassword(std::string(kMaxPasswordBytes + 1, 'a'), kFast).error().code(),
            StatusCode::kInvalidArgument);
  EXPECT_FALSE(HashPassword("pw", {.memory_kib = kMaxArgon2MemoryKib + 1}).has_value());
  EXPECT_FALSE(HashPassword("pw", {.memory_kib = 64, .iterations = 0}).has_value());
  EXPECT_FALSE(
      HashPassword("pw", {.memory_kib = 64, .iterations = 1, .parallelism = 0}).has_value());
}

TEST(NeedsRehash, WhenParametersDifferOrTheStringIsBad) {
  const std::string phc = HashPassword("pw", kFast).value();
  EXPECT_FALSE(NeedsRehash(phc, kFast));
  EXPECT_TRUE(NeedsRehash(phc, {.memory_kib = 128, .iterations = 1, .parallelism = 1}));
  EXPECT_TRUE(NeedsRehash(phc, {.memory_kib = 64, .iterations = 2, .parallelism = 1}));
  EXPECT_TRUE(NeedsRehash("not a hash", kFast));
}

constexpr std::string_view kSalt = "c29tZXNhbHQxMjM0NTY";
constexpr std::string_view kHash = "RRme+t4P8DNtdD96hJgHLeJjWcz493ogvPQ9I5H+KEk";

// `head` + "$" + `salt` + "$" + `hash`.
std::string Phc(std::string_view head, std::string_view salt = kSalt,
                std::string_view hash = kHash) {
  std::string out(head);
  out.append("$").append(salt).append("$").append(hash);
  return out;
}

TEST(ParsePhcString, RejectsMalformedAndAbsurdStrings) {
  const std::string valid_head = "$argon2id$v=19$m=64,t=1,p=1";
  ASSERT_TRUE(ParsePhcString(Phc(valid_head)).has_value());
  for (const std::string& bad : std::vector<std::string>{
           Phc("$argon2i$v=19$m=64,t=1,p=1"),
           Phc("$argon2id$v=16$m=64,t=1,p=1"),
           Phc("$argon2id$m=64,t=1,p=1"),
           Phc("$argon2id$v=19$t=1,m=64,p=1"),
           Phc("$argon2id$v=19$m=064,t=1,p=1"),
           Phc("$argon2id$v=19$m=64,t=1"),
           Phc("$argon2id$v=19$m=64,t=1,p=1,x=2"),
           Phc("$argon2id$v=19$m=1048577,t=1,p=1"),  // more than 1 GiB
           Phc("$argon2id$v=19$m=4294967295,t=1,p=1"),
           Phc("$argon2id$v=19$m=99999999999,t=1,p=1"),
           Phc("$argon2id$v=19$m=64,t=1000,p=1"),
           Phc("$argon2id$v=19$m=64,t=1,p=255"),
           Phc("$argon2id$v=19$m=7,t=1,p=1"),  // m below 8 * p
           Phc(valid_head, "c2FsdA"),          // a 4-byte salt
           Phc(valid_head, kSalt, "c2hvcnQ"),  // a 5-byte hash
           Phc(valid_head) + "=",
           Phc(valid_head, kSalt, "!!!!"),
           Phc(valid_head) + "$extra",
           Phc(valid_head, kSalt, std::string(300, 'A')),
           "$argon2id$v=19$m=64,t=1,p=1$c29tZXNhbHQxMjM0NTY",  // no hash
           "",
       }) {
    auto r = ParsePhcString(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument) << bad;
    EXPECT_NE(r.error().message().find("PHC string"), std::string::npos) << bad;
    EXPECT_EQ(VerifyPassword("pw", bad).error().code(), StatusCode::kInvalidArgument) << bad;
  }
}

}  // namespace
}  // namespace custos::auth
