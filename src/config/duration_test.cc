// SPDX-License-Identifier: Apache-2.0
#include "config/duration.h"

#include <gtest/gtest.h>

namespace custos::config {
namespace {

core::Micros At(std::string_view rfc3339) { return *core::ParseRfc3339(rfc3339); }

TEST(Duration, ParsesEachUnitAndPrintsItBack) {
  for (std::string_view text : {"7y", "6m", "90d", "2w", "12h", "1d", "99999y"}) {
    auto d = ParseDuration(text);
    ASSERT_TRUE(d.has_value()) << text << ": " << d.error().ToString();
    EXPECT_EQ(d->Text(), text);
  }
  EXPECT_EQ(*ParseDuration("6m"), (Duration{6, DurationUnit::kMonths}));
}

TEST(Duration, RejectsMalformedText) {
  for (std::string_view text :
       {"", "7", "y", "7x", "-7y", "+7y", "0d", "100000y", "7 y", "1.5y", "7Y", "d7"}) {
    auto d = ParseDuration(text);
    ASSERT_FALSE(d.has_value()) << text;
    EXPECT_EQ(d.error().code(), core::StatusCode::kInvalidArgument);
  }
}

TEST(Duration, YearsAndMonthsAreCalendarUnits) {
  const core::Micros t = At("2031-03-31T10:15:00Z");
  EXPECT_EQ(core::FormatRfc3339(ParseDuration("1m")->Before(t)), "2031-02-28T10:15:00Z");
  EXPECT_EQ(core::FormatRfc3339(ParseDuration("7y")->Before(t)), "2024-03-31T10:15:00Z");
  EXPECT_EQ(core::FormatRfc3339(ParseDuration("13m")->Before(t)), "2030-02-28T10:15:00Z");
  EXPECT_EQ(core::FormatRfc3339(ParseDuration("1y")->Before(At("2028-02-29T00:00:00Z"))),
            "2027-02-28T00:00:00Z");
  EXPECT_EQ(core::FormatRfc3339(ParseDuration("11m")->After(At("2024-01-31T00:00:00Z"))),
            "2024-12-31T00:00:00Z");
  EXPECT_EQ(core::FormatRfc3339(ParseDuration("60y")->Before(At("2020-06-15T00:00:00Z"))),
            "1960-06-15T00:00:00Z");
}

TEST(Duration, DaysWeeksAndHoursAreFixedLengths) {
  const core::Micros t = At("2024-03-31T00:00:00Z");
  EXPECT_EQ(core::FormatRfc3339(ParseDuration("90d")->Before(t)), "2024-01-01T00:00:00Z");
  EXPECT_EQ(core::FormatRfc3339(ParseDuration("2w")->After(t)), "2024-04-14T00:00:00Z");
  EXPECT_EQ(core::FormatRfc3339(ParseDuration("36h")->Before(t)), "2024-03-29T12:00:00Z");
}

}  // namespace
}  // namespace custos::config
