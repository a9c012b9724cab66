// SPDX-License-Identifier: Apache-2.0
// The canonical record encoding of docs/formats/records.md (version 1): a restricted RFC 8785
// JSON writer (sorted keys, no whitespace, integers only, minimal escapes) and the record
// envelope and bodies built with it. The bytes it produces are what the Merkle leaf hashes.
// Thread-safety: pure functions and value types.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/status.h"
#include "core/time.h"
#include "model/message.h"

namespace custos::archive {

// A canonical JSON value. Objects are std::map, so members are always sorted by key (keys are
// lower-case ASCII, where byte order equals RFC 8785's UTF-16 order).
class CanonicalValue {
 public:
  using Array = std::vector<CanonicalValue>;
  using Object = std::map<std::string, CanonicalValue>;

  CanonicalValue() : v_(nullptr) {}

  CanonicalValue(std::nullptr_t) : v_(nullptr) {}  // NOLINT

  CanonicalValue(bool b) : v_(b) {}  // NOLINT

  CanonicalValue(std::int64_t n) : v_(n) {}  // NOLINT

  CanonicalValue(int n) : v_(std::int64_t{n}) {}  // NOLINT

  CanonicalValue(std::string s) : v_(std::move(s)) {}  // NOLINT

  CanonicalValue(std::string_view s) : v_(std::string(s)) {}  // NOLINT

  CanonicalValue(const char* s) : v_(std::string(s)) {}  // NOLINT

  CanonicalValue(Array a) : v_(std::make_shared<Array>(std::move(a))) {}  // NOLINT

  CanonicalValue(Object o) : v_(std::make_shared<Object>(std::move(o))) {}  // NOLINT

  // Appends the canonical serialisation to `out`.
  void AppendTo(std::string* out) const;
  std::string Serialize() const;

 private:
  std::variant<std::nullptr_t, bool, std::int64_t, std::string, std::shared_ptr<Array>,
               std::shared_ptr<Object>>
      v_;
};

// The envelope {"at","body","id","kind","v":1} around `body`.
std::string EncodeRecord(std::int64_t record_id, std::string_view kind, core::Micros at,
                         CanonicalValue::Object body);

// The body of a `message` record.
CanonicalValue::Object MessageBody(const model::Message& m);

}  // namespace custos::archive
