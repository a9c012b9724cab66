// SPDX-License-Identifier: Apache-2.0
#include "config/yaml_guard.h"

#include <string>

#include <gtest/gtest.h>

namespace custos::config {
namespace {

TEST(YamlGuard, AcceptsPlainYamlAndCountsItsNodes) {
  std::size_t nodes = 0;
  EXPECT_FALSE(CheckYaml("- a: 1\n  b: [x, y]\n", {}, &nodes).has_value());
  EXPECT_EQ(nodes, 8u);  // the sequence, the map, a, 1, b, [x, y] and its two items
  EXPECT_FALSE(CheckYaml("").has_value());
  EXPECT_FALSE(CheckYaml("key: [unclosed\n").has_value());  // syntax is the loader's to report
}

TEST(YamlGuard, RefusesAnchorsAndAliasesWithTheirPosition) {
  const auto anchor = CheckYaml("a: 1\nb: &x [1, 2]\nc: *x\n");
  ASSERT_TRUE(anchor.has_value());
  EXPECT_EQ(anchor->line, 2);
  EXPECT_EQ(anchor->column, 4);
  EXPECT_NE(anchor->message.find("anchors (&x)"), std::string::npos) << anchor->message;
  const auto alias = CheckYaml("a: 1\nc: *x\n");
  ASSERT_TRUE(alias.has_value());
  EXPECT_EQ(alias->line, 2);
  EXPECT_NE(alias->message.find("aliases"), std::string::npos);
  const auto merge = CheckYaml("base: &b {x: 1}\nother:\n  <<: *b\n");
  ASSERT_TRUE(merge.has_value());
  EXPECT_EQ(FormatYamlProblem("f.yaml", *merge).substr(0, 9), "f.yaml:1:");
}

TEST(YamlGuard, BoundsBytesNodesAndDepth) {
  YamlLimits limits;
  limits.max_bytes = 10;
  const auto big = CheckYaml("a: 0123456789", limits);
  ASSERT_TRUE(big.has_value());
  EXPECT_EQ(big->line, 0);
  EXPECT_EQ(FormatYamlProblem("f.yaml", *big),
            "f.yaml: the YAML file has 13 bytes; the limit is 10");

  limits = {};
  limits.max_nodes = 5;
  const auto many = CheckYaml("[1, 2, 3, 4, 5]", limits);
  ASSERT_TRUE(many.has_value());
  EXPECT_NE(many->message.find("more than 5 YAML nodes"), std::string::npos);

  const auto deep = CheckYaml(std::string(65, '[') + std::string(65, ']'));
  ASSERT_TRUE(deep.has_value());
  EXPECT_NE(deep->message.find("nested more than 64 levels"), std::string::npos);
  EXPECT_FALSE(CheckYaml(std::string(64, '[') + std::string(64, ']')).has_value());
}

}  // namespace
}  // namespace custos::config
