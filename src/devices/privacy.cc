// SPDX-License-Identifier: Apache-2.0
#include "devices/privacy.h"

#include <algorithm>
#include <array>
#include <cctype>

#include <nlohmann/json.hpp>

namespace custos::devices {
namespace {

// Substrings of raw-evidence keys that are dropped on personal devices.
constexpr std::array<std::string_view, 12> kByodDeniedKeys = {
    "location", "latitude", "longitude", "gps",   "serial",       "imei",
    "meid",     "mac",      "udid",      "iccid", "installedapp", "inventory"};

std::string Lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

void Drop(PrivacyNotice* notice, std::string field) {
  ++notice->dropped;
  notice->fields.push_back(std::move(field));
}

template <typename T>
void DropOpt(std::optional<T>* v, const char* name, PrivacyNotice* notice) {
  if (v->has_value()) {
    v->reset();
    Drop(notice, name);
  }
}

}  // namespace

PrivacyNotice ApplyPrivacy(Ownership enrolled, PostureReport* r) {
  PrivacyNotice notice;
  r->ownership = enrolled;
  r->privacy_tier =
      enrolled == Ownership::kCorporate ? PrivacyTier::kCorporate : PrivacyTier::kByod;
  if (r->privacy_tier == PrivacyTier::kCorporate) {
    if (r->lost_mode != Tri::kTrue) {
      DropOpt(&r->location, "location", &notice);
    }
    return notice;
  }
  DropOpt(&r->location, "location", &notice);
  DropOpt(&r->apps_all, "apps.all", &notice);
  DropOpt(&r->hardware.serial, "hardware.serial", &notice);
  DropOpt(&r->hardware.imei, "hardware.imei", &notice);
  DropOpt(&r->hardware.meid, "hardware.meid", &notice);
  DropOpt(&r->hardware.wifi_mac, "hardware.wifi_mac", &notice);
  DropOpt(&r->hardware.udid, "hardware.udid", &notice);
  auto evidence = nlohmann::json::parse(r->raw_evidence, nullptr, false);
  if (evidence.is_object()) {
    nlohmann::json kept = nlohmann::json::object();
    for (const auto& [key, value] : evidence.items()) {
      const std::string lower = Lower(key);
      const bool denied =
          std::any_of(kByodDeniedKeys.begin(), kByodDeniedKeys.end(),
                      [&](std::string_view d) { return lower.find(d) != lower.npos; });
      if (denied) {
        Drop(&notice, "raw_evidence." + key);
      } else {
        kept[key] = value;
      }
    }
    r->raw_evidence = kept.dump();
  }
  return notice;
}

void FilterBlocklistCheck(const std::vector<std::string>& published, PostureReport* r,
                          PrivacyNotice* notice) {
  if (!r->blocklist_check) {
    return;
  }
  int dropped = 0;
  for (auto* ids : {&r->blocklist_check->checked, &r->blocklist_check->present}) {
    dropped += static_cast<int>(std::erase_if(*ids, [&](const std::string& id) {
      return std::find(published.begin(), published.end(), id) == published.end();
    }));
  }
  if (dropped > 0) {
    notice->dropped += dropped;
    notice->fields.push_back("apps.blocklist_check");
  }
}

}  // namespace custos::devices
