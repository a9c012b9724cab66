// SPDX-License-Identifier: Apache-2.0
#include "app/line_reader.h"

#include <cstdio>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace custos::app {
namespace {

// A FILE* over `text` (fmemopen), closed at the end of the test.
class MemoryFile {
 public:
  explicit MemoryFile(std::string text) : text_(std::move(text)) {
    file_ = fmemopen(text_.data(), text_.size(), "r");
  }

  ~MemoryFile() { std::fclose(file_); }

  MemoryFile(const MemoryFile&) = delete;
  MemoryFile& operator=(const MemoryFile&) = delete;

  std::FILE* get() const { return file_; }

 private:
  std::string text_;
  std::FILE* file_;
};

std::vector<std::string> ReadAll(const std::string& text, std::size_t max = 1 << 20) {
  MemoryFile file(text);
  LineReader reader(file.get(), max);
  std::vector<std::string> lines;
  while (true) {
    auto next = reader.Next();
    EXPECT_TRUE(next.has_value());
    if (!next.has_value() || !next->has_value()) {
      break;
    }
    lines.emplace_back(**next);
  }
  return lines;
}

TEST(LineReader, SplitsLinesAndStripsLineEndings) {
  EXPECT_EQ(ReadAll("a\nb\r\n\nc"), (std::vector<std::string>{"a", "b", "", "c"}));
  EXPECT_EQ(ReadAll("a\n"), (std::vector<std::string>{"a"}));
  EXPECT_TRUE(ReadAll("").empty());
}

TEST(LineReader, SkipsAByteOrderMarkOnTheFirstLine) {
  EXPECT_EQ(ReadAll("\xEF\xBB\xBFx\n\xEF\xBB\xBFy\n"),
            (std::vector<std::string>{"x", "\xEF\xBB\xBFy"}));
}

TEST(LineReader, CountsLinesAndBytes) {
  MemoryFile file("one\n\nthree\n");
  LineReader reader(file.get(), 100);
  ASSERT_TRUE(reader.Next().has_value());
  ASSERT_TRUE(reader.Next().has_value());
  auto third = reader.Next();
  ASSERT_TRUE(third.has_value() && third->has_value());
  EXPECT_EQ(**third, "three");
  EXPECT_EQ(reader.line_number(), 3);
  EXPECT_EQ(reader.bytes_consumed(), 11U);
}

TEST(LineReader, ReadsLinesLongerThanItsBuffer) {
  const std::string big(3 << 20, 'x');
  EXPECT_EQ(ReadAll("a\n" + big + "\nb", 4 << 20), (std::vector<std::string>{"a", big, "b"}));
}

TEST(LineReader, RejectsALineOverTheLimitWithItsNumber) {
  MemoryFile file("ok\n" + std::string(5000, 'x') + "\nafter\n");
  LineReader reader(file.get(), 1000);
  ASSERT_TRUE(reader.Next().has_value());
  auto long_line = reader.Next();
  ASSERT_FALSE(long_line.has_value());
  EXPECT_EQ(long_line.error().code(), core::StatusCode::kInvalidArgument);
  EXPECT_EQ(reader.line_number(), 2);
}

TEST(LineReader, RejectsAnUnterminatedLineOverTheLimitWithoutReadingItAll) {
  MemoryFile file(std::string(4 << 20, 'x'));
  LineReader reader(file.get(), 1000);
  auto line = reader.Next();
  ASSERT_FALSE(line.has_value());
  EXPECT_EQ(reader.line_number(), 1);
}

}  // namespace
}  // namespace custos::app
