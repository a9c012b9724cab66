// SPDX-License-Identifier: Apache-2.0
// Normalisation of message text into the views rules match against (docs/policy-language.md
// §5), each with a map back to the original bytes:
//
//   text      NFKC + case fold (ICU nfkc_cf, which also drops default-ignorable characters:
//             zero-width, bidi controls, soft hyphen), blanks collapsed to one space, curly
//             apostrophes -> ', Unicode dashes -> -. Pure-ASCII text takes a fast path
//             (lower-case copy).
//   folded    text + inside words: look-alike letters and letters with diacritics -> ASCII
//             (only in words where every non-ASCII letter folds), combining marks dropped,
//             runs of 3+ single letters separated by one of " .-_*" joined.
//   leet      folded + leetspeak digits/symbols inside words that contain a letter -> letters.
//   detector  NFKC without case folding, default-ignorables removed (case matters to keys and
//             checksummed addresses); the original text itself when that is pure ASCII.
//
// Invalid UTF-8 is first replaced by U+FFFD (one per bad byte). List terms go through the same
// steps (NormalizeTerm, FoldTerm, LeetTerm), so a term matches its own variants.
// Thread-safety: a Normalized is used by one evaluation at a time; the functions are pure.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "policy/eval/offset_map.h"

namespace custos::policy::eval {

enum class ViewId { kText = 0, kFolded = 1, kLeet = 2 };

inline constexpr int kViewCount = 3;

// "text", "folded", "leet".
std::string_view ViewName(ViewId view);

class Normalized {
 public:
  // Builds the text view, and the folded and leet views when asked for and different from the
  // view below them. `original` must outlive this object.
  Normalized(std::string_view original, bool want_folded, bool want_leet);
  Normalized(const Normalized&) = delete;
  Normalized& operator=(const Normalized&) = delete;

  std::string_view Original() const { return original_; }

  // The view, or nullptr when it was not built (not wanted, or identical to the view below).
  const View* Get(ViewId view) const;

  // The detector view's text and the original range of one of its ranges.
  std::string_view DetectorText();
  std::pair<std::size_t, std::size_t> DetectorToOrigin(std::size_t begin, std::size_t end) const;

  // The TextProfile bits of DetectorText() (detectors/detector.h); call DetectorText() first.
  std::uint8_t DetectorProfile() const { return detector_profile_; }

  // The original offsets where the words of the text view begin, ascending (computed once).
  // A character of an unspaced script (CJK) is a word of its own.
  const std::vector<std::size_t>& WordStarts();

 private:
  const View* Base();  // the sanitised original (U+FFFD for bad bytes), or nullptr when valid

  std::string_view original_;
  bool ascii_ = true;
  std::unique_ptr<View> sanitized_;
  View text_view_;  // the text view, inline: most texts need no other view
  std::vector<std::unique_ptr<View>> chain_;  // intermediate views; addresses stay stable
  const View* views_[kViewCount] = {nullptr, nullptr, nullptr};
  const View* detector_ = nullptr;
  bool detector_built_ = false;
  std::uint8_t detector_profile_ = 0;
  std::vector<std::size_t> word_starts_;
  bool words_built_ = false;
};

// A list term in the text view's form (trimmed), and its folded and leet forms.
std::string NormalizeTerm(std::string_view term);
std::string FoldTerm(std::string_view text_form);
std::string LeetTerm(std::string_view folded_form);

}  // namespace custos::policy::eval
