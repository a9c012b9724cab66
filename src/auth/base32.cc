// SPDX-License-Identifier: Apache-2.0
#include "auth/base32.h"

#include <cstdint>
#include <string>

namespace custos::auth {
namespace {

constexpr std::string_view kAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
constexpr std::size_t kBitsPerChar = 5;
constexpr std::size_t kBlockChars = 8;

// The value of one Base32 character, or -1.
int CharValue(char c) {
  if (c >= 'A' && c <= 'Z') {
    return c - 'A';
  }
  if (c >= 'a' && c <= 'z') {
    return c - 'a';
  }
  if (c >= '2' && c <= '7') {
    return c - '2' + 26;
  }
  return -1;
}

}  // namespace

std::string Base32Encode(std::string_view bytes, bool pad) {
  std::string out;
  out.reserve((bytes.size() * 8 + kBitsPerChar - 1) / kBitsPerChar + kBlockChars);
  std::uint32_t buffer = 0;
  std::size_t bits = 0;
  for (const char c : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= kBitsPerChar) {
      bits -= kBitsPerChar;
      out.push_back(kAlphabet[(buffer >> bits) & 0x1f]);
    }
  }
  if (bits > 0) {
    out.push_back(kAlphabet[(buffer << (kBitsPerChar - bits)) & 0x1f]);
  }
  if (pad) {
    while (out.size() % kBlockChars != 0) {
      out.push_back('=');
    }
  }
  return out;
}

core::Result<std::string> Base32Decode(std::string_view text) {
  if (text.size() > kMaxBase32Chars) {
    return core::InvalidArgument("base32: text of " + std::to_string(text.size()) +
                                 " characters is longer than the limit of " +
                                 std::to_string(kMaxBase32Chars));
  }
  std::string_view body = text;
  const std::size_t first_pad = text.find('=');
  if (first_pad != std::string_view::npos) {
    if (text.size() % kBlockChars != 0) {
      return core::InvalidArgument("base32: padded text must be a multiple of 8 characters");
    }
    body = text.substr(0, first_pad);
    for (std::size_t i = first_pad; i < text.size(); ++i) {
      if (text[i] != '=') {
        return core::InvalidArgument("base32: character after padding at position " +
                                     std::to_string(i));
      }
    }
    if (text.size() - body.size() >= kBlockChars) {
      return core::InvalidArgument("base32: a whole block of padding");
    }
  }
  // Lengths mod 8 that some whole number of bytes produces: 0, 2, 4, 5, 7.
  const std::size_t tail = body.size() % kBlockChars;
  if (tail == 1 || tail == 3 || tail == 6) {
    return core::InvalidArgument("base32: " + std::to_string(body.size()) +
                                 " characters is not a length any byte string encodes to");
  }
  std::string out;
  out.reserve(body.size() * kBitsPerChar / 8);
  std::uint32_t buffer = 0;
  std::size_t bits = 0;
  for (std::size_t i = 0; i < body.size(); ++i) {
    const int v = CharValue(body[i]);
    if (v < 0) {
      return core::InvalidArgument("base32: invalid character at position " + std::to_string(i));
    }
    buffer = ((buffer << kBitsPerChar) | static_cast<std::uint32_t>(v)) & 0xfff;
    bits += kBitsPerChar;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((buffer >> bits) & 0xff));
    }
  }
  if ((buffer & ((1u << bits) - 1)) != 0) {
    return core::InvalidArgument("base32: non-zero bits after the last byte (not canonical)");
  }
  if (first_pad != std::string_view::npos &&
      (body.size() + kBlockChars - 1) / kBlockChars * kBlockChars != text.size()) {
    return core::InvalidArgument("base32: wrong amount of padding");
  }
  return out;
}

}  // namespace custos::auth
