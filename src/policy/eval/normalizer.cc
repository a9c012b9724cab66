// SPDX-License-Identifier: Apache-2.0
#include "policy/eval/normalizer.h"

#include <unicode/bytestream.h>
#include <unicode/edits.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>

#include "core/text.h"
#include "policy/detectors/detector.h"
#include "policy/eval/ascii_pass.h"
#include "policy/eval/fold.h"
#include "policy/eval/unicode.h"

namespace custos::policy::eval {
namespace {

bool IsAsciiBlank(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool IsApostrophe(char32_t cp) {
  return cp == 0x2018 || cp == 0x2019 || cp == 0x201B || cp == 0x02BC || cp == 0x2032 ||
         cp == 0xFF07;
}

bool IsDash(char32_t cp) {
  return (cp >= 0x2010 && cp <= 0x2015) || cp == 0x2212 || cp == 0xFE58 || cp == 0xFE63 ||
         cp == 0xFF0D;
}

// Replaces each byte of an invalid UTF-8 sequence with U+FFFD.
void Sanitize(std::string_view in, View& out) {
  for (std::size_t i = 0; i < in.size();) {
    std::size_t len = 0;
    const char32_t cp = DecodeAt(in, i, &len);
    if (cp == 0xFFFD && !(len == 3 && in.substr(i, 3) == "\xEF\xBF\xBD")) {
      out.text += "\xEF\xBF\xBD";
      out.map.AppendReplace(3, i, i + 1);
    } else {
      out.text.append(in.substr(i, len));
      out.map.AppendCopy(len, i);
    }
    i += len;
  }
}

// Normalises valid UTF-8 with ICU, recording the edits as the view's map.
void IcuNormalize(const icu::Normalizer2& normalizer, std::string_view in, View& out) {
  UErrorCode status = U_ZERO_ERROR;
  icu::Edits edits;
  icu::StringByteSink<std::string> sink(&out.text);
  normalizer.normalizeUTF8(0, icu::StringPiece(in.data(), static_cast<int32_t>(in.size())), sink,
                           &edits, status);
  if (U_FAILURE(status)) {
    out.text.assign(in);
    out.map = OffsetMap();
    out.map.AppendCopy(in.size(), 0);
    return;
  }
  icu::Edits::Iterator it = edits.getFineIterator();
  while (it.next(status)) {
    const auto src = static_cast<std::size_t>(it.sourceIndex());
    if (it.hasChange()) {
      out.map.AppendReplace(static_cast<std::size_t>(it.newLength()), src,
                            src + static_cast<std::size_t>(it.oldLength()));
    } else {
      out.map.AppendCopy(static_cast<std::size_t>(it.oldLength()), src);
    }
  }
}

// Batches byte-for-byte copies into one map segment per run.
class CopyRun {
 public:
  explicit CopyRun(OffsetMap& map) : map_(map) {}

  ~CopyRun() { Flush(); }

  CopyRun(const CopyRun&) = delete;
  CopyRun& operator=(const CopyRun&) = delete;

  void Add(std::size_t pos, std::size_t len) {
    if (len_ > 0 && start_ + len_ != pos) {
      Flush();
    }
    if (len_ == 0) {
      start_ = pos;
    }
    len_ += len;
  }

  void Flush() {
    map_.AppendCopy(len_, start_);
    len_ = 0;
  }

 private:
  OffsetMap& map_;
  std::size_t start_ = 0;
  std::size_t len_ = 0;
};

// The ASCII fast path of Tidy: lower-cases and collapses blanks; the map is one copy segment
// per run between dropped blanks.
void TidyAscii(std::string_view in, View& out) {
  out.text.resize(in.size());
  char* dst = out.text.data();
  std::size_t written = 0;
  std::size_t run_start = 0;
  bool space = false;
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (IsAsciiBlank(c)) {
      if (space) {
        out.map.AppendCopy(i - run_start, run_start);
        run_start = i + 1;
        continue;
      }
      c = ' ';
      space = true;
    } else {
      space = false;
      if (c >= 'A' && c <= 'Z') {
        c = static_cast<char>(c - 'A' + 'a');
      }
    }
    dst[written++] = c;
  }
  out.map.AppendCopy(in.size() - run_start, run_start);
  out.text.resize(written);
}

// Collapses blanks, maps apostrophes and dashes, and lower-cases ASCII when asked.
void Tidy(std::string_view in, View& out, bool lower_ascii) {
  out.text.reserve(in.size());
  CopyRun run(out.map);
  bool space = false;
  for (std::size_t i = 0; i < in.size();) {
    const auto b = static_cast<unsigned char>(in[i]);
    if (b < 0x80) {
      char c = in[i];
      if (IsAsciiBlank(c)) {
        if (!space) {
          out.text.push_back(' ');
          run.Add(i, 1);
        }
        space = true;
      } else {
        if (lower_ascii && c >= 'A' && c <= 'Z') {
          c = static_cast<char>(c - 'A' + 'a');
        }
        out.text.push_back(c);
        run.Add(i, 1);
        space = false;
      }
      ++i;
      continue;
    }
    std::size_t len = 0;
    const char32_t cp = DecodeAt(in, i, &len);
    if (u_isUWhiteSpace(static_cast<UChar32>(cp))) {
      if (!space) {
        run.Flush();
        out.text.push_back(' ');
        out.map.AppendReplace(1, i, i + len);
      }
      space = true;
    } else if (IsApostrophe(cp) || IsDash(cp)) {
      run.Flush();
      out.text.push_back(IsDash(cp) ? '-' : '\'');
      out.map.AppendReplace(1, i, i + len);
      space = false;
    } else {
      out.text.append(in.substr(i, len));
      run.Add(i, len);
      space = false;
    }
    i += len;
  }
}

void DropIgnorables(std::string_view in, View& out) {
  out.text.reserve(in.size());
  CopyRun run(out.map);
  std::size_t start = 0;  // of the pending run of kept bytes
  for (std::size_t i = 0; i < in.size();) {
    if (static_cast<unsigned char>(in[i]) < 0x80) {
      ++i;
      continue;
    }
    std::size_t len = 0;
    const char32_t cp = DecodeAt(in, i, &len);
    if (u_hasBinaryProperty(static_cast<UChar32>(cp), UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) {
      out.text.append(in.substr(start, i - start));
      run.Add(start, i - start);
      start = i + len;
    }
    i += len;
  }
  out.text.append(in.substr(start));
  run.Add(start, in.size() - start);
}

const icu::Normalizer2* Nfkc(bool casefold) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* n = casefold ? icu::Normalizer2::getNFKCCasefoldInstance(status)
                                       : icu::Normalizer2::getNFKCInstance(status);
  return U_SUCCESS(status) ? n : nullptr;
}

// The text-view pipeline on `in`, whose map points into `in`; `pass` is ScanAscii's of `in`,
// which has already put the lower-case copy of ASCII text into `out.text`.
void TextView(std::string_view in, const AsciiPass& pass, View& out,
              std::unique_ptr<View>& intermediate) {
  if (pass.ascii) {
    if (pass.simple_blanks) {
      out.map.AppendCopy(in.size(), 0);
    } else {
      out.text.clear();
      TidyAscii(in, out);
    }
    return;
  }
  out.text.clear();
  const icu::Normalizer2* nfkc_cf = Nfkc(true);
  if (nfkc_cf == nullptr) {
    Tidy(in, out, true);
    return;
  }
  intermediate = std::make_unique<View>();
  IcuNormalize(*nfkc_cf, in, *intermediate);
  Tidy(intermediate->text, out, false);
}

}  // namespace

std::string_view ViewName(ViewId view) {
  switch (view) {
    case ViewId::kText:
      return "text";
    case ViewId::kFolded:
      return "folded";
    case ViewId::kLeet:
      return "leet";
  }
  return "text";
}

Normalized::Normalized(std::string_view original, bool want_folded, bool want_leet)
    : original_(original) {
  View* text = &text_view_;
  AsciiPass pass = ScanAscii(original, text->text);
  ascii_ = pass.ascii;
  if (ascii_) {
    detector_profile_ = pass.profile;
  }
  const View* base = Base();
  const std::string_view base_text = base != nullptr ? std::string_view(base->text) : original_;
  if (base != nullptr) {
    pass.ascii = false;  // the sanitised text has U+FFFD
  }
  // A pure-ASCII text's folded view differs only where 3+ single letters can be joined.
  const bool may_join = !ascii_ || pass.single_letters >= kMinJoinedLetters;
  std::unique_ptr<View> normalized;
  TextView(base_text, pass, *text, normalized);
  if (normalized) {
    normalized->base = base;
    text->base = normalized.get();
    chain_.push_back(std::move(normalized));
  } else {
    text->base = base;
  }
  views_[0] = text;
  if (want_folded && may_join) {
    auto folded = std::make_unique<View>();
    folded->base = views_[0];
    if (BuildFolded(views_[0]->text, *folded)) {
      views_[1] = folded.get();
      chain_.push_back(std::move(folded));
    }
  }
  if (want_leet) {
    const View* below = views_[1] != nullptr ? views_[1] : views_[0];
    auto leet = std::make_unique<View>();
    leet->base = below;
    if (BuildLeet(below->text, *leet)) {
      views_[2] = leet.get();
      chain_.push_back(std::move(leet));
    }
  }
}

const View* Normalized::Base() {
  if (!ascii_ && !sanitized_ && !core::IsValidUtf8(original_)) {
    sanitized_ = std::make_unique<View>();
    Sanitize(original_, *sanitized_);
  }
  return sanitized_.get();
}

const View* Normalized::Get(ViewId view) const { return views_[static_cast<int>(view)]; }

std::string_view Normalized::DetectorText() {
  if (ascii_) {
    return original_;
  }
  if (!detector_built_) {
    detector_built_ = true;
    const View* base = Base();
    const std::string_view base_text = base != nullptr ? std::string_view(base->text) : original_;
    auto nfkc = std::make_unique<View>();
    nfkc->base = base;
    if (const icu::Normalizer2* n = Nfkc(false)) {
      IcuNormalize(*n, base_text, *nfkc);
    } else {
      nfkc->text.assign(base_text);
      nfkc->map.AppendCopy(base_text.size(), 0);
    }
    auto dropped = std::make_unique<View>();
    dropped->base = nfkc.get();
    DropIgnorables(nfkc->text, *dropped);
    detector_ = dropped.get();
    detector_profile_ = TextProfile::Of(dropped->text).present;
    chain_.push_back(std::move(nfkc));
    chain_.push_back(std::move(dropped));
  }
  return detector_->text;
}

std::pair<std::size_t, std::size_t> Normalized::DetectorToOrigin(std::size_t begin,
                                                                 std::size_t end) const {
  return detector_ != nullptr ? detector_->ToOrigin(begin, end) : std::pair{begin, end};
}

const std::vector<std::size_t>& Normalized::WordStarts() {
  if (words_built_) {
    return word_starts_;
  }
  words_built_ = true;
  const View& text = *views_[0];
  const std::string_view s = text.text;
  bool in_word = false;
  for (std::size_t i = 0; i < s.size();) {
    std::size_t len = 0;
    const char32_t cp = DecodeAt(s, i, &len);
    const bool word = IsWordCodePoint(cp);
    const bool unspaced = word && IsUnspacedScript(cp);
    if (word && (!in_word || unspaced)) {
      word_starts_.push_back(text.ToOrigin(i, i + len).first);
    }
    in_word = word && !unspaced;
    i += len;
  }
  return word_starts_;
}

std::string NormalizeTerm(std::string_view term) {
  Normalized n(term, false, false);
  return std::string(core::TrimAscii(n.Get(ViewId::kText)->text));
}

std::string FoldTerm(std::string_view text_form) {
  View out;
  return BuildFolded(text_form, out) ? out.text : std::string(text_form);
}

std::string LeetTerm(std::string_view folded_form) {
  View out;
  return BuildLeet(folded_form, out) ? out.text : std::string(folded_form);
}

}  // namespace custos::policy::eval
