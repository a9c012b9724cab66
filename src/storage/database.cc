// SPDX-License-Identifier: Apache-2.0
#include "storage/database.h"

#include <cstdint>
#include <limits>
#include <string>

namespace custos::storage {
namespace {

const std::string& EmptyString() {
  static const std::string kEmpty;
  return kEmpty;
}

// What sqlite3_column_int64 makes of text: its leading decimal integer (after blanks and a
// sign), 0 when it has none; saturated instead of overflowing.
std::int64_t LeadingInteger(const std::string& text) {
  std::size_t i = 0;
  while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) {
    ++i;
  }
  bool negative = false;
  if (i < text.size() && (text[i] == '-' || text[i] == '+')) {
    negative = text[i] == '-';
    ++i;
  }
  std::int64_t out = 0;
  constexpr std::int64_t kMax = std::numeric_limits<std::int64_t>::max();
  for (; i < text.size() && text[i] >= '0' && text[i] <= '9'; ++i) {
    const int digit = text[i] - '0';
    if (out > (kMax - digit) / 10) {
      return negative ? std::numeric_limits<std::int64_t>::min() : kMax;
    }
    out = out * 10 + digit;
  }
  return negative ? -out : out;
}

// The text or blob bytes of `value`, or nullptr for a number or NULL.
const std::string* BytesOf(const Value& value) {
  if (const auto* s = std::get_if<std::string>(&value)) {
    return s;
  }
  if (const auto* b = std::get_if<Blob>(&value)) {
    return &b->bytes;
  }
  return nullptr;
}

}  // namespace

bool Row::IsNull(std::size_t col) const {
  CUSTOS_CHECK(col < values_.size());
  return std::holds_alternative<std::monostate>(values_[col]);
}

std::int64_t Row::Int(std::size_t col) const {
  CUSTOS_CHECK(col < values_.size());
  const Value& value = values_[col];
  if (const auto* i = std::get_if<std::int64_t>(&value)) {
    return *i;
  }
  if (const auto* d = std::get_if<double>(&value)) {
    return static_cast<std::int64_t>(*d);
  }
  if (const std::string* bytes = BytesOf(value)) {
    return LeadingInteger(*bytes);
  }
  return 0;
}

double Row::Real(std::size_t col) const {
  CUSTOS_CHECK(col < values_.size());
  const Value& value = values_[col];
  if (const auto* d = std::get_if<double>(&value)) {
    return *d;
  }
  if (const auto* i = std::get_if<std::int64_t>(&value)) {
    return static_cast<double>(*i);
  }
  if (const std::string* bytes = BytesOf(value)) {
    return static_cast<double>(LeadingInteger(*bytes));
  }
  return 0.0;
}

const std::string& Row::Text(std::size_t col) const {
  CUSTOS_CHECK(col < values_.size());
  const Value& value = values_[col];
  if (const auto* s = std::get_if<std::string>(&value)) {
    return *s;
  }
  if (const std::string* bytes = BytesOf(value)) {
    return *bytes;
  }
  return EmptyString();  // NULL, or a number where text was stored
}

const Value& Row::Get(std::size_t col) const {
  CUSTOS_CHECK(col < values_.size());
  return values_[col];
}

}  // namespace custos::storage
