// SPDX-License-Identifier: Apache-2.0
#include "crypto/crypto.h"

#include <array>
#include <climits>
#include <cstdint>
#include <memory>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/rand.h>

namespace custos::crypto {
namespace {

constexpr std::size_t kMaxEvpLength = INT_MAX;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

unsigned char* MutableBytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

struct CipherCtxDeleter {
  void operator()(EVP_CIPHER_CTX* ctx) const { EVP_CIPHER_CTX_free(ctx); }
};

using CipherCtx = std::unique_ptr<EVP_CIPHER_CTX, CipherCtxDeleter>;

EVP_MD_CTX* MdCtx(void* ctx) { return static_cast<EVP_MD_CTX*>(ctx); }

// SHA-256 fetched from the default provider once; the implicit fetch behind EVP_sha256() costs
// about as much as hashing a Merkle node.
// AES-256-GCM fetched once, for the same reason.
const EVP_CIPHER* Aes256Gcm() {
  static const EVP_CIPHER* const cipher = EVP_CIPHER_fetch(nullptr, "AES-256-GCM", nullptr);
  CUSTOS_CHECK(cipher != nullptr);
  return cipher;
}

const EVP_MD* Sha256Md() {
  static const EVP_MD* const md = EVP_MD_fetch(nullptr, "SHA256", nullptr);
  CUSTOS_CHECK(md != nullptr);
  return md;
}

// Value of a base64 digit, or -1 for a character outside the standard alphabet.
int Base64Value(char c) {
  if (c >= 'A' && c <= 'Z') {
    return c - 'A';
  }
  if (c >= 'a' && c <= 'z') {
    return c - 'a' + 26;
  }
  if (c >= '0' && c <= '9') {
    return c - '0' + 52;
  }
  if (c == '+') {
    return 62;
  }
  if (c == '/') {
    return 63;
  }
  return -1;
}

}  // namespace

std::string Sha256(std::string_view data) {
  std::string out(kSha256Bytes, '\0');
  unsigned int len = 0;
  CUSTOS_CHECK(
      EVP_Digest(data.data(), data.size(), MutableBytes(out), &len, EVP_sha256(), nullptr) == 1);
  CUSTOS_CHECK(len == kSha256Bytes);
  return out;
}

Sha256Hasher::Sha256Hasher() : ctx_(EVP_MD_CTX_new()) {
  CUSTOS_CHECK(ctx_ != nullptr);
  CUSTOS_CHECK(EVP_DigestInit_ex(MdCtx(ctx_), Sha256Md(), nullptr) == 1);
}

Sha256Hasher::~Sha256Hasher() { EVP_MD_CTX_free(MdCtx(ctx_)); }

void Sha256Hasher::Update(std::string_view data) {
  CUSTOS_CHECK(EVP_DigestUpdate(MdCtx(ctx_), data.data(), data.size()) == 1);
}

std::string Sha256Hasher::Finish() {
  std::string out(kSha256Bytes, '\0');
  unsigned int len = 0;
  CUSTOS_CHECK(EVP_DigestFinal_ex(MdCtx(ctx_), MutableBytes(out), &len) == 1);
  CUSTOS_CHECK(len == kSha256Bytes);
  return out;
}

namespace {

std::string Hmac(const EVP_MD* md, std::size_t out_bytes, std::string_view key,
                 std::string_view data) {
  // HMAC() wants a non-null key pointer even for an empty key.
  static constexpr unsigned char kEmpty[1] = {0};
  const unsigned char* key_bytes = key.empty() ? kEmpty : Bytes(key);
  CUSTOS_CHECK(key.size() <= kMaxEvpLength);
  std::string out(out_bytes, '\0');
  unsigned int len = 0;
  CUSTOS_CHECK(HMAC(md, key_bytes, static_cast<int>(key.size()), Bytes(data), data.size(),
                    MutableBytes(out), &len) != nullptr);
  CUSTOS_CHECK(len == out_bytes);
  return out;
}

}  // namespace

std::string HmacSha256(std::string_view key, std::string_view data) {
  return Hmac(EVP_sha256(), kSha256Bytes, key, data);
}

std::string HmacSha1(std::string_view key, std::string_view data) {
  return Hmac(EVP_sha1(), kSha1Bytes, key, data);
}

HmacSha256Key::HmacSha256Key(std::string_view key) {
  constexpr std::size_t kBlock = 64;
  std::string k = key.size() > kBlock ? Sha256(key) : std::string(key);
  k.resize(kBlock, '\0');
  std::string ipad(kBlock, '\0');
  std::string opad(kBlock, '\0');
  for (std::size_t i = 0; i < kBlock; ++i) {
    ipad[i] = static_cast<char>(k[i] ^ 0x36);
    opad[i] = static_cast<char>(k[i] ^ 0x5c);
  }
  EVP_MD_CTX* inner = EVP_MD_CTX_new();
  EVP_MD_CTX* outer = EVP_MD_CTX_new();
  CUSTOS_CHECK(inner != nullptr && outer != nullptr);
  CUSTOS_CHECK(EVP_DigestInit_ex(inner, Sha256Md(), nullptr) == 1 &&
               EVP_DigestUpdate(inner, ipad.data(), kBlock) == 1);
  CUSTOS_CHECK(EVP_DigestInit_ex(outer, Sha256Md(), nullptr) == 1 &&
               EVP_DigestUpdate(outer, opad.data(), kBlock) == 1);
  OPENSSL_cleanse(k.data(), k.size());
  OPENSSL_cleanse(ipad.data(), ipad.size());
  OPENSSL_cleanse(opad.data(), opad.size());
  inner_ = inner;
  outer_ = outer;
}

HmacSha256Key::~HmacSha256Key() {
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(inner_));
  EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(outer_));
}

std::string HmacSha256Key::Hash(std::string_view data) const {
  struct CtxDeleter {
    void operator()(EVP_MD_CTX* c) const { EVP_MD_CTX_free(c); }
  };

  thread_local std::unique_ptr<EVP_MD_CTX, CtxDeleter> ctx(EVP_MD_CTX_new());
  std::string out(kSha256Bytes, '\0');
  unsigned int len = 0;
  CUSTOS_CHECK(EVP_MD_CTX_copy_ex(ctx.get(), static_cast<const EVP_MD_CTX*>(inner_)) == 1 &&
               EVP_DigestUpdate(ctx.get(), data.data(), data.size()) == 1 &&
               EVP_DigestFinal_ex(ctx.get(), MutableBytes(out), &len) == 1);
  CUSTOS_CHECK(EVP_MD_CTX_copy_ex(ctx.get(), static_cast<const EVP_MD_CTX*>(outer_)) == 1 &&
               EVP_DigestUpdate(ctx.get(), out.data(), out.size()) == 1 &&
               EVP_DigestFinal_ex(ctx.get(), MutableBytes(out), &len) == 1);
  return out;
}

core::Result<std::string> RandomBytes(std::size_t n) {
  if (n > kMaxEvpLength) {
    return core::InvalidArgument("RandomBytes: request too large");
  }
  std::string out(n, '\0');
  if (n > 0 && RAND_bytes(MutableBytes(out), static_cast<int>(n)) != 1) {
    return core::Internal("RandomBytes: the OpenSSL random generator failed");
  }
  return out;
}

bool ConstantTimeEquals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) {
    return false;
  }
  return a.empty() || CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

std::string Base64Encode(std::string_view bytes) {
  CUSTOS_CHECK(bytes.size() <= kMaxEvpLength / 4 * 3 - 3);
  std::string out((bytes.size() + 2) / 3 * 4 + 1, '\0');  // EVP_EncodeBlock adds a NUL.
  const int len = EVP_EncodeBlock(MutableBytes(out), Bytes(bytes), static_cast<int>(bytes.size()));
  CUSTOS_CHECK(len >= 0);
  out.resize(static_cast<std::size_t>(len));
  return out;
}

core::Result<std::string> Base64Decode(std::string_view text) {
  if (text.size() % 4 != 0) {
    return core::InvalidArgument("base64: length " + std::to_string(text.size()) +
                                 " is not a multiple of 4");
  }
  std::string out;
  out.reserve(text.size() / 4 * 3);
  for (std::size_t i = 0; i < text.size(); i += 4) {
    const bool last = i + 4 == text.size();
    std::array<int, 4> v{};
    int padding = 0;
    for (std::size_t j = 0; j < 4; ++j) {
      const char c = text[i + j];
      if (c == '=' && last && j >= 2) {
        v[j] = 0;
        ++padding;
        continue;
      }
      if (padding > 0) {
        return core::InvalidArgument("base64: data after '=' padding");
      }
      v[j] = Base64Value(c);
      if (v[j] < 0) {
        return core::InvalidArgument("base64: invalid character at offset " +
                                     std::to_string(i + j));
      }
    }
    const auto group = static_cast<std::uint32_t>((v[0] << 18) | (v[1] << 12) | (v[2] << 6) | v[3]);
    // Canonical encodings leave the bits under the padding zero.
    if ((padding == 1 && (group & 0xffU) != 0) || (padding == 2 && (group & 0xffffU) != 0)) {
      return core::InvalidArgument("base64: non-zero bits before padding");
    }
    out.push_back(static_cast<char>((group >> 16) & 0xffU));
    if (padding < 2) {
      out.push_back(static_cast<char>((group >> 8) & 0xffU));
    }
    if (padding < 1) {
      out.push_back(static_cast<char>(group & 0xffU));
    }
  }
  return out;
}

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out = Base64Encode(bytes);
  while (!out.empty() && out.back() == '=') {
    out.pop_back();
  }
  for (char& c : out) {
    if (c == '+') {
      c = '-';
    } else if (c == '/') {
      c = '_';
    }
  }
  return out;
}

core::Result<std::string> Base64UrlDecode(std::string_view text) {
  if (text.size() % 4 == 1) {
    return core::InvalidArgument("base64url: length " + std::to_string(text.size()) +
                                 " is not a valid unpadded length");
  }
  std::string standard(text);
  for (std::size_t i = 0; i < standard.size(); ++i) {
    char& c = standard[i];
    if (c == '+' || c == '/' || c == '=') {
      return core::InvalidArgument("base64url: character '" + std::string(1, c) + "' at offset " +
                                   std::to_string(i) + " is not in the unpadded URL-safe alphabet");
    }
    if (c == '-') {
      c = '+';
    } else if (c == '_') {
      c = '/';
    }
  }
  standard.append((4 - standard.size() % 4) % 4, '=');
  return Base64Decode(standard);
}

core::Result<std::string> Seal(std::string_view key, std::string_view plaintext,
                               std::string_view associated_data) {
  if (key.size() != kAesKeyBytes) {
    return core::InvalidArgument("Seal: key must be " + std::to_string(kAesKeyBytes) +
                                 " bytes, got " + std::to_string(key.size()));
  }
  if (plaintext.size() > kMaxEvpLength - kGcmNonceBytes - kGcmTagBytes ||
      associated_data.size() > kMaxEvpLength) {
    return core::InvalidArgument("Seal: input too large");
  }
  ASSIGN_OR_RETURN(std::string out, RandomBytes(kGcmNonceBytes));
  out.resize(kGcmNonceBytes + plaintext.size() + kGcmTagBytes);
  unsigned char* nonce = MutableBytes(out);
  unsigned char* body = nonce + kGcmNonceBytes;
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  int final_len = 0;
  if (!ctx || EVP_EncryptInit_ex(ctx.get(), Aes256Gcm(), nullptr, Bytes(key), nonce) != 1 ||
      EVP_EncryptUpdate(ctx.get(), nullptr, &len, Bytes(associated_data),
                        static_cast<int>(associated_data.size())) != 1 ||
      EVP_EncryptUpdate(ctx.get(), body, &len, Bytes(plaintext),
                        static_cast<int>(plaintext.size())) != 1 ||
      EVP_EncryptFinal_ex(ctx.get(), body + len, &final_len) != 1 ||
      static_cast<std::size_t>(len) + static_cast<std::size_t>(final_len) != plaintext.size() ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_GET_TAG, static_cast<int>(kGcmTagBytes),
                          body + plaintext.size()) != 1) {
    return core::Internal("Seal: AES-256-GCM encryption failed");
  }
  return out;
}

core::Result<std::string> Open(std::string_view key, std::string_view sealed,
                               std::string_view associated_data) {
  if (key.size() != kAesKeyBytes) {
    return core::InvalidArgument("Open: key must be " + std::to_string(kAesKeyBytes) +
                                 " bytes, got " + std::to_string(key.size()));
  }
  if (sealed.size() < kGcmNonceBytes + kGcmTagBytes) {
    return core::DataLoss("Open: sealed data is " + std::to_string(sealed.size()) +
                          " bytes, shorter than nonce and tag");
  }
  if (sealed.size() > kMaxEvpLength || associated_data.size() > kMaxEvpLength) {
    return core::InvalidArgument("Open: input too large");
  }
  const std::string_view nonce = sealed.substr(0, kGcmNonceBytes);
  const std::string_view body =
      sealed.substr(kGcmNonceBytes, sealed.size() - kGcmNonceBytes - kGcmTagBytes);
  std::string tag(sealed.substr(sealed.size() - kGcmTagBytes));
  std::string plaintext(body.size(), '\0');
  CipherCtx ctx(EVP_CIPHER_CTX_new());
  int len = 0;
  if (!ctx || EVP_DecryptInit_ex(ctx.get(), Aes256Gcm(), nullptr, Bytes(key), Bytes(nonce)) != 1 ||
      EVP_DecryptUpdate(ctx.get(), nullptr, &len, Bytes(associated_data),
                        static_cast<int>(associated_data.size())) != 1 ||
      EVP_DecryptUpdate(ctx.get(), MutableBytes(plaintext), &len, Bytes(body),
                        static_cast<int>(body.size())) != 1 ||
      EVP_CIPHER_CTX_ctrl(ctx.get(), EVP_CTRL_GCM_SET_TAG, static_cast<int>(kGcmTagBytes),
                          tag.data()) != 1) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return core::Internal("Open: AES-256-GCM decryption failed");
  }
  int final_len = 0;
  if (EVP_DecryptFinal_ex(ctx.get(), MutableBytes(plaintext) + len, &final_len) != 1) {
    OPENSSL_cleanse(plaintext.data(), plaintext.size());
    return core::DataLoss("Open: authentication tag does not verify");
  }
  return plaintext;
}

}  // namespace custos::crypto
