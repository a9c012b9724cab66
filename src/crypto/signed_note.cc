// SPDX-License-Identifier: Apache-2.0
#include "crypto/signed_note.h"

#include <memory>
#include <set>
#include <utility>

#include <openssl/evp.h>

#include "core/text.h"
#include "crypto/crypto.h"

namespace custos::crypto {
namespace {

constexpr char kAlgEd25519 = 0x01;
constexpr std::string_view kSignaturePrefix = "\xe2\x80\x94 ";  // U+2014 em dash, space
constexpr std::string_view kSignerPrefix = "PRIVATE+KEY+";
constexpr std::size_t kMaxSignatures = 100;

struct PkeyDeleter {
  void operator()(EVP_PKEY* pkey) const { EVP_PKEY_free(pkey); }
};

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const { EVP_MD_CTX_free(ctx); }
};

using Pkey = std::unique_ptr<EVP_PKEY, PkeyDeleter>;
using MdCtx = std::unique_ptr<EVP_MD_CTX, MdCtxDeleter>;

const unsigned char* Bytes(std::string_view s) {
  return reinterpret_cast<const unsigned char*>(s.data());
}

std::string BigEndian32(std::uint32_t v) {
  std::string out(4, '\0');
  for (int i = 0; i < 4; ++i) {
    out[static_cast<std::size_t>(i)] = static_cast<char>((v >> (24 - 8 * i)) & 0xffU);
  }
  return out;
}

std::uint32_t ReadBigEndian32(std::string_view b) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < 4; ++i) {
    v = (v << 8) | static_cast<unsigned char>(b[i]);
  }
  return v;
}

// Exactly eight hex digits, either case.
bool ParseKeyId(std::string_view hex, std::uint32_t& out) {
  if (hex.size() != 8) {
    return false;
  }
  out = 0;
  for (const char c : hex) {
    int digit = -1;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if (c >= 'a' && c <= 'f') {
      digit = c - 'a' + 10;
    } else if (c >= 'A' && c <= 'F') {
      digit = c - 'A' + 10;
    } else {
      return false;
    }
    out = (out << 4) | static_cast<std::uint32_t>(digit);
  }
  return true;
}

std::string KeyIdHex(std::uint32_t id) { return core::HexEncode(BigEndian32(id)); }

// Splits at the first `sep`; `rest` is empty when there is none.
std::pair<std::string_view, std::string_view> Chop(std::string_view s, char sep) {
  const std::size_t pos = s.find(sep);
  if (pos == std::string_view::npos) {
    return {s, {}};
  }
  return {s.substr(0, pos), s.substr(pos + 1)};
}

// Decodes one UTF-8 code point at `s[i]` (already known to be valid UTF-8).
char32_t DecodeAt(std::string_view s, std::size_t& i) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  int extra = 0;
  char32_t cp = b0;
  if (b0 >= 0xf0) {
    extra = 3;
    cp = b0 & 0x07U;
  } else if (b0 >= 0xe0) {
    extra = 2;
    cp = b0 & 0x0fU;
  } else if (b0 >= 0xc0) {
    extra = 1;
    cp = b0 & 0x1fU;
  }
  ++i;
  for (int k = 0; k < extra; ++k, ++i) {
    cp = (cp << 6) | (static_cast<unsigned char>(s[i]) & 0x3fU);
  }
  return cp;
}

// Unicode White_Space, as Go's unicode.IsSpace.
bool IsUnicodeSpace(char32_t c) {
  return c == U' ' || (c >= U'\t' && c <= U'\r') || c == 0x85 || c == 0xa0 || c == 0x1680 ||
         (c >= 0x2000 && c <= 0x200a) || c == 0x2028 || c == 0x2029 || c == 0x202f || c == 0x205f ||
         c == 0x3000;
}

// Valid UTF-8 with no ASCII control character other than newline.
core::Status CheckNoteBytes(std::string_view s) {
  if (!core::IsValidUtf8(s)) {
    return core::InvalidArgument("note is not valid UTF-8");
  }
  for (const char c : s) {
    if (static_cast<unsigned char>(c) < 0x20 && c != '\n') {
      return core::InvalidArgument("note contains a control character");
    }
  }
  return core::Status::Ok();
}

// Decodes "<base64(0x01 || 32 bytes)>" as used in both key strings.
core::Result<std::string> DecodeEd25519Key(std::string_view b64) {
  core::Result<std::string> key = Base64Decode(b64);
  if (!key.has_value() || key->empty()) {
    return core::InvalidArgument("key is not base64");
  }
  if ((*key)[0] != kAlgEd25519) {
    return core::InvalidArgument("key algorithm is not Ed25519");
  }
  if (key->size() != 1 + kEd25519PublicKeyBytes) {
    return core::InvalidArgument("Ed25519 key is not 32 bytes");
  }
  return key->substr(1);
}

}  // namespace

std::uint32_t NoteKeyId(std::string_view name, std::string_view public_key) {
  std::string input(name);
  input += '\n';
  input += kAlgEd25519;
  input += public_key;
  return ReadBigEndian32(Sha256(input));
}

bool IsValidNoteKeyName(std::string_view name) {
  if (name.empty() || !core::IsValidUtf8(name)) {
    return false;
  }
  for (std::size_t i = 0; i < name.size();) {
    const char32_t c = DecodeAt(name, i);
    if (c == U'+' || IsUnicodeSpace(c)) {
      return false;
    }
  }
  return true;
}

core::Result<NoteSigner> NoteSigner::Generate(std::string name) {
  ASSIGN_OR_RETURN(std::string seed, RandomBytes(kEd25519SeedBytes));
  return FromSeed(std::move(name), seed);
}

core::Result<NoteSigner> NoteSigner::FromSeed(std::string name, std::string_view seed) {
  if (!IsValidNoteKeyName(name)) {
    return core::InvalidArgument("invalid note key name");
  }
  if (seed.size() != kEd25519SeedBytes) {
    return core::InvalidArgument("Ed25519 seed must be 32 bytes");
  }
  Pkey pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, Bytes(seed), seed.size()));
  std::string public_key(kEd25519PublicKeyBytes, '\0');
  std::size_t len = public_key.size();
  if (!pkey ||
      EVP_PKEY_get_raw_public_key(pkey.get(), reinterpret_cast<unsigned char*>(public_key.data()),
                                  &len) != 1 ||
      len != kEd25519PublicKeyBytes) {
    return core::Internal("cannot derive the Ed25519 public key");
  }
  NoteSigner signer;
  signer.key_id_ = NoteKeyId(name, public_key);
  signer.name_ = std::move(name);
  signer.seed_ = std::string(seed);
  signer.public_key_ = std::move(public_key);
  return signer;
}

core::Result<NoteSigner> NoteSigner::FromKeyString(std::string_view signer_key) {
  if (signer_key.substr(0, kSignerPrefix.size()) != kSignerPrefix) {
    return core::InvalidArgument("signer key does not start with PRIVATE+KEY+");
  }
  const auto [name, rest] = Chop(signer_key.substr(kSignerPrefix.size()), '+');
  const auto [id_hex, key_b64] = Chop(rest, '+');
  std::uint32_t key_id = 0;
  if (!IsValidNoteKeyName(name) || !ParseKeyId(id_hex, key_id)) {
    return core::InvalidArgument("signer key is not PRIVATE+KEY+<name>+<id>+<key>");
  }
  ASSIGN_OR_RETURN(std::string seed, DecodeEd25519Key(key_b64));
  ASSIGN_OR_RETURN(NoteSigner signer, FromSeed(std::string(name), seed));
  if (signer.key_id_ != key_id) {
    return core::InvalidArgument("signer key id does not match the key");
  }
  return signer;
}

std::string NoteSigner::KeyString() const {
  return std::string(kSignerPrefix) + name_ + "+" + KeyIdHex(key_id_) + "+" +
         Base64Encode(std::string(1, kAlgEd25519) + seed_);
}

std::string NoteSigner::VerifierKey() const {
  return name_ + "+" + KeyIdHex(key_id_) + "+" +
         Base64Encode(std::string(1, kAlgEd25519) + public_key_);
}

core::Result<std::string> NoteSigner::Sign(std::string_view message) const {
  Pkey pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, Bytes(seed_), seed_.size()));
  MdCtx ctx(EVP_MD_CTX_new());
  std::string signature(kEd25519SignatureBytes, '\0');
  std::size_t len = signature.size();
  if (!pkey || !ctx || EVP_DigestSignInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(signature.data()), &len,
                     Bytes(message), message.size()) != 1 ||
      len != kEd25519SignatureBytes) {
    return core::Internal("Ed25519 signing failed");
  }
  return signature;
}

core::Result<NoteVerifier> NoteVerifier::FromVerifierKey(std::string_view verifier_key) {
  const auto [name, rest] = Chop(verifier_key, '+');
  const auto [id_hex, key_b64] = Chop(rest, '+');
  std::uint32_t key_id = 0;
  if (!IsValidNoteKeyName(name) || !ParseKeyId(id_hex, key_id)) {
    return core::InvalidArgument("verifier key is not <name>+<id>+<key>");
  }
  ASSIGN_OR_RETURN(std::string public_key, DecodeEd25519Key(key_b64));
  if (NoteKeyId(name, public_key) != key_id) {
    return core::InvalidArgument("verifier key id does not match the key");
  }
  NoteVerifier verifier;
  verifier.name_ = std::string(name);
  verifier.public_key_ = std::move(public_key);
  verifier.key_id_ = key_id;
  return verifier;
}

std::string NoteVerifier::VerifierKey() const {
  return name_ + "+" + KeyIdHex(key_id_) + "+" +
         Base64Encode(std::string(1, kAlgEd25519) + public_key_);
}

bool NoteVerifier::Verify(std::string_view message, std::string_view signature) const {
  if (signature.size() != kEd25519SignatureBytes) {
    return false;
  }
  Pkey pkey(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, Bytes(public_key_),
                                        public_key_.size()));
  MdCtx ctx(EVP_MD_CTX_new());
  return pkey && ctx &&
         EVP_DigestVerifyInit(ctx.get(), nullptr, nullptr, nullptr, pkey.get()) == 1 &&
         EVP_DigestVerify(ctx.get(), Bytes(signature), signature.size(), Bytes(message),
                          message.size()) == 1;
}

core::Result<Note> ParseNote(std::string_view note) {
  RETURN_IF_ERROR(CheckNoteBytes(note));
  // The text ends at the last blank line; everything after it is signature lines.
  const std::size_t split = note.rfind("\n\n");
  if (split == std::string_view::npos) {
    return core::InvalidArgument("note has no blank line before its signatures");
  }
  Note parsed;
  parsed.text = std::string(note.substr(0, split + 1));
  std::string_view sigs = note.substr(split + 2);
  if (sigs.empty() || sigs.back() != '\n') {
    return core::InvalidArgument("note has no signature lines or lacks a final newline");
  }
  while (!sigs.empty()) {
    const std::size_t eol = sigs.find('\n');
    std::string_view line = sigs.substr(0, eol);
    sigs.remove_prefix(eol + 1);
    if (parsed.signatures.size() == kMaxSignatures) {
      return core::InvalidArgument("note has more than 100 signatures");
    }
    if (line.substr(0, kSignaturePrefix.size()) != kSignaturePrefix) {
      return core::InvalidArgument("signature line does not start with an em dash and space");
    }
    const auto [name, b64] = Chop(line.substr(kSignaturePrefix.size()), ' ');
    core::Result<std::string> raw = Base64Decode(b64);
    if (!IsValidNoteKeyName(name) || b64.empty() || !raw.has_value() || raw->size() < 5) {
      return core::InvalidArgument("malformed signature line");
    }
    parsed.signatures.push_back(
        NoteSignature{std::string(name), ReadBigEndian32(*raw), raw->substr(4)});
  }
  return parsed;
}

core::Result<std::string> SignNote(std::string_view text, std::span<const NoteSigner> signers) {
  if (text.empty() || text.back() != '\n') {
    return core::InvalidArgument("note text must end in a newline");
  }
  RETURN_IF_ERROR(CheckNoteBytes(text));
  if (signers.empty()) {
    return core::InvalidArgument("a note needs at least one signer");
  }
  std::string out(text);
  out += '\n';
  for (const NoteSigner& signer : signers) {
    ASSIGN_OR_RETURN(std::string signature, signer.Sign(text));
    out += kSignaturePrefix;
    out += signer.Name() + " " + Base64Encode(BigEndian32(signer.KeyId()) + signature) + "\n";
  }
  return out;
}

core::Result<VerifiedNote> OpenNote(std::string_view note,
                                    std::span<const NoteVerifier> verifiers) {
  ASSIGN_OR_RETURN(Note parsed, ParseNote(note));
  VerifiedNote result;
  std::set<std::pair<std::string, std::uint32_t>> seen;
  for (NoteSignature& sig : parsed.signatures) {
    const NoteVerifier* known = nullptr;
    for (const NoteVerifier& v : verifiers) {
      if (v.Name() == sig.name && v.KeyId() == sig.key_id) {
        known = &v;
        break;
      }
    }
    if (known == nullptr) {
      result.unverified.push_back(std::move(sig));
      continue;
    }
    if (!seen.insert({sig.name, sig.key_id}).second) {
      continue;  // A repeated signature by the same key.
    }
    if (!known->Verify(parsed.text, sig.signature)) {
      return core::DataLoss("signature by " + sig.name + "+" + KeyIdHex(sig.key_id) +
                            " does not verify: the note was altered");
    }
    result.verified.push_back(std::move(sig));
  }
  if (result.verified.empty()) {
    return core::Unauthenticated("note is not signed by any trusted key");
  }
  result.text = std::move(parsed.text);
  return result;
}

}  // namespace custos::crypto
