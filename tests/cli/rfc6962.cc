// SPDX-License-Identifier: Apache-2.0
#include "rfc6962.h"

#include <memory>

#include <openssl/evp.h>
#include <openssl/sha.h>

namespace custos::testing::rfc6962 {
namespace {

std::string NodeHash(const std::string& left, const std::string& right) {
  return Sha256(std::string(1, '\x01') + left + right);
}

// Shifts both right until fn's lowest bit is set or fn is 0.
void ShiftWhileEven(std::uint64_t& fn, std::uint64_t& sn) {
  while ((fn & 1) == 0 && fn != 0) {
    fn >>= 1;
    sn >>= 1;
  }
}

}  // namespace

std::string Sha256(std::string_view data) {
  unsigned char out[SHA256_DIGEST_LENGTH];
  SHA256(reinterpret_cast<const unsigned char*>(data.data()), data.size(), out);
  return std::string(reinterpret_cast<const char*>(out), sizeof out);
}

std::string LeafHash(std::string_view leaf) {
  return Sha256(std::string(1, '\0') + std::string(leaf));
}

std::string Hex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  for (const char c : bytes) {
    const auto b = static_cast<unsigned char>(c);
    out += kDigits[b >> 4];
    out += kDigits[b & 15];
  }
  return out;
}

std::string Unhex(std::string_view hex) {
  const auto digit = [](char c) {
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
  };
  std::string out;
  if (hex.size() % 2 != 0) {
    return "";
  }
  for (std::size_t i = 0; i < hex.size(); i += 2) {
    const int hi = digit(hex[i]);
    const int lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      return "";
    }
    out += static_cast<char>(hi * 16 + lo);
  }
  return out;
}

std::string Base64Decode(std::string_view text) {
  if (text.empty() || text.size() % 4 != 0) {
    return "";
  }
  std::string out(text.size() / 4 * 3, '\0');
  const int n = EVP_DecodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(text.data()),
                                static_cast<int>(text.size()));
  if (n < 0) {
    return "";
  }
  std::size_t padding = 0;
  for (std::size_t i = text.size(); i > 0 && text[i - 1] == '='; --i) {
    ++padding;
  }
  out.resize(static_cast<std::size_t>(n) - padding);
  return out;
}

bool VerifyInclusion(std::uint64_t index, std::uint64_t size, const std::string& leaf_hash,
                     const std::vector<std::string>& proof, const std::string& root) {
  if (index >= size) {
    return false;
  }
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  std::string r = leaf_hash;
  for (const std::string& p : proof) {
    if (sn == 0) {
      return false;
    }
    if ((fn & 1) == 1 || fn == sn) {
      r = NodeHash(p, r);
      ShiftWhileEven(fn, sn);
    } else {
      r = NodeHash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return sn == 0 && r == root;
}

bool VerifyConsistency(std::uint64_t size1, std::uint64_t size2,
                       const std::vector<std::string>& proof, const std::string& root1,
                       const std::string& root2) {
  if (size1 == 0 || size1 > size2) {
    return false;
  }
  if (size1 == size2) {
    return proof.empty() && root1 == root2;
  }
  if (proof.empty()) {
    return false;
  }
  std::vector<std::string> path = proof;
  if ((size1 & (size1 - 1)) == 0) {
    path.insert(path.begin(), root1);
  }
  std::uint64_t fn = size1 - 1;
  std::uint64_t sn = size2 - 1;
  while ((fn & 1) == 1) {
    fn >>= 1;
    sn >>= 1;
  }
  std::string fr = path[0];
  std::string sr = path[0];
  for (std::size_t i = 1; i < path.size(); ++i) {
    if (sn == 0) {
      return false;
    }
    if ((fn & 1) == 1 || fn == sn) {
      fr = NodeHash(path[i], fr);
      sr = NodeHash(path[i], sr);
      ShiftWhileEven(fn, sn);
    } else {
      sr = NodeHash(sr, path[i]);
    }
    fn >>= 1;
    sn >>= 1;
  }
  return fr == root1 && sr == root2 && sn == 0;
}

std::optional<Checkpoint> OpenCheckpoint(std::string_view note, std::string_view verifier_key) {
  // The key: name + "+" + 8 hex digits + "+" + base64(0x01 || 32-byte Ed25519 key).
  // Names never contain '+'; base64 may.
  const std::size_t plus1 = verifier_key.find('+');
  const std::size_t plus2 =
      plus1 == std::string_view::npos ? plus1 : verifier_key.find('+', plus1 + 1);
  if (plus2 == std::string_view::npos || plus2 - plus1 != 9) {
    return std::nullopt;
  }
  const std::string name(verifier_key.substr(0, plus1));
  const std::string key_id = Unhex(verifier_key.substr(plus1 + 1, 8));
  const std::string key = Base64Decode(verifier_key.substr(plus2 + 1));
  if (key_id.size() != 4 || key.size() != 33 || key[0] != '\x01') {
    return std::nullopt;
  }
  // The note: body, a blank line, signature lines "— <name> <base64(key id || signature)>".
  const std::size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) {
    return std::nullopt;
  }
  const std::string_view body = note.substr(0, split + 1);
  std::string_view sigs = note.substr(split + 2);
  const std::string prefix = "\xE2\x80\x94 " + name + " ";
  bool verified = false;
  while (!sigs.empty() && !verified) {
    const std::size_t eol = sigs.find('\n');
    const std::string_view line = sigs.substr(0, eol);
    sigs = eol == std::string_view::npos ? std::string_view() : sigs.substr(eol + 1);
    if (line.substr(0, prefix.size()) != prefix) {
      continue;
    }
    const std::string sig = Base64Decode(line.substr(prefix.size()));
    if (sig.size() != 68 || sig.substr(0, 4) != key_id) {
      continue;
    }
    std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> pkey(
        EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr,
                                    reinterpret_cast<const unsigned char*>(key.data() + 1), 32),
        &EVP_PKEY_free);
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx(EVP_MD_CTX_new(), &EVP_MD_CTX_free);
    verified =
        pkey && ctx &&
        EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) == 1 &&
        EVP_DigestVerify(ctx.get(), reinterpret_cast<const unsigned char*>(sig.data() + 4), 64,
                         reinterpret_cast<const unsigned char*>(body.data()), body.size()) == 1;
  }
  if (!verified) {
    return std::nullopt;
  }
  // The body: origin, size, base64 root, each ending in a newline.
  Checkpoint cp;
  const std::size_t l1 = body.find('\n');
  const std::size_t l2 = body.find('\n', l1 + 1);
  const std::size_t l3 = body.find('\n', l2 + 1);
  if (l1 == std::string_view::npos || l2 == std::string_view::npos ||
      l3 == std::string_view::npos) {
    return std::nullopt;
  }
  cp.origin = std::string(body.substr(0, l1));
  cp.size = std::stoull(std::string(body.substr(l1 + 1, l2 - l1 - 1)));
  cp.root = Base64Decode(body.substr(l2 + 1, l3 - l2 - 1));
  if (cp.origin != name || cp.root.size() != 32) {
    return std::nullopt;
  }
  return cp;
}

}  // namespace custos::testing::rfc6962
