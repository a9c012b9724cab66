// SPDX-License-Identifier: Apache-2.0
#include "storage/database.h"

#include <string>

namespace custos::storage {
namespace {

const std::string& EmptyString() {
  static const std::string kEmpty;
  return kEmpty;
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
  CUSTOS_CHECK(std::holds_alternative<std::monostate>(value));
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
  CUSTOS_CHECK(std::holds_alternative<std::monostate>(value));
  return 0.0;
}

const std::string& Row::Text(std::size_t col) const {
  CUSTOS_CHECK(col < values_.size());
  const Value& value = values_[col];
  if (const auto* s = std::get_if<std::string>(&value)) {
    return *s;
  }
  if (const auto* b = std::get_if<Blob>(&value)) {
    return b->bytes;
  }
  CUSTOS_CHECK(std::holds_alternative<std::monostate>(value));
  return EmptyString();
}

const Value& Row::Get(std::size_t col) const {
  CUSTOS_CHECK(col < values_.size());
  return values_[col];
}

}  // namespace custos::storage
