// SPDX-License-Identifier: Apache-2.0
#include "directory/identity.h"

#include <set>
#include <string>

#include <phonenumbers/phonenumberutil.h>

#include "core/text.h"

namespace custos::directory {

using i18n::phonenumbers::PhoneNumber;
using i18n::phonenumbers::PhoneNumberUtil;

bool IsKnownRegion(std::string_view region) {
  std::set<std::string> regions;
  PhoneNumberUtil::GetInstance()->GetSupportedRegions(&regions);
  return regions.count(std::string(region)) > 0;
}

bool LooksLikePhone(std::string_view raw) {
  int digits = 0;
  for (const char c : core::TrimAscii(raw)) {
    if (c >= '0' && c <= '9') {
      ++digits;
    } else if (std::string_view(" +-.()").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return digits >= 6;
}

std::optional<std::string> PhoneToE164(std::string_view raw, std::string_view region) {
  if (!LooksLikePhone(raw)) {
    return std::nullopt;
  }
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber parsed;
  const std::string upper_region = [&] {
    std::string r(region);
    for (char& c : r) {
      c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 32 : c);
    }
    return r;
  }();
  if (util.Parse(std::string(core::TrimAscii(raw)), upper_region, &parsed) !=
          PhoneNumberUtil::NO_PARSING_ERROR ||
      !util.IsPossibleNumber(parsed)) {
    return std::nullopt;
  }
  std::string out;
  util.Format(parsed, PhoneNumberUtil::E164, &out);
  return out;
}

std::string NormaliseIdentity(std::string_view raw, std::string_view region) {
  const std::string_view trimmed = core::TrimAscii(raw);
  if (auto phone = PhoneToE164(trimmed, region)) {
    return *phone;
  }
  if (trimmed.find('@') != std::string_view::npos && trimmed.find(' ') == std::string_view::npos) {
    return core::ToLowerAscii(trimmed);
  }
  return std::string(trimmed);
}

std::string LookupKey(std::string_view raw, std::string_view region) {
  return core::ToLowerAscii(NormaliseIdentity(raw, region));
}

}  // namespace custos::directory
