// SPDX-License-Identifier: Apache-2.0
#include "capture/internal/json_error_locator.h"

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

namespace custos::capture::internal {
namespace {

using Json = nlohmann::json;

// Follows the parser through objects and arrays so that, when it fails, we know which value
// it was reading.
class PathTracker final : public nlohmann::json_sax<Json> {
 public:
  bool null() override { return Value(); }

  bool boolean(bool /*val*/) override { return Value(); }

  bool number_integer(number_integer_t /*val*/) override { return Value(); }

  bool number_unsigned(number_unsigned_t /*val*/) override { return Value(); }

  bool number_float(number_float_t /*val*/, const string_t& /*s*/) override { return Value(); }

  bool string(string_t& /*val*/) override { return Value(); }

  bool binary(binary_t& /*val*/) override { return Value(); }

  bool start_object(std::size_t /*elements*/) override {
    frames_.push_back(Frame{});
    return true;
  }

  bool key(string_t& val) override {
    Frame& top = frames_.back();
    top.key = val;
    top.awaiting_value = true;
    return true;
  }

  bool end_object() override { return EndContainer(); }

  bool start_array(std::size_t /*elements*/) override {
    Frame frame;
    frame.array = true;
    frames_.push_back(std::move(frame));
    return true;
  }

  bool end_array() override { return EndContainer(); }

  bool parse_error(std::size_t position, const std::string& /*last_token*/,
                   const nlohmann::detail::exception& ex) override {
    location_.message =
        "malformed JSON at byte " + std::to_string(position) + ": " + Reason(ex.what());
    if (location_.message.find("invalid string") != std::string::npos && InValue()) {
      location_.field = Path();
      location_.message = Reason(ex.what());
    }
    return false;
  }

  const JsonErrorLocation& location() const { return location_; }

 private:
  struct Frame {
    bool array = false;
    std::string key;
    std::size_t index = 0;
    bool awaiting_value = false;
  };

  // The short reason from an nlohmann message such as "[json.exception.parse_error.101] parse
  // error at line 1, column 9: syntax error while parsing value - invalid literal; last read:
  // 'tru'": "invalid literal". The echo of the input is dropped (it can be huge).
  static std::string Reason(std::string_view what) {
    std::size_t start = what.find(" - ");
    if (start != std::string_view::npos) {
      start += 3;
    } else {
      const std::size_t colon = what.find(": ");
      start = colon == std::string_view::npos ? 0 : colon + 2;
    }
    std::string_view reason = what.substr(start);
    const std::size_t echo = reason.find("; last read");
    if (echo != std::string_view::npos) {
      reason = reason.substr(0, echo);
    }
    return std::string(reason);
  }

  bool Value() {
    Consume();
    return true;
  }

  bool EndContainer() {
    frames_.pop_back();
    Consume();
    return true;
  }

  // Marks the value of the innermost container as read.
  void Consume() {
    if (frames_.empty()) {
      return;
    }
    Frame& top = frames_.back();
    if (top.array) {
      ++top.index;
    } else {
      top.awaiting_value = false;
    }
  }

  // True when the parser failed inside a value (not inside a key or between items).
  bool InValue() const {
    return !frames_.empty() && (frames_.back().array || frames_.back().awaiting_value);
  }

  std::string Path() const {
    std::string path;
    for (const Frame& f : frames_) {
      if (f.array) {
        path += "[" + std::to_string(f.index) + "]";
      } else {
        if (!path.empty()) {
          path += ".";
        }
        path += f.key;
      }
    }
    return path;
  }

  std::vector<Frame> frames_;
  JsonErrorLocation location_;
};

}  // namespace

JsonErrorLocation LocateJsonError(std::string_view json) {
  PathTracker tracker;
  if (Json::sax_parse(json.begin(), json.end(), &tracker)) {
    return JsonErrorLocation{"", "malformed JSON"};
  }
  return tracker.location();
}

}  // namespace custos::capture::internal
