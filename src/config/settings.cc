// SPDX-License-Identifier: Apache-2.0
#include "config/settings.h"

namespace custos::config {

std::string_view SettingTypeName(SettingType type) {
  switch (type) {
    case SettingType::kString:
      return "string";
    case SettingType::kInteger:
      return "integer";
    case SettingType::kDuration:
      return "duration";
    case SettingType::kSchedule:
      return "schedule";
  }
  return "string";
}

const std::vector<SettingSpec>& AllSettings() {
  static const std::vector<SettingSpec> kAll = {
      {"retention.default_period", SettingType::kDuration, "7y", "CUSTOS_RETENTION_DEFAULT_PERIOD",
       "How long a record is kept when no retention class matches it"},
      {"retention.default_legal_basis", SettingType::kString,
       "custos default of 7 years: covers SEC Rule 17a-4(b)(4) (3 years), FINRA Rule 4511(b) "
       "(6 years) and MiFID II Art. 16(7) (5, up to 7 years)",
       "CUSTOS_RETENTION_DEFAULT_LEGAL_BASIS",
       "The legal basis recorded when a record is disposed of under the default class"},
      {"retention.schedule", SettingType::kSchedule, "1h", "CUSTOS_RETENTION_SCHEDULE",
       "How often `custos serve` runs retention in the background (\"off\" to disable)"},
      {"retention.batch_size", SettingType::kInteger, "500", "CUSTOS_RETENTION_BATCH_SIZE",
       "Records disposed of per transaction by a retention run", 1, 10'000},
      {"directory.default_region", SettingType::kString, "GB", "CUSTOS_DIRECTORY_DEFAULT_REGION",
       "ISO 3166-1 region of phone numbers written without a country code (`custos directory "
       "import`, `custos import FORMAT`; --region overrides it)"},
  };
  return kAll;
}

const SettingSpec* FindSetting(std::string_view name) {
  for (const SettingSpec& spec : AllSettings()) {
    if (spec.name == name) {
      return &spec;
    }
  }
  return nullptr;
}

}  // namespace custos::config
