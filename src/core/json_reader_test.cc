// SPDX-License-Identifier: Apache-2.0
#include "core/json_reader.h"

#include <string>

#include <gtest/gtest.h>

namespace custos::core {
namespace {

TEST(JsonReaderTest, ParsesWithinLimits) {
  auto j = ParseJson(R"({"a":[1,2,{"b":"[[[{{{"}]})", kRequestJsonLimits, "body");
  ASSERT_TRUE(j.has_value()) << j.error().ToString();
  EXPECT_EQ((*j)["a"][2]["b"], "[[[{{{");
}

TEST(JsonReaderTest, RefusesDeepNestingBeforeBuildingTheDocument) {
  const std::string deep = std::string(50'000, '[') + std::string(50'000, ']');
  auto j = ParseJson(deep, kRequestJsonLimits, "request body");
  ASSERT_FALSE(j.has_value());
  EXPECT_EQ(j.error().code(), StatusCode::kInvalidArgument);
  EXPECT_NE(j.error().message().find("nested deeper than 32 levels"), std::string::npos)
      << j.error().message();
  EXPECT_NE(j.error().message().find("byte 32"), std::string::npos) << j.error().message();
}

TEST(JsonReaderTest, EscapedQuotesDoNotHideBrackets) {
  const std::string text = R"({"k":"\"", "v":)" + std::string(40, '[') + std::string(40, ']') + "}";
  EXPECT_FALSE(CheckJsonLimits(text, kRequestJsonLimits, "x").ok());
  const std::string inside = R"({"k":"\"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[["})";
  EXPECT_TRUE(ParseJson(inside, kRequestJsonLimits, "x").has_value());
}

TEST(JsonReaderTest, RefusesTooManyElementsAndTooManyBytes) {
  JsonLimits limits;
  limits.max_elements = 100;
  std::string many = "[";
  for (int i = 0; i < 200; ++i) {
    many += i == 0 ? "0" : ",0";
  }
  many += "]";
  auto j = ParseJson(many, limits, "list");
  ASSERT_FALSE(j.has_value());
  EXPECT_NE(j.error().message().find("more than 100 elements"), std::string::npos);
  limits.max_bytes = 10;
  j = ParseJson(R"({"a":"0123456789"})", limits, "small");
  ASSERT_FALSE(j.has_value());
  EXPECT_NE(j.error().message().find("over the limit of 10 bytes"), std::string::npos);
}

TEST(JsonReaderTest, MalformedNamesLineAndColumn) {
  auto j = ParseOrderedJson("{\n  \"a\": tru }", kRequestJsonLimits, "f.json");
  ASSERT_FALSE(j.has_value());
  EXPECT_NE(j.error().message().find("f.json: malformed JSON at line 2"), std::string::npos)
      << j.error().message();
  j = ParseOrderedJson("[2e1001]", kRequestJsonLimits, "n");
  ASSERT_FALSE(j.has_value());
  EXPECT_EQ(j.error().code(), StatusCode::kInvalidArgument);
}

}  // namespace
}  // namespace custos::core
