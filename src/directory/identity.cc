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

bool IsFullLengthNumber(std::string_view e164) {
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber parsed;
  return util.Parse(std::string(e164), "ZZ", &parsed) == PhoneNumberUtil::NO_PARSING_ERROR &&
         util.IsPossibleNumberWithReason(parsed) == PhoneNumberUtil::IS_POSSIBLE;
}

std::vector<std::string> PhoneSpellings(std::string_view e164) {
  std::vector<std::string> out;
  const PhoneNumberUtil& util = *PhoneNumberUtil::GetInstance();
  PhoneNumber parsed;
  const std::string text(core::TrimAscii(e164));
  if (text.empty() || text[0] != '+' ||
      util.Parse(text, "ZZ", &parsed) != PhoneNumberUtil::NO_PARSING_ERROR ||
      !util.IsPossibleNumber(parsed)) {
    return out;
  }
  std::string canonical;
  util.Format(parsed, PhoneNumberUtil::E164, &canonical);
  const std::string digits = canonical.substr(1);
  std::string national;
  util.Format(parsed, PhoneNumberUtil::NATIONAL, &national);
  std::string national_compact;
  for (const char c : national) {
    if (c >= '0' && c <= '9') {
      national_compact.push_back(c);
    }
  }
  out = {canonical, digits, digits + "@s.whatsapp.net", digits + "@c.us"};
  if (!national_compact.empty() && national_compact != digits) {
    out.push_back(national_compact);
  }
  return out;
}

std::optional<std::string> PhoneOfJidOrUri(std::string_view raw) {
  std::string s = core::ToLowerAscii(core::TrimAscii(raw));
  for (std::string_view scheme : {"whatsapp:", "tel:", "sms:"}) {
    if (s.starts_with(scheme)) {
      s = std::string(core::TrimAscii(std::string_view(s).substr(scheme.size())));
      return LooksLikePhone(s) ? std::optional<std::string>(s) : std::nullopt;
    }
  }
  const std::size_t at = s.find('@');
  if (at == std::string::npos) {
    return std::nullopt;
  }
  const std::string_view domain = std::string_view(s).substr(at + 1);
  if (domain != "s.whatsapp.net" && domain != "c.us" && domain != "whatsapp.net") {
    return std::nullopt;
  }
  std::string user = s.substr(0, at);
  if (const std::size_t colon = user.find(':'); colon != std::string::npos) {
    user.resize(colon);  // a device suffix: 447700900123:12@s.whatsapp.net
  }
  if (user.empty() || user.size() > 15 ||
      user.find_first_not_of("0123456789") != std::string::npos) {
    return std::nullopt;
  }
  return "+" + user;
}

}  // namespace custos::directory
