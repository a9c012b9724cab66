// SPDX-License-Identifier: Apache-2.0
#include "http/transport/request_target.h"

#include <gtest/gtest.h>

namespace custos::http::transport_internal {
namespace {

TEST(PercentDecode, DecodesEscapesAndKeepsMalformedOnes) {
  EXPECT_EQ(PercentDecode("a%20b%2Fc", false), "a b/c");
  EXPECT_EQ(PercentDecode("a+b", false), "a+b");
  EXPECT_EQ(PercentDecode("a+b", true), "a b");
  EXPECT_EQ(PercentDecode("100%", true), "100%");
  EXPECT_EQ(PercentDecode("%zz%4", true), "%zz%4");
}

TEST(ParseTarget, SplitsPathAndQueryInOrder) {
  std::string path;
  std::vector<std::pair<std::string, std::string>> query;
  ParseTarget("/api/v1/m%C3%A9?a=1&&b=x+y&a=%262&c", &path, &query);
  EXPECT_EQ(path, "/api/v1/m\xC3\xA9");
  ASSERT_EQ(query.size(), 4U);
  EXPECT_EQ(query[0], std::make_pair(std::string("a"), std::string("1")));
  EXPECT_EQ(query[1], std::make_pair(std::string("b"), std::string("x y")));
  EXPECT_EQ(query[2], std::make_pair(std::string("a"), std::string("&2")));
  EXPECT_EQ(query[3], std::make_pair(std::string("c"), std::string()));
  ParseTarget("/plain", &path, &query);
  EXPECT_EQ(path, "/plain");
  EXPECT_TRUE(query.empty());
}

}  // namespace
}  // namespace custos::http::transport_internal
