// SPDX-License-Identifier: Apache-2.0
#include "policy/case_file.h"

#include <algorithm>
#include <charconv>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iterator>

#include "core/text.h"
#include "core/time.h"
#include "policy/diagnostics.h"
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
      } else if (key == "category") {
        out->category = value;
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

namespace custos::policy::cases {
namespace {

bool HasCategory(const std::vector<std::string>& ids, const std::string& category) {
  return std::any_of(ids.begin(), ids.end(),
                     [&](const std::string& id) { return RuleCategory(id) == category; });
}

void AppendIds(std::string& out, const std::vector<std::string>& ids) {
  out += "[";
  for (std::size_t i = 0; i < ids.size(); ++i) {
    out += i > 0 ? "," : "";
    AppendJsonString(out, ids[i]);
  }
  out += "]";
}

std::string Fixed(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

std::string Percent(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f%%", v * 100.0);
  return buf;
}

}  // namespace

bool ReadCaseFiles(const std::string& dir, std::vector<CaseFile>* out, std::string* error) {
  namespace fs = std::filesystem;
  std::vector<fs::path> paths;
  std::error_code ec;
  if (fs::is_regular_file(dir, ec)) {
    paths.push_back(dir);
  } else if (fs::is_directory(dir, ec)) {
    for (fs::recursive_directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      if (it->path().extension() == ".case" && it->is_regular_file(ec)) {
        paths.push_back(it->path());
      }
    }
    if (ec) {
      *error = dir + ": cannot list the directory: " + ec.message();
      return false;
    }
  } else {
    *error = dir + ": no such file or directory";
    return false;
  }
  std::sort(paths.begin(), paths.end());
  for (const fs::path& path : paths) {
    std::ifstream in(path, std::ios::binary);
    const std::string content((std::istreambuf_iterator<char>(in)),
                              std::istreambuf_iterator<char>());
    if (!in.good() && !in.eof()) {
      *error = path.string() + ": cannot read the file";
      return false;
    }
    CaseFile file;
    if (!ParseCaseFile(path.string(), content, &file, error)) {
      return false;
    }
    out->push_back(std::move(file));
  }
  return true;
}

std::string RuleCategory(std::string_view rule_id) {
  return std::string(rule_id.substr(0, rule_id.find('.')));
}

CaseTally::CaseTally(const std::vector<std::string>& pack_rule_ids) {
  for (const std::string& id : pack_rule_ids) {
    Slot(RuleCategory(id));
  }
}

CategoryStats& CaseTally::Slot(const std::string& category) {
  for (CategoryStats& s : stats_) {
    if (s.category == category) {
      return s;
    }
  }
  stats_.push_back(CategoryStats{category});
  return stats_.back();
}

void CaseTally::Add(const std::vector<std::string>& expected, const std::vector<std::string>& got,
                    const std::string& file_category) {
  ++messages_;
  for (const std::string& id : expected) {
    Slot(RuleCategory(id));
  }
  for (CategoryStats& s : stats_) {
    const bool hit = HasCategory(got, s.category);
    if (HasCategory(expected, s.category)) {
      ++s.positives;
      const bool caught = std::any_of(expected.begin(), expected.end(), [&](const auto& id) {
        return RuleCategory(id) == s.category && std::find(got.begin(), got.end(), id) != got.end();
      });
      s.caught += caught ? 1 : 0;
      continue;
    }
    ++s.negatives;
    s.false_positives += hit ? 1 : 0;
    if (file_category == s.category) {
      ++s.near_misses;
      s.near_miss_false_positives += hit ? 1 : 0;
    }
  }
}

std::vector<CategoryStats> CaseTally::Categories() const {
  std::vector<CategoryStats> out = stats_;
  std::sort(out.begin(), out.end(),
            [](const CategoryStats& a, const CategoryStats& b) { return a.category < b.category; });
  return out;
}

CaseReport RunCases(const Pack& pack, const std::vector<CaseFile>& files) {
  // Every category from the start (the pack's and the expected ones), so that each counts
  // every message as a positive or a negative, not only the messages after its first mention.
  std::vector<std::string> ids;
  for (const RuleInfo& rule : pack.Rules()) {
    ids.push_back(rule.id);
  }
  for (const CaseFile& file : files) {
    for (const CaseMessage& m : file.messages) {
      ids.insert(ids.end(), m.rules.begin(), m.rules.end());
    }
  }
  CaseTally tally(ids);
  CaseReport report;
  report.files = static_cast<int>(files.size());
  for (const CaseFile& file : files) {
    for (const CaseMessage& m : file.messages) {
      std::vector<std::string> got = pack.Evaluate(m.facts).RuleIds();
      std::sort(got.begin(), got.end());
      tally.Add(m.rules, got, file.category);
      ++report.messages;
      if (got == m.rules) {
        ++report.matched;
      } else {
        report.mismatches.push_back(CaseMismatch{file.path, m.line, m.rules, got});
      }
    }
  }
  report.categories = tally.Categories();
  return report;
}

std::vector<CategoryStats> TallyInlineTests(const Pack& pack) {
  std::vector<std::string> ids;
  for (const RuleInfo& rule : pack.Rules()) {
    ids.push_back(rule.id);
  }
  CaseTally tally(ids);
  for (const TestCase& test : pack.Tests()) {
    std::vector<std::string> got = pack.Evaluate(test.message).RuleIds();
    std::sort(got.begin(), got.end());
    tally.Add(test.expect, got, RuleCategory(test.rule_id));
  }
  return tally.Categories();
}

std::string CategoriesJson(const std::vector<CategoryStats>& categories) {
  std::string out = "[";
  for (std::size_t i = 0; i < categories.size(); ++i) {
    const CategoryStats& s = categories[i];
    out += i > 0 ? ",{\"category\":" : "{\"category\":";
    AppendJsonString(out, s.category);
    out += ",\"positives\":" + std::to_string(s.positives) +
           ",\"caught\":" + std::to_string(s.caught) + ",\"recall\":" + Fixed(s.recall()) +
           ",\"negatives\":" + std::to_string(s.negatives) +
           ",\"false_positives\":" + std::to_string(s.false_positives) +
           ",\"fp_rate\":" + Fixed(s.fp_rate()) +
           ",\"near_misses\":" + std::to_string(s.near_misses) +
           ",\"near_miss_false_positives\":" + std::to_string(s.near_miss_false_positives) + "}";
  }
  return out + "]";
}

std::string CategoriesText(const std::vector<CategoryStats>& categories) {
  std::string out;
  char line[256];
  std::snprintf(line, sizeof line, "%-14s %9s %6s %7s %9s %5s %7s %11s %8s\n", "category",
                "positives", "caught", "recall", "negatives", "FP", "FP rate", "near misses",
                "their FP");
  out += line;
  for (const CategoryStats& s : categories) {
    std::snprintf(line, sizeof line, "%-14s %9d %6d %7s %9d %5d %7s %11d %8d\n", s.category.c_str(),
                  s.positives, s.caught, Percent(s.recall()).c_str(), s.negatives,
                  s.false_positives, Percent(s.fp_rate()).c_str(), s.near_misses,
                  s.near_miss_false_positives);
    out += line;
  }
  return out;
}

std::string CaseReport::ToText() const {
  std::string out;
  for (const CaseMismatch& m : mismatches) {
    std::string expected;
    std::string got;
    for (const std::string& id : m.expected) {
      expected += (expected.empty() ? "" : ", ") + id;
    }
    for (const std::string& id : m.got) {
      got += (got.empty() ? "" : ", ") + id;
    }
    out +=
        m.file + ":" + std::to_string(m.line) + ": expected [" + expected + "] got [" + got + "]\n";
  }
  out += CategoriesText(categories);
  out += std::to_string(messages) + " case messages in " + std::to_string(files) + " files, " +
         std::to_string(matched) + " as expected\n";
  return out;
}

std::string CaseReport::ToJson() const {
  std::string out = "{\"files\":" + std::to_string(files) +
                    ",\"messages\":" + std::to_string(messages) +
                    ",\"matched\":" + std::to_string(matched) + ",\"mismatches\":[";
  for (std::size_t i = 0; i < mismatches.size(); ++i) {
    const CaseMismatch& m = mismatches[i];
    out += i > 0 ? ",{\"file\":" : "{\"file\":";
    AppendJsonString(out, m.file);
    out += ",\"line\":" + std::to_string(m.line) + ",\"expected\":";
    AppendIds(out, m.expected);
    out += ",\"got\":";
    AppendIds(out, m.got);
    out += "}";
  }
  out += "],\"categories\":" + CategoriesJson(categories) + "}";
  return out;
}

}  // namespace custos::policy::cases
