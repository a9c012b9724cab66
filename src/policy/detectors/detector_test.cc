// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/detector.h"

#include <array>
#include <string>

#include <gtest/gtest.h>

#include "policy/detectors/internal/text_scan.h"

namespace custos::policy {
namespace {

constexpr std::array<std::string_view, 3> kWords = {"code", "date of birth", "né"};

// Finds "X" followed by digits; 7 digits are valid, 6 plausible, anything else invalid.
class FakeDetector final : public Detector {
 public:
  explicit FakeDetector(std::size_t window = 10, ConfidenceTable table = {})
      : Detector(DetectorTraits{
            .name = "fake", .keywords = kWords, .keyword_window = window, .confidence = table}) {}

  void FindCandidates(std::string_view text, std::vector<Span>& out) const override {
    for (std::size_t i = 0; i < text.size(); ++i) {
      if (text[i] == 'X' && internal::WordStartAt(text, i)) {
        const std::size_t end = internal::SkipDigits(text, i + 1);
        if (end > i + 1 && internal::WordEndAt(text, end)) {
          out.push_back({i, end});
        }
      }
    }
  }

  Validity Validate(std::string_view candidate) const override {
    switch (candidate.size()) {
      case 8:
        return Validity::kValid;
      case 7:
        return Validity::kPlausible;
      default:
        return Validity::kInvalid;
    }
  }
};

TEST(MaskAllButLast, KeepsSeparatorsAndTheLastFourCharacters) {
  EXPECT_EQ(MaskAllButLast("4111 1111 1111 1111", 4), "**** **** **** 1111");
  EXPECT_EQ(MaskAllButLast("GB82 WEST 1234 5698 7654 32", 4), "**** **** **** **** **54 32");
  EXPECT_EQ(MaskAllButLast("abc", 4), "abc");
  EXPECT_EQ(MaskAllButLast("", 4), "");
}

TEST(MaskAllButLast, CountsAMultiByteCharacterOnce) {
  EXPECT_EQ(MaskAllButLast("né 12", 2), "** 12");
  EXPECT_EQ(MaskAllButLast("ab\xC3", 1), "**\xC3");  // truncated sequence stays in bounds
}

TEST(Detector, ReportsConfidenceFromValidityAndKeyword) {
  const FakeDetector detector;
  const auto valid = detector.Scan("X1234567");
  ASSERT_EQ(valid.size(), 1u);
  EXPECT_EQ(valid[0].confidence, Confidence::kMedium);
  EXPECT_EQ(valid[0].detector, "fake");
  EXPECT_EQ(valid[0].masked_text, "****4567");

  const auto valid_kw = detector.Scan("code X1234567");
  ASSERT_EQ(valid_kw.size(), 1u);
  EXPECT_EQ(valid_kw[0].confidence, Confidence::kHigh);
  EXPECT_EQ(valid_kw[0].begin, 5u);
  EXPECT_EQ(valid_kw[0].end, 13u);

  const auto plausible = detector.Scan("X123456");
  ASSERT_EQ(plausible.size(), 1u);
  EXPECT_EQ(plausible[0].confidence, Confidence::kLow);

  const auto plausible_kw = detector.Scan("X123456 code");
  ASSERT_EQ(plausible_kw.size(), 1u);
  EXPECT_EQ(plausible_kw[0].confidence, Confidence::kMedium);

  EXPECT_TRUE(detector.Scan("X12345 code").empty());
}

TEST(Detector, ConfidenceTableCanDropOrRaiseGrades) {
  const FakeDetector detector(10, ConfidenceTable{.valid_with_keyword = Confidence::kHigh,
                                                  .valid_alone = std::nullopt,
                                                  .plausible_with_keyword = std::nullopt,
                                                  .plausible_alone = std::nullopt});
  EXPECT_TRUE(detector.Scan("X1234567").empty());
  EXPECT_TRUE(detector.Scan("code X123456").empty());
  ASSERT_EQ(detector.Scan("code X1234567").size(), 1u);
}

TEST(Detector, KeywordWindowCountsCharactersNotBytes) {
  const FakeDetector detector(10);
  // The keyword must lie inside the window of 10 characters; each "é" is 2 bytes.
  EXPECT_EQ(detector.Scan("code éééé X1234567")[0].confidence, Confidence::kHigh);
  EXPECT_EQ(detector.Scan("code ééééé X1234567")[0].confidence, Confidence::kMedium);
  EXPECT_EQ(detector.Scan("X1234567 éééé code")[0].confidence, Confidence::kHigh);
  EXPECT_EQ(detector.Scan("X1234567 ééééé code")[0].confidence, Confidence::kMedium);
}

TEST(Detector, KeywordsMatchWholeWordsWithFoldedCaseAndFlexibleSpaces) {
  const FakeDetector detector(40);
  EXPECT_EQ(detector.Scan("CODE: X1234567")[0].confidence, Confidence::kHigh);
  EXPECT_EQ(detector.Scan("barcode X1234567")[0].confidence, Confidence::kMedium);
  EXPECT_EQ(detector.Scan("codes X1234567")[0].confidence, Confidence::kMedium);
  EXPECT_EQ(detector.Scan("Date  of\nBirth X1234567")[0].confidence, Confidence::kHigh);
  EXPECT_EQ(detector.Scan("NÉ X1234567")[0].confidence, Confidence::kHigh);
  EXPECT_EQ(detector.Scan("née X1234567")[0].confidence, Confidence::kMedium);
}

TEST(Detector, KeywordCutByTheWindowEdgeDoesNotCount) {
  const FakeDetector detector(3);
  EXPECT_EQ(detector.Scan("code X1234567")[0].confidence, Confidence::kMedium);
  EXPECT_EQ(detector.Scan("X1234567 code")[0].confidence, Confidence::kMedium);
}

TEST(Detector, HasSupportingKeywordAgreesWithScan) {
  const FakeDetector detector(10);
  for (std::string_view text : {"code éééé X1234567", "code ééééé X1234567", "X1234567 code",
                                "barcode X1234567", "X1234567 codes", "né X1234567"}) {
    const auto hits = detector.Scan(text);
    ASSERT_EQ(hits.size(), 1u) << text;
    const bool keyword = detector.HasSupportingKeyword(text, {hits[0].begin, hits[0].end});
    EXPECT_EQ(keyword, hits[0].confidence == Confidence::kHigh) << text;
  }
}

TEST(Detector, HitsAreOrderedAndDoNotOverlap) {
  const FakeDetector detector;
  const auto hits = detector.Scan("X1234567 and X7654321, X1 X123456");
  ASSERT_EQ(hits.size(), 3u);
  EXPECT_EQ(hits[0].begin, 0u);
  EXPECT_EQ(hits[1].begin, 13u);
  EXPECT_EQ(hits[2].begin, 26u);
  EXPECT_EQ(hits[2].end, 33u);
}

TEST(Detector, IgnoresCandidatesInsideWords) {
  const FakeDetector detector;
  EXPECT_TRUE(detector.Scan("aX1234567").empty());
  EXPECT_TRUE(detector.Scan("X1234567b").empty());
  EXPECT_TRUE(detector.Scan("").empty());
}

TEST(ConfidenceName, NamesEachLevel) {
  EXPECT_EQ(ConfidenceName(Confidence::kLow), "low");
  EXPECT_EQ(ConfidenceName(Confidence::kMedium), "medium");
  EXPECT_EQ(ConfidenceName(Confidence::kHigh), "high");
  EXPECT_LT(Confidence::kLow, Confidence::kMedium);
  EXPECT_LT(Confidence::kMedium, Confidence::kHigh);
}

}  // namespace
}  // namespace custos::policy
