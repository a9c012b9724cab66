// SPDX-License-Identifier: Apache-2.0
#include "storage/database.h"

#include <limits>

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

// A column whose stored type is not the schema's (a damaged or edited file: SQLite stores what
// the file says) is converted as sqlite3_column_* would, never a crash; `custos verify` then
// finds the damage (tests/cli/byteflip_test.cc).
TEST(Row, AValueOfAnotherTypeIsConvertedNotACrash) {
  const Row row = MakeRow();
  EXPECT_EQ(row.Int(3), 0);  // "text"
  EXPECT_DOUBLE_EQ(row.Real(4), 0.0);
  EXPECT_EQ(row.Text(1), "");
  EXPECT_EQ(row.Text(2), "");
  const Row numbers({std::string("  -17 apples"), Blob{std::string("99")},
                     std::string("99999999999999999999999")});
  EXPECT_EQ(numbers.Int(0), -17);
  EXPECT_EQ(numbers.Int(1), 99);
  EXPECT_DOUBLE_EQ(numbers.Real(1), 99.0);
  EXPECT_EQ(numbers.Int(2), std::numeric_limits<std::int64_t>::max());
}

}  // namespace
}  // namespace custos::storage
