// SPDX-License-Identifier: Apache-2.0
#include "devices/internal/plist_bounds.h"

#include <cstdint>
#include <string>

#include <gtest/gtest.h>

#include "devices/internal/plist_json.h"

namespace custos::devices::internal {
namespace {

std::string BigEndian(std::uint64_t v, int bytes) {
  std::string s;
  for (int k = bytes - 1; k >= 0; --k) {
    s += static_cast<char>((v >> (8 * k)) & 0xFF);
  }
  return s;
}

// A binary plist whose object i is an array of `fanout` references to object i + 1.
std::string ChainPlist(std::uint32_t depth, int fanout) {
  std::string out = "bplist00";
  std::string offsets;
  for (std::uint32_t i = 0; i < depth; ++i) {
    offsets += BigEndian(out.size(), 4);
    if (i + 1 < depth) {
      out += static_cast<char>(0xA0 | fanout);
      for (int k = 0; k < fanout; ++k) {
        out += BigEndian(i + 1, 4);
      }
    } else {
      out += static_cast<char>(0xA0);
    }
  }
  const std::uint64_t table = out.size();
  out += offsets + std::string(6, '\0') + '\x04' + '\x04' + BigEndian(depth, 8) + BigEndian(0, 8) +
         BigEndian(table, 8);
  return out;
}

TEST(PlistBoundsTest, DeepXmlIsRefusedBeforeLibplist) {
  std::string xml = "<?xml version=\"1.0\"?><plist version=\"1.0\">";
  for (int i = 0; i < 300'000; ++i) {
    xml += "<array>";
  }
  const core::Status s = CheckPlistBounds(xml);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("nested deeper than 64 levels"), std::string::npos) << s.message();
  EXPECT_FALSE(PlistToJson(xml).has_value());
}

TEST(PlistBoundsTest, CommentsCannotHideNesting) {
  std::string xml = "<plist><!-- ";
  for (int i = 0; i < 100; ++i) {
    xml += "</array>";
  }
  xml += " -->";
  for (int i = 0; i < 100; ++i) {
    xml += "<array>";
  }
  EXPECT_FALSE(CheckPlistBounds(xml).ok());
}

TEST(PlistBoundsTest, BinaryDepthCyclesAndExpansionAreRefused) {
  EXPECT_TRUE(CheckPlistBounds(ChainPlist(10, 1)).ok());
  const core::Status deep = CheckPlistBounds(ChainPlist(100'000, 1));
  ASSERT_FALSE(deep.ok());
  EXPECT_NE(deep.message().find("nested deeper than 64"), std::string::npos) << deep.message();
  // 40 levels, each holding the next twice: 2^40 values once libplist copies shared objects.
  const core::Status wide = CheckPlistBounds(ChainPlist(40, 2));
  ASSERT_FALSE(wide.ok());
  EXPECT_NE(wide.message().find("values once expanded"), std::string::npos) << wide.message();
  std::string cycle = ChainPlist(3, 1);
  // Object 1's reference (bytes 14..17) points back to object 0.
  cycle.replace(8 + 5 + 1, 4, BigEndian(0, 4));
  const core::Status looped = CheckPlistBounds(cycle);
  ASSERT_FALSE(looped.ok());
  EXPECT_NE(looped.message().find("contains itself"), std::string::npos) << looped.message();
}

// Found by fuzz_plist_body: libplist asserts (abort) on a string with a NUL in it.
TEST(PlistBoundsTest, NulCharactersInStringsAreRefused) {
  const std::string head = "<plist version=\"1.0\"><dict><key>UDID</key><string>";
  const std::string tail = "</string></dict></plist>";
  EXPECT_FALSE(CheckPlistBounds(head + std::string("a\0b", 3) + tail).ok());
  EXPECT_FALSE(CheckPlistBounds(head + "a&#0;b" + tail).ok());
  EXPECT_FALSE(CheckPlistBounds(head + "a&#x0000;b" + tail).ok());
  EXPECT_FALSE(PlistToJson(head + "&#00;" + tail).has_value());
  EXPECT_TRUE(CheckPlistBounds(head + "a&#10;b&#x41;" + tail).ok());
  // A binary plist whose one object is the ASCII string "a\0".
  std::string bin = "bplist00";
  bin += static_cast<char>(0x52);
  bin += std::string("a\0", 2);
  const std::uint64_t table = bin.size();
  bin += BigEndian(8, 4) + std::string(6, '\0') + '\x04' + '\x04' + BigEndian(1, 8) +
         BigEndian(0, 8) + BigEndian(table, 8);
  const core::Status s = CheckPlistBounds(bin);
  ASSERT_FALSE(s.ok());
  EXPECT_NE(s.message().find("NUL"), std::string::npos) << s.message();
}

TEST(PlistBoundsTest, RealPlistsPass) {
  const std::string xml =
      "<?xml version=\"1.0\"?><!DOCTYPE plist><plist version=\"1.0\"><dict><key>UDID</key>"
      "<string>x</string><key>On</key><true/><key>A</key><array><integer>1</integer></array>"
      "</dict></plist>";
  EXPECT_TRUE(CheckPlistBounds(xml).ok());
  auto j = PlistToJson(xml);
  ASSERT_TRUE(j.has_value()) << j.error().ToString();
  EXPECT_EQ((*j)["UDID"], "x");
}

}  // namespace
}  // namespace custos::devices::internal
