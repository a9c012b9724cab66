// SPDX-License-Identifier: Apache-2.0
#include "policy/eval/fold.h"

#include <algorithm>
#include <vector>

#include <unicode/uchar.h>

#include "policy/eval/unicode.h"

namespace custos::policy::eval {
namespace {

bool IsJoinSeparator(char c) { return c == ' ' || c == '.' || c == '-' || c == '_' || c == '*'; }

bool IsMark(char32_t cp) {
  return cp >= 0x80 && (U_GET_GC_MASK(static_cast<UChar32>(cp)) & U_GC_M_MASK) != 0;
}

struct Word {
  std::size_t begin = 0;
  std::size_t end = 0;
  bool single_letter = false;
  bool ascii = true;
};

// Words of the folded view; '_' separates words here, so that "b_i_t_c_h" is five letters.
bool InWord(char32_t cp) { return cp != '_' && IsWordCodePoint(cp); }

std::vector<Word> Words(std::string_view in) {
  std::vector<Word> words;
  std::size_t i = 0;
  while (i < in.size()) {
    std::size_t len = 0;
    char32_t cp = DecodeAt(in, i, &len);
    if (!InWord(cp)) {
      i += len;
      continue;
    }
    Word w;
    w.begin = i;
    int count = 0;
    bool alpha = true;
    while (i < in.size() && InWord(cp)) {
      w.ascii = w.ascii && cp < 0x80;
      alpha = alpha && (cp < 0x80 ? ((cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z'))
                                  : u_isalpha(static_cast<UChar32>(cp)) != 0);
      ++count;
      i += len;
      if (i < in.size()) {
        cp = DecodeAt(in, i, &len);
      }
    }
    w.end = i;
    w.single_letter = count == 1 && alpha;
    words.push_back(w);
  }
  return words;
}

// Marks the separators inside runs of single letters ("f u c k") for removal.
std::vector<std::size_t> JoinSeparators(std::string_view in, const std::vector<Word>& words) {
  std::vector<std::size_t> drop;
  std::size_t k = 0;
  while (k < words.size()) {
    std::size_t j = k;
    while (words[j].single_letter && j + 1 < words.size() && words[j + 1].single_letter &&
           words[j + 1].begin == words[j].end + 1 && IsJoinSeparator(in[words[j].end])) {
      ++j;
    }
    if (j - k + 1 >= kMinJoinedLetters) {
      for (std::size_t m = k; m < j; ++m) {
        drop.push_back(words[m].end);
      }
    }
    k = j + 1;
  }
  return drop;
}

// Appends the folded word, or copies it unchanged; returns whether it changed.
bool EmitWord(std::string_view in, const Word& w, View& out) {
  if (w.ascii) {
    out.text.append(in.substr(w.begin, w.end - w.begin));
    out.map.AppendCopy(w.end - w.begin, w.begin);
    return false;
  }
  std::string folded;
  for (std::size_t i = w.begin; i < w.end;) {
    std::size_t len = 0;
    const char32_t cp = DecodeAt(in, i, &len);
    if (cp >= 0x80 && !IsMark(cp) && FoldToAscii(cp) == 0) {
      out.text.append(in.substr(w.begin, w.end - w.begin));
      out.map.AppendCopy(w.end - w.begin, w.begin);
      return false;
    }
    i += len;
  }
  for (std::size_t i = w.begin; i < w.end;) {
    std::size_t len = 0;
    const char32_t cp = DecodeAt(in, i, &len);
    if (cp < 0x80) {
      out.text.push_back(static_cast<char>(cp));
      out.map.AppendCopy(1, i);
    } else if (!IsMark(cp)) {
      out.text.push_back(FoldToAscii(cp));
      out.map.AppendReplace(1, i, i + len);
    }
    i += len;
  }
  return true;
}

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool IsAsciiWord(char c) { return IsAsciiLetter(c) || (c >= '0' && c <= '9'); }

// For pure-ASCII text: whether some run of 3+ single letters is joined by single separators.
// Lets ordinary messages skip building the folded view.
bool HasAsciiJoinRun(std::string_view s) {
  std::size_t run = 0;
  std::size_t i = 0;
  while (i < s.size()) {
    if (!IsAsciiWord(s[i])) {
      ++i;
      continue;
    }
    std::size_t j = i;
    while (j < s.size() && IsAsciiWord(s[j])) {
      ++j;
    }
    run = (j - i == 1 && IsAsciiLetter(s[i])) ? run + 1 : 0;
    if (run >= kMinJoinedLetters) {
      return true;
    }
    if (!(j + 1 < s.size() && IsJoinSeparator(s[j]) && IsAsciiWord(s[j + 1]))) {
      run = 0;
    }
    i = j;
  }
  return false;
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(),
                     [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

bool IsLeetRunChar(std::string_view in, std::size_t i, std::size_t* len) {
  const char c = in[i];
  if (static_cast<unsigned char>(c) < 0x80) {
    *len = 1;
    return IsAsciiWord(c) || c == '_' || c == '@' || c == '$' || c == '!';
  }
  return IsWordCodePoint(DecodeAt(in, i, len));
}

}  // namespace

bool BuildFolded(std::string_view in, View& out) {
  if (IsAscii(in) && !HasAsciiJoinRun(in)) {
    return false;
  }
  const std::vector<Word> words = Words(in);
  const std::vector<std::size_t> drop = JoinSeparators(in, words);
  bool changed = !drop.empty();
  std::size_t next_drop = 0;
  std::size_t pos = 0;
  auto copy_until = [&](std::size_t end) {
    while (pos < end) {
      if (next_drop < drop.size() && drop[next_drop] == pos) {
        ++next_drop;
        ++pos;
        continue;
      }
      std::size_t stop = end;
      if (next_drop < drop.size() && drop[next_drop] < stop) {
        stop = drop[next_drop];
      }
      out.text.append(in.substr(pos, stop - pos));
      out.map.AppendCopy(stop - pos, pos);
      pos = stop;
    }
  };
  for (const Word& w : words) {
    copy_until(w.begin);
    changed = EmitWord(in, w, out) || changed;
    pos = w.end;
  }
  copy_until(in.size());
  return changed;
}

bool BuildLeet(std::string_view in, View& out) {
  if (std::none_of(in.begin(), in.end(), [](char c) { return LeetLetter(c) != 0; })) {
    return false;
  }
  bool changed = false;
  std::size_t i = 0;
  std::size_t copied = 0;
  while (i < in.size()) {
    std::size_t len = 0;
    if (!IsLeetRunChar(in, i, &len)) {
      i += len;
      continue;
    }
    const std::size_t begin = i;
    bool letter = false;
    bool leet = false;
    while (i < in.size() && IsLeetRunChar(in, i, &len)) {
      const char c = in[i];
      if (len == 1 && LeetLetter(c) != 0) {
        leet = true;
      } else if (len > 1 || (c >= 'a' && c <= 'z')) {
        letter = true;
      }
      i += len;
    }
    if (!letter || !leet) {
      continue;
    }
    // '!' reads as a letter only inside the run ("sh!t"), not as punctuation around it.
    std::size_t last = i;
    while (last > begin && in[last - 1] == '!') {
      --last;
    }
    out.text.append(in.substr(copied, begin - copied));
    out.map.AppendCopy(begin - copied, copied);
    for (std::size_t k = begin; k < i; ++k) {
      const char c = in[k];
      const bool inside = k > begin && k < last;
      const char mapped = (c == '!' && !inside) ? 0 : LeetLetter(c);
      out.text.push_back(mapped != 0 ? mapped : c);
      if (mapped != 0) {
        out.map.AppendReplace(1, k, k + 1);
        changed = true;
      } else {
        out.map.AppendCopy(1, k);
      }
    }
    copied = i;
  }
  out.text.append(in.substr(copied));
  out.map.AppendCopy(in.size() - copied, copied);
  return changed;
}

}  // namespace custos::policy::eval
