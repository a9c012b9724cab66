// SPDX-License-Identifier: Apache-2.0
#include "core/text.h"

#include <gtest/gtest.h>

namespace custos::core {
namespace {

TEST(IsValidUtf8, AcceptsWellFormedAndRejectsBroken) {
  EXPECT_TRUE(IsValidUtf8("plain"));
  EXPECT_TRUE(IsValidUtf8("Grüße 你好 \xF0\x9F\x98\x80"));
  EXPECT_FALSE(IsValidUtf8("\xC0\xAF"));      // overlong
  EXPECT_FALSE(IsValidUtf8("\xED\xA0\x80"));  // surrogate
  EXPECT_FALSE(IsValidUtf8("abc\xE4\xBD"));   // truncated
  EXPECT_FALSE(IsValidUtf8("\xFF"));
}

TEST(TruncateUtf8, NeverSplitsASequence) {
  EXPECT_EQ(TruncateUtf8("ab你好", 4), "ab");
  EXPECT_EQ(TruncateUtf8("ab你好", 5), "ab你");
  EXPECT_EQ(TruncateUtf8("abc", 10), "abc");
}

TEST(Text, HexSplitTrim) {
  EXPECT_EQ(HexEncode("\x01\xab"), "01ab");
  EXPECT_EQ(Split("a,,b", ',').size(), 3u);
  EXPECT_EQ(TrimAscii("  x \n"), "x");
  EXPECT_EQ(ToLowerAscii("AbC"), "abc");
}

}  // namespace
}  // namespace custos::core
