// SPDX-License-Identifier: Apache-2.0
#include "auth/qr.h"

#include <memory>
#include <regex>
#include <set>
#include <string>
#include <utility>

#include <gtest/gtest.h>
#include <qrencode.h>

namespace custos::auth {
namespace {

using core::StatusCode;

// The dark modules a path of "Mx,yhNv1h-Nz" runs covers, in the code's own coordinates.
std::set<std::pair<int, int>> DarkModules(const std::string& svg) {
  std::set<std::pair<int, int>> dark;
  const std::regex run(R"(M(\d+),(\d+)h(\d+)v1h-(\d+)z)");
  for (auto it = std::sregex_iterator(svg.begin(), svg.end(), run); it != std::sregex_iterator();
       ++it) {
    const int x = std::stoi((*it)[1]) - kQrQuietZoneModules;
    const int y = std::stoi((*it)[2]) - kQrQuietZoneModules;
    const int n = std::stoi((*it)[3]);
    EXPECT_EQ(n, std::stoi((*it)[4]));
    for (int i = 0; i < n; ++i) {
      EXPECT_TRUE(dark.emplace(x + i, y).second) << "module drawn twice";
    }
  }
  return dark;
}

TEST(QrSvg, DrawsExactlyTheDarkModulesWithAQuietZone) {
  const std::string text =
      "otpauth://totp/custos:alice%40example.com?secret=GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ"
      "&issuer=custos&algorithm=SHA1&digits=6&period=30";
  const std::string svg = QrSvg(text).value();
  ASSERT_EQ(svg.rfind("<svg xmlns=\"http://www.w3.org/2000/svg\"", 0), 0u);
  EXPECT_NE(svg.find("</svg>"), std::string::npos);

  const std::unique_ptr<QRcode, void (*)(QRcode*)> code(
      QRcode_encodeData(static_cast<int>(text.size()),
                        reinterpret_cast<const unsigned char*>(text.data()), 0, QR_ECLEVEL_M),
      QRcode_free);
  ASSERT_NE(code, nullptr);
  const int size = code->width + 2 * kQrQuietZoneModules;
  const std::string side = std::to_string(size);
  const std::string pixels = std::to_string(size * kQrPixelsPerModule);
  EXPECT_NE(svg.find("viewBox=\"0 0 " + side + " " + side + "\""), std::string::npos) << svg;
  EXPECT_NE(svg.find("width=\"" + pixels + "\""), std::string::npos);
  EXPECT_NE(svg.find("height=\"" + pixels + "\""), std::string::npos);

  std::set<std::pair<int, int>> expected;
  for (int y = 0; y < code->width; ++y) {
    for (int x = 0; x < code->width; ++x) {
      if ((code->data[y * code->width + x] & 1) != 0) {
        expected.emplace(x, y);
      }
    }
  }
  EXPECT_FALSE(expected.empty());
  EXPECT_EQ(DarkModules(svg), expected);
}

TEST(QrSvg, SizesTheCodeToTheText) {
  const std::string small = QrSvg("hi").value();
  EXPECT_NE(small.find("viewBox=\"0 0 29 29\""), std::string::npos);  // version 1: 21 modules
  const std::string large = QrSvg(std::string(kMaxQrTextBytes, 'x')).value();
  EXPECT_GT(large.size(), small.size());
}

TEST(QrSvg, RefusesEmptyAndTooLongText) {
  auto too_long = QrSvg(std::string(kMaxQrTextBytes + 1, 'x'));
  ASSERT_FALSE(too_long.has_value());
  EXPECT_EQ(too_long.error().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(too_long.error().message().find("QR code text"), std::string::npos);
  EXPECT_EQ(QrSvg("").error().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace custos::auth
