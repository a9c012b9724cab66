// SPDX-License-Identifier: Apache-2.0
#include "core/time.h"

#include <gtest/gtest.h>

namespace custos::core {
namespace {

TEST(ParseRfc3339, ParsesUtcAndOffsets) {
  EXPECT_EQ(*ParseRfc3339("1970-01-01T00:00:00Z"), 0);
  EXPECT_EQ(*ParseRfc3339("1970-01-01T01:00:00+01:00"), 0);
  EXPECT_EQ(*ParseRfc3339("2024-02-29T12:00:00.5Z"), 1709208000LL * kMicrosPerSecond + 500000);
  EXPECT_EQ(*ParseRfc3339("2024-02-29t12:00:00.123456789z"),
            1709208000LL * kMicrosPerSecond + 123456);
  EXPECT_EQ(*ParseRfc3339("1969-12-31T23:59:59Z"), -kMicrosPerSecond);
}

TEST(ParseRfc3339, RejectsMalformedWithReason) {
  for (const char* bad : {"", "2024-13-01T00:00:00Z", "2023-02-29T00:00:00Z", "2024-01-01",
                          "2024-01-01T00:00:00", "2024-01-01T25:00:00Z", "yesterday",
                          "2024-01-01T00:00:00Zjunk", "2024-01-01T00:00:00+0100"}) {
    auto r = ParseRfc3339(bad);
    ASSERT_FALSE(r.has_value()) << bad;
    EXPECT_EQ(r.error().code(), StatusCode::kInvalidArgument);
    EXPECT_NE(r.error().message().find("RFC 3339"), std::string::npos);
  }
}

TEST(FormatRfc3339, RoundTripsThroughParse) {
  for (Micros t : {Micros{0}, Micros{1709208000LL * kMicrosPerSecond + 500000},
                   Micros{1709208000LL * kMicrosPerSecond + 123456}, Micros{-1}}) {
    EXPECT_EQ(*ParseRfc3339(FormatRfc3339(t)), t) << FormatRfc3339(t);
  }
  EXPECT_EQ(FormatRfc3339(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(FormatRfc3339(1500000), "1970-01-01T00:00:01.500Z");
}

}  // namespace
}  // namespace custos::core
