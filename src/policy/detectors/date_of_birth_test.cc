// SPDX-License-Identifier: Apache-2.0
#include "policy/detectors/date_of_birth.h"

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "policy/detectors/internal/date_parse.h"

namespace custos::policy {
namespace {

std::vector<DetectorHit> Scan(std::string_view text) { return DateOfBirthDetector().Scan(text); }

std::string OnlyMatch(std::string_view text) {
  const auto hits = Scan(text);
  if (hits.size() != 1) {
    return "";
  }
  return std::string(text.substr(hits[0].begin, hits[0].end - hits[0].begin));
}

TEST(IsCalendarDate, KnowsMonthLengthsAndLeapYears) {
  EXPECT_TRUE(internal::IsCalendarDate(2000, 2, 29));
  EXPECT_TRUE(internal::IsCalendarDate(1996, 2, 29));
  EXPECT_FALSE(internal::IsCalendarDate(1900, 2, 29));
  EXPECT_FALSE(internal::IsCalendarDate(1997, 2, 29));
  EXPECT_FALSE(internal::IsCalendarDate(1990, 4, 31));
  EXPECT_FALSE(internal::IsCalendarDate(1990, 13, 1));
  EXPECT_FALSE(internal::IsCalendarDate(1990, 1, 0));
}

TEST(ParseDateAt, ReadsNumericAndNamedMonthForms) {
  const auto iso = internal::ParseDateAt("1990-05-17", 0);
  ASSERT_TRUE(iso);
  EXPECT_EQ(iso->year, 1990);
  EXPECT_EQ(iso->month, 5);
  EXPECT_EQ(iso->day, 17);
  const auto german = internal::ParseDateAt("17. März 1990", 0);
  ASSERT_TRUE(german);
  EXPECT_EQ(german->month, 3);
  EXPECT_EQ(german->day, 17);
  const auto upper = internal::ParseDateAt("17 MÄRZ 1990", 0);
  ASSERT_TRUE(upper);
  EXPECT_EQ(upper->month, 3);
  const auto spanish = internal::ParseDateAt("3 de mayo de 1985", 0);
  ASSERT_TRUE(spanish);
  EXPECT_EQ(spanish->month, 5);
  const auto us = internal::ParseDateAt("Sept. 3rd, 1985", 0);
  ASSERT_TRUE(us);
  EXPECT_EQ(us->month, 9);
  EXPECT_EQ(us->day, 3);
  EXPECT_FALSE(internal::ParseDateAt("17 Maybe 1990", 0));
  EXPECT_FALSE(internal::ParseDateAt("17/05-1990", 0));
  EXPECT_FALSE(internal::ParseDateAt("1990", 0));
}

TEST(DateOfBirthDetector, FindsDatesNextToBirthWordsInSeveralLanguages) {
  EXPECT_EQ(OnlyMatch("DOB: 17/05/1990"), "17/05/1990");
  EXPECT_EQ(OnlyMatch("D.O.B. 05/17/1990"), "05/17/1990");
  EXPECT_EQ(OnlyMatch("Date of birth 1990-05-17."), "1990-05-17");
  EXPECT_EQ(OnlyMatch("I was born on May 17, 1990"), "May 17, 1990");
  EXPECT_EQ(OnlyMatch("born 17th May 1990 in Leeds"), "17th May 1990");
  EXPECT_EQ(OnlyMatch("Né le 1er mars 1985 à Lyon"), "1er mars 1985");
  EXPECT_EQ(OnlyMatch("née le 12 décembre 1985"), "12 décembre 1985");
  EXPECT_EQ(OnlyMatch("date de naissance : 12/03/1985"), "12/03/1985");
  EXPECT_EQ(OnlyMatch("geboren am 17. Mai 1990"), "17. Mai 1990");
  EXPECT_EQ(OnlyMatch("Geburtsdatum: 17.05.1990"), "17.05.1990");
  EXPECT_EQ(OnlyMatch("fecha de nacimiento: 3 de mayo de 1985"), "3 de mayo de 1985");
  EXPECT_EQ(OnlyMatch("DOB\n17-May-1990\n"), "17-May-1990");
  EXPECT_EQ(OnlyMatch("17/05/1990 (DOB)"), "17/05/1990");
}

TEST(DateOfBirthDetector, ConfidenceDependsOnTheYearFormat) {
  const auto full = Scan("DOB 17/05/1990");
  ASSERT_EQ(full.size(), 1u);
  EXPECT_EQ(full[0].confidence, Confidence::kHigh);
  EXPECT_EQ(full[0].masked_text, "**/**/1990");
  EXPECT_EQ(full[0].detector, "date_of_birth");
  const auto short_year = Scan("DOB 17/05/90");
  ASSERT_EQ(short_year.size(), 1u);
  EXPECT_EQ(short_year[0].confidence, Confidence::kMedium);
}

TEST(DateOfBirthDetector, NeedsABirthWordNearby) {
  EXPECT_TRUE(Scan("meeting on 17/05/1990").empty());
  EXPECT_TRUE(Scan("The invoice of May 17, 1990 is attached").empty());
  EXPECT_TRUE(Scan("DOB" + std::string(60, ' ') + "17/05/1990").empty());
  EXPECT_TRUE(Scan("reborn 17/05/1990").empty());
}

TEST(DateOfBirthDetector, RejectsImpossibleDatesAndOtherNumbers) {
  EXPECT_TRUE(Scan("DOB 31/02/1990").empty());
  EXPECT_TRUE(Scan("DOB 13/13/1990").empty());
  EXPECT_TRUE(Scan("DOB 17/05/1890").empty());
  EXPECT_TRUE(Scan("DOB 1990-02-30").empty());
  EXPECT_TRUE(Scan("DOB 117/05/1990").empty());
  EXPECT_TRUE(Scan("DOB 17/05/19901").empty());
  EXPECT_TRUE(Scan("DOB 1.17/05/1990").empty());
  EXPECT_TRUE(Scan("DOB 17/05/1990/2").empty());
  EXPECT_TRUE(Scan("DOB v1.2.3").empty());
  EXPECT_TRUE(Scan("DOB 17 Maybe 1990").empty());
}

TEST(DateOfBirthDetector, AcceptsEitherNumericOrder) {
  EXPECT_EQ(OnlyMatch("DOB 12/31/1990"), "12/31/1990");
  EXPECT_EQ(OnlyMatch("DOB 31/12/1990"), "31/12/1990");
}

}  // namespace
}  // namespace custos::policy
