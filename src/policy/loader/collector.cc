// SPDX-License-Identifier: Apache-2.0
#include "policy/loader/collector.h"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

#include "core/text.h"
#include "policy/detectors/registry.h"
#include "policy/lang/fields.h"
#include "policy/lang/parser.h"

namespace custos::policy::loader {
namespace {

constexpr int kEngineVersion = 1;

std::optional<int> ParseClock(std::string_view s) {
  if (s.size() != 5 || s[2] != ':') {
    return std::nullopt;
  }
  auto digit = [&](std::size_t i) { return s[i] >= '0' && s[i] <= '9' ? s[i] - '0' : -100; };
  const int h = digit(0) * 10 + digit(1);
  const int m = digit(3) * 10 + digit(4);
  if (h < 0 || h > 24 || m < 0 || m > 59 || (h == 24 && m != 0)) {
    return std::nullopt;
  }
  return h * 60 + m;
}

void CollectWorkHours(const RawNode& node, ItemFields& parent, WorkHours& out) {
  ItemFields f(node, "pack work_hours", parent.Name(), parent.Diags(),
               {"days", "start", "end", "timezone"});
  if (!f.ok()) {
    return;
  }
  unsigned days = 0x1F;
  if (auto list = f.Strings("days")) {
    days = 0;
    const auto words = lang::WeekdayWords();
    for (const Named& d : *list) {
      const auto it = std::find(words.begin(), words.end(), d.name);
      if (it == words.end()) {
        f.Error(DiagCode::kInvalidValue, d.pos, "'" + d.name + "' is not a day (mon ... sun)");
        continue;
      }
      days |= 1U << (it - words.begin());
    }
  }
  int start = 8 * 60;
  int end = 18 * 60;
  for (auto [key, target] : {std::pair{"start", &start}, std::pair{"end", &end}}) {
    if (auto value = f.String(key)) {
      if (auto minutes = ParseClock(*value)) {
        *target = *minutes;
      } else {
        f.Error(DiagCode::kInvalidValue, f.Get(key)->pos,
                "'" + std::string(key) + "' must be a time HH:MM (24 h), not '" + *value + "'");
      }
    }
  }
  out.Set(days, start, end);
  if (auto zone = f.String("timezone")) {
    if (!out.SetTimeZone(*zone)) {
      f.Error(DiagCode::kInvalidValue, f.Get("timezone")->pos,
              "unknown time zone '" + *zone + "' (use an IANA name such as Europe/London)");
    }
  }
}

void CollectPack(const RawItem& item, Diagnostics& diags, PackDef& pack) {
  ItemFields f(item.node, "pack", item.name, diags,
               {"pack", "description", "required_engine_version", "work_hours", "internal_domains",
                "test_defaults", "requires_acknowledgement"});
  pack.name = f.String("pack").value_or("");
  pack.pos = item.node.pos;
  pack.description = f.String("description").value_or("");
  if (auto version = f.Int("required_engine_version", 1, 1'000'000)) {
    pack.engine_version = static_cast<int>(*version);
    if (*version > kEngineVersion) {
      f.Error(DiagCode::kEngineVersion, f.Get("required_engine_version")->pos,
              "the pack needs engine version " + std::to_string(*version) + "; this is " +
                  std::to_string(kEngineVersion));
    }
  }
  if (const RawNode* hours = f.Get("work_hours")) {
    CollectWorkHours(*hours, f, pack.work_hours);
  }
  if (auto domains = f.Strings("internal_domains")) {
    for (const Named& d : *domains) {
      pack.internal_domains.push_back(core::ToLowerAscii(core::TrimAscii(d.name)));
    }
  }
  pack.requires_acknowledgement = f.Bool("requires_acknowledgement").value_or(false);
  if (const RawNode* defaults = f.Get("test_defaults")) {
    pack.test_defaults = *defaults;
  }
}

bool SafeRelativePath(std::string_view path) {
  if (path.empty() || path.front() == '/') {
    return false;
  }
  for (std::string_view part : core::Split(path, '/')) {
    if (part == ".." || part.empty()) {
      return false;
    }
  }
  return true;
}

void ReadListFile(const Named& file, const std::vector<PackFile>& files, ItemFields& f,
                  ListDef& list) {
  if (!SafeRelativePath(file.name)) {
    f.Error(DiagCode::kInvalidValue, file.pos,
            "'" + file.name + "' must be a path inside the pack, relative to its root");
    return;
  }
  const auto it = std::find_if(files.begin(), files.end(),
                               [&](const PackFile& p) { return p.path == file.name; });
  if (it == files.end()) {
    f.Error(DiagCode::kFileRead, file.pos, "no file '" + file.name + "' in the pack");
    return;
  }
  if (!core::IsValidUtf8(*it->content)) {
    f.Error(DiagCode::kFileRead, file.pos, "'" + file.name + "' is not valid UTF-8");
    return;
  }
  int line_no = 0;
  for (std::string_view line : core::Split(*it->content, '\n')) {
    ++line_no;
    const std::string_view term = core::TrimAscii(line);
    if (term.empty() || term.front() == '#') {
      continue;
    }
    list.terms.push_back(TermDef{std::string(term), SourcePos{file.name, line_no, 1}});
  }
}

void CollectList(const RawItem& item, const std::vector<PackFile>& files, Diagnostics& diags,
                 std::vector<ListDef>& out) {
  ItemFields f(item.node, "list", item.name, diags,
               {"list", "description", "language", "items", "file", "include", "leet"});
  ListDef list;
  list.name = f.String("list").value_or("");
  list.pos = item.node.pos;
  if (!IsIdentifier(list.name)) {
    f.Error(DiagCode::kInvalidValue, item.node.members.front().second.pos,
            "a list name must be a name like offensive_en ([A-Za-z_][A-Za-z0-9_]*)");
    return;
  }
  list.description = f.String("description").value_or("");
  list.language = f.String("language").value_or("");
  list.leet = f.Bool("leet").value_or(false);
  if (!f.Get("items") && !f.Get("file") && !f.Get("include")) {
    f.Error(DiagCode::kMissingKey, item.node.pos, "a list needs items, file or include");
  }
  if (auto items = f.Strings("items")) {
    for (const Named& t : *items) {
      const std::string_view term = core::TrimAscii(t.name);
      if (term.empty() || term == "*" || term == "**") {
        f.Error(DiagCode::kInvalidValue, t.pos, "a term must have at least one character");
        continue;
      }
      list.terms.push_back(TermDef{std::string(term), t.pos});
    }
  }
  if (auto paths = f.Strings("file")) {
    for (const Named& p : *paths) {
      ReadListFile(p, files, f, list);
    }
  }
  if (auto includes = f.Strings("include")) {
    list.includes = std::move(*includes);
  }
  std::set<std::string> seen;
  for (const TermDef& t : list.terms) {
    if (!seen.insert(core::ToLowerAscii(t.text)).second) {
      diags.Add(DiagCode::kDuplicateTerm, t.pos, "list item", list.name,
                "'" + t.text + "' appears more than once");
    }
  }
  out.push_back(std::move(list));
}

void CollectMacro(const RawItem& item, Diagnostics& diags, std::vector<MacroDef>& out) {
  ItemFields f(item.node, "macro", item.name, diags, {"macro", "description", "condition"});
  MacroDef macro;
  macro.name = f.String("macro").value_or("");
  macro.pos = item.node.pos;
  if (!IsIdentifier(macro.name) || lang::IsReservedWord(macro.name)) {
    f.Error(DiagCode::kInvalidValue, item.node.members.front().second.pos,
            "a macro name must be a name like external_outbound that is not a keyword");
    return;
  }
  macro.description = f.String("description").value_or("");
  const RawNode* condition = f.Require("condition");
  if (condition == nullptr) {
    return;
  }
  if (!f.String("condition")) {
    return;
  }
  macro.condition = ParseCondition(*condition, "macro condition", macro.name, diags);
  out.push_back(std::move(macro));
}

template <typename T, typename NameOf>
void CheckDuplicates(const std::vector<T>& items, const char* kind, NameOf name_of,
                     Diagnostics& diags) {
  std::map<std::string, SourcePos> first;
  for (const T& item : items) {
    const auto [name, pos] = name_of(item);
    auto [it, inserted] = first.emplace(name, pos);
    if (!inserted) {
      diags.Add(DiagCode::kDuplicate, pos, kind, name,
                std::string(kind) + " '" + name + "' is already defined at " + it->second.file +
                    ":" + std::to_string(it->second.line));
    }
  }
}

}  // namespace

bool IsIdentifier(std::string_view name) {
  if (name.empty() || !(std::isalpha(static_cast<unsigned char>(name[0])) || name[0] == '_')) {
    return false;
  }
  for (char c : name) {
    if (!(std::isalnum(static_cast<unsigned char>(c)) || c == '_')) {
      return false;
    }
  }
  return true;
}

ConditionDef ParseCondition(const RawNode& node, const std::string& kind, const std::string& name,
                            Diagnostics& diags) {
  ConditionDef out;
  out.node = node;
  auto parsed = lang::Parse(node.scalar);
  if (auto* error = std::get_if<lang::SyntaxError>(&parsed)) {
    diags.Add(DiagCode::kConditionSyntax, PositionIn(node, error->offset), kind, name,
              error->message);
    return out;
  }
  out.expr = std::get<lang::ExprPtr>(std::move(parsed));
  return out;
}

Collection Collect(const ReadResult& read, Diagnostics& diags) {
  Collection c;
  const RawItem* pack_item = nullptr;
  for (const RawItem& item : read.items) {
    if (item.kind == "pack") {
      if (pack_item != nullptr) {
        diags.Add(DiagCode::kDuplicate, item.node.pos, "pack", item.name,
                  "a pack has one pack item; the first is at " + pack_item->node.pos.file + ":" +
                      std::to_string(pack_item->node.pos.line));
        continue;
      }
      pack_item = &item;
      CollectPack(item, diags, c.pack);
    } else if (item.kind == "list") {
      CollectList(item, read.files, diags, c.lists);
    } else if (item.kind == "macro") {
      CollectMacro(item, diags, c.macros);
    } else if (item.kind == "detector") {
      CollectDetector(item, diags, c.detectors);
    } else if (item.kind == "rule") {
      RuleDef rule;
      if (CollectRule(item, diags, rule)) {
        c.rules.push_back(std::move(rule));
      }
    }
  }
  auto named = [](const auto& x) { return std::pair{x.name, x.pos}; };
  CheckDuplicates(c.lists, "list", named, diags);
  CheckDuplicates(c.macros, "macro", named, diags);
  CheckDuplicates(c.detectors, "detector", named, diags);
  CheckDuplicates(
      c.rules, "rule",
      [](const RuleDef& r) {
        return std::pair{r.info.id, r.info.pos};
      },
      diags);

  Facts defaults;
  if (c.pack.test_defaults) {
    ItemFields f(*c.pack.test_defaults, "pack test_defaults", c.pack.name, diags,
                 {"text", "channel", "direction", "sender", "sender.group", "counterparty.external",
                  "counterparty.domain", "time", "time.work_hours", "attachments",
                  "conversation.participants"});
    if (f.ok()) {
      ApplyMessageFields(f, defaults);
    }
  }
  for (const RuleDef& rule : c.rules) {
    CollectTests(rule, defaults, diags, c.tests);
  }
  return c;
}

}  // namespace custos::policy::loader
