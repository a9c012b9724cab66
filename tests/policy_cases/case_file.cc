// SPDX-License-Identifier: Apache-2.0
#include "case_file.h"

#include <algorithm>
#include <charconv>

#include "core/text.h"
#include "core/time.h"
#include "policy/eval/unicode.h"

namespace custos::policy::cases {
namespace {

bool Unescape(std::string_view in, std::string* out) {
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] != '\\' || i + 1 >= in.size()) {
      out->push_back(in[i]);
      continue;
    }
    const char e = in[++i];
    if (e == 'n') {
      out->push_back('\n');
    } else if (e == 't') {
      out->push_back('\t');
    } else if (e == '\\') {
      out->push_back('\\');
    } else if (e == 'u' || e == 'U') {
      const std::size_t digits = e == 'u' ? 4 : 8;
      unsigned long cp = 0;
      const std::string_view hex = in.substr(i + 1, digits);
      auto [ptr, ec] = std::from_chars(hex.data(), hex.data() + hex.size(), cp, 16);
      if (hex.size() != digits || ec != std::errc() || ptr != hex.data() + hex.size()) {
        return false;
      }
      eval::AppendUtf8(*out, static_cast<char32_t>(cp));
      i += digits;
    } else {
      return false;
    }
  }
  return true;
}

std::vector<std::string> SplitList(std::string_view value) {
  std::vector<std::string> out;
  for (std::string_view part : core::Split(value, ',')) {
    part = core::TrimAscii(part);
    if (!part.empty()) {
      out.emplace_back(part);
    }
  }
  return out;
}

bool ParseBool(std::string_view v, bool* out) {
  if (v == "true" || v == "false") {
    *out = v == "true";
    return true;
  }
  return false;
}

bool ApplyField(std::string_view key, std::string_view value, Facts& f) {
  if (key == "text") {
    return Unescape(value, &f.text);
  }
  if (key == "channel") {
    f.channel = core::ToLowerAscii(value);
  } else if (key == "direction") {
    auto d = model::ParseDirection(value);
    if (!d) {
      return false;
    }
    f.direction = *d;
  } else if (key == "sender") {
    f.sender = std::string(value);
  } else if (key == "sender.group") {
    f.sender_group = core::ToLowerAscii(value);
  } else if (key == "counterparty.external") {
    return ParseBool(value, &f.counterparty_external);
  } else if (key == "counterparty.domain") {
    f.counterparty_domains = SplitList(core::ToLowerAscii(value));
  } else if (key == "time") {
    auto t = core::ParseRfc3339(value);
    if (!t) {
      return false;
    }
    f.sent_at = *t;
  } else if (key == "time.work_hours") {
    bool b = false;
    if (!ParseBool(value, &b)) {
      return false;
    }
    f.work_hours = b;
  } else if (key == "attachment") {
    const std::vector<std::string_view> parts = core::Split(value, '|');
    std::int64_t size = 0;
    if (parts.size() != 3 ||
        std::from_chars(parts[2].data(), parts[2].data() + parts[2].size(), size).ec !=
            std::errc()) {
      return false;
    }
    f.attachments.push_back(
        AttachmentFacts{std::string(parts[0]), core::ToLowerAscii(parts[1]), size});
  } else if (key == "conversation.participants") {
    return std::from_chars(value.data(), value.data() + value.size(), f.participants).ec ==
           std::errc();
  } else {
    return false;
  }
  return true;
}

bool ApplyExpectation(std::string_view key, std::string_view value, CaseMessage& m) {
  if (key == "rules") {
    m.rules = SplitList(value);
    std::sort(m.rules.begin(), m.rules.end());
  } else if (key == "action") {
    m.action = ParseAction(value);
    return m.action.has_value();
  } else if (key == "evidence") {
    std::string text;
    if (!Unescape(value, &text)) {
      return false;
    }
    m.evidence = std::move(text);
  } else {
    return false;
  }
  return true;
}

}  // namespace

bool ParseCaseFile(const std::string& path, const std::string& content, CaseFile* out,
                   std::string* error) {
  out->path = path;
  enum class State { kHeader, kBetween, kMessage, kExpect } state = State::kHeader;
  int line_no = 0;
  auto fail = [&](const std::string& why) {
    *error = path + ":" + std::to_string(line_no) + ": " + why;
    return false;
  };
  for (std::string_view raw : core::Split(content, '\n')) {
    ++line_no;
    const std::string_view line = core::TrimAscii(raw);
    if (state == State::kHeader && line.starts_with("#")) {
      const std::string_view body = core::TrimAscii(line.substr(1));
      const std::size_t colon = body.find(':');
      const std::string_view key = body.substr(0, colon);
      const std::string_view value =
          colon == std::string_view::npos ? "" : core::TrimAscii(body.substr(colon + 1));
      if (key == "name") {
        out->name = value;
      } else if (key == "description") {
        out->description = value;
      } else if (key == "pack") {
        out->pack = value;
      }
      continue;
    }
    if (line.empty()) {
      if (state == State::kMessage) {
        return fail("a message needs ---- and its expectations");
      }
      state = state == State::kHeader ? State::kBetween : state;
      continue;
    }
    if (line.starts_with("#")) {
      continue;
    }
    if (line == "message") {
      if (state == State::kMessage) {
        return fail("the previous message has no ----");
      }
      out->messages.emplace_back();
      out->messages.back().line = line_no;
      state = State::kMessage;
      continue;
    }
    if (line == "----") {
      if (state != State::kMessage) {
        return fail("---- outside a message");
      }
      state = State::kExpect;
      continue;
    }
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos || out->messages.empty()) {
      return fail("expected 'key: value', 'message' or '----'");
    }
    const std::string_view key = core::TrimAscii(line.substr(0, colon));
    const std::string_view value = core::TrimAscii(line.substr(colon + 1));
    CaseMessage& m = out->messages.back();
    if (state == State::kMessage ? !ApplyField(key, value, m.facts)
                                 : !ApplyExpectation(key, value, m)) {
      return fail("bad '" + std::string(key) + "' line");
    }
  }
  if (state == State::kMessage) {
    return fail("the last message has no ----");
  }
  if (out->name.empty()) {
    return fail("missing '# name:' header");
  }
  return true;
}

}  // namespace custos::policy::cases
