// SPDX-License-Identifier: Apache-2.0
#include "policy/eval/ascii_pass.h"

#include "policy/detectors/detector.h"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace custos::policy::eval {
namespace {

bool IsLetter(unsigned char c) { return static_cast<unsigned char>((c | 0x20) - 'a') < 26; }

bool IsDigit(unsigned char c) { return static_cast<unsigned char>(c - '0') < 10; }

bool IsWord(unsigned char c) { return IsLetter(c) || IsDigit(c); }

std::uint8_t ProfileBit(unsigned char c) {
  if (IsDigit(c)) {
    return kNeedDigit;
  }
  switch (c) {
    case '@':
      return kNeedAt;
    case ':':
      return kNeedColon;
    case '-':
      return kNeedDash;
    case '_':
      return kNeedUnderscore;
    case 'A':
      return kNeedUpperA;
    case 'g':
      return kNeedLowerG;
    case 'x':
      return kNeedLowerX;
    default:
      return 0;
  }
}

struct Acc {
  unsigned char high = 0;
  bool controls = false;
  bool doubles = false;
  std::size_t singles = 0;
  std::uint8_t profile = 0;
};

void ScalarStep(const unsigned char* s, std::size_t n, std::size_t i, char* lower, Acc& acc) {
  const unsigned char c = s[i];
  acc.high |= c;
  lower[i] = static_cast<char>(c + (static_cast<unsigned char>(c - 'A') < 26 ? 32 : 0));
  acc.controls = acc.controls || c < 0x20;
  acc.doubles = acc.doubles || (c == ' ' && i + 1 < n && s[i + 1] == ' ');
  if (IsLetter(c) && (i == 0 || !IsWord(s[i - 1])) && (i + 1 == n || !IsWord(s[i + 1]))) {
    ++acc.singles;
  }
  acc.profile |= ProfileBit(c);
}

#if defined(__SSE2__)
__m128i InRange(__m128i v, char lo, char hi) {  // signed: bytes >= 0x80 are never in range
  return _mm_and_si128(_mm_cmpgt_epi8(v, _mm_set1_epi8(static_cast<char>(lo - 1))),
                       _mm_cmplt_epi8(v, _mm_set1_epi8(static_cast<char>(hi + 1))));
}

__m128i Letters(__m128i v) { return InRange(_mm_or_si128(v, _mm_set1_epi8(0x20)), 'a', 'z'); }

__m128i Words(__m128i v) { return _mm_or_si128(Letters(v), InRange(v, '0', '9')); }

__m128i Equal(__m128i v, char c) { return _mm_cmpeq_epi8(v, _mm_set1_epi8(c)); }

bool Any(__m128i v) { return _mm_movemask_epi8(v) != 0; }

// Set bits of a 16-bit mask (std::popcount is a libgcc call without -mpopcnt).
unsigned PopCount16(unsigned x) {
  x = x - ((x >> 1) & 0x5555U);
  x = (x & 0x3333U) + ((x >> 2) & 0x3333U);
  x = (x + (x >> 4)) & 0x0F0FU;
  return (x + (x >> 8)) & 0x1FU;
}

struct VectorAcc {
  __m128i high = _mm_setzero_si128();
  __m128i controls = _mm_setzero_si128();
  __m128i doubles = _mm_setzero_si128();
  __m128i profile[8] = {};
};

constexpr std::size_t kWidth = 16;

// Bytes [i, i + 16), with 1 <= i and i + 17 <= n (it reads one byte on each side); counts the
// single letters only in lanes set in `count_lanes`.
void Block(const unsigned char* s, std::size_t i, char* lower, unsigned count_lanes,
           VectorAcc& v_acc, Acc& acc) {
  static constexpr char kProfileBytes[7] = {'@', ':', '-', '_', 'A', 'g', 'x'};
  const __m128i space = _mm_set1_epi8(' ');
  const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i));
  const __m128i before = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i - 1));
  const __m128i after = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s + i + 1));
  v_acc.high = _mm_or_si128(v_acc.high, v);
  const __m128i upper = InRange(v, 'A', 'Z');
  _mm_storeu_si128(reinterpret_cast<__m128i*>(lower + i),
                   _mm_add_epi8(v, _mm_and_si128(upper, _mm_set1_epi8(0x20))));
  v_acc.controls = _mm_or_si128(v_acc.controls, _mm_cmplt_epi8(v, space));
  v_acc.doubles = _mm_or_si128(
      v_acc.doubles, _mm_and_si128(_mm_cmpeq_epi8(v, space), _mm_cmpeq_epi8(after, space)));
  const __m128i single =
      _mm_andnot_si128(Words(before), _mm_andnot_si128(Words(after), Letters(v)));
  acc.singles += static_cast<std::size_t>(
      PopCount16(static_cast<unsigned>(_mm_movemask_epi8(single)) & count_lanes));
  v_acc.profile[0] = _mm_or_si128(v_acc.profile[0], InRange(v, '0', '9'));
  for (int b = 0; b < 7; ++b) {
    v_acc.profile[b + 1] = _mm_or_si128(v_acc.profile[b + 1], Equal(v, kProfileBytes[b]));
  }
}

// Bytes [1, n - 1) of a text of n >= 18 bytes, in blocks of 16; the last block overlaps the
// one before it (its lower-case bytes and flags are the same; the single letters of lanes
// already counted are masked). Returns the first byte not done (n - 1).
std::size_t VectorSteps(const unsigned char* s, std::size_t n, char* lower, Acc& acc) {
  if (n < kWidth + 2) {
    return 1;
  }
  VectorAcc v_acc;
  std::size_t i = 1;
  for (; i + kWidth + 1 <= n; i += kWidth) {
    Block(s, i, lower, 0xFFFF, v_acc, acc);
  }
  if (i < n - 1) {
    const std::size_t last = n - 1 - kWidth;  // >= 1; lanes [0, i - last) were counted
    Block(s, last, lower, 0xFFFFU << (i - last), v_acc, acc);
  }
  acc.high |=
      static_cast<unsigned char>(Any(_mm_cmplt_epi8(v_acc.high, _mm_setzero_si128())) ? 0x80 : 0);
  acc.controls = acc.controls || Any(v_acc.controls);
  acc.doubles = acc.doubles || Any(v_acc.doubles);
  static constexpr std::uint8_t kBits[8] = {kNeedDigit,      kNeedAt,     kNeedColon,  kNeedDash,
                                            kNeedUnderscore, kNeedUpperA, kNeedLowerG, kNeedLowerX};
  for (int b = 0; b < 8; ++b) {
    acc.profile |= Any(v_acc.profile[b]) ? kBits[b] : 0;
  }
  return n - 1;
}
#else
std::size_t VectorSteps(const unsigned char*, std::size_t, char*, Acc&) { return 1; }
#endif

}  // namespace

AsciiPass ScanAscii(std::string_view in, std::string& lower) {
  const std::size_t n = in.size();
  lower.resize(n);
  AsciiPass pass;
  if (n == 0) {
    return pass;
  }
  const auto* s = reinterpret_cast<const unsigned char*>(in.data());
  Acc acc;
  ScalarStep(s, n, 0, lower.data(), acc);
  for (std::size_t i = VectorSteps(s, n, lower.data(), acc); i < n; ++i) {
    ScalarStep(s, n, i, lower.data(), acc);
  }
  pass.ascii = acc.high < 0x80;
  pass.simple_blanks = !acc.controls && !acc.doubles;
  pass.single_letters = acc.singles;
  pass.profile = acc.profile;
  return pass;
}

}  // namespace custos::policy::eval
