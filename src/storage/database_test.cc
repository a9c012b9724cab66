// SPDX-License-Identifier: Apache-2.0
#include "storage/database.h"

#include <gtest/gtest.h>

namespace custos::storage {
namespace {

Row MakeRow() {
  return Row(
      {std::monostate{}, std::int64_t{42}, 2.5, std::string("text"), Blob{std::string("a\0b", 3)}});
}

TEST(Row, ReadsEachType) {
  const Row row = MakeRow();
  ASSERT_EQ(row.size(), 5U);
  EXPECT_EQ(row.Int(1), 42);
  EXPECT_DOUBLE_EQ(row.Real(2), 2.5);
  EXPECT_EQ(row.Text(3), "text");
  EXPECT_EQ(row.Text(4), std::string("a\0b", 3));
  EXPECT_TRUE(std::holds_alternative<Blob>(row.Get(4)));
}

TEST(Row, NullReadsAsZeroOrEmpty) {
  const Row row = MakeRow();
  EXPECT_TRUE(row.IsNull(0));
  EXPECT_FALSE(row.IsNull(1));
  EXPECT_EQ(row.Int(0), 0);
  EXPECT_DOUBLE_EQ(row.Real(0), 0.0);
  EXPECT_EQ(row.Text(0), "");
}

TEST(Row, ConvertsBetweenNumericTypes) {
  const Row row = MakeRow();
  EXPECT_EQ(row.Int(2), 2);
  EXPECT_DOUBLE_EQ(row.Real(1), 42.0);
}

TEST(RowDeathTest, IndexOutOfRangeAborts) {
  const Row row = MakeRow();
  EXPECT_DEATH(row.Int(5), "col < values_.size()");
  EXPECT_DEATH(row.Text(99), "");
}

TEST(RowDeathTest, TextReadAsNumberAborts) {
  const Row row = MakeRow();
  EXPECT_DEATH(row.Int(3), "");
  EXPECT_DEATH(row.Text(1), "");
}

}  // namespace
}  // namespace custos::storage
