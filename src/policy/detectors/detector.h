// SPDX-License-Identifier: Apache-2.0
// Detector: one built-in sensitive-data type, in the shape of a Microsoft Purview sensitive
// information type.
//
// A detector has
//   - a name ("payment_card"),
//   - a primary-match scanner that finds candidate spans in UTF-8 text (byte offsets into the
//     original text; candidates may overlap, the scanner is deliberately generous),
//   - a validator that grades one candidate as invalid, plausible or valid (Luhn, mod-97,
//     checksums, calendar and numbering rules),
//   - supporting keywords that count when they occur as whole words within a window of
//     characters (not bytes) before or after the candidate (Purview's patternsProximity,
//     300 characters for most built-ins),
//   - a confidence table that turns (validity, keyword found) into no hit or a confidence.
//
// The default table is Purview's: valid + keyword = high, valid = medium, plausible + keyword =
// medium, plausible = low, invalid = no hit. Each detector header says where it differs.
// `Scan` runs the whole pipeline and resolves overlaps: candidates are taken in order of start
// (longest first at equal start) and a candidate overlapping an accepted hit is skipped.
//
// Keyword matching folds ASCII and Latin-1 case only and treats any run of whitespace in the
// text as one space of the keyword; full NFKC case folding belongs to the engine's
// normalisation step, which runs before detectors see text.
//
// Thread-safety: detectors are immutable after construction; all methods are const and may be
// called concurrently. Built-in detectors live for the whole program (see registry.h).
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace custos::policy {

// Ordered: a rule can ask for `detect(NAME) >= medium`. Values are Purview's numeric levels.
enum class Confidence { kLow = 65, kMedium = 75, kHigh = 85 };

// "low", "medium" or "high".
std::string_view ConfidenceName(Confidence confidence);

// What a validator says about one candidate.
enum class Validity {
  kInvalid,    // fails a checksum or a numbering rule: never reported
  kPlausible,  // right shape, but nothing to verify (no checksum, unformatted, no case hint)
  kValid,      // passes every check the type has
};

// A half-open byte range [begin, end) in the scanned text.
struct Span {
  std::size_t begin = 0;
  std::size_t end = 0;

  bool operator==(const Span&) const = default;
};

// One reported finding.
struct DetectorHit {
  std::string_view detector;  // the detector's Name(); valid while the detector lives
  std::size_t begin = 0;      // byte offsets into the original text, half-open
  std::size_t end = 0;
  Confidence confidence = Confidence::kLow;
  std::string masked_text;  // the matched text with all but its last 4 characters masked

  bool operator==(const DetectorHit&) const = default;
};

// Maps (validity, supporting keyword found) to a confidence; nullopt drops the candidate.
struct ConfidenceTable {
  std::optional<Confidence> valid_with_keyword = Confidence::kHigh;
  std::optional<Confidence> valid_alone = Confidence::kMedium;
  std::optional<Confidence> plausible_with_keyword = Confidence::kMedium;
  std::optional<Confidence> plausible_alone = Confidence::kLow;
};

inline constexpr std::size_t kDefaultKeywordWindow = 300;  // characters, as Purview built-ins
inline constexpr ConfidenceTable kDefaultConfidence{};

// Kinds of bytes a candidate may need; a TextProfile says which of them a text contains.
enum NeedBits : std::uint8_t {
  kNeedDigit = 1U << 0,       // an ASCII digit
  kNeedAt = 1U << 1,          // '@'
  kNeedColon = 1U << 2,       // ':'
  kNeedDash = 1U << 3,        // '-'
  kNeedUnderscore = 1U << 4,  // '_'
  kNeedUpperA = 1U << 5,      // 'A'
  kNeedLowerG = 1U << 6,      // 'g'
  kNeedLowerX = 1U << 7,      // 'x'
};

// Which NeedBits bytes a text contains, found in one pass: the engine computes it once per
// message and hands it to every detector, so that each skips texts it cannot match without
// looking at them again.
struct TextProfile {
  std::uint8_t present = 0;

  static TextProfile Of(std::string_view text);

  bool HasAll(std::uint8_t needs) const { return (present & needs) == needs; }
};

// The fixed description of a detector, given to its constructor.
struct DetectorTraits {
  std::string_view name;
  // Lowercase supporting words or phrases; matched as whole words (see file comment).
  std::span<const std::string_view> keywords;
  std::size_t keyword_window = kDefaultKeywordWindow;
  ConfidenceTable confidence;
  // NeedBits every candidate contains (an ASCII digit, '@', ...): Scan skips a text whose
  // profile lacks one (most chat messages) before keywords or candidates are looked for.
  std::uint8_t needs = 0;
};

class Detector {
 public:
  explicit Detector(DetectorTraits traits) : traits_(traits) {}

  virtual ~Detector() = default;

  Detector(const Detector&) = delete;

  Detector& operator=(const Detector&) = delete;

  std::string_view Name() const { return traits_.name; }

  const DetectorTraits& Traits() const { return traits_; }

  // Appends candidate spans of primary matches to `out`, in any order; they may overlap.
  virtual void FindCandidates(std::string_view text, std::vector<Span>& out) const = 0;

  // Grades one candidate (the text of a span FindCandidates produced, or any string).
  virtual Validity Validate(std::string_view candidate) const = 0;

  // The text to show for a hit. Default: MaskAllButLast(candidate, 4).
  virtual std::string Mask(std::string_view candidate) const;

  // True when a keyword occurs as a whole word within the window around `span`, outside it.
  bool HasSupportingKeyword(std::string_view text, Span span) const;

  // The best grade `candidate` can get, known without validating it (a validator may be
  // costly); Scan skips the validator when even this grade would not be reported.
  virtual Validity BestCase(std::string_view /*candidate*/) const { return Validity::kValid; }

  // Runs scanner, validator, keywords and confidence table over `text`; hits are in order of
  // their begin offset and never overlap each other. Text need not be valid UTF-8.
  std::vector<DetectorHit> Scan(std::string_view text) const;

  // The same, with the text's profile computed once by the caller (TextProfile::Of(text)).
  std::vector<DetectorHit> Scan(std::string_view text, TextProfile profile) const;

 private:
  DetectorTraits traits_;
};

// Replaces every letter, digit and non-ASCII character except the last `keep` of them with
// '*', keeping ASCII punctuation and whitespace: "4111 1111 1111 1111" -> "**** **** **** 1111".
std::string MaskAllButLast(std::string_view text, std::size_t keep);

}  // namespace custos::policy
