// SPDX-License-Identifier: Apache-2.0
#include "crypto/signed_note.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace custos::crypto {
namespace {

using core::StatusCode;

const std::string kEmDash = "\xe2\x80\x94";

// The example key and note of golang.org/x/mod/sumdb/note, the reference implementation.
const std::string kGoSignerKey =
    "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
const std::string kGoVerifierKey =
    "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
const std::string kGoText =
    "If you think cryptography is the answer to your problem,\n"
    "then you don't know what your problem is.\n";
const std::string kGoNote =
    kGoText + "\n" + kEmDash +
    " PeterNeumann "
    "x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6"
    "RyyBwJnAM=\n";

NoteVerifier Verifier(const std::string& key) { return *NoteVerifier::FromVerifierKey(key); }

TEST(SignedNote, ReproducesTheReferenceExampleByteForByte) {
  auto signer = NoteSigner::FromKeyString(kGoSignerKey);
  ASSERT_TRUE(signer.has_value()) << signer.error().ToString();
  EXPECT_EQ(signer->Name(), "PeterNeumann");
  EXPECT_EQ(signer->KeyId(), 0xc74f20a3u);
  EXPECT_EQ(signer->VerifierKey(), kGoVerifierKey);
  EXPECT_EQ(signer->KeyString(), kGoSignerKey);
  const NoteSigner signers[] = {*signer};
  auto note = SignNote(kGoText, signers);
  ASSERT_TRUE(note.has_value()) << note.error().ToString();
  EXPECT_EQ(*note, kGoNote);
}

TEST(SignedNote, OpensTheReferenceExamples) {
  const NoteVerifier go[] = {Verifier(kGoVerifierKey)};
  auto opened = OpenNote(kGoNote, go);
  ASSERT_TRUE(opened.has_value()) << opened.error().ToString();
  EXPECT_EQ(opened->text, kGoText);
  ASSERT_EQ(opened->verified.size(), 1u);
  EXPECT_EQ(opened->verified[0].name, "PeterNeumann");
  EXPECT_EQ(opened->verified[0].key_id, 0xc74f20a3u);

  // The example of the C2SP signed-note specification.
  const NoteVerifier spec[] = {
      Verifier("example.com/foo+530d903a+AekyeRrm56hApGFkyQR4ZCbV54Id2LKaANYcrnKv3U2k")};
  const std::string spec_note = "This is an example message.\n\n" + kEmDash +
                                " example.com/foo Uw2QOkn8srV1yJGh2VYRlL1Tnagv1YEq6TfXppzi2ONncAlTg"
                                "K7Ztg1ERYNZXsYjOBH3mFXmRKuwHjG1Yu72IneyaQM=\n";
  auto spec_opened = OpenNote(spec_note, spec);
  ASSERT_TRUE(spec_opened.has_value()) << spec_opened.error().ToString();
  EXPECT_EQ(spec_opened->text, "This is an example message.\n");
}

TEST(SignedNote, RoundTripsWithAGeneratedKey) {
  auto signer = NoteSigner::Generate("custos.example/archive");
  ASSERT_TRUE(signer.has_value());
  EXPECT_EQ(signer->PublicKey().size(), 32u);
  auto verifier = NoteVerifier::FromVerifierKey(signer->VerifierKey());
  ASSERT_TRUE(verifier.has_value()) << verifier.error().ToString();
  EXPECT_EQ(verifier->PublicKey(), signer->PublicKey());
  EXPECT_EQ(verifier->VerifierKey(), signer->VerifierKey());
  auto reloaded = NoteSigner::FromKeyString(signer->KeyString());
  ASSERT_TRUE(reloaded.has_value());
  EXPECT_EQ(reloaded->PublicKey(), signer->PublicKey());

  const std::string text = "line one\n\nline three after a blank line\n";
  const NoteSigner signers[] = {*signer};
  auto note = SignNote(text, signers);
  ASSERT_TRUE(note.has_value());
  const NoteVerifier verifiers[] = {*verifier};
  auto opened = OpenNote(*note, verifiers);
  ASSERT_TRUE(opened.has_value()) << opened.error().ToString();
  EXPECT_EQ(opened->text, text);
}

TEST(SignedNote, AlteredTextOrSignatureIsDataLoss) {
  const NoteVerifier go[] = {Verifier(kGoVerifierKey)};
  std::string altered_text = kGoNote;
  altered_text[3] = 'Y';
  EXPECT_EQ(OpenNote(altered_text, go).error().code(), StatusCode::kDataLoss);

  std::string altered_sig = kGoNote;
  const std::size_t pos = altered_sig.find("ZJku");
  altered_sig[pos] = 'Y';
  EXPECT_EQ(OpenNote(altered_sig, go).error().code(), StatusCode::kDataLoss);
}

TEST(SignedNote, NoteFromAnUnknownKeyIsUnauthenticated) {
  auto other = NoteSigner::Generate("PeterNeumann");  // same name, different key id
  ASSERT_TRUE(other.has_value());
  const NoteVerifier verifiers[] = {Verifier(other->VerifierKey())};
  EXPECT_EQ(OpenNote(kGoNote, verifiers).error().code(), StatusCode::kUnauthenticated);
  EXPECT_EQ(OpenNote(kGoNote, {}).error().code(), StatusCode::kUnauthenticated);
}

TEST(SignedNote, UnknownSignaturesAreIgnoredBesideAKnownOne) {
  auto a = NoteSigner::Generate("a.example");
  auto b = NoteSigner::Generate("b.example");
  ASSERT_TRUE(a.has_value() && b.has_value());
  const NoteSigner signers[] = {*a, *b};
  auto note = SignNote("hello\n", signers);
  ASSERT_TRUE(note.has_value());
  const NoteVerifier only_b[] = {Verifier(b->VerifierKey())};
  auto opened = OpenNote(*note, only_b);
  ASSERT_TRUE(opened.has_value()) << opened.error().ToString();
  ASSERT_EQ(opened->verified.size(), 1u);
  EXPECT_EQ(opened->verified[0].name, "b.example");
  ASSERT_EQ(opened->unverified.size(), 1u);
  EXPECT_EQ(opened->unverified[0].name, "a.example");
}

TEST(SignedNote, RejectsMalformedNotes) {
  const std::string sig_line = kGoNote.substr(kGoText.size() + 1);
  const std::vector<std::string> bad = {
      kGoText + sig_line,                                 // no blank line
      kGoNote.substr(0, kGoNote.size() - 1),              // no final newline
      kGoText + "\n",                                     // no signatures
      kGoText + "\n-- PeterNeumann x08go/ZJkuBS9U=\n",    // not an em dash
      kGoText + "\n" + kEmDash + " PeterNeumann AAAA\n",  // signature too short
      kGoText + "\n" + kEmDash + " Peter+Neumann " + sig_line.substr(sig_line.rfind(' ') + 1),
      kGoText + "\n" + kEmDash + "  PeterNeumann AAAAAAAA\n",  // empty name
      kGoText + "\n" + kEmDash + " PeterNeumann not*base64\n",
      "tab\there\n\n" + sig_line,  // control character
      "bad \xff utf8\n\n" + sig_line,
  };
  for (const std::string& note : bad) {
    auto parsed = ParseNote(note);
    ASSERT_FALSE(parsed.has_value()) << note;
    EXPECT_EQ(parsed.error().code(), StatusCode::kInvalidArgument) << note;
  }
  std::string many = kGoText + "\n";
  for (int i = 0; i < 101; ++i) {
    many += sig_line;
  }
  EXPECT_EQ(ParseNote(many).error().code(), StatusCode::kInvalidArgument);
}

TEST(SignedNote, SignRejectsTextThatCannotBeANote) {
  auto signer = NoteSigner::FromKeyString(kGoSignerKey);
  ASSERT_TRUE(signer.has_value());
  const NoteSigner signers[] = {*signer};
  EXPECT_EQ(SignNote("", signers).error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(SignNote("no newline", signers).error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(SignNote("bell\a\n", signers).error().code(), StatusCode::kInvalidArgument);
  EXPECT_EQ(SignNote("fine\n", {}).error().code(), StatusCode::kInvalidArgument);
}

TEST(SignedNote, RejectsMalformedKeys) {
  const std::vector<std::string> bad_verifiers = {
      "",
      "PeterNeumann",
      "PeterNeumann+c74f20a3",
      "PeterNeumann+c74f20a4+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  // wrong id
      "PeterNeumann+c74f20a+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",   // short id
      "Peter Neumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",
      "PeterNeumann+cc469956+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TWBADKEY==",
      "PeterNeumann+173116ae+ZRpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW",  // not Ed25519
  };
  for (const std::string& key : bad_verifiers) {
    EXPECT_FALSE(NoteVerifier::FromVerifierKey(key).has_value()) << key;
  }
  // Every single-byte change to the reference keys is caught.
  for (std::size_t i = 0; i < kGoVerifierKey.size(); ++i) {
    std::string key = kGoVerifierKey;
    ++key[i];
    EXPECT_FALSE(NoteVerifier::FromVerifierKey(key).has_value()) << key;
  }
  for (std::size_t i = 0; i < kGoSignerKey.size(); ++i) {
    std::string key = kGoSignerKey;
    ++key[i];
    EXPECT_FALSE(NoteSigner::FromKeyString(key).has_value()) << key;
  }
  EXPECT_FALSE(NoteSigner::FromSeed("name", "short").has_value());
  EXPECT_FALSE(NoteSigner::Generate("bad name").has_value());
}

TEST(SignedNote, KeyNamesFollowTheSpec) {
  EXPECT_TRUE(IsValidNoteKeyName("example.com/log42"));
  EXPECT_TRUE(IsValidNoteKeyName("caf\xc3\xa9"));
  EXPECT_FALSE(IsValidNoteKeyName(""));
  EXPECT_FALSE(IsValidNoteKeyName("a+b"));
  EXPECT_FALSE(IsValidNoteKeyName("a b"));
  EXPECT_FALSE(IsValidNoteKeyName("a\tb"));
  EXPECT_FALSE(
      IsValidNoteKeyName("a\xc2\xa0"
                         "b"));  // U+00A0 no-break space
  EXPECT_FALSE(
      IsValidNoteKeyName("a\xe3\x80\x80"
                         "b"));  // U+3000 ideographic space
  EXPECT_FALSE(IsValidNoteKeyName("\xff"));
}

}  // namespace
}  // namespace custos::crypto
