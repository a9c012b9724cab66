// SPDX-License-Identifier: Apache-2.0
#include "directory/people_file.h"

#include <algorithm>
#include <fstream>
#include <map>
#include <sstream>

#include <nlohmann/json.hpp>

#include "core/json_reader.h"
#include "core/text.h"
#include "directory/identity.h"

namespace custos::directory {
namespace {

core::Status FieldError(const std::string& where, std::string_view field, std::string_view why) {
  return core::InvalidArgument(where + ": field \"" + std::string(field) +
                               "\": " + std::string(why));
}

// Splits "a; b;c" into trimmed, non-empty values.
std::vector<std::string> SplitValues(std::string_view cell) {
  std::vector<std::string> out;
  for (std::string_view v : core::Split(cell, ';')) {
    v = core::TrimAscii(v);
    if (!v.empty()) {
      out.emplace_back(v);
    }
  }
  return out;
}

// Normalises and checks one entry in place.
core::Status Normalise(PersonEntry& p, std::string_view region) {
  p.name = std::string(core::TrimAscii(p.name));
  if (p.name.empty()) {
    return FieldError(p.where, "name", "is required");
  }
  for (std::string& e : p.emails) {
    e = core::ToLowerAscii(core::TrimAscii(e));
    const std::size_t at = e.find('@');
    if (at == std::string::npos || at == 0 || at + 1 == e.size() ||
        e.find(' ') != std::string::npos) {
      return FieldError(p.where, "emails", "\"" + e + "\" is not an e-mail address");
    }
  }
  for (std::string& phone : p.phones) {
    auto e164 = PhoneToE164(phone, region);
    if (!e164) {
      return FieldError(
          p.where, "phones",
          "\"" + phone + "\" is not a valid phone number (region " + std::string(region) + ")");
    }
    phone = *e164;
  }
  return core::Status::Ok();
}

// RFC 4180 records: fields of each line, with the 1-based line each record starts on.
core::Result<std::vector<std::pair<int, std::vector<std::string>>>> CsvRecords(
    std::string_view file, std::string_view text) {
  std::vector<std::pair<int, std::vector<std::string>>> records;
  std::vector<std::string> fields;
  std::string field;
  bool quoted = false;
  bool any = false;
  int line = 1;
  int start = 1;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        field.push_back('"');
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        line += c == '\n' ? 1 : 0;
        field.push_back(c);
      }
      continue;
    }
    if (c == '"' && field.empty()) {
      quoted = true;
      any = true;
    } else if (c == ',') {
      fields.push_back(std::move(field));
      field.clear();
      any = true;
    } else if (c == '\n' || c == '\r') {
      if (c == '\r' && i + 1 < text.size() && text[i + 1] == '\n') {
        ++i;
      }
      if (any || !field.empty()) {
        fields.push_back(std::move(field));
        records.emplace_back(start, std::move(fields));
      }
      fields.clear();
      field.clear();
      any = false;
      start = ++line;
    } else {
      field.push_back(c);
    }
  }
  if (quoted) {
    return core::InvalidArgument(std::string(file) + ":" + std::to_string(start) +
                                 ": unterminated quoted field");
  }
  if (any || !field.empty()) {
    fields.push_back(std::move(field));
    records.emplace_back(start, std::move(fields));
  }
  return records;
}

core::Result<std::vector<PersonEntry>> ParseCsv(std::string_view file, std::string_view text,
                                                std::string_view region) {
  if (text.substr(0, 3) == "\xEF\xBB\xBF") {
    text.remove_prefix(3);
  }
  ASSIGN_OR_RETURN(auto records, CsvRecords(file, text));
  if (records.empty()) {
    return core::InvalidArgument(std::string(file) + ":1: no header row");
  }
  std::map<std::string, std::size_t> column;
  for (std::size_t i = 0; i < records[0].second.size(); ++i) {
    std::string name = core::ToLowerAscii(core::TrimAscii(records[0].second[i]));
    if (name == "desk") {
      name = "group";
    }
    static const char* const kKnown[] = {"name", "emails", "phones", "handles", "group", "manager"};
    if (std::find(std::begin(kKnown), std::end(kKnown), name) == std::end(kKnown)) {
      return core::InvalidArgument(std::string(file) + ":1: unknown column \"" + name +
                                   "\" (name, emails, phones, handles, group or desk, manager)");
    }
    column[name] = i;
  }
  if (!column.contains("name")) {
    return core::InvalidArgument(std::string(file) + ":1: the header has no \"name\" column");
  }
  std::vector<PersonEntry> people;
  for (std::size_t r = 1; r < records.size(); ++r) {
    const auto& [line, fields] = records[r];
    auto cell = [&](const char* name) -> std::string {
      const auto it = column.find(name);
      return it != column.end() && it->second < fields.size() ? fields[it->second] : "";
    };
    PersonEntry p;
    p.where = std::string(file) + ":" + std::to_string(line);
    if (fields.size() > records[0].second.size()) {
      return core::InvalidArgument(p.where + ": " + std::to_string(fields.size()) +
                                   " fields, the header has " +
                                   std::to_string(records[0].second.size()));
    }
    p.name = cell("name");
    p.emails = SplitValues(cell("emails"));
    p.phones = SplitValues(cell("phones"));
    p.handles = SplitValues(cell("handles"));
    p.group = std::string(core::TrimAscii(cell("group")));
    p.manager = std::string(core::TrimAscii(cell("manager")));
    RETURN_IF_ERROR(Normalise(p, region));
    people.push_back(std::move(p));
  }
  return people;
}

core::Result<std::vector<std::string>> JsonValues(const nlohmann::json& entry, const char* name,
                                                  const std::string& where) {
  std::vector<std::string> out;
  if (!entry.contains(name) || entry[name].is_null()) {
    return out;
  }
  const nlohmann::json& v = entry[name];
  if (v.is_string()) {
    return SplitValues(v.get<std::string>());
  }
  if (!v.is_array()) {
    return FieldError(where, name, "must be a string or an array of strings");
  }
  for (const nlohmann::json& item : v) {
    if (!item.is_string()) {
      return FieldError(where, name, "must be a string or an array of strings");
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

core::Result<std::vector<PersonEntry>> ParseJson(std::string_view file, std::string_view text,
                                                 std::string_view region) {
  ASSIGN_OR_RETURN(const nlohmann::json doc, core::ParseJson(text, core::kImportJsonLimits, file));
  if (!doc.is_array()) {
    return core::InvalidArgument(std::string(file) + ": expected an array of people");
  }
  std::vector<PersonEntry> people;
  for (std::size_t i = 0; i < doc.size(); ++i) {
    const nlohmann::json& e = doc[i];
    PersonEntry p;
    p.where = std::string(file) + ": entry " + std::to_string(i + 1);
    if (!e.is_object()) {
      return core::InvalidArgument(p.where + ": not an object");
    }
    for (const auto& [key, value] : e.items()) {
      static const char* const kKnown[] = {"name",  "emails", "phones", "handles",
                                           "group", "desk",   "manager"};
      if (std::find(std::begin(kKnown), std::end(kKnown), key) == std::end(kKnown)) {
        return FieldError(p.where, key, "unknown member");
      }
      if ((key == "name" || key == "group" || key == "desk" || key == "manager") &&
          !value.is_string() && !value.is_null()) {
        return FieldError(p.where, key, "must be a string");
      }
    }
    p.name = e.value("name", "");
    ASSIGN_OR_RETURN(p.emails, JsonValues(e, "emails", p.where));
    ASSIGN_OR_RETURN(p.phones, JsonValues(e, "phones", p.where));
    ASSIGN_OR_RETURN(p.handles, JsonValues(e, "handles", p.where));
    p.group = e.contains("group") && e["group"].is_string() ? e["group"].get<std::string>()
              : e.contains("desk") && e["desk"].is_string() ? e["desk"].get<std::string>()
                                                            : "";
    p.manager =
        e.contains("manager") && e["manager"].is_string() ? e["manager"].get<std::string>() : "";
    RETURN_IF_ERROR(Normalise(p, region));
    people.push_back(std::move(p));
  }
  return people;
}

}  // namespace

core::Result<std::vector<PersonEntry>> ParsePeople(std::string_view file_name,
                                                   std::string_view text,
                                                   std::string_view default_region) {
  const std::string lower = core::ToLowerAscii(file_name);
  if (lower.ends_with(".json")) {
    return ParseJson(file_name, text, default_region);
  }
  if (lower.ends_with(".csv")) {
    return ParseCsv(file_name, text, default_region);
  }
  return core::InvalidArgument(std::string(file_name) +
                               ": expected a .csv or .json file of people");
}

core::Result<std::vector<PersonEntry>> ReadPeopleFile(const std::string& path,
                                                      std::string_view default_region) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return core::InvalidArgument(path + ": cannot be read");
  }
  std::ostringstream text;
  text << in.rdbuf();
  return ParsePeople(path, text.str(), default_region);
}

}  // namespace custos::directory
